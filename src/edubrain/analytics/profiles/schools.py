"""The school profile: one row per (school, school year), and the submission statistics it shows.

Rules (also in ``docs/profile-indicators.md``):

- A (school, year) row exists when the school has, that year, a student profile row, a class, a teaching
  assignment, an exam result, a fitness test, an infrastructure report or a submission batch.
- ``students`` counts the student profile rows at the school that year (so a merged student counts once);
  ``teachers`` the distinct teachers with an assignment there; ``student_teacher_ratio`` is their quotient.
- ``stages`` are the stages with planned places (2 primary, 3 junior, 4 senior); ``forecast_gap`` sums the
  base-scenario place gap of the school's district over those stages for that year (a district figure).
- ``batches``, ``accepted_row_share`` and ``up_to_date_share`` come from the operational database's submission
  batches, summarised by :func:`submission_stats` and passed in as a parameter table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import ibis
import polars as pl
import pyarrow as pa

from edubrain.analytics.profiles.common import attach_all, exam_pct

if TYPE_CHECKING:
    from ibis.expr.types import Table

SCHOOL_INPUTS: tuple[str, ...] = (
    "schools",
    "classes",
    "teacher_assignments",
    "fitness",
    "exam_scores",
    "school_infrastructure",
    "place_forecasts",
    "student_counts",
    "submissions",
)
"""Tables :func:`school_profiles_expr` reads. ``fitness``: scored fitness tests; ``student_counts``: students per
school and year (:func:`student_counts` of the student profile rows); ``submissions``: :func:`submission_stats`."""

KEY = ("school_code", "school_year")
STAGE_PLACES = {"2": "planned_places_primary", "3": "planned_places_junior", "4": "planned_places_senior"}
GOOD_LEVELS = ("优秀", "良好")
BASE_SCENARIO = "base"
FREQUENCY_DAYS = {"daily": 1, "weekly": 7, "monthly": 31, "termly": 183, "yearly": 366}
"""How old a dataset's last committed submission may be, by the catalog's ``update_frequency``."""
SUBMISSION_SCHEMA = pa.schema(
    [
        pa.field("school_code", pa.string()),
        pa.field("school_year", pa.int64()),
        pa.field("batches", pa.int64()),
        pa.field("accepted_row_share", pa.float64()),
        pa.field("up_to_date_share", pa.float64()),
    ]
)
COLUMNS: tuple[str, ...] = (
    "school_code",
    "district_code",
    "school_year",
    "school_type",
    "stages",
    "students",
    "classes",
    "teachers",
    "student_teacher_ratio",
    "planned_places",
    "forecast_gap",
    "fitness_good_rate",
    "exam_mean_pct",
    "internet_bandwidth_mbps",
    "class_bandwidth_mbps",
    "wireless_coverage_pct",
    "batches",
    "accepted_row_share",
    "up_to_date_share",
)


def school_year_of(column: pl.Expr) -> pl.Expr:
    """The school year (starting 1 September) of a date or datetime column."""
    return pl.when(column.dt.month() >= 9).then(column.dt.year()).otherwise(column.dt.year() - 1).cast(pl.Int64)


COMMITTED = ("committed", "unchanged")
"""Batch statuses that count as a successful submission for timeliness."""
TIMELINESS_SCHEMA = pa.schema(
    [
        pa.field("dataset", pa.string()),
        pa.field("update_frequency", pa.string()),
        pa.field("max_days", pa.int64()),
        pa.field("last_batch_id", pa.string()),
        pa.field("last_committed", pa.date32()),
        pa.field("as_of", pa.date32()),
        pa.field("days_since", pa.int64()),
        pa.field("up_to_date", pa.bool_()),
    ]
)
"""One row per dataset of a school's timeliness in one year (:func:`timeliness`)."""


def _counted(batches: pl.DataFrame) -> pl.DataFrame:
    """The batches the submission statistics count (not pending), with their ``school_year`` and ``day``."""
    return batches.filter(pl.col("status") != "pending").with_columns(
        school_year=school_year_of(pl.col("created_at")), day=pl.col("created_at").dt.date()
    )


def _year_end(school_year: pl.Expr, today: dt.date) -> pl.Expr:
    """The day timeliness is measured on: 31 August ending the school year, or ``today`` if earlier."""
    return pl.min_horizontal(pl.date(school_year + 1, 8, 31), pl.lit(today))


def _last_commits(frame: pl.DataFrame, frequencies: Mapping[str, str], ends: pl.DataFrame) -> pl.DataFrame:
    """Per (``org_code``, ``school_year``, ``dataset``) of ``ends``: the last commit on or before ``as_of``.

    ``frame`` is :func:`_counted` batches; ``ends`` has ``org_code``, ``school_year`` and ``as_of``. Only datasets
    whose ``update_frequency`` is in :data:`FREQUENCY_DAYS` count. Adds ``last`` (the day), ``max_days``,
    ``days_since``, ``fresh`` (within the frequency) and, when ``frame`` has ``batch_id``, ``last_batch_id``.
    """
    days = pl.DataFrame(
        {"dataset": list(frequencies), "max_days": [FREQUENCY_DAYS.get(f) for f in frequencies.values()]},
        schema={"dataset": pl.String, "max_days": pl.Int64},
    ).drop_nulls()
    ids = ["batch_id"] if "batch_id" in frame.columns else []
    commits = frame.filter(pl.col("status").is_in(COMMITTED)).join(days, on="dataset")
    commits = commits.select("org_code", "dataset", "day", "created_at", "max_days", *ids)
    last_id = [pl.col("batch_id").sort_by("created_at").last().alias("last_batch_id")] if ids else []
    return (
        ends.join(commits, on="org_code")
        .filter(pl.col("day") <= pl.col("as_of"))
        .group_by("org_code", "school_year", "dataset")
        .agg(
            pl.col("day").max().alias("last"),
            pl.col("max_days").first(),
            pl.col("as_of").first(),
            *last_id,
        )
        .with_columns(days_since=(pl.col("as_of") - pl.col("last")).dt.total_days().cast(pl.Int64))
        .with_columns(fresh=pl.col("days_since") <= pl.col("max_days"))
    )


def submission_stats(
    batches: pl.DataFrame, frequencies: Mapping[str, str], schools: list[str], today: dt.date
) -> pa.Table:
    """Quality and timeliness of each school's submissions per school year (the ``submissions`` table).

    Args:
        batches: One row per submission batch: ``org_code``, ``dataset``, ``status``, ``rows_read``,
            ``rows_accepted``, ``created_at`` (a datetime). Pending batches are ignored.
        frequencies: ``update_frequency`` of each submittable dataset (those not in :data:`FREQUENCY_DAYS`
            are left out of timeliness).
        schools: The school codes to report (batches of other organisations are ignored).
        today: The day "now" is, for the current school year.

    Returns:
        :data:`SUBMISSION_SCHEMA`: per school and school year with batches, the batch count, accepted rows /
        rows read (null when none was read), and the share of the school's committed datasets (as of 31 August
        ending that year, or ``today`` if earlier) whose last commit is within its update frequency (null when
        nothing was committed by then). :func:`year_batches` and :func:`timeliness` give the rows behind one
        school's values of one year.
    """
    frame = _counted(batches.filter(pl.col("org_code").is_in(schools)))
    if frame.is_empty():
        return SUBMISSION_SCHEMA.empty_table()
    per_year = frame.group_by("org_code", "school_year").agg(
        batches=pl.len().cast(pl.Int64),
        read=pl.col("rows_read").sum(),
        accepted=pl.col("rows_accepted").sum(),
    )
    per_year = per_year.with_columns(
        accepted_row_share=pl.when(pl.col("read") > 0)
        .then(pl.col("accepted") / pl.col("read"))
        .otherwise(None)
        .cast(pl.Float64)
    )
    ends = per_year.select("org_code", "school_year").with_columns(as_of=_year_end(pl.col("school_year"), today))
    last = (
        _last_commits(frame, frequencies, ends)
        .group_by("org_code", "school_year")
        .agg(up_to_date_share=pl.col("fresh").cast(pl.Float64).mean())
    )
    out = per_year.join(last, on=["org_code", "school_year"], how="left").rename({"org_code": "school_code"})
    return out.select(SUBMISSION_SCHEMA.names).sort("school_code", "school_year").to_arrow().cast(SUBMISSION_SCHEMA)


def year_batches(batches: pl.DataFrame, school_year: int) -> pl.DataFrame:
    """The batches behind ``batches`` and ``accepted_row_share`` of one school year (oldest first).

    Args:
        batches: One organisation's batches, with the columns of :func:`submission_stats` (and any others).
        school_year: The school year.

    Returns:
        The batches that are not pending and were created in ``school_year`` (1 September to 31 August, by
        ``created_at``), as :func:`submission_stats` counts them; with a ``school_year`` column.
    """
    return _counted(batches).filter(pl.col("school_year") == school_year).drop("day").sort("created_at")


def timeliness(batches: pl.DataFrame, frequencies: Mapping[str, str], school_year: int, today: dt.date) -> pa.Table:
    """The rows behind ``up_to_date_share`` of one organisation's school year: one per dataset it committed.

    Args:
        batches: One organisation's batches, as for :func:`submission_stats`, with a ``batch_id`` column.
        frequencies: ``update_frequency`` of each submittable dataset.
        school_year: The school year.
        today: The day "now" is (the day the value was computed).

    Returns:
        :data:`TIMELINESS_SCHEMA`, by dataset: the last committed batch on or before the year's end (31 August,
        or ``today`` if earlier), the days from it to that end, and whether they are within the update frequency;
        the mean of ``up_to_date`` is ``up_to_date_share``. Empty when the organisation has no batch in that year
        (the value is then null, as in :func:`submission_stats`).
    """
    frame = _counted(batches)
    if frame.filter(pl.col("school_year") == school_year).is_empty():
        return TIMELINESS_SCHEMA.empty_table()
    orgs = frame.select("org_code").unique()
    ends = orgs.with_columns(school_year=pl.lit(school_year, pl.Int64), as_of=_year_end(pl.lit(school_year), today))
    last = _last_commits(frame, frequencies, ends)
    named = pl.DataFrame(
        {"dataset": list(frequencies), "update_frequency": list(frequencies.values())},
        schema={"dataset": pl.String, "update_frequency": pl.String},
    )
    out = last.join(named, on="dataset", how="left").rename({"last": "last_committed", "fresh": "up_to_date"})
    return out.select(TIMELINESS_SCHEMA.names).sort("dataset").to_arrow().cast(TIMELINESS_SCHEMA)


def student_counts(locations: Table) -> Table:
    """Students per school and year from student profile rows (``student_id``, ``school_code``, ``school_year``)."""
    located = locations.filter(locations["school_code"].notnull())
    return located.group_by(*KEY).aggregate(students=located["student_id"].nunique().cast("int64"))


def _pairs(table: Table) -> Table:
    return table.select(school_code=table["school_code"], school_year=table["school_year"].cast("int64"))


def school_profiles_expr(tables: Mapping[str, Table]) -> Table:
    """The school profile rows, one per (``school_code``, ``school_year``): the columns of :data:`COLUMNS`."""
    schools, classes, assign = tables["schools"], tables["classes"], tables["teacher_assignments"]
    fitness, infra, forecasts = tables["fitness"], tables["school_infrastructure"], tables["place_forecasts"]
    students, subs = tables["student_counts"], tables["submissions"]
    exams = exam_pct(tables["exam_scores"])
    spine = ibis.union(*[_pairs(t) for t in (students, classes, assign, exams, fitness, infra, subs)], distinct=True)
    spine = spine.filter(spine["school_code"].notnull())
    register = schools.select(
        "school_code",
        "district_code",
        "school_type",
        **{f"pl_{code}": schools[column].fill_null(0).cast("int64") for code, column in STAGE_PLACES.items()},
    )
    parts = {
        "students": students.select(*KEY, students=students["students"].cast("int64")),
        "classes": classes.group_by(*KEY).aggregate(classes=classes["class_id"].nunique().cast("int64")),
        "teachers": assign.group_by(*KEY).aggregate(teachers=assign["teacher_id"].nunique().cast("int64")),
        "exams": exams.group_by(*KEY).aggregate(exam_mean_pct=exams["pct"].mean()),
    }
    complete = fitness.filter(fitness["total_score"].notnull())
    parts["fitness"] = complete.group_by(*KEY).aggregate(
        fitness_good_rate=ibis.ifelse(complete["level"].isin(GOOD_LEVELS), 1, 0).cast("float64").mean()
    )
    parts["infra"] = infra.select(
        *KEY,
        internet_bandwidth_mbps=infra["internet_bandwidth_mbps"].cast("float64"),
        class_bandwidth_mbps=infra["class_bandwidth_mbps"].cast("float64"),
        wireless_coverage_pct=infra["wireless_coverage_pct"].cast("float64"),
    )
    parts["subs"] = subs.select(*KEY, "batches", "accepted_row_share", "up_to_date_share")
    stage_rows = ibis.union(
        *[
            register.filter(register[f"pl_{code}"] > 0).select(
                "school_code", "district_code", stage=ibis.literal(code, "string")
            )
            for code in STAGE_PLACES
        ]
    )
    base = forecasts.filter(forecasts["scenario"] == BASE_SCENARIO)
    fc = base.select(
        f_district=base["district_code"], f_stage=base["stage"], school_year=base["school_year"], gap=base["place_gap"]
    )
    gaps = stage_rows.join(fc, [stage_rows["district_code"] == fc["f_district"], stage_rows["stage"] == fc["f_stage"]])
    parts["gaps"] = gaps.group_by("school_code", "school_year").aggregate(
        forecast_gap=gaps["gap"].cast("float64").sum()
    )
    t = attach_all(spine, [(register, ("school_code",)), *[(part, KEY) for part in parts.values()]])
    planned = t["pl_2"] + t["pl_3"] + t["pl_4"]
    stages = (
        ibis.ifelse(t["pl_2"] > 0, "2,", "")
        + ibis.ifelse(t["pl_3"] > 0, "3,", "")
        + ibis.ifelse(t["pl_4"] > 0, "4,", "")
    ).re_replace(",$", "")
    t = t.mutate(
        planned_places=planned,
        stages=ibis.ifelse(stages == "", ibis.null("string"), stages),
        students=t["students"].fill_null(0),
        classes=t["classes"].fill_null(0),
        teachers=t["teachers"].fill_null(0),
        batches=t["batches"].fill_null(0),
    )
    t = t.mutate(
        student_teacher_ratio=ibis.ifelse(
            t["teachers"] > 0, t["students"].cast("float64") / t["teachers"].cast("float64"), ibis.null("float64")
        )
    )
    return t.select(*COLUMNS)
