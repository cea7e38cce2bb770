"""Bayesian Knowledge Tracing forward pass (Corbett & Anderson 1995), vectorised over sequences.

One skill (knowledge point) has four parameters: the prior probability of mastery `prior` (P(L0)), the chance of
learning at each opportunity `learn` (P(T)), `guess` (P(G)) and `slip` (P(S)); no forgetting. For each answer the
pass gives the probability of a correct answer predicted *before* seeing it, and the mastery *after* it.

The loop runs over answer positions (at most the longest sequence), never over rows: every (learner, skill)
sequence advances one step per iteration as a numpy vector.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass(frozen=True)
class BKTParams:
    """The four BKT parameters of one knowledge point, each a probability in [0, 1]."""

    prior: float
    learn: float
    guess: float
    slip: float

    def __post_init__(self) -> None:
        for name in ("prior", "learn", "guess", "slip"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"BKT 参数 {name}={value} 不在 [0, 1] 内 / BKT parameter {name}={value} is not in [0, 1]"
                )


def forward(responses: pl.DataFrame, params: Mapping[str, BKTParams]) -> pl.DataFrame:
    """Run BKT over answers and return them with `p_correct` (before the answer) and `p_mastery` (after it).

    `responses` has columns `learner` (str), `skill` (str), `order` (sortable: time or sequence number) and
    `correct` (bool or 0/1). Rows come back sorted by (learner, skill, order). A skill missing from `params` is an
    error naming it, so an unknown knowledge point is never traced with made-up parameters.
    """
    missing = sorted(set(responses["skill"].unique().to_list()) - set(params))
    if missing:
        raise KeyError(f"以下知识点没有 BKT 参数 / no BKT parameters for knowledge points: {missing}")
    blank = responses["correct"].null_count()
    if blank:
        raise ValueError(
            f"{blank} 条作答缺少对错（correct 为空）/ {blank} answers have no `correct` value: "
            "each must be true/false or 1/0"
        )
    # A stable sort: answers with the same `order` keep their input order, so the result is deterministic.
    frame = responses.sort(["learner", "skill", "order"], maintain_order=True).with_columns(
        pl.int_range(pl.len()).over(["learner", "skill"]).alias("_step"),
        pl.struct(["learner", "skill"]).rank("dense").cast(pl.Int64).sub(1).alias("_seq"),
    )
    n_rows = frame.height
    p_correct = np.empty(n_rows)
    p_mastery = np.empty(n_rows)
    if n_rows == 0:
        return frame.drop("_step", "_seq").with_columns(
            pl.Series("p_correct", p_correct), pl.Series("p_mastery", p_mastery)
        )
    seq = frame["_seq"].to_numpy()
    step = frame["_step"].to_numpy()
    observed = frame["correct"].cast(pl.Float64).to_numpy()
    n_seq = int(seq.max()) + 1
    first = np.zeros(n_seq, dtype=np.int64)
    first[seq[step == 0]] = np.flatnonzero(step == 0)
    seq_skill = frame["skill"].to_numpy()[first]
    skills = np.unique(seq_skill)
    table = np.array([[params[s].prior, params[s].learn, params[s].guess, params[s].slip] for s in skills])
    per_seq = table[np.searchsorted(skills, seq_skill)]
    prior, learn, guess, slip = per_seq.T
    mastery = prior.copy()
    order = np.lexsort((seq, step))  # rows grouped by step, each step's rows in sequence order
    bounds = np.searchsorted(step[order], np.arange(int(step.max()) + 2))
    for k in range(int(step.max()) + 1):
        rows = order[bounds[k] : bounds[k + 1]]
        s = seq[rows]
        m, g, sl, t = mastery[s], guess[s], slip[s], learn[s]
        predicted = m * (1.0 - sl) + (1.0 - m) * g
        right = observed[rows]
        posterior = np.where(
            right > 0.5,
            m * (1.0 - sl) / np.maximum(predicted, 1e-12),
            m * sl / np.maximum(1.0 - predicted, 1e-12),
        )
        updated = posterior + (1.0 - posterior) * t
        p_correct[rows] = predicted
        p_mastery[rows] = updated
        mastery[s] = updated
    return frame.drop("_step", "_seq").with_columns(
        pl.Series("p_correct", p_correct), pl.Series("p_mastery", p_mastery)
    )
