"""Two-parameter logistic (2PL) IRT by marginal maximum likelihood: Bock–Aitkin EM over Gauss–Hermite quadrature.

Model: ``P(xᵢ = 1 | θ) = 1 / (1 + exp(−(aᵢ θ + dᵢ)))`` with ``θ ~ N(0, 1)``; difficulty ``bᵢ = −dᵢ / aᵢ``
(so ``P = logistic(aᵢ(θ − bᵢ))``, the ``ltm``/``mirt`` IRT parameterisation without the 1.702 scaling).

Sources: Bock, R. D. & Aitkin, M. (1981) "Marginal maximum likelihood estimation of item parameters:
application of an EM algorithm", Psychometrika 46; Baker, F. B. & Kim, S.-H. (2004) *Item Response Theory:
Parameter Estimation Techniques*, 2nd ed., ch. 6. Every step is vectorised over response patterns, quadrature
nodes and items (the only loops are the EM and Newton iterations).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit, log_expit

from edubrain.analytics.items.errors import ItemDataError
from edubrain.analytics.items.matrix import is_dichotomous, response_matrix


@dataclass(frozen=True)
class TwoPLFit:
    """A fitted 2PL model.

    Attributes:
        discrimination: Slope ``a`` per item.
        difficulty: Location ``b = −d/a`` per item (on the θ scale, N(0, 1)).
        intercept: ``d`` per item.
        log_likelihood: Marginal log-likelihood ``Σ f_p log P(pattern p)`` at the estimates.
        iterations: EM cycles run.
        converged: Whether the largest parameter change fell below the tolerance.
        nodes: Quadrature nodes (θ) used.
        weights: Quadrature weights (sum to 1).
    """

    discrimination: NDArray[np.float64]
    difficulty: NDArray[np.float64]
    intercept: NDArray[np.float64]
    log_likelihood: float
    iterations: int
    converged: bool
    nodes: NDArray[np.float64]
    weights: NDArray[np.float64]


def _quadrature(points: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    nodes, weights = hermegauss(points)  # weight function exp(−θ²/2)
    return np.asarray(nodes), np.asarray(weights / weights.sum())


def _pattern_likelihood(
    answers: NDArray[np.float64],
    observed: NDArray[np.float64],
    slope: NDArray[np.float64],
    intercept: NDArray[np.float64],
    nodes: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Log-probability of each pattern at each node, log P(pattern | θ_q) for each pattern × node; missing answers contribute nothing."""
    logits = nodes[:, None] * slope[None, :] + intercept[None, :]  # nodes × items
    right = answers * observed
    wrong = (1.0 - answers) * observed
    return np.asarray(right @ log_expit(logits).T + wrong @ log_expit(-logits).T)


def _m_step(
    slope: NDArray[np.float64],
    intercept: NDArray[np.float64],
    nodes: NDArray[np.float64],
    expected_right: NDArray[np.float64],
    expected_n: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Newton–Raphson on each item's expected complete-data log-likelihood, all items at once."""
    for _ in range(25):
        p = expit(nodes[:, None] * slope[None, :] + intercept[None, :])  # nodes × items
        residual = expected_right - expected_n * p
        info = expected_n * p * (1.0 - p)
        g_a, g_d = (residual * nodes[:, None]).sum(axis=0), residual.sum(axis=0)
        h_aa, h_ad, h_dd = (info * nodes[:, None] ** 2).sum(axis=0), (info * nodes[:, None]).sum(axis=0), info.sum(0)
        determinant = h_aa * h_dd - h_ad**2
        step_a = (h_dd * g_a - h_ad * g_d) / determinant
        step_d = (h_aa * g_d - h_ad * g_a) / determinant
        slope, intercept = slope + np.clip(step_a, -1.0, 1.0), intercept + np.clip(step_d, -1.0, 1.0)
        if max(np.abs(step_a).max(), np.abs(step_d).max()) < 1e-10:
            break
    return slope, intercept


def _em_cycle(
    answers: NDArray[np.float64],
    observed: NDArray[np.float64],
    weights: NDArray[np.float64],
    slope: NDArray[np.float64],
    intercept: NDArray[np.float64],
    nodes: NDArray[np.float64],
    node_weights: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One Bock–Aitkin cycle: posterior over nodes per pattern (E), expected counts, item-wise Newton (M)."""
    log_joint = _pattern_likelihood(answers, observed, slope, intercept, nodes) + np.log(node_weights)
    posterior = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
    posterior *= (weights / posterior.sum(axis=1))[:, None]  # persons × nodes, rows sum to the counts
    expected_right = posterior.T @ (answers * observed)  # nodes × items: r_qj
    expected_n = posterior.T @ observed  # nodes × items: n_qj
    return _m_step(slope.copy(), intercept.copy(), nodes, expected_right, expected_n)


def fit_2pl(
    responses: ArrayLike,
    counts: ArrayLike | None = None,
    *,
    quadrature_points: int = 21,
    tolerance: float = 1e-6,
    max_iterations: int = 5000,
) -> TwoPLFit:
    """Fit the 2PL model by Bock–Aitkin EM.

    Args:
        responses: Persons (or distinct response patterns) × items, scored 0/1; ``NaN`` = not presented.
        counts: How many persons gave each row's pattern (frequency weights); 1 each by default.
        quadrature_points: Gauss–Hermite nodes for the N(0, 1) ability distribution (``ltm`` uses 21).
        tolerance: Stop when no parameter moves more than this in one EM cycle.
        max_iterations: EM cycles at most.

    Raises:
        ItemDataError: Scores other than 0/1, bad counts, or an item everyone (or no one) answered correctly.
    """
    matrix = response_matrix(responses, allow_missing=True)
    if not is_dichotomous(matrix):
        raise ItemDataError("2PL 模型只接受 0/1 计分。", "The 2PL model accepts only 0/1 scores.")
    weights = np.ones(matrix.shape[0]) if counts is None else np.asarray(counts, dtype=np.float64)
    if weights.shape != (matrix.shape[0],) or (weights < 0).any():
        raise ItemDataError(
            f"频数应为 {matrix.shape[0]} 个非负数（每行一个）。",
            f"Counts must be {matrix.shape[0]} non-negative numbers (one per row).",
        )
    observed = (~np.isnan(matrix)).astype(np.float64)
    answers = np.nan_to_num(matrix)
    share = (weights @ (answers * observed)) / (weights @ observed)
    if ((share <= 0) | (share >= 1)).any():
        column = int(np.argwhere((share <= 0) | (share >= 1))[0, 0])
        raise ItemDataError(
            f"第 {column + 1} 题全部答对或全部答错，2PL 参数不可估计。",
            f"Item {column + 1} was answered correctly by everyone or by no one; its 2PL parameters are not "
            "identified.",
            column=column + 1,
        )
    nodes, node_weights = _quadrature(quadrature_points)
    slope = np.ones(matrix.shape[1])
    intercept = np.log(share / (1.0 - share)) * np.sqrt(1.0 + np.pi**2 / 8.0)
    converged, iterations = False, 0
    while iterations < max_iterations and not converged:
        iterations += 1
        new_slope, new_intercept = _em_cycle(answers, observed, weights, slope, intercept, nodes, node_weights)
        converged = max(np.abs(new_slope - slope).max(), np.abs(new_intercept - intercept).max()) < tolerance
        slope, intercept = new_slope, new_intercept
    log_joint = _pattern_likelihood(answers, observed, slope, intercept, nodes) + np.log(node_weights)
    peak = log_joint.max(axis=1)
    log_likelihood = float(weights @ (peak + np.log(np.exp(log_joint - peak[:, None]).sum(axis=1))))
    return TwoPLFit(
        discrimination=slope,
        difficulty=-intercept / slope,
        intercept=intercept,
        log_likelihood=log_likelihood,
        iterations=iterations,
        converged=converged,
        nodes=nodes,
        weights=node_weights,
    )


def eap_abilities(fit: TwoPLFit, responses: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Expected a posteriori ability and its posterior standard deviation for each row of ``responses``."""
    matrix = response_matrix(responses, allow_missing=True, min_items=fit.discrimination.size, min_persons=1)
    observed = (~np.isnan(matrix)).astype(np.float64)
    log_joint = _pattern_likelihood(np.nan_to_num(matrix), observed, fit.discrimination, fit.intercept, fit.nodes)
    log_joint = log_joint + np.log(fit.weights)
    posterior = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
    posterior /= posterior.sum(axis=1, keepdims=True)
    mean = posterior @ fit.nodes
    spread = np.sqrt(np.maximum(posterior @ fit.nodes**2 - mean**2, 0.0))
    return np.asarray(mean), np.asarray(spread)
