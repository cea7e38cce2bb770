"""Submission status of each school: not submitted, open errors, submitted, and how long fixes took.

Pure functions over tables (the caller reads the batches from the
operational database and the stored row counts from the lake). A school
counts as *submitted* for a dataset when the dataset holds rows of the
school (whoever sent them: the school itself, or its district in a bulk
load) and its own newest submission was not rejected; it has *open
errors* while its newest submission to the dataset is rejected; otherwise
it has *not submitted*.

The time to fix is measured from the first rejected submission of a run of
rejections to the accepted (committed or unchanged) submission that ends it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl

SchoolStatus = Literal["not_submitted", "open_errors", "submitted"]
ACCEPTED = ("committed", "unchanged")

BATCH_SCHEMA: dict[str, pl.DataType] = {
    "org_code": pl.String(),
    "dataset": pl.String(),
    "status": pl.String(),
    "created_at": pl.Datetime("us", "UTC"),
    "finished_at": pl.Datetime("us", "UTC"),
    "problem_count": pl.Int64(),
}
"""Columns of the batches table the functions here take."""


def fix_runs(batches: pl.DataFrame) -> pl.DataFrame:
    """Per organisation and dataset: the newest fixed run of rejections, and the open run if any.

    Args:
        batches: Submissions with the columns of :data:`BATCH_SCHEMA`.

    Returns:
        ``org_code``, ``dataset``, ``last_fix_hours`` (null when never fixed),
        ``open_since`` (start of the current run of rejections, null when none).
    """
    ordered = batches.sort("org_code", "dataset", "created_at").with_columns(
        pl.col("status").is_in(list(ACCEPTED)).alias("__ok"),
        (pl.col("status") == "rejected").alias("__bad"),
    )
    keys = ["org_code", "dataset"]
    runs = ordered.with_columns(
        pl.col("__ok").cast(pl.Int64).cum_sum().shift(1, fill_value=0).over(keys).alias("__run"),
    )
    per_run = runs.group_by(*keys, "__run").agg(
        pl.col("created_at").filter(pl.col("__bad")).min().alias("first_rejected"),
        pl.col("finished_at").filter(pl.col("__ok")).max().alias("fixed_at"),
    )
    fixed = (
        per_run.filter(pl.col("first_rejected").is_not_null() & pl.col("fixed_at").is_not_null())
        .sort("__run")
        .group_by(keys)
        .agg(
            ((pl.col("fixed_at") - pl.col("first_rejected")).last().dt.total_seconds() / 3600.0).alias("last_fix_hours")
        )
    )
    still_open = per_run.filter(pl.col("fixed_at").is_null() & pl.col("first_rejected").is_not_null())
    still_open = still_open.group_by(keys).agg(pl.col("first_rejected").max().alias("open_since"))
    return fixed.join(still_open, on=keys, how="full", coalesce=True)


def school_status(
    schools: pl.DataFrame, batches: pl.DataFrame, stored: pl.DataFrame, dataset: str, now: dt.datetime
) -> pl.DataFrame:
    """The submission status of each school for one dataset.

    Args:
        schools: ``school_code``, ``name`` of the schools to report on.
        batches: Submissions (columns of :data:`BATCH_SCHEMA`), any organisations and datasets.
        stored: ``school_code``, ``rows``: rows of ``dataset`` now stored per school.
        dataset: The dataset id.
        now: The current time (timezone-aware), for how long errors have been open.

    Returns:
        One row per school: ``school_code``, ``name``, ``status``
        (:data:`SchoolStatus`), ``submissions``, ``last_submitted``,
        ``last_status``, ``open_problems``, ``open_hours``, ``last_fix_hours``,
        ``rows``; schools with open errors first, then not submitted.
    """
    own = batches.filter(pl.col("dataset") == dataset).rename({"org_code": "school_code"})
    latest = (
        own.sort("created_at")
        .group_by("school_code")
        .agg(
            pl.len().cast(pl.Int64).alias("submissions"),
            pl.col("created_at").last().alias("last_submitted"),
            pl.col("status").last().alias("last_status"),
            pl.col("problem_count").last().alias("__problems"),
        )
    )
    runs = fix_runs(own.rename({"school_code": "org_code"})).rename({"org_code": "school_code"}).drop("dataset")
    out = (
        schools.select("school_code", "name")
        .join(latest, on="school_code", how="left")
        .join(runs, on="school_code", how="left")
        .join(stored.select("school_code", pl.col("rows").cast(pl.Int64)), on="school_code", how="left")
        .with_columns(pl.col("submissions").fill_null(0), pl.col("rows").fill_null(0))
    )
    rejected = pl.col("last_status") == "rejected"
    status = (
        pl.when(rejected)
        .then(pl.lit("open_errors"))
        .when((pl.col("rows") > 0) | pl.col("last_status").is_in(list(ACCEPTED)))
        .then(pl.lit("submitted"))
        .otherwise(pl.lit("not_submitted"))
    )
    order = pl.when(rejected).then(0).when(status == "not_submitted").then(1).otherwise(2)
    return (
        out.with_columns(
            status.alias("status"),
            pl.when(rejected).then(pl.col("__problems")).otherwise(0).fill_null(0).alias("open_problems"),
            pl.when(rejected)
            .then((pl.lit(now) - pl.col("open_since")).dt.total_seconds() / 3600.0)
            .otherwise(None)
            .alias("open_hours"),
            order.alias("__order"),
        )
        .sort("__order", "school_code")
        .select(
            "school_code",
            "name",
            "status",
            "submissions",
            "last_submitted",
            "last_status",
            "open_problems",
            "open_hours",
            "last_fix_hours",
            "rows",
        )
    )


def status_summary(status: pl.DataFrame) -> dict[str, int]:
    """How many schools are in each status."""
    counts = {str(k): int(v) for k, v in status.group_by("status").len().iter_rows()}
    return {s: counts.get(s, 0) for s in ("not_submitted", "open_errors", "submitted")}
