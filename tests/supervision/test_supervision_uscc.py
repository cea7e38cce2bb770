"""GB 32100-2015 check character: published codes, weights, and the vectorised form against the scalar one."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from edubrain.analytics.supervision import ALPHABET, WEIGHTS, check_character, uscc_valid

# Valid codes quoted in public validators (docs/graded-supervision.md): 全聚德 and 北京长峰医院 from a published
# JavaScript validator's tests, 91350100M000100Y43 from util-helpers' documentation.
PUBLISHED_VALID = ["91110000101623741K", "911101066976941872", "91350100M000100Y43"]
# Invalid: the check character changed (util-helpers' example), and a pilot-era code known not to verify.
PUBLISHED_INVALID = ["91350100M000100Y4A", "91350211M0000XUF46"]


def test_supervision_uscc_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


def test_supervision_uscc_published_codes() -> None:
    assert uscc_valid(pl.Series(PUBLISHED_VALID)).to_list() == [True, True, True]
    assert uscc_valid(pl.Series(PUBLISHED_INVALID)).to_list() == [False, False]
    assert check_character("91110000101623741") == "K"


def test_supervision_uscc_shape_and_nulls() -> None:
    got = uscc_valid(pl.Series(["91110000101623741k", "9111000010162374", "9I110000101623741K", None])).to_list()
    assert got == [True, False, False, None]


@given(st.lists(st.text(alphabet=ALPHABET, min_size=9, max_size=9), min_size=1, max_size=30), st.integers(0, 30))
def test_supervision_uscc_vectorised_matches_scalar(bodies: list[str], shift: int) -> None:
    firsts = [f"91110108{b}" for b in bodies]
    good = [f + check_character(f) for f in firsts]
    bad = [f + ALPHABET[(ALPHABET.index(check_character(f)) + 1 + shift % 30) % 31] for f in firsts]
    assert uscc_valid(pl.Series(good)).to_list() == [True] * len(good)
    assert not np.any(uscc_valid(pl.Series(bad)).to_numpy())
