"""Poisson CUSUM for count series (many series at once).

``S_t = max(0, S_{t−1} + x_t − k_t)`` with reference value ``k = (λ₁ − λ₀) / (ln λ₁ − ln λ₀)`` for a shift
from the in-control rate λ₀ to the out-of-control rate λ₁; an alarm when ``S_t ≥ h``, after which the
statistic restarts (at 0, or at ``h/2`` with the fast initial response). Sources: Lucas, J. M. (1985) "Counted
data CUSUM's", Technometrics 27(2); Lucas, J. M. & Crosier, R. B. (1982) "Fast initial response for CUSUM
quality-control schemes", Technometrics 24(3). Vectorised over series; the loop runs over days only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from edubrain.analytics.bursts.errors import BurstInputError
from edubrain.analytics.bursts.series import count_matrix


@dataclass(frozen=True)
class CusumResult:
    """Per series and day: the CUSUM statistic, its reference value k and whether it alarmed."""

    statistic: NDArray[np.float64]
    reference: NDArray[np.float64]
    alarms: NDArray[np.bool_]


def reference_value(in_control: ArrayLike, out_of_control: ArrayLike) -> NDArray[np.float64]:
    """Lucas (1985) reference value ``k = (λ₁ − λ₀) / (ln λ₁ − ln λ₀)`` (requires ``λ₁ > λ₀ > 0``)."""
    lam0 = np.asarray(in_control, dtype=np.float64)
    lam1 = np.asarray(out_of_control, dtype=np.float64)
    if (lam0 <= 0).any() or (lam1 <= lam0).any():
        raise BurstInputError(
            "泊松 CUSUM 需要 λ₁ > λ₀ > 0（失控率大于受控率）。",
            "The Poisson CUSUM needs λ1 > λ0 > 0 (the out-of-control rate above the in-control rate).",
        )
    return np.asarray((lam1 - lam0) / (np.log(lam1) - np.log(lam0)))


def poisson_cusum(
    counts: ArrayLike,
    in_control: ArrayLike,
    out_of_control: ArrayLike | None = None,
    *,
    decision_interval: float = 5.0,
    shift_sd: float = 2.0,
    fast_initial_response: bool = False,
    start_day: int = 0,
) -> CusumResult:
    """Run an upper Poisson CUSUM on every series.

    Args:
        counts: Series × days of counts.
        in_control: λ₀, broadcastable to series × days (e.g. from :func:`weekday_baseline`).
        out_of_control: λ₁ to detect, same shape rules; by default ``λ₀ + shift_sd·√λ₀``.
        decision_interval: h; larger means fewer false alarms and slower detection.
        shift_sd: Size of the default shift in in-control standard deviations.
        fast_initial_response: Start (and restart after an alarm) at ``h/2`` instead of 0.
        start_day: First day monitored (earlier days, e.g. the baseline, get statistic 0 and no alarm).
    """
    matrix = count_matrix(counts)
    lam0 = np.broadcast_to(np.asarray(in_control, dtype=np.float64), matrix.shape)
    lam1 = lam0 + shift_sd * np.sqrt(lam0) if out_of_control is None else out_of_control
    k = np.broadcast_to(reference_value(lam0, lam1), matrix.shape)
    if decision_interval <= 0 or not 0 <= start_day < matrix.shape[1]:
        raise BurstInputError(
            f"决策区间 h 须为正数、起始日须在序列内，收到 h={decision_interval}、起始日={start_day}。",
            f"The decision interval h must be positive and the start day inside the series; got "
            f"h={decision_interval}, start day={start_day}.",
        )
    restart = decision_interval / 2.0 if fast_initial_response else 0.0
    statistic = np.zeros(matrix.shape)
    alarms = np.zeros(matrix.shape, dtype=bool)
    current = np.full(matrix.shape[0], restart)
    for day in range(start_day, matrix.shape[1]):
        current = np.maximum(0.0, current + matrix[:, day] - k[:, day])
        statistic[:, day] = current
        alarms[:, day] = current >= decision_interval
        current = np.where(alarms[:, day], restart, current)
    return CusumResult(statistic=statistic, reference=np.asarray(k), alarms=alarms)
