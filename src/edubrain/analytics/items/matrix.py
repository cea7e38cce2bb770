"""Checking item-response matrices (persons × items) before any statistic is computed."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from edubrain.analytics.items.errors import ItemDataError


def response_matrix(
    scores: ArrayLike, *, allow_missing: bool = False, min_items: int = 2, min_persons: int = 2
) -> NDArray[np.float64]:
    """Return ``scores`` as a float matrix (rows are persons, columns are items), checked.

    Args:
        scores: Item scores, one row per person and one column per item; ``NaN`` marks a missing answer.
        allow_missing: Whether ``NaN`` is accepted (only Cronbach's alpha has a missing-data policy).
        min_items: The fewest items the statistic needs.
        min_persons: The fewest persons the statistic needs.

    Raises:
        ItemDataError: Not a 2-D numeric matrix, too few persons or items, or missing values where none are allowed.
    """
    try:
        matrix = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ItemDataError(
            "题目得分矩阵含非数值：每个单元格应为得分（数字），缺答用空值。",
            "The item-score matrix holds a non-numeric value: each cell must be a score (a number), NaN for missing.",
        ) from exc
    if matrix.ndim != 2:
        raise ItemDataError(
            f"题目得分应为二维矩阵（行=考生，列=题目），收到 {matrix.ndim} 维。",
            f"Item scores must be a 2-D matrix (rows = persons, columns = items); got {matrix.ndim} dimension(s).",
            ndim=matrix.ndim,
        )
    n_persons, n_items = matrix.shape
    if n_items < min_items or n_persons < min_persons:
        raise ItemDataError(
            f"至少需要 {min_persons} 名考生和 {min_items} 道题，收到 {n_persons} 名考生、{n_items} 道题。",
            f"At least {min_persons} persons and {min_items} items are needed; got {n_persons} persons and {n_items} items.",
            persons=n_persons,
            items=n_items,
        )
    missing = np.isnan(matrix)
    if not allow_missing and missing.any():
        row, column = (int(v) for v in np.argwhere(missing)[0])
        raise ItemDataError(
            f"第 {row + 1} 行第 {column + 1} 列缺答：此统计量需要完整矩阵，请先把未作答计为 0 分。",
            f"Row {row + 1}, column {column + 1} is missing: this statistic needs a complete matrix; "
            "score unanswered items as 0 first.",
            row=row + 1,
            column=column + 1,
        )
    return matrix


def is_dichotomous(matrix: NDArray[np.float64]) -> bool:
    """Whether every observed score is 0 or 1."""
    observed = matrix[~np.isnan(matrix)]
    return bool(np.isin(observed, (0.0, 1.0)).all())


def extreme_groups(totals: NDArray[np.float64], fraction: float) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Upper and lower groups: the ``fraction`` of persons with the highest and the lowest total scores.

    Kelley (1939): 27 % of the persons in each tail. The group size is ``ceil(fraction × n)``; ties at a
    boundary are broken by row order (a stable sort), so each group has exactly that many persons.

    Raises:
        ItemDataError: ``fraction`` is not in (0, 0.5].
    """
    if not 0.0 < fraction <= 0.5:
        raise ItemDataError(
            f"高低分组比例应在 (0, 0.5] 之间，收到 {fraction}。",
            f"The upper/lower group fraction must be in (0, 0.5]; got {fraction}.",
            fraction=fraction,
        )
    n = totals.shape[0]
    size = max(1, int(np.ceil(fraction * n)))
    order = np.argsort(totals, kind="stable")
    lower = np.zeros(n, dtype=bool)
    upper = np.zeros(n, dtype=bool)
    lower[order[:size]] = True
    upper[order[n - size :]] = True
    return upper, lower
