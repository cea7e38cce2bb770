"""身份证号 and 学籍号: valid check characters, unique, encoding birth date and sex."""

from __future__ import annotations

import numpy as np

from edubrain.exchange.fields import gb11643_check_char
from edubrain.synth import ids


def test_id_numbers_have_valid_check_characters_and_encode_birth_date_and_sex() -> None:
    rng = np.random.default_rng(0)
    n = 5000
    region = rng.choice([110108, 110119], n)
    birth = rng.integers(ids.date_days(2008, 1, 1), ids.date_days(2019, 12, 31), n)
    male = rng.random(n) < 0.5
    book = ids.SequenceBook((0, 60), [110108, 110119], ids.date_days(2000, 1, 1), ids.date_days(2030, 1, 1))
    numbers = ids.id_numbers(region, birth, book.take(region, birth, male))
    assert len(set(numbers.tolist())) == n
    for text, day, is_male in zip(numbers[:500], birth[:500], male[:500], strict=True):
        assert gb11643_check_char(text[:17]) == text[17]
        assert text[6:14] == str(ids.days_to_dates(np.array([day]))[0]).replace("-", "")
        assert (int(text[16]) % 2 == 1) == bool(is_male)


def test_sequence_blocks_keep_districts_apart() -> None:
    day = np.full(40, ids.date_days(2015, 5, 1))
    region = np.full(40, 110108)
    male = np.ones(40, dtype=bool)
    blocks = ids.district_blocks([0.5, 0.3, 0.2])
    a = ids.SequenceBook(blocks[0], [110108], day[0] - 10, day[0] + 100).take(region, day.copy(), male)
    b = ids.SequenceBook(blocks[1], [110108], day[0] - 10, day[0] + 100).take(region, day.copy(), male)
    assert not set(a.tolist()) & set(b.tolist())
    assert (a % 2 == 1).all() and a.max() < 1000
