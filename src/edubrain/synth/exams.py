"""District unified end-of-year exams (期末统考) with school, class and student effects.

A student's score in a subject is a logistic function of the sum of the
school's effect (its district's functional zone shifts the mean), the
class's effect that year (the teacher), the student's persistent ability
and maths-versus-language bias, and noise. Variance shares (standard
deviation units): school 0.4, class 0.25, student 1.0, occasion 0.45, so
about 12% of the variance lies between schools, as is typical of
Chinese district exams.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from edubrain.synth.facts import GRADES
from edubrain.synth.rng import stream

EXAM_SUBJECTS: dict[int, tuple[str, ...]] = {
    **{g: ("13", "14", "41") for g in range(2, 6)},
    6: ("13", "14", "41"),
    7: ("13", "14", "41", "16"),
    8: ("13", "14", "41", "16", "17"),
    **{g: ("13", "14", "41", "16", "17") for g in range(9, 12)},
}
"""Grade index -> subjects examined (语文 13, 数学 14, 英语 41, 物理 16, 化学 17); grades 1-2 sit no written exam."""
BIAS_LOADING = {"13": -1.0, "14": 1.0, "41": -0.3, "16": 1.0, "17": 0.6}
"""How a student's maths-versus-language bias moves each subject."""
CLASS_EFFECT_SD = 0.25
NOISE_SD = 0.45


def full_score(grade: pl.Expr, subject: pl.Expr) -> pl.Expr:
    """150 for senior Chinese, maths and English (as in the 高考), 100 otherwise."""
    senior_core = (grade >= 9) & subject.is_in(["13", "14", "41"])
    return pl.when(senior_core).then(150.0).otherwise(100.0)


def _sittings(students: pl.DataFrame, schools: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """One row per student and subject examined, with the school's and the class's effects."""
    subjects = pl.DataFrame(
        [{"grade": g, "subject": s} for g, subs in EXAM_SUBJECTS.items() for s in subs],
        schema={"grade": pl.Int8, "subject": pl.String},
    )
    classes = students.select("class_id").unique(maintain_order=True)
    classes = classes.with_columns(pl.Series("class_effect", rng.normal(0, CLASS_EFFECT_SD, classes.height)))
    return (
        students.select("student_id", "school", "class_id", "grade", "ability", "bias")
        .join(subjects, on="grade")
        .join(classes, on="class_id", how="left")
        .join(schools.select(pl.col("school_code").alias("school"), "quality"), on="school", how="left")
    )


def exam_scores(
    students: pl.DataFrame, schools: pl.DataFrame, seed: int, district_index: int, year: int
) -> pl.DataFrame:
    """Scores of one district's year-end exam.

    Args:
        students: The year's roster with ``school``, ``grade`` (index), ``class_id``, ``ability``, ``bias``.
        schools: The district's schools with ``school_code`` and ``quality``.
        seed: Run seed.
        district_index: District position (random stream).
        year: School year.

    Returns:
        The catalog columns of ``exam_scores``.
    """
    rng = stream(seed, "exams", district_index, year)
    rows = _sittings(students, schools, rng)
    load = pl.col("subject").replace_strict(BIAS_LOADING, return_dtype=pl.Float64)
    noise = pl.Series(rng.normal(0, NOISE_SD, rows.height))
    z = pl.col("quality") + pl.col("class_effect") + pl.col("ability") + pl.col("bias") * load + noise
    share = 1.0 / (1.0 + (-(1.3 + 0.8 * z)).exp())
    full = full_score(pl.col("grade"), pl.col("subject"))
    return rows.select(
        pl.format("QM{}{}T2", pl.lit(str(district_index + 1).zfill(2)), pl.lit(year)).alias("exam_id"),
        "student_id",
        pl.col("school").alias("school_code"),
        "class_id",
        pl.lit(year, pl.Int64).alias("school_year"),
        pl.lit(2, pl.Int64).alias("term"),
        pl.col("grade").replace_strict(dict(enumerate(str(g) for g in GRADES)), return_dtype=pl.String),
        "subject",
        ((share * full * 2).round() / 2).alias("score"),
        full.alias("full_score"),
    )
