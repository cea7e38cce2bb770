"""A school value-added model: this year's score on last year's, with a random intercept per school.

Model (one fit per school year and subject), for pupil i in school j::

    z_ij = β0 + β1 · prior_ij + Σ γ_g · [grade_ij = g] + u_j + e_ij,   u_j ~ N(0, τ²),  e_ij ~ N(0, σ²)

where ``z`` and ``prior`` are the pupil's scores this year and a year earlier in the same subject, each
standardised within its year, grade and subject. The school's effect is the predicted random intercept (BLUP)
``û_j = λ_j · mean_i(z_ij − x_ij β̂)`` with the shrinkage ``λ_j = τ² / (τ² + σ²/n_j)``, and its conditional
variance is ``(1/τ² + n_j/σ²)⁻¹``; the 95 % interval is ``û_j ± 1.96 · sd``. β, τ², σ² come from statsmodels'
``MixedLM`` (REML); the effects are computed from them vectorised (the same formulas statsmodels uses for a
random intercept, checked in the tests).

Sources: Goldstein, H. (2011) *Multilevel Statistical Models*, 4th ed., ch. 2 (random-intercept model, shrunken
residuals and their comparative variances); Leckie, G. & Goldstein, H. (2009) "The limitations of using school
league tables to inform school choice", JRSS A 172 (overlapping intervals and why ranking misleads); Raudenbush,
S. W. & Bryk, A. S. (2002) *Hierarchical Linear Models*, 2nd ed., ch. 3 and 5.
"""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
from scipy.stats import norm
from statsmodels.regression.mixed_linear_model import MixedLM

MIN_STUDENTS = 10
"""Schools with fewer pupils holding a prior score in a year and subject get no effect (too uncertain, too personal)."""
OVERLAP_WARNING = (
    "各校效应的 95% 区间大多相互重叠：区间重叠的学校之间没有可靠的差别，不得据此排名或排队。"
    "只有区间整体高于（或低于）0 的学校，才能说明其增值高于（或低于）同类学生的全市平均。",
    "Most schools' 95 % intervals overlap: schools whose intervals overlap are not reliably different and must not "
    "be ranked or placed in a league table. Only a school whose whole interval lies above (or below) 0 is shown to "
    "add more (or less) than the city average for similar pupils.",
)
"""The warning shown with every value-added chart or table (Chinese, English)."""
PAIR_SCHEMA = {
    "student_id": pl.String, "school_code": pl.String, "school_year": pl.Int64, "grade": pl.String,
    "subject": pl.String, "score_z": pl.Float64, "prior_z": pl.Float64,
}  # fmt: skip


def _standardised(scores: pl.DataFrame) -> pl.DataFrame:
    """One standard score per pupil, year and subject (the year's last term; mean of repeated sittings)."""
    share = pl.col("score") / pl.col("full_score")
    group = ["school_year", "grade", "subject"]
    last = scores.filter(pl.col("term") == pl.col("term").max().over("student_id", "school_year", "subject"))
    z = (share - share.mean().over(group)) / share.std().over(group)
    per_pupil = last.with_columns(z.alias("z")).filter(pl.col("z").is_finite())
    return per_pupil.group_by("student_id", "school_year", "subject").agg(
        pl.col("school_code").first(), pl.col("grade").first(), pl.col("z").mean()
    )


def prior_pairs(scores: pl.DataFrame) -> pl.DataFrame:
    """Each pupil's standard score in a year and subject beside the same subject's a year earlier.

    Args:
        scores: ``exam_scores`` rows (``student_id, school_code, school_year, term, grade, subject, score,
            full_score``).

    Returns:
        :data:`PAIR_SCHEMA` columns; the school is this year's. Pupils without last year's score are left out.
    """
    z = _standardised(scores)
    prior = z.select(
        "student_id", "subject", (pl.col("school_year") + 1).alias("school_year"), pl.col("z").alias("prior_z")
    )
    pairs = z.join(prior, on=["student_id", "subject", "school_year"], how="inner").rename({"z": "score_z"})
    return pairs.select(pl.col(c).cast(t) for c, t in PAIR_SCHEMA.items())


def _design(pairs: pl.DataFrame) -> np.ndarray:
    grades = sorted(pairs.get_column("grade").unique().to_list())
    dummies = [pairs.get_column("grade").eq(g).cast(pl.Float64).to_numpy() for g in grades[1:]]
    return np.column_stack([np.ones(pairs.height), pairs.get_column("prior_z").to_numpy(), *dummies])


def fit_year_subject(pairs: pl.DataFrame, level: float = 0.95, min_students: int = MIN_STUDENTS) -> pl.DataFrame:
    """Fit the model on one year and subject's pairs; one row per school with at least ``min_students`` pupils.

    Returns:
        ``school_code, students, effect, std_error, lower, upper, prior_slope, school_variance,
        residual_variance, model_students, model_schools``; empty when fewer than 2 schools or 20 pupils.
    """
    schools = pairs.get_column("school_code").n_unique()
    if schools < 2 or pairs.height < 20:
        return pl.DataFrame()
    design = _design(pairs)
    outcome = pairs.get_column("score_z").to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # boundary (τ² = 0) and convergence notes; τ² = 0 gives effects of 0
        fit = MixedLM(outcome, design, groups=pairs.get_column("school_code").to_numpy()).fit(reml=True)
    tau2, sigma2 = float(np.asarray(fit.cov_re)[0, 0]), float(fit.scale)
    residual = outcome - design @ np.asarray(fit.fe_params)
    z = float(norm.ppf(0.5 + level / 2.0))
    per_school = (
        pairs.with_columns(pl.Series("_r", residual))
        .group_by("school_code")
        .agg(pl.len().alias("students"), pl.col("_r").mean().alias("_mean"))
    )
    n = pl.col("students").cast(pl.Float64)
    shrink = pl.lit(tau2) / (pl.lit(tau2) + pl.lit(sigma2) / n) if tau2 > 0 else pl.lit(0.0)
    variance = 1.0 / (1.0 / pl.lit(tau2) + n / pl.lit(sigma2)) if tau2 > 0 else pl.lit(0.0)
    return (
        per_school.with_columns((shrink * pl.col("_mean")).alias("effect"), variance.sqrt().alias("std_error"))
        .with_columns(
            (pl.col("effect") - z * pl.col("std_error")).alias("lower"),
            (pl.col("effect") + z * pl.col("std_error")).alias("upper"),
            pl.lit(float(fit.fe_params[1])).alias("prior_slope"),
            pl.lit(tau2).alias("school_variance"),
            pl.lit(sigma2).alias("residual_variance"),
            pl.lit(pairs.height).alias("model_students"),
            pl.lit(schools).alias("model_schools"),
        )
        .filter(pl.col("students") >= min_students)
        .drop("_mean")
        .sort("school_code")
    )


def fit_value_added(pairs: pl.DataFrame, years: list[int] | None = None, level: float = 0.95) -> pl.DataFrame:
    """Fit every (school year, subject) of ``pairs`` (or only ``years``); the fits' rows with the year and subject."""
    chosen = pairs if years is None else pairs.filter(pl.col("school_year").is_in(years))
    found = [
        fit_year_subject(group, level).with_columns(pl.lit(year).alias("school_year"), pl.lit(subject).alias("subject"))
        for (year, subject), group in chosen.group_by("school_year", "subject", maintain_order=True)
    ]
    found = [f for f in found if f.height]
    return (
        pl.concat(found, how="diagonal_relaxed").sort("school_year", "subject", "school_code")
        if found
        else pl.DataFrame()
    )
