"""Internal-consistency reliability: Cronbach's alpha with Feldt's interval, KR-20, KR-21, alpha if item deleted.

Sources: Cronbach, L. J. (1951) "Coefficient alpha and the internal structure of tests", Psychometrika 16;
Kuder, G. F. & Richardson, M. W. (1937) "The theory of the estimation of test reliability", Psychometrika 2;
Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987) "Statistical inference for coefficient alpha", Applied
Psychological Measurement 11 (the F-distribution interval).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import f as f_distribution

from edubrain.analytics.items.errors import ItemDataError
from edubrain.analytics.items.matrix import is_dichotomous, response_matrix

MissingPolicy = Literal["pairwise", "listwise"]


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha and its Feldt confidence interval.

    Attributes:
        alpha: The coefficient (at most 1; negative when items covary negatively on average).
        lower: Lower bound of the interval.
        upper: Upper bound of the interval.
        level: Confidence level of the interval (e.g. 0.95).
        persons: Persons used (all rows under ``pairwise``, complete rows under ``listwise``).
        items: Number of items.
    """

    alpha: float
    lower: float
    upper: float
    level: float
    persons: int
    items: int


def pairwise_covariance(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """Item covariance matrix, each pair over the persons who answered both (unbiased, ``n − 1``).

    Vectorised with matrix products: for items i, j the sums run over rows where both are observed.
    """
    observed = (~np.isnan(matrix)).astype(np.float64)
    values = np.where(observed > 0, matrix, 0.0)
    pairs = observed.T @ observed
    sum_i = values.T @ observed  # [i, j]: sum of item i over rows where j is also observed
    cross = values.T @ values
    with np.errstate(invalid="ignore", divide="ignore"):
        covariance = (cross - sum_i * sum_i.T / pairs) / (pairs - 1.0)
    if np.isnan(covariance).any():
        raise ItemDataError(
            "有两道题同时作答的考生少于 2 人，无法计算协方差。",
            "Fewer than 2 persons answered some pair of items; their covariance cannot be computed.",
        )
    return np.asarray(covariance)


def _alpha_from_covariance(covariance: NDArray[np.float64]) -> float:
    k = covariance.shape[0]
    return float(k / (k - 1) * (1.0 - np.trace(covariance) / covariance.sum()))


def feldt_interval(alpha: float, persons: int, items: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt et al. (1987) interval: ``(1 − α̂)/(1 − α)`` follows F with ``n − 1`` and ``(n − 1)(k − 1)`` df."""
    if not 0.0 < level < 1.0:
        raise ItemDataError(
            f"置信水平应在 (0, 1) 之间，收到 {level}。",
            f"The confidence level must be in (0, 1); got {level}.",
            level=level,
        )
    tail = 1.0 - level
    df1 = persons - 1
    df2 = df1 * (items - 1)
    lower = 1.0 - (1.0 - alpha) * float(f_distribution.isf(tail / 2.0, df1, df2))
    upper = 1.0 - (1.0 - alpha) * float(f_distribution.isf(1.0 - tail / 2.0, df1, df2))
    return lower, upper


def cronbach_alpha(scores: ArrayLike, *, missing: MissingPolicy = "pairwise", level: float = 0.95) -> AlphaResult:
    """Cronbach's alpha ``k/(k−1) · (1 − Σσᵢ² / σ²_total)`` from the item covariance matrix, with Feldt's interval.

    Args:
        scores: Persons × items; ``NaN`` for a missing answer.
        missing: ``pairwise`` (each covariance over the persons who answered both items; the interval uses all
            rows) or ``listwise`` (rows with any missing answer are dropped first).
        level: Confidence level of the interval.
    """
    matrix = response_matrix(scores, allow_missing=True)
    if missing == "listwise":
        matrix = response_matrix(matrix[~np.isnan(matrix).any(axis=1)])
    elif missing != "pairwise":
        raise ItemDataError(
            f"缺失值处理方式只能是 pairwise 或 listwise，收到 {missing!r}。",
            f"The missing-data policy must be 'pairwise' or 'listwise'; got {missing!r}.",
            missing=missing,
        )
    persons, items = matrix.shape
    alpha = _alpha_from_covariance(pairwise_covariance(matrix))
    lower, upper = feldt_interval(alpha, persons, items, level)
    return AlphaResult(alpha=alpha, lower=lower, upper=upper, level=level, persons=persons, items=items)


def alpha_if_deleted(scores: ArrayLike) -> NDArray[np.float64]:
    """Cronbach's alpha of the test with each item left out in turn (pairwise covariances), one value per item."""
    matrix = response_matrix(scores, allow_missing=True, min_items=3)
    covariance = pairwise_covariance(matrix)
    k = covariance.shape[0]
    item_variance = np.diag(covariance)
    total_variance = covariance.sum() - 2.0 * covariance.sum(axis=1) + item_variance
    trace = np.trace(covariance) - item_variance
    return np.asarray((k - 1) / (k - 2) * (1.0 - trace / total_variance))


def _dichotomous(scores: ArrayLike, name: str) -> NDArray[np.float64]:
    matrix = response_matrix(scores)
    if not is_dichotomous(matrix):
        raise ItemDataError(
            f"{name} 只适用于 0/1 计分的题目；多级计分请用 Cronbach's α。",
            f"{name} applies only to items scored 0/1; use Cronbach's alpha for polytomous items.",
        )
    return matrix


def kr20(scores: ArrayLike) -> float:
    """Kuder–Richardson formula 20: ``k/(k−1) · (1 − Σ pᵢqᵢ / σ²_total)`` (population variance), 0/1 items only."""
    matrix = _dichotomous(scores, "KR-20")
    k = matrix.shape[1]
    p = matrix.mean(axis=0)
    return float(k / (k - 1) * (1.0 - (p * (1.0 - p)).sum() / matrix.sum(axis=1).var()))


def kr21(scores: ArrayLike) -> float:
    """Kuder–Richardson formula 21: KR-20 with equal item difficulty, ``k/(k−1) · (1 − M(k − M)/(k σ²))``.

    Never above KR-20 on the same data (equality when all items have the same difficulty).
    """
    matrix = _dichotomous(scores, "KR-21")
    k = matrix.shape[1]
    totals = matrix.sum(axis=1)
    mean = totals.mean()
    return float(k / (k - 1) * (1.0 - mean * (k - mean) / (k * totals.var())))
