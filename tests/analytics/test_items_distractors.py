"""Distractor analysis: option rates by upper/lower groups and review flags, on a hand-made answer sheet."""

from __future__ import annotations

import numpy as np
import pytest

from edubrain.analytics.items import ItemDataError, distractor_analysis

# 6 persons, 3 items, key A / B / C. Number correct: 3, 3, 2, 1, 0, 0 → upper = rows 0–1, lower = rows 4–5
# with a 1/3 fraction (groups of 2).
CHOICES = [
    ["A", "B", "C"],
    ["A", "B", "C"],
    ["A", "B", "D"],
    ["C", "B", "D"],
    ["B", "A", "D"],
    ["C", None, "B"],
]
KEY = ["A", "B", "C"]


def _row(table, item: str, option: str) -> dict:  # type: ignore[no-untyped-def]
    rows = table.filter((table["item"] == item) & (table["option"] == option)).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_rates_by_group_and_flags() -> None:
    table = distractor_analysis(CHOICES, KEY, items=["q1", "q2", "q3"], fraction=1 / 3)
    key_row = _row(table, "q1", "A")
    assert key_row["is_key"] and key_row["rate"] == pytest.approx(0.5)
    assert (key_row["rate_upper"], key_row["rate_lower"]) == (1.0, 0.0)
    assert key_row["flag"] == ""
    # option C of q1 is chosen only by the lower group: a working distractor
    assert _row(table, "q1", "C")["flag"] == ""
    assert _row(table, "q1", "D")["flag"] == "distractor_unused"
    # option D of q2 is never chosen either; the omitted answer (None) is not an option
    assert set(table.filter(table["item"] == "q2")["option"].to_list()) == {"A", "B", "C", "D"}


def test_distractor_chosen_by_the_upper_group_is_flagged() -> None:
    choices = np.array(CHOICES, dtype=object)
    choices[0, 2] = "D"  # a top scorer now picks D on q3; lower group picked D once and B once
    choices[1, 2] = "D"
    table = distractor_analysis(choices, KEY, fraction=1 / 3)
    row = _row(table, "item_3", "D")
    assert row["rate_upper"] > row["rate_lower"]
    assert row["flag"] == "distractor_positive"
    assert _row(table, "item_3", "C")["flag"] in {"", "distractor_unused"}


def test_key_chosen_more_by_the_lower_group_is_flagged() -> None:
    # rows 0–1 score 2 (items 1 and 3), rows 2–3 score 1 (item 2 only): the upper group misses item 2's key
    choices = [["A", "X", "A"], ["A", "X", "A"], ["B", "Y", "B"], ["B", "Y", "B"]]
    table = distractor_analysis(choices, ["A", "Y", "A"], fraction=0.5)
    assert _row(table, "item_2", "Y")["flag"] == "key_negative"


def test_shape_mismatch_is_refused() -> None:
    with pytest.raises(ItemDataError):
        distractor_analysis(CHOICES, ["A", "B"])
