"""Scoring a detector's alarms against known bursts: detection rate, detection delay, false-alarm rate.

Measures follow Fricker et al. (2008): a burst is detected when at least one alarm falls inside it; the delay
is the days from its first day to the first such alarm (0 = alarmed on the first day); false alarms are counted
on series without a burst, per 100 monitored series-days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from edubrain.analytics.bursts.errors import BurstInputError


@dataclass(frozen=True)
class DetectionScore:
    """How a detector did on series with known bursts.

    Attributes:
        bursts: Number of injected bursts.
        detected: Bursts with an alarm inside them.
        detection_rate: ``detected / bursts`` (NaN without bursts).
        mean_delay: Mean days from burst start to first alarm, over detected bursts (NaN if none).
        median_delay: Median of the same.
        false_alarms: Alarms on burst-free series from ``monitor_from`` on.
        false_alarms_per_100_days: ``100 · false_alarms / monitored burst-free series-days``.
    """

    bursts: int
    detected: int
    detection_rate: float
    mean_delay: float
    median_delay: float
    false_alarms: int
    false_alarms_per_100_days: float


def score_detection(alarms: ArrayLike, start: ArrayLike, end: ArrayLike, monitor_from: int) -> DetectionScore:
    """Score ``alarms`` (series × days) against bursts ``[start, end)`` per series (−1 = no burst).

    Raises:
        BurstInputError: Shapes disagree or ``monitor_from`` is outside the series.
    """
    flags = np.asarray(alarms, dtype=bool)
    first = np.asarray(start, dtype=np.int64)
    stop = np.asarray(end, dtype=np.int64)
    if flags.ndim != 2 or first.shape != (flags.shape[0],) or stop.shape != first.shape:
        raise BurstInputError(
            "告警矩阵应为 序列×天，暴发起止日应每条序列一个。",
            "Alarms must be series × days, with one burst start and end per series.",
        )
    if not 0 <= monitor_from < flags.shape[1]:
        raise BurstInputError(
            f"监测起始日 {monitor_from} 不在序列内。", f"The monitoring start day {monitor_from} is outside the series."
        )
    day = np.arange(flags.shape[1])[None, :]
    burst = first >= 0
    inside = flags & (day >= first[:, None]) & (day < stop[:, None])
    hit = inside.any(axis=1) & burst
    first_alarm = np.where(inside, day, flags.shape[1]).min(axis=1)
    delays = (first_alarm - first)[hit].astype(np.float64)
    clean = ~burst
    false_alarms = int(flags[clean, monitor_from:].sum())
    clean_days = int(clean.sum()) * (flags.shape[1] - monitor_from)
    bursts = int(burst.sum())
    return DetectionScore(
        bursts=bursts,
        detected=int(hit.sum()),
        detection_rate=float(hit.sum() / bursts) if bursts else float("nan"),
        mean_delay=float(delays.mean()) if delays.size else float("nan"),
        median_delay=float(np.median(delays)) if delays.size else float("nan"),
        false_alarms=false_alarms,
        false_alarms_per_100_days=100.0 * false_alarms / clean_days if clean_days else float("nan"),
    )
