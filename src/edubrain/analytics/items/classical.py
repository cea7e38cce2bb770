"""Classical test theory item statistics: difficulty, upper–lower discrimination, item–total correlations.

Sources: Kelley, T. L. (1939) "The selection of upper and lower groups for the validation of test items",
Journal of Educational Psychology 30 (the 27 % groups); Ebel, R. L. & Frisbie, D. A. (1991) *Essentials of
Educational Measurement*, 5th ed., ch. 13 (difficulty, discrimination index, point-biserial); Crocker, L. &
Algina, J. (1986) *Introduction to Classical and Modern Test Theory*, ch. 14 (corrected item–total correlation).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import ArrayLike, NDArray

from edubrain.analytics.items.errors import ItemDataError
from edubrain.analytics.items.matrix import extreme_groups, response_matrix
from edubrain.analytics.items.reliability import alpha_if_deleted

KELLEY_FRACTION = 0.27


def _max_scores(matrix: NDArray[np.float64], max_scores: ArrayLike | None) -> NDArray[np.float64]:
    if max_scores is None:
        maxima = np.maximum(matrix.max(axis=0), 1.0)
    else:
        maxima = np.asarray(max_scores, dtype=np.float64)
        if maxima.shape != (matrix.shape[1],) or (maxima <= 0).any():
            raise ItemDataError(
                f"满分列表应有 {matrix.shape[1]} 个正数（每题一个），收到 {maxima.tolist()}。",
                f"Maximum scores must be {matrix.shape[1]} positive numbers (one per item); got {maxima.tolist()}.",
            )
        if (matrix > maxima).any():
            column = int(np.argwhere((matrix > maxima).any(axis=0))[0, 0])
            raise ItemDataError(
                f"第 {column + 1} 题有得分超过满分 {maxima[column]:g}。",
                f"Item {column + 1} has a score above its maximum {maxima[column]:g}.",
                column=column + 1,
            )
    return np.asarray(maxima)


def item_difficulty(scores: ArrayLike, max_scores: ArrayLike | None = None) -> NDArray[np.float64]:
    """Difficulty (facility) per item: the mean score over the maximum, in [0, 1]; for 0/1 items the p-value.

    Args:
        scores: Persons × items, complete.
        max_scores: Maximum score per item; by default the highest observed score (at least 1).
    """
    matrix = response_matrix(scores, min_items=1)
    return np.asarray(matrix.mean(axis=0) / _max_scores(matrix, max_scores))


def upper_lower_index(
    scores: ArrayLike, max_scores: ArrayLike | None = None, fraction: float = KELLEY_FRACTION
) -> NDArray[np.float64]:
    """Discrimination index D = (mean of upper group − mean of lower group) / maximum, per item, in [−1, 1].

    Groups are the ``fraction`` (Kelley's 27 %) of persons with the highest and lowest total scores.
    """
    matrix = response_matrix(scores)
    upper, lower = extreme_groups(matrix.sum(axis=1), fraction)
    gap = matrix[upper].mean(axis=0) - matrix[lower].mean(axis=0)
    return np.asarray(gap / _max_scores(matrix, max_scores))


def _column_correlation(matrix: NDArray[np.float64], criteria: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pearson correlation of each column of ``matrix`` with the same column of ``criteria`` (NaN if constant)."""
    x = matrix - matrix.mean(axis=0)
    y = criteria - criteria.mean(axis=0)
    denominator = np.sqrt((x * x).sum(axis=0) * (y * y).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(denominator > 0, (x * y).sum(axis=0) / denominator, np.nan))


def point_biserial(scores: ArrayLike) -> NDArray[np.float64]:
    """Item–total correlation with the item included (for a 0/1 item the point-biserial r_pb), per item."""
    matrix = response_matrix(scores)
    totals = np.repeat(matrix.sum(axis=1, keepdims=True), matrix.shape[1], axis=1)
    return _column_correlation(matrix, totals)


def corrected_item_total(scores: ArrayLike) -> NDArray[np.float64]:
    """Corrected item–total correlation: each item against the total of the other items (no self-inflation)."""
    matrix = response_matrix(scores)
    rest = matrix.sum(axis=1, keepdims=True) - matrix
    return _column_correlation(matrix, rest)


def item_analysis(
    scores: ArrayLike,
    items: list[str] | None = None,
    max_scores: ArrayLike | None = None,
    fraction: float = KELLEY_FRACTION,
) -> pl.DataFrame:
    """One row per item: difficulty, discrimination D, point-biserial, corrected item–total r, alpha if deleted.

    Args:
        scores: Persons × items, complete (score unanswered items as 0 first).
        items: Item names; by default ``item_1 … item_k``.
        max_scores: Maximum score per item (polytomous items); by default the highest observed score.
        fraction: Upper/lower group fraction for D (Kelley's 27 %).
    """
    matrix = response_matrix(scores)
    names = items if items is not None else [f"item_{i + 1}" for i in range(matrix.shape[1])]
    if len(names) != matrix.shape[1]:
        raise ItemDataError(
            f"题目名称 {len(names)} 个，与矩阵的 {matrix.shape[1]} 列不符。",
            f"{len(names)} item names for a matrix of {matrix.shape[1]} columns.",
        )
    deleted = alpha_if_deleted(matrix) if matrix.shape[1] >= 3 else np.full(matrix.shape[1], np.nan)
    return pl.DataFrame(
        {
            "item": names,
            "difficulty": item_difficulty(matrix, max_scores),
            "discrimination": upper_lower_index(matrix, max_scores, fraction),
            "point_biserial": point_biserial(matrix),
            "corrected_item_total": corrected_item_total(matrix),
            "alpha_if_deleted": deleted,
        }
    )
