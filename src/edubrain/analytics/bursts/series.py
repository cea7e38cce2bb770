"""Checking count series (series × days) and estimating in-control rates with a weekday effect."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from edubrain.analytics.bursts.errors import BurstInputError


def count_matrix(counts: ArrayLike) -> NDArray[np.float64]:
    """Return ``counts`` as a float matrix, one row per series (e.g. district × topic), one column per day.

    A 1-D input is taken as one series.

    Raises:
        BurstInputError: Not 1-D or 2-D, empty, or holding negative, fractional or missing counts.
    """
    matrix = np.asarray(counts, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    if matrix.ndim != 2 or matrix.size == 0:
        raise BurstInputError(
            "计数应为 序列×天 的二维矩阵（行=区县×主题，列=日期）。",
            "Counts must be a 2-D series × days matrix (rows = district × topic, columns = days).",
            shape=list(matrix.shape),
        )
    bad = np.isnan(matrix) | (matrix < 0) | (matrix != np.round(matrix))
    if bad.any():
        row, day = (int(v) for v in np.argwhere(bad)[0])
        raise BurstInputError(
            f"第 {row + 1} 条序列第 {day + 1} 天的计数 {matrix[row, day]} 无效：只允许非负整数（无数据的日子记 0）。",
            f"Series {row + 1}, day {day + 1} has count {matrix[row, day]}: only non-negative integers are allowed "
            "(record a day without reports as 0).",
            series=row + 1,
            day=day + 1,
        )
    return matrix


def weekday_baseline(counts: ArrayLike, baseline_days: int, first_weekday: int = 0) -> NDArray[np.float64]:
    """In-control daily rate λ₀ for every series and day: the mean count of that weekday over the first days.

    Args:
        counts: Series × days.
        baseline_days: Leading days assumed free of bursts (at least 14, so each weekday is seen twice).
        first_weekday: Weekday of day 0 (0 = Monday … 6 = Sunday).

    Returns:
        Series × days of λ₀ (each weekday's baseline mean repeated over the whole horizon), floored at 0.1 so
        that a series never seen to have a report still has a usable rate.
    """
    matrix = count_matrix(counts)
    days = matrix.shape[1]
    if not 14 <= baseline_days <= days:
        raise BurstInputError(
            f"基线天数应在 14 与序列长度 {days} 之间，收到 {baseline_days}。",
            f"Baseline days must be between 14 and the series length {days}; got {baseline_days}.",
            baseline_days=baseline_days,
        )
    weekday = (np.arange(days) + first_weekday) % 7
    one_hot = (weekday[:baseline_days, None] == np.arange(7)[None, :]).astype(np.float64)
    means = (matrix[:, :baseline_days] @ one_hot) / one_hot.sum(axis=0)
    return np.asarray(np.maximum(means[:, weekday], 0.1))
