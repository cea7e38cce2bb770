"""Logistic knowledge-tracing baselines: PFA and Best-LR, fitted with scikit-learn.

- PFA, Performance Factors Analysis (Pavlik, Cen & Koedinger 2009, "Performance Factors Analysis – A New
  Alternative to Knowledge Tracing", AIED 2009): logit P(correct) = β_k + γ_k · s + ρ_k · f for the answer's skill
  k, where s and f are the learner's prior right and wrong answers on k (raw counts); every skill has its own
  β, γ, ρ.
- Best-LR (Gervet, Koedinger, Schneider & Mitchell 2020, "When is deep learning the best approach to knowledge
  tracing?", JEDM 12(3)): skill one-hot, then φ(prior attempts on the skill) and φ(prior rights on the skill) in
  that skill's own column, plus φ(total prior attempts) and φ(total prior rights) across all skills, with
  φ(x) = log(1 + x). The paper also one-hot encodes the item and counts item attempts; the synthetic learners
  answer one item per skill, so those features would repeat the skill's and are left out here.

Counts run within a sequence (the `learner` column: after the pyKT protocol's windowing a window, see
`protocol`), over the answers *before* the one predicted, computed with polars window functions (no row loops).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from scipy import sparse
from sklearn.linear_model import LogisticRegression

Kind = Literal["pfa", "best_lr"]


def history_counts(responses: pl.DataFrame) -> pl.DataFrame:
    """Add prior counts per answer: `skill_rights`, `skill_wrongs` (same skill), `total_rights`, `total_attempts`.

    Rows come back sorted by (learner, order); counts exclude the current answer.
    """
    right = pl.col("correct").cast(pl.Int64)
    return (
        responses.sort(["learner", "order"])
        .with_columns(
            (right.cum_sum().over(["learner", "skill"]) - right).alias("skill_rights"),
            (pl.int_range(pl.len()).over(["learner", "skill"])).alias("skill_attempts"),
            (right.cum_sum().over("learner") - right).alias("total_rights"),
            pl.int_range(pl.len()).over("learner").alias("total_attempts"),
        )
        .with_columns((pl.col("skill_attempts") - pl.col("skill_rights")).alias("skill_wrongs"))
    )


def design_matrix(counts: pl.DataFrame, skills: list[str], kind: Kind) -> sparse.csr_matrix:
    """The feature matrix of `kind` for answers with `history_counts` columns; `skills` fixes the column order.

    Skills not in `skills` (not seen in training) get no skill columns; their rows keep only shared features.
    """
    index = {name: k for k, name in enumerate(skills)}
    n_skills = len(skills)
    skill = counts["skill"].replace_strict(index, default=-1, return_dtype=pl.Int64).to_numpy()
    known = skill >= 0
    rows = np.flatnonzero(known)
    n_rows = counts.height

    def block(values: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((values[known], (rows, skill[known])), shape=(n_rows, n_skills))

    one = np.ones(n_rows)
    s = counts["skill_rights"].to_numpy().astype(float)
    f = counts["skill_wrongs"].to_numpy().astype(float)
    if kind == "pfa":
        return sparse.hstack([block(one), block(s), block(f)], format="csr")
    attempts = s + f
    total_attempts = counts["total_attempts"].to_numpy().astype(float)
    total_rights = counts["total_rights"].to_numpy().astype(float)
    shared = sparse.csr_matrix(np.column_stack([np.log1p(total_attempts), np.log1p(total_rights)]))
    return sparse.hstack([block(one), block(np.log1p(attempts)), block(np.log1p(s)), shared], format="csr")


@dataclass(frozen=True)
class LogisticKT:
    """A fitted PFA or Best-LR model: the skills it knows and the scikit-learn estimator."""

    kind: Kind
    skills: list[str]
    estimator: LogisticRegression

    def predict(self, responses: pl.DataFrame) -> pl.DataFrame:
        """Answers sorted by (learner, order) with `p_correct`, the predicted probability before each answer."""
        counts = history_counts(responses)
        p = self.estimator.predict_proba(design_matrix(counts, self.skills, self.kind))[:, 1]
        return counts.select("learner", "skill", "order", "correct").with_columns(pl.Series("p_correct", p))


def fit_logistic(responses: pl.DataFrame, kind: Kind, *, regularisation: float = 1.0) -> LogisticKT:
    """Fit PFA (`"pfa"`) or Best-LR (`"best_lr"`) on answers (columns `learner`, `skill`, `order`, `correct`).

    `regularisation` is scikit-learn's `C` (inverse L2 strength); the intercept is fitted, lbfgs solver.
    """
    if kind not in ("pfa", "best_lr"):
        raise ValueError(f"未知的模型 / unknown model {kind!r}; 允许 / allowed: 'pfa', 'best_lr'")
    counts = history_counts(responses)
    skills = sorted(counts["skill"].unique().to_list())
    target = counts["correct"].cast(pl.Int64).to_numpy()
    if np.unique(target).size < 2:
        raise ValueError("训练数据只有一种作答结果 / training answers are all right or all wrong: cannot fit")
    estimator = LogisticRegression(C=regularisation, max_iter=1000)
    estimator.fit(design_matrix(counts, skills, kind), target)
    return LogisticKT(kind=kind, skills=skills, estimator=estimator)
