"""Poisson CUSUM: Lucas's reference value, the recursion by hand, FIR, burst recovery and in-control silence."""

from __future__ import annotations

import numpy as np
import pytest

from edubrain.analytics.bursts import BurstInputError, poisson_cusum, reference_value, weekday_baseline


def test_reference_value_is_lucas_formula() -> None:
    # k = (λ1 − λ0) / (ln λ1 − ln λ0) = 2 / ln 2 for λ0 = 2, λ1 = 4
    assert float(reference_value(2.0, 4.0)) == pytest.approx(2 / np.log(2))


def test_recursion_by_hand_restarts_after_an_alarm() -> None:
    k = 2 / np.log(2)  # 2.885
    counts = [0, 5, 5, 1, 9, 0]
    result = poisson_cusum(counts, 2.0, 4.0, decision_interval=4.0)
    s1 = 5 - k  # 2.115
    s2 = s1 + 5 - k  # 4.23 ≥ 4: alarm, restart at 0
    s4 = 9 - k  # day 4 from 0 (day 3 stays at 0): 6.115 ≥ 4: alarm
    assert result.statistic[0] == pytest.approx([0, s1, s2, 0, s4, 0])
    assert result.alarms[0].tolist() == [False, False, True, False, True, False]


def test_fast_initial_response_starts_at_half_the_interval() -> None:
    result = poisson_cusum([3, 0], 2.0, 4.0, decision_interval=4.0, fast_initial_response=True)
    assert result.statistic[0, 0] == pytest.approx(2.0 + 3 - 2 / np.log(2))


def test_large_burst_is_detected_within_three_days_on_every_series() -> None:
    rng = np.random.default_rng(0)
    baseline = rng.uniform(2, 8, size=(50, 1)) * np.ones((1, 100))
    rate = baseline.copy()
    rate[:, 80:90] *= 4  # a fourfold burst from day 80
    counts = rng.poisson(rate)
    lam0 = weekday_baseline(counts, 56)
    alarms = poisson_cusum(counts, lam0, decision_interval=5.0, start_day=56).alarms
    first = np.argmax(alarms[:, 80:90], axis=1)
    assert alarms[:, 80:90].any(axis=1).all()
    assert np.median(first) <= 1
    assert first.max() <= 3


def test_flat_series_at_the_in_control_rate_never_alarms() -> None:
    counts = np.full((20, 200), 5.0)  # exactly λ0 every day: x − k < 0 always
    assert not poisson_cusum(counts, 5.0, decision_interval=1.0).alarms.any()


def test_in_control_poisson_false_alarm_rate_is_low() -> None:
    rng = np.random.default_rng(1)
    counts = rng.poisson(5.0, size=(300, 200))
    alarms = poisson_cusum(counts, 5.0, decision_interval=8.0).alarms
    # λ1 = λ0 + 2√λ0, h = 8: measured about 0.1 alarms per 100 series-days; a run-length this short (< 100 days
    # on average) would mean the recursion or k were wrong
    assert 100 * alarms.mean() < 1.0


def test_bad_rates_and_settings_are_refused() -> None:
    with pytest.raises(BurstInputError):
        reference_value(4.0, 2.0)
    with pytest.raises(BurstInputError):
        poisson_cusum([1, 2], 1.0, decision_interval=0)
    with pytest.raises(BurstInputError) as caught:
        poisson_cusum([1, -2], 1.0)
    assert caught.value.details == {"series": 1, "day": 2}
