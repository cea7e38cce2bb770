"""Synthetic pupils with planted school effects, and how well the model recovers them.

``planted_pairs`` draws schools with a known effect ``u_j ~ N(0, school_sd²)``, pupils with a prior standard score
``N(0, 1)`` and this year's score ``slope · prior + u_j + N(0, residual_sd²)``; :func:`recovery` compares a fit
with the truth: root-mean-square error of the effects, the share of schools whose 95 % interval holds its true
effect (coverage), and the share of pairs of schools whose intervals overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl


def planted_pairs(
    schools: int = 40,
    students: tuple[int, int] = (30, 200),
    school_sd: float = 0.3,
    slope: float = 0.7,
    residual_sd: float = 0.6,
    seed: int = 0,
    year: int = 2025,
    subject: str = "14",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Pupil pairs (``prior_pairs`` columns) and the truth (``school_code, true_effect``)."""
    rng = np.random.default_rng(seed)
    codes = np.asarray([f"{1101080000 + j:010d}" for j in range(schools)])
    effects = rng.normal(0.0, school_sd, schools)
    sizes = rng.integers(students[0], students[1] + 1, schools)
    school = np.repeat(np.arange(schools), sizes)
    prior = rng.normal(0.0, 1.0, school.size)
    score = slope * prior + effects[school] + rng.normal(0.0, residual_sd, school.size)
    pairs = pl.DataFrame(
        {
            "student_id": [f"G{i:018d}" for i in range(school.size)],
            "school_code": codes[school],
            "school_year": year,
            "grade": "22",
            "subject": subject,
            "score_z": score,
            "prior_z": prior,
        }
    )
    return pairs, pl.DataFrame({"school_code": codes, "true_effect": effects})


@dataclass(frozen=True)
class Recovery:
    """How a fit compares with the planted effects (effects centred: the model's are relative to its mean)."""

    rmse: float
    coverage: float
    overlapping_pairs: float
    schools: int


def recovery(fit: pl.DataFrame, truth: pl.DataFrame) -> Recovery:
    """RMSE of the effects, interval coverage of the true effects and the share of overlapping interval pairs."""
    joined = fit.join(truth, on="school_code").with_columns(
        (pl.col("true_effect") - pl.col("true_effect").mean()).alias("true_effect")
    )
    error = joined.get_column("effect").to_numpy() - joined.get_column("true_effect").to_numpy()
    inside = (joined.get_column("lower") <= joined.get_column("true_effect")) & (
        joined.get_column("true_effect") <= joined.get_column("upper")
    )
    lower, upper = joined.get_column("lower").to_numpy(), joined.get_column("upper").to_numpy()
    overlap = (lower[:, None] <= upper[None, :]) & (lower[None, :] <= upper[:, None])
    n = joined.height
    pairs = n * (n - 1) / 2
    return Recovery(
        rmse=float(np.sqrt(np.mean(error**2))),
        coverage=float(inside.cast(pl.Float64).to_numpy().mean()),
        overlapping_pairs=float((overlap.sum() - n) / 2 / pairs) if pairs else 0.0,
        schools=n,
    )
