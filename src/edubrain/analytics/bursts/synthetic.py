"""Synthetic district × topic daily report counts with a weekday effect and injected bursts of known timing.

Counts are Poisson with rate ``base · weekday_factor``; in a burst series the rate is multiplied by
``1 + size`` from the burst's start day for its duration. Every number of the truth (start, end, size) is
returned, so a detector's delay and misses can be measured exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from edubrain.analytics.bursts.errors import BurstInputError

# Relative daily volume Monday … Sunday (reports to the 12345 hotline fall at the weekend); mean 1.
WEEKDAY_FACTORS: tuple[float, ...] = (1.15, 1.1, 1.1, 1.05, 1.0, 0.8, 0.8)


@dataclass(frozen=True)
class SyntheticBursts:
    """Generated counts and their truth.

    Attributes:
        counts: Series × days of counts.
        expected: Series × days of the Poisson rate used (bursts included).
        baseline: Series × days of the rate without bursts.
        start: First burst day per series, −1 for a series without a burst.
        end: Day after the burst's last day per series (−1 without a burst).
        size: Relative rise of the rate during the burst (0 without a burst).
    """

    counts: NDArray[np.float64]
    expected: NDArray[np.float64]
    baseline: NDArray[np.float64]
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    size: NDArray[np.float64]


def synthetic_bursts(
    series: int,
    days: int,
    *,
    burst_share: float = 0.5,
    base_rate: tuple[float, float] = (1.0, 10.0),
    size: tuple[float, float] = (0.5, 2.0),
    duration: tuple[int, int] = (3, 10),
    earliest_start: int = 56,
    weekday_factors: tuple[float, ...] = WEEKDAY_FACTORS,
    seed: int = 0,
) -> SyntheticBursts:
    """Generate ``series`` count series of ``days`` days; a ``burst_share`` of them get one burst each.

    Args:
        series: Number of series (district × topic pairs).
        days: Days per series; day 0 is a Monday.
        burst_share: Share of series with a burst.
        base_rate: Range of the mean daily count per series (uniform).
        size: Range of the relative rise during a burst (uniform), e.g. 1.0 doubles the rate.
        duration: Range of burst length in days (inclusive).
        earliest_start: First day a burst may start (keep the baseline period clean).
        weekday_factors: Seven multipliers Monday … Sunday.
        seed: Random seed.
    """
    if len(weekday_factors) != 7 or days < earliest_start + duration[1] or not 0 <= burst_share <= 1:
        raise BurstInputError(
            "合成参数无效：需要 7 个星期系数、足够的天数容纳基线与暴发、暴发比例在 [0, 1]。",
            "Invalid synthetic settings: 7 weekday factors, enough days for the baseline and a burst, and a burst "
            "share in [0, 1] are required.",
            days=days,
            earliest_start=earliest_start,
        )
    rng = np.random.default_rng(seed)
    factors = np.asarray(weekday_factors)[np.arange(days) % 7]
    baseline = rng.uniform(*base_rate, size=series)[:, None] * factors[None, :]
    has_burst = rng.random(series) < burst_share
    length = rng.integers(duration[0], duration[1] + 1, size=series)
    start = rng.integers(earliest_start, days - length + 1)
    rise = rng.uniform(*size, size=series)
    day = np.arange(days)[None, :]
    inside = has_burst[:, None] & (day >= start[:, None]) & (day < (start + length)[:, None])
    expected = baseline * np.where(inside, 1.0 + rise[:, None], 1.0)
    return SyntheticBursts(
        counts=rng.poisson(expected).astype(np.float64),
        expected=expected,
        baseline=baseline,
        start=np.where(has_burst, start, -1),
        end=np.where(has_burst, start + length, -1),
        size=np.where(has_burst, rise, 0.0),
    )
