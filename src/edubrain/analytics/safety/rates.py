"""Campus safety counts and rates per 1,000 pupils, per school, term and incident type; small cells suppressed.

Pure and vectorised (polars). A term is the school year and half: ``YYYY-1`` from August to January, ``YYYY-2``
from February to July (the school year starting in August of ``YYYY``).
"""

from __future__ import annotations

import polars as pl

COUNT_COLUMNS = ("school_code", "district_code", "term", "incident_type", "incidents", "injured", "late_reports",
                 "pupils", "rate_per_1000")  # fmt: skip
"""The fields of ``campus_safety_counts``."""


def term_of(date: pl.Expr) -> pl.Expr:
    """The term (``YYYY-1`` Aug–Jan, ``YYYY-2`` Feb–Jul) of a date column."""
    month, year = date.dt.month(), date.dt.year()
    school_year = pl.when(month >= 8).then(year).otherwise(year - 1)
    half = pl.when((month >= 8) | (month == 1)).then(pl.lit("1")).otherwise(pl.lit("2"))
    return pl.format("{}-{}", school_year, half)


def safety_counts(incidents: pl.DataFrame, pupils: pl.DataFrame, schools: pl.DataFrame) -> pl.DataFrame:
    """One row per school, term and type with incidents (:data:`COUNT_COLUMNS`).

    Args:
        incidents: ``campus_safety_incidents`` rows.
        pupils: ``school_code``, ``pupils`` (the roster's count per school).
        schools: ``school_code``, ``district_code``.
    """
    counted = (
        incidents.with_columns(term_of(pl.col("incident_date")).alias("term"))
        .group_by("school_code", "term", "incident_type")
        .agg(
            pl.len().cast(pl.Int64).alias("incidents"),
            pl.col("injured_count").fill_null(0).sum().cast(pl.Int64).alias("injured"),
            (~pl.col("reported_in_time")).sum().cast(pl.Int64).alias("late_reports"),
        )
    )
    joined = counted.join(pupils, on="school_code", how="left").join(
        schools.select("school_code", "district_code"), on="school_code", how="left"
    )
    rate = pl.when(pl.col("pupils") > 0).then((pl.col("incidents") * 1000 / pl.col("pupils")).round(3))
    return (
        joined.with_columns(pl.col("pupils").cast(pl.Int64), rate.alias("rate_per_1000"))
        .select(COUNT_COLUMNS)
        .sort("school_code", "term", "incident_type")
    )


def rate_per_1000(incidents: int | None, pupils: int | None) -> float | None:
    """Incidents per 1,000 pupils (None without pupils or with a suppressed count)."""
    if incidents is None or not pupils:
        return None
    return round(incidents * 1000 / pupils, 3)


def suppress_school_cells(cells: pl.DataFrame, k: int) -> pl.DataFrame:
    """Hide small cells of a school × type table, so no count of 1 … k−1 incidents can be read or derived.

    ``cells`` has ``school_code``, ``incident_type`` and ``incidents`` (one row per non-empty cell) and optionally
    ``total`` (the school's own total, repeated). A cell of 1 … k−1 is hidden (null); where a school has exactly
    one hidden cell, its smallest visible cell is hidden too (complementary suppression), and when it has none the
    school's total is hidden instead, so total − visible cells never reveals the hidden one. Totals of 1 … k−1 are
    hidden. Adds ``hidden`` (why: ``small_cell``, ``complementary`` or null).
    """
    frame = cells.with_columns(
        pl.when((pl.col("incidents") > 0) & (pl.col("incidents") < k)).then(pl.lit("small_cell")).alias("hidden")
    )
    small = pl.col("hidden").is_not_null().sum().over("school_code")
    visible_rank = (
        pl.when(pl.col("hidden").is_null() & (pl.col("incidents") > 0)).then(pl.col("incidents")).rank("ordinal")
    ).over("school_code")
    frame = frame.with_columns(
        pl.when(pl.col("hidden").is_null() & (small == 1) & (visible_rank == 1))
        .then(pl.lit("complementary"))
        .otherwise(pl.col("hidden"))
        .alias("hidden")
    )
    if "total" in frame.columns:
        still_one = pl.col("hidden").is_not_null().sum().over("school_code") == 1
        small_total = (pl.col("total") > 0) & (pl.col("total") < k)
        frame = frame.with_columns(
            pl.when(still_one | small_total).then(None).otherwise(pl.col("total")).alias("total")
        )
    return frame.with_columns(pl.when(pl.col("hidden").is_null()).then(pl.col("incidents")).alias("incidents"))
