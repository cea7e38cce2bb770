"""Who teaches which class, teachers' and principals' training, and each school's infrastructure."""

from __future__ import annotations

import numpy as np
import polars as pl

from edubrain.synth.ids import date_days
from edubrain.synth.rng import stream
from edubrain.synth.teaching import subject_table

TRAINING: dict[str, tuple[float, float, str]] = {
    "10": (0.05, 40.0, "国培计划"),
    "23": (0.15, 24.0, "北京市中小学教师继续教育"),
    "31": (0.15, 24.0, "市教委专题培训"),
    "43": (0.20, 16.0, "区级骨干教师研修"),
    "51": (0.20, 16.0, "区教委学科培训"),
    "60": (0.25, 8.0, "校本研修"),
}
"""Training level (JY/T 1001 级别代码) -> (share of records, typical hours, course stem)."""
TOPICS = [
    "信息技术应用能力提升",
    "新课标解读",
    "心理健康教育",
    "人工智能教育",
    "班主任工作",
    "教学评价改革",
    "劳动教育",
    "双减背景下作业设计",
]
PRINCIPAL_HOURS = 32
"""Yearly training hours the plan asks of principals."""
TOP_UP_HOURS = 72
"""Yearly hours everyone reaches before shortfalls are planted (the teachers' 72, so also the principals' 32): a
person short of them takes online modules, 北京市中小学教师继续教育 网络研修. Every shortfall in a synthetic city is
then a planted one, listed in its truth files (:mod:`edubrain.synth.training_gaps`)."""
TOP_UP_COURSE = ("23", "北京市中小学教师继续教育：网络研修")
TOP_UP_MODULE = 16
"""The top-up is taken in online modules of at most this many hours, spread over the year."""
TOP_UP_EXTRA = 24
"""Hours above the missing ones a top-up may add (uniform 0 … this): people end the year at 72–96 hours or more."""


def assignments(classes: pl.DataFrame, staff: pl.DataFrame, year: int) -> pl.DataFrame:
    """Each class's subjects, each given to a teacher of the school and stage (round robin by subject).

    Args:
        classes: ``class_id``, ``school``, ``stage``, ``grade`` (index), ``seq``.
        staff: ``teacher_id``, ``school``, ``stage``, ``subject``.
        year: The school year.
    """
    needs = classes.join(subject_table(), on="stage").filter(pl.col("grade") >= pl.col("first_grade"))
    needs = needs.sort("school", "stage", "subject", "grade", "seq").with_columns(
        pl.int_range(pl.len()).over("school", "stage", "subject").alias("k")
    )
    pools = [["school", "stage", "subject"], ["school", "stage"], ["school"]]
    found = needs.with_columns(pl.lit(None, pl.String).alias("teacher_id"))
    for keys in pools:
        pool = staff.sort("teacher_id").with_columns(
            pl.int_range(pl.len()).over(keys).alias("slot"), pl.len().over(keys).alias("m")
        )
        counts = pool.group_by(keys).agg(pl.col("m").first())
        todo = found.filter(pl.col("teacher_id").is_null()).drop("teacher_id").join(counts, on=keys, how="left")
        todo = todo.with_columns((pl.col("k") % pl.col("m")).alias("slot")).join(
            pool.select(*keys, "slot", "teacher_id"), on=[*keys, "slot"], how="left"
        )
        found = pl.concat([found.filter(pl.col("teacher_id").is_not_null()), todo.drop("m", "slot")], how="diagonal")
    found = found.filter(pl.col("teacher_id").is_not_null()).unique(["teacher_id", "class_id", "subject"], keep="first")
    return found.select(
        "teacher_id", "class_id", "subject", pl.col("school").alias("school_code"),
        pl.lit(year, pl.Int64).alias("school_year"), pl.col("periods").alias("weekly_periods"),
    ).sort("school_code", "class_id", "subject")  # fmt: skip


def training_records(staff: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """Training taken in calendar ``year`` by the year's staff: about two records a teacher, topped up to 72 hours.

    A person below :data:`TOP_UP_HOURS` takes the missing hours and up to :data:`TOP_UP_EXTRA` more as online
    modules of at most :data:`TOP_UP_MODULE` hours, at random dates of the year.
    """
    rng = stream(seed, "training", district_index, year)
    principal = staff.get_column("is_principal").to_numpy()
    count = rng.poisson(2.0, staff.height) + np.where(principal, 2, 0)
    rows = (
        staff.select("teacher_id", pl.col("school").alias("school_code"), "is_principal")
        .with_columns(pl.Series("n", count))
        .filter(pl.col("n") > 0)
    )
    rows = rows.select(pl.all().repeat_by("n").explode()).drop("n")
    n = rows.height
    levels = list(TRAINING)
    kind = np.array(levels)[rng.choice(len(levels), n, p=[TRAINING[k][0] for k in levels])]
    typical = np.vectorize(lambda k: TRAINING[k][1])(kind) if n else np.zeros(0)
    hours = np.maximum(np.round(typical * rng.uniform(0.5, 1.5, n)), 2)
    boost = rows.get_column("is_principal").to_numpy() & (rng.random(n) < 0.9)
    hours = np.where(boost, np.maximum(hours, PRINCIPAL_HOURS / 2), hours)
    start = date_days(year, 1, 5) + rng.integers(0, 330, n)
    stem = np.vectorize(lambda k: TRAINING[k][2])(kind) if n else np.zeros(0, dtype=str)
    topic = np.array(TOPICS)[rng.integers(0, len(TOPICS), n)]
    out = rows.with_columns(
        pl.Series("training_type", kind),
        pl.Series("course_name", np.char.add(np.char.add(stem.astype(str), "："), topic)),
        pl.Series("start_day", start),
        pl.Series("end_day", start + np.ceil(hours / 8).astype(np.int64) - 1),
        pl.Series("hours", hours.astype(float)),
        pl.lit(year, pl.Int64).alias("year"),
    )
    out = pl.concat([out, _top_up(staff, out, stream(seed, "training-top-up", district_index, year), year)])
    out = out.with_columns(
        (
            pl.col("school_code")
            + pl.lit(str(year))
            + pl.int_range(pl.len()).over("school_code").cast(pl.String).str.zfill(5)
        ).alias("record_id")
    )
    return out.drop("is_principal")


def _top_up(staff: pl.DataFrame, drawn: pl.DataFrame, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """Online modules for each member of staff whose drawn records make less than :data:`TOP_UP_HOURS`."""
    totals = drawn.group_by("teacher_id").agg(pl.col("hours").sum().alias("done"))
    short = (
        staff.select("teacher_id", pl.col("school").alias("school_code"), "is_principal")
        .join(totals, on="teacher_id", how="left")
        .with_columns((TOP_UP_HOURS - pl.col("done").fill_null(0.0)).alias("missing"))
        .filter(pl.col("missing") > 0)
    )
    total = np.ceil(short.get_column("missing").to_numpy()) + rng.integers(0, TOP_UP_EXTRA + 1, short.height)
    modules = np.ceil(total / TOP_UP_MODULE).astype(np.int64)
    short = short.with_columns(pl.Series("n", modules)).select(pl.all().repeat_by("n").explode()).drop("n")
    hours = np.ceil(np.repeat(total / modules, modules))
    n = short.height
    start = date_days(year, 1, 5) + rng.integers(0, 330, n)
    return short.select("teacher_id", "school_code", "is_principal").with_columns(
        pl.lit(TOP_UP_COURSE[0]).alias("training_type"),
        pl.lit(TOP_UP_COURSE[1]).alias("course_name"),
        pl.Series("start_day", start, pl.Int64),
        pl.Series("end_day", start + np.ceil(hours / 8).astype(np.int64) - 1, pl.Int64),
        pl.Series("hours", hours.astype(float), pl.Float64),
        pl.lit(year, pl.Int64).alias("year"),
    )


def infrastructure(
    schools: pl.DataFrame, classes: pl.DataFrame, seed: int, district_index: int, year: int
) -> pl.DataFrame:
    """Bandwidth, wireless coverage, terminals and smart classrooms of each school; better each year."""
    rng = stream(seed, "infrastructure", district_index)
    n = schools.height
    ready = rng.normal(0, 1, n) + 0.6 * (year - 2021)  # the plan's targets come closer each year
    counts = schools.join(classes.group_by("school").len(), left_on="school_code", right_on="school", how="left")
    n_classes = counts.get_column("len").fill_null(0).to_numpy()
    internet = np.where(ready > 1.0, 10000.0, np.where(ready > -1.0, 1000.0, 500.0))
    per_class = np.where(ready > 0.3, 100.0, np.where(ready > -1.2, 50.0, 20.0))
    noise = stream(seed, "infrastructure-year", district_index, year)
    return schools.select("school_code").with_columns(
        pl.lit(year, pl.Int64).alias("school_year"),
        pl.Series("internet_bandwidth_mbps", internet),
        pl.Series("class_bandwidth_mbps", np.minimum(per_class, internet)),
        pl.Series("wireless_coverage_pct", np.clip(np.round(80 + 8 * ready + noise.normal(0, 3, n), 1), 0, 100)),
        pl.Series("teacher_terminals", np.round(n_classes * 4.2 * rng.uniform(0.8, 1.2, n)).astype(np.int64)),
        pl.Series("student_terminals", np.round(n_classes * (6 + 3 * np.clip(ready, -2, 4))).clip(0).astype(np.int64)),
        pl.Series("smart_classrooms", np.round(n_classes * np.clip(0.2 + 0.12 * ready, 0, 1)).astype(np.int64)),
    )
