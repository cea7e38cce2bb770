"""Synthetic bursts and the detection score: truth bookkeeping, scoring by hand, recovery by every detector."""

from __future__ import annotations

import numpy as np
import pytest

from edubrain.analytics.bursts import (
    BurstInputError,
    ears,
    poisson_cusum,
    score_detection,
    synthetic_bursts,
    weekday_baseline,
)


def test_score_by_hand() -> None:
    alarms = np.zeros((3, 10), dtype=bool)
    alarms[0, 5] = True  # burst 4–7 on series 0: detected with delay 1
    alarms[1, 2] = True  # burst 6–8 on series 1 missed (alarm before it)
    alarms[2, [3, 8]] = True  # series 2 has no burst: two false alarms, one before monitoring starts at day 4
    score = score_detection(alarms, start=[4, 6, -1], end=[8, 9, -1], monitor_from=4)
    assert (score.bursts, score.detected, score.detection_rate) == (2, 1, 0.5)
    assert score.mean_delay == 1.0
    assert score.false_alarms == 1
    assert score.false_alarms_per_100_days == pytest.approx(100 / 6)


def test_synthetic_truth_matches_the_rates() -> None:
    truth = synthetic_bursts(200, 120, burst_share=0.5, seed=3)
    burst = truth.start >= 0
    assert 0.35 < burst.mean() < 0.65
    assert ((truth.end - truth.start)[burst] >= 3).all() and (truth.start[burst] >= 56).all()
    inside = truth.expected / truth.baseline
    day = np.arange(120)
    row = int(np.argmax(burst))
    window = (day >= truth.start[row]) & (day < truth.end[row])
    assert inside[row, window] == pytest.approx(1 + truth.size[row])
    assert inside[row, ~window] == pytest.approx(1.0)
    weekday_mean = truth.counts[~burst][:, :112].reshape(-1, 7).mean(axis=0)
    assert weekday_mean[:5].mean() > weekday_mean[5:].mean()  # the weekday effect is in the counts
    assert np.array_equal(synthetic_bursts(200, 120, seed=3).counts, truth.counts)


@pytest.mark.parametrize("method", ["cusum", "C1", "C2", "C3"])
def test_large_bursts_are_detected_quickly(method: str) -> None:
    truth = synthetic_bursts(120, 112, burst_share=1.0, size=(4.0, 5.0), duration=(7, 7), base_rate=(4, 10), seed=9)
    if method == "cusum":
        alarms = poisson_cusum(truth.counts, weekday_baseline(truth.counts, 56), start_day=56).alarms
    else:
        alarms = ears(truth.counts, method).alarms  # type: ignore[arg-type]
    score = score_detection(alarms, truth.start, truth.end, monitor_from=56)
    assert score.detection_rate >= 0.95
    assert score.median_delay <= 1


def test_mismatched_truth_is_refused() -> None:
    with pytest.raises(BurstInputError):
        score_detection(np.zeros((2, 5), dtype=bool), [1], [2], 0)
    with pytest.raises(BurstInputError):
        synthetic_bursts(10, 30)
