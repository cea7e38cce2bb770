"""Credit score and grade of each training provider, every point traced to the record it comes from.

Pure and vectorised (polars): the inputs are the provider register, the inspection findings and the complaints;
the outputs are one row per point-bearing item (:func:`credit_items`) and one row per provider
(:func:`credit_grades`). The rules are :class:`~edubrain.analytics.supervision.model.CreditModel` (the city's
settings; the national principle is 国办发〔2019〕35号 三、(六) 信用分级分类监管):

- a finding costs ``finding_points[severity]``; a substantiated complaint ``complaint_points``;
- a finding rectified on or before its deadline gives back ``rectify_share`` of its cost; one not rectified when
  the deadline has passed costs ``overdue_points`` more;
- each item is weighted ``0.5 ** (age_days / half_life_days)`` (age on the judgement date); items older than
  ``window_days`` or after the judgement date do not count;
- score = start + Σ points, held within [0, start]; grade = the first grade whose ``min`` the score reaches;
  a provider whose licence status is in ``grade_d_licence`` is graded ``unlicensed_grade`` whatever its score;
- next inspection due = last inspection date + the grade's months (the judgement date if never inspected).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from edubrain.analytics.supervision.model import CreditModel
from edubrain.analytics.supervision.uscc import uscc_valid

ITEM_COLUMNS = (
    "item_id", "provider_code", "district_code", "source_dataset", "record_id", "record_date", "kind", "severity",
    "base_points", "age_days", "weight", "points",
)  # fmt: skip
"""The columns of :func:`credit_items` (the fields of ``provider_credit_items`` but ``as_of``)."""


def judgement_date(inspections: pl.DataFrame, complaints: pl.DataFrame) -> dt.date | None:
    """The default judgement date: the latest inspection or complaint date (None without records)."""
    dates = [
        d
        for d in (inspections.get_column("inspection_date").max(), complaints.get_column("complaint_date").max())
        if d is not None
    ]
    return max(dates) if dates else None  # type: ignore[type-var,return-value]


def _weighted(frame: pl.DataFrame, model: CreditModel, as_of: dt.date) -> pl.DataFrame:
    age = (pl.lit(as_of) - pl.col("record_date")).dt.total_days()
    return (
        frame.with_columns(age.alias("age_days"))
        .filter((pl.col("age_days") >= 0) & (pl.col("age_days") <= model.window_days))
        .with_columns((0.5 ** (pl.col("age_days") / model.half_life_days)).alias("weight"))
        .with_columns((pl.col("base_points") * pl.col("weight")).round(2).alias("points"))
    )


def credit_items(
    inspections: pl.DataFrame, complaints: pl.DataFrame, providers: pl.DataFrame, model: CreditModel, as_of: dt.date
) -> pl.DataFrame:
    """One row per item that moves a provider's score (:data:`ITEM_COLUMNS`), sorted by provider and date.

    ``kind`` is ``finding`` (negative), ``rectified`` (positive, the share given back), ``overdue`` (negative) or
    ``complaint`` (negative); ``item_id`` is ``<record_id>:<kind>`` and ``record_id`` the row of the source dataset.
    """
    districts = providers.select("provider_code", "district_code")
    points = pl.col("finding_severity").replace_strict(model.finding_points, default=0.0, return_dtype=pl.Float64)
    found = inspections.with_columns(cost=points).filter(pl.col("cost") > 0)
    base = found.select(
        "provider_code", "record_id", pl.col("inspection_date").alias("record_date"),
        pl.col("finding_severity").alias("severity"), "cost", "rectify_deadline", "rectified", "rectified_date",
    )  # fmt: skip
    timely = pl.col("rectified").fill_null(False) & (
        pl.col("rectified_date").is_null() | (pl.col("rectified_date") <= pl.col("rectify_deadline"))
    )
    overdue = (
        ~pl.col("rectified").fill_null(False)
        & pl.col("rectify_deadline").is_not_null()
        & (pl.col("rectify_deadline") < pl.lit(as_of))
    )
    parts = [
        base.with_columns(kind=pl.lit("finding"), base_points=-pl.col("cost")),
        base.filter(timely).with_columns(kind=pl.lit("rectified"), base_points=pl.col("cost") * model.rectify_share),
        base.filter(overdue).with_columns(kind=pl.lit("overdue"), base_points=pl.lit(-model.overdue_points)),
    ]
    complained = complaints.filter(pl.col("substantiated").fill_null(False)).select(
        "provider_code", pl.col("complaint_id").alias("record_id"), pl.col("complaint_date").alias("record_date"),
        pl.lit(None, pl.String).alias("severity"), kind=pl.lit("complaint"),
        base_points=pl.lit(-model.complaint_points),
    )  # fmt: skip
    columns = ["provider_code", "record_id", "record_date", "severity", "kind", "base_points"]
    inspected = pl.concat([p.select(columns) for p in parts]).with_columns(
        source_dataset=pl.lit("provider_inspections")
    )
    complained = complained.select(columns).with_columns(source_dataset=pl.lit("provider_complaints"))
    items = _weighted(pl.concat([inspected, complained]), model, as_of)
    items = items.join(districts, on="provider_code", how="left").with_columns(
        pl.format("{}:{}", "record_id", "kind").alias("item_id"), pl.col("base_points").cast(pl.Float64)
    )
    return items.select(ITEM_COLUMNS).sort("provider_code", "record_date", "record_id", "kind")


def credit_grades(
    providers: pl.DataFrame,
    inspections: pl.DataFrame,
    items: pl.DataFrame,
    model: CreditModel,
    as_of: dt.date,
) -> pl.DataFrame:
    """One row per registered provider: score, grade, the items' sums, the explanation and the next inspection due."""
    sums = items.group_by("provider_code").agg(
        pl.col("points").filter(pl.col("points") < 0).sum().alias("deductions"),
        pl.col("points").filter(pl.col("points") > 0).sum().alias("bonuses"),
        pl.len().alias("items"),
        pl.col("item_id").sort_by("points").head(3).str.join("; ").alias("top_items"),
    )
    last = (
        inspections.filter(pl.col("inspection_date") <= pl.lit(as_of))
        .group_by("provider_code")
        .agg(pl.col("inspection_date").max().alias("last_inspection_date"))
    )
    frame = (
        providers.join(sums, on="provider_code", how="left")
        .join(last, on="provider_code", how="left")
        .with_columns(
            pl.col("deductions").fill_null(0.0).round(2),
            pl.col("bonuses").fill_null(0.0).round(2),
            pl.col("items").fill_null(0).cast(pl.Int64),
        )
        .with_columns(
            (pl.lit(model.start_score) + pl.col("deductions") + pl.col("bonuses"))
            .clip(0.0, model.start_score)
            .round(1)
            .alias("score")
        )
    )
    grade = pl.lit(model.grades[-1].grade)
    for g in reversed(model.grades[:-1]):
        grade = pl.when(pl.col("score") >= g.min).then(pl.lit(g.grade)).otherwise(grade)
    forced = pl.col("licence_status").is_in(list(model.grade_d_licence))
    months = {g.grade: g.months for g in model.grades}
    frame = frame.with_columns(
        pl.when(forced).then(pl.lit(model.unlicensed_grade)).otherwise(grade).alias("grade"),
        forced.alias("licence_override"),
        uscc_valid(frame.get_column("provider_code")).alias("code_valid"),
    ).with_columns(pl.col("grade").replace_strict(months, return_dtype=pl.Int64).alias("interval_months"))
    due = pl.col("last_inspection_date").dt.offset_by(pl.format("{}mo", pl.col("interval_months")))
    return frame.with_columns(
        pl.coalesce(due, pl.lit(as_of)).alias("next_inspection_due"),
        pl.lit(as_of).alias("as_of"),
        pl.lit(model.version).alias("model_version"),
    ).sort("provider_code")
