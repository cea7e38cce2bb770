"""EARS C1/C2/C3: statistics by hand, the lag, the SD floor and vectorisation over series."""

from __future__ import annotations

import numpy as np
import pytest

from edubrain.analytics.bursts import BurstInputError, ears

WEEK = [1, 2, 3, 4, 5, 6, 7]  # mean 4, sample sd √(28/6)


def test_c1_by_hand() -> None:
    sd = np.sqrt(28 / 6)
    below = ears([*WEEK, 10], "C1")
    above = ears([*WEEK, 12], "C1")
    assert below.statistic[0, 7] == pytest.approx(6 / sd)  # 2.78: no alarm
    assert above.statistic[0, 7] == pytest.approx(8 / sd)  # 3.70: alarm
    assert not below.alarms.any() and above.alarms[0, 7]
    assert np.isnan(below.statistic[0, :7]).all()


def test_c2_skips_the_two_days_before_today() -> None:
    counts = [*WEEK, 50, 50, 12]  # the 50s sit in the lag, so day 9 is judged against WEEK only
    result = ears(counts, "C2")
    assert np.isnan(result.statistic[0, :9]).all()
    assert result.statistic[0, 9] == pytest.approx(8 / np.sqrt(28 / 6))


def test_c3_sums_three_c2_excesses_over_one() -> None:
    counts = [4] * 9 + [5, 6, 7]  # baseline of equal counts: sd floored at 0.5
    c2 = ears(counts, "C2", min_sd=0.5).statistic[0]
    c3 = ears(counts, "C3", min_sd=0.5).statistic[0]
    assert c2[9:] == pytest.approx([2.0, 4.0, 6.0])
    assert c3[11] == pytest.approx((2 - 1) + (4 - 1) + (6 - 1))
    assert np.isnan(c3[:11]).all()


def test_series_are_independent_rows() -> None:
    rng = np.random.default_rng(4)
    counts = rng.poisson(3.0, size=(5, 40))
    together = ears(counts, "C3").statistic
    alone = np.vstack([ears(row, "C3").statistic for row in counts])
    assert np.array_equal(np.isnan(together), np.isnan(alone))
    assert together[~np.isnan(together)] == pytest.approx(alone[~np.isnan(alone)])


def test_unknown_method_is_refused() -> None:
    with pytest.raises(BurstInputError) as caught:
        ears([1] * 20, "C4")  # type: ignore[arg-type]
    assert "C4" in caught.value.zh and "C4" in caught.value.en
