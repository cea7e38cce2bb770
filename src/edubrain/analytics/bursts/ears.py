"""CDC Early Aberration Reporting System (EARS) C1, C2 and C3 statistics (many series at once).

C1: ``(x_t − mean) / sd`` over the 7 days before t. C2: the same over days t−9 … t−3 (a 2-day lag, so a
growing burst does not contaminate its own baseline). C3: ``Σ_{i=t−2}^{t} max(0, C2_i − 1)``. C1 and C2 alarm
above 3 (three standard deviations), C3 above 2. Sources: Hutwagner, L. et al. (2003) "The bioterrorism
preparedness and response Early Aberration Reporting System (EARS)", Journal of Urban Health 80(2 Suppl 1);
Fricker, R. D., Hegler, B. L. & Dunfee, D. A. (2008) "Comparing syndromic surveillance detection methods: EARS'
versus a CUSUM-based methodology", Statistics in Medicine 27(17). Fully vectorised (sliding windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from edubrain.analytics.bursts.errors import BurstInputError
from edubrain.analytics.bursts.series import count_matrix

EarsMethod = Literal["C1", "C2", "C3"]
BASELINE_DAYS = 7
THRESHOLDS: dict[str, float] = {"C1": 3.0, "C2": 3.0, "C3": 2.0}


@dataclass(frozen=True)
class EarsResult:
    """Per series and day: the statistic (NaN before enough history) and whether it alarmed."""

    method: str
    statistic: NDArray[np.float64]
    alarms: NDArray[np.bool_]


def _lagged_z(matrix: NDArray[np.float64], lag: int, min_sd: float) -> NDArray[np.float64]:
    """``(x_t − mean) / max(sd, min_sd)`` over the 7 days ending ``lag + 1`` days before t; NaN where short."""
    series, days = matrix.shape
    windows = sliding_window_view(matrix, BASELINE_DAYS, axis=1)  # windows[:, j] covers days j … j+6
    mean = windows.mean(axis=2)
    sd = np.maximum(windows.std(axis=2, ddof=1), min_sd)
    z = np.full((series, days), np.nan)
    first = BASELINE_DAYS + lag  # earliest day with a full baseline
    if first < days:
        z[:, first:] = (matrix[:, first:] - mean[:, : days - first]) / sd[:, : days - first]
    return z


def ears(
    counts: ArrayLike, method: EarsMethod = "C2", *, threshold: float | None = None, min_sd: float = 0.5
) -> EarsResult:
    """Compute an EARS statistic and its alarms for every series.

    Args:
        counts: Series × days of counts.
        method: ``C1`` (no lag), ``C2`` (2-day lag) or ``C3`` (sum of the last three C2 excesses over 1).
        threshold: Alarm level; by default 3 for C1/C2 and 2 for C3.
        min_sd: Floor on the baseline standard deviation, so a week of identical counts (often all zeros) does
            not divide by zero. EARS implementations differ here; 0.5 is stated in docs/early-warning-bursts.md.
    """
    if method not in THRESHOLDS:
        raise BurstInputError(
            f"EARS 方法只能是 C1、C2 或 C3，收到 {method!r}。",
            f"The EARS method must be C1, C2 or C3; got {method!r}.",
            method=method,
        )
    if min_sd <= 0:
        raise BurstInputError(
            f"标准差下限须为正数，收到 {min_sd}。", f"The standard-deviation floor must be positive; got {min_sd}."
        )
    matrix = count_matrix(counts)
    if method == "C1":
        statistic = _lagged_z(matrix, 0, min_sd)
    else:
        statistic = _lagged_z(matrix, 2, min_sd)
        if method == "C3":
            excess = np.maximum(statistic - 1.0, 0.0)
            summed = np.full(statistic.shape, np.nan)
            summed[:, 2:] = excess[:, 2:] + excess[:, 1:-1] + excess[:, :-2]
            statistic = summed
    level = THRESHOLDS[method] if threshold is None else threshold
    alarms = np.nan_to_num(statistic, nan=-np.inf) > level
    return EarsResult(method=method, statistic=statistic, alarms=alarms)
