"""Cronbach's alpha, Feldt's interval, KR-20/KR-21 and alpha if item deleted: golden and hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from edubrain.analytics.items import (
    ItemDataError,
    alpha_if_deleted,
    cronbach_alpha,
    feldt_interval,
    kr20,
    kr21,
    pairwise_covariance,
)

pingouin = pytest.importorskip("pingouin")  # dev dependency: its bundled datasets are the fixtures

# 4 persons × 3 items; by hand: item variances 1/4, 1/3, 1/4 (n − 1), total variance 5/3, so alpha = 3/2 · (1 − 0.5)
HAND = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float)


def test_alpha_matches_pingouin_documented_pairwise_value_and_interval() -> None:
    data = pingouin.read_dataset("cronbach_wide_missing")
    result = cronbach_alpha(data.to_numpy())
    assert round(result.alpha, 5) == 0.73266  # pingouin docs: 0.732660835214447
    assert (round(result.lower, 3), round(result.upper, 3)) == (0.435, 0.909)
    assert (result.persons, result.items) == (12, 11)


def test_alpha_matches_pingouin_documented_listwise_value() -> None:
    data = pingouin.read_dataset("cronbach_wide_missing")
    result = cronbach_alpha(data.to_numpy(), missing="listwise")
    assert round(result.alpha, 5) == 0.80169  # pingouin docs: 0.8016949152542373
    assert result.persons == 9
    # pingouin's documented interval [0.581, 0.933] uses all 12 rows for the degrees of freedom; the same
    # Feldt formula gives it with n = 12, while ours uses the 9 complete rows (a wider, honest interval)
    lower, upper = feldt_interval(result.alpha, 12, 11)
    assert (round(lower, 3), round(upper, 3)) == (0.581, 0.933)
    assert result.lower < lower and result.upper > upper


def test_alpha_matches_pingouin_documented_likert_value() -> None:
    data = pingouin.read_dataset("cronbach_alpha").pivot(index="Subj", columns="Items", values="Scores")
    result = cronbach_alpha(data.to_numpy())
    assert round(result.alpha, 5) == 0.59172  # pingouin docs: 0.5917188485995826
    assert (round(result.lower, 3), round(result.upper, 3)) == (0.195, 0.840)


def test_hand_computed_alpha_kr20_kr21() -> None:
    assert cronbach_alpha(HAND).alpha == pytest.approx(0.75)
    assert kr20(HAND) == pytest.approx(0.75)
    # KR-21: mean 1.5, population variance 1.25: 3/2 · (1 − 1.5 · 1.5 / (3 · 1.25)) = 0.6
    assert kr21(HAND) == pytest.approx(0.6)


def test_kr20_equals_alpha_and_kr21_never_exceeds_it_on_dichotomous_data() -> None:
    rng = np.random.default_rng(3)
    ability = rng.normal(size=300)
    scores = (ability[:, None] + rng.normal(size=(300, 8)) > np.linspace(-1, 1, 8)).astype(float)
    assert kr20(scores) == pytest.approx(cronbach_alpha(scores).alpha, abs=1e-12)
    assert kr21(scores) <= kr20(scores)


def test_alpha_if_deleted_equals_alpha_of_the_reduced_test() -> None:
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 5, size=(40, 5)).astype(float) + rng.integers(0, 3, size=(40, 1))
    expected = [cronbach_alpha(np.delete(scores, i, axis=1)).alpha for i in range(5)]
    assert alpha_if_deleted(scores) == pytest.approx(expected)


def test_pairwise_covariance_equals_pandas_on_missing_data() -> None:
    data = pingouin.read_dataset("cronbach_wide_missing")
    assert pairwise_covariance(data.to_numpy(dtype=float)) == pytest.approx(data.cov().to_numpy())


def test_kr20_refuses_polytomous_items_in_both_languages() -> None:
    with pytest.raises(ItemDataError) as caught:
        kr20(HAND * 2)
    assert "0/1" in caught.value.zh and "0/1" in caught.value.en


def test_alpha_refuses_unknown_missing_policy_and_bad_level() -> None:
    with pytest.raises(ItemDataError):
        cronbach_alpha(HAND, missing="mean")  # type: ignore[arg-type]
    with pytest.raises(ItemDataError):
        cronbach_alpha(HAND, level=1.5)
    with pytest.raises(ItemDataError):
        cronbach_alpha(pd.DataFrame({"a": [1.0, np.nan, np.nan], "b": [np.nan, 1.0, 0.0]}).to_numpy())
