"""Difficulty, upper–lower discrimination, point-biserial and corrected item–total correlation on small cases."""

from __future__ import annotations

import numpy as np
import pytest

from edubrain.analytics.items import (
    ItemDataError,
    corrected_item_total,
    item_analysis,
    item_difficulty,
    point_biserial,
    upper_lower_index,
)

HAND = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float)


def test_difficulty_is_p_value_for_dichotomous_and_mean_over_max_for_polytomous() -> None:
    assert item_difficulty(HAND) == pytest.approx([0.75, 0.5, 0.25])
    essay = np.array([[2, 4], [1, 0], [0, 2]], dtype=float)
    assert item_difficulty(essay, max_scores=[2, 8]) == pytest.approx([0.5, 0.25])


def test_upper_lower_index_by_hand() -> None:
    # 10 persons; 27 % → groups of ceil(2.7) = 3. Two filler items scored i (0 … 9) order the totals strictly by
    # row (the 0/1 item adds less than the gap of 2), so rows 7–9 are the upper group and rows 0–2 the lower.
    item = np.array([0, 0, 1, 0, 1, 1, 0, 1, 1, 1], dtype=float)
    filler = np.arange(10, dtype=float)[:, None] * np.ones((1, 2))
    scores = np.column_stack([item, filler])
    # upper group (rows 7, 8, 9) answered 1, 1, 1; lower group (rows 0, 1, 2) answered 0, 0, 1: D = 1 − 1/3
    assert upper_lower_index(scores, max_scores=[1, 9, 9])[0] == pytest.approx(2 / 3)


def test_point_biserial_matches_its_textbook_formula() -> None:
    rng = np.random.default_rng(1)
    scores = (rng.normal(size=(200, 1)) + rng.normal(size=(200, 6)) > 0).astype(float)
    total = scores.sum(axis=1)
    item = scores[:, 2]
    p = item.mean()
    by_formula = (total[item == 1].mean() - total[item == 0].mean()) / total.std() * np.sqrt(p * (1 - p))
    assert point_biserial(scores)[2] == pytest.approx(by_formula)


def test_corrected_item_total_excludes_the_item_itself() -> None:
    rng = np.random.default_rng(2)
    scores = rng.integers(0, 4, size=(50, 4)).astype(float)
    rest = scores.sum(axis=1) - scores[:, 1]
    assert corrected_item_total(scores)[1] == pytest.approx(np.corrcoef(scores[:, 1], rest)[0, 1])
    assert (corrected_item_total(scores) < point_biserial(scores)).all()


def test_item_analysis_table_names_each_item() -> None:
    table = item_analysis(HAND, items=["q1", "q2", "q3"])
    assert table["item"].to_list() == ["q1", "q2", "q3"]
    assert table.columns == [
        "item",
        "difficulty",
        "discrimination",
        "point_biserial",
        "corrected_item_total",
        "alpha_if_deleted",
    ]
    assert table["difficulty"].to_list() == pytest.approx([0.75, 0.5, 0.25])


def test_missing_answer_is_refused_with_its_row_and_column() -> None:
    scores = HAND.copy()
    scores[2, 1] = np.nan
    with pytest.raises(ItemDataError) as caught:
        item_analysis(scores)
    assert caught.value.details == {"row": 3, "column": 2}
    assert "第 3 行第 2 列" in caught.value.zh and "Row 3, column 2" in caught.value.en


def test_score_above_maximum_and_bad_fraction_are_refused() -> None:
    with pytest.raises(ItemDataError):
        item_difficulty(HAND * 3, max_scores=[2, 2, 2])
    with pytest.raises(ItemDataError):
        upper_lower_index(HAND, fraction=0.6)
