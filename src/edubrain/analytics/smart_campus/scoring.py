"""Scoring schools against the smart-campus framework, 达标, and the 达标率 (``docs/smart-campus.md``).

Pure Polars, vectorised: the school-years and indicators are crossed once, platform values and accepted
self-assessment scores joined on, points computed column-wise and summed per dimension. Rules:

- a platform indicator scores ``max x clip((value - zero_at) / (full_at - zero_at), 0, 1)``; no value scores 0;
- a self-assessed indicator scores the school's own score clipped to ``[0, max]``; none scores 0;
- 达标 (``meets_standard`` = 1) needs the city's approval (state ``approved``), a total at least
  ``rule.total_at_least`` and every dimension at least ``rule.dimension_share_at_least`` of its maximum;
- 达标率 of an area and year = 100 x schools meeting the standard / schools scored (every school of the area
  has a row in a year of evaluation, assessed or not), with the plan's target (85 %) and the gap to it.
"""

from __future__ import annotations

import polars as pl

from edubrain.analytics.smart_campus.framework import DIMENSIONS, Framework

APPROVED = "approved"
SCORE_COLUMNS = tuple(f"score_{d}" for d in DIMENSIONS)
"""One points column per dimension, in the framework's order."""
KEYS = ("school_code", "school_year")
PLATFORM_SCHEMA = {"school_code": pl.String, "school_year": pl.Int64, "indicator_id": pl.String, "value": pl.Float64}
"""Platform values, one row per school, school year and platform indicator."""
SELF_SCHEMA = {"school_code": pl.String, "school_year": pl.Int64, "indicator_id": pl.String, "score": pl.Float64}
"""Self-assessment scores, one row per school, school year and self-assessed indicator."""
BASE_SCHEMA = {"school_code": pl.String, "district_code": pl.String, "school_year": pl.Int64, "state": pl.String}
"""The school-years scored, each with the state of its assessment (``none`` when it has none)."""


def indicator_table(framework: Framework) -> pl.DataFrame:
    """One row per indicator: id, dimension, max, source, zero_at, full_at, order."""
    rows = framework.indicators
    return pl.DataFrame(
        {
            "indicator_id": [i.id for i in rows],
            "dimension": [i.dimension for i in rows],
            "max": [float(i.max) for i in rows],
            "source": [i.source for i in rows],
            "zero_at": [i.scale.zero_at if i.scale else None for i in rows],
            "full_at": [i.scale.full_at if i.scale else None for i in rows],
            "order": list(range(len(rows))),
        },
        schema={"indicator_id": pl.String, "dimension": pl.String, "max": pl.Float64, "source": pl.String,
                "zero_at": pl.Float64, "full_at": pl.Float64, "order": pl.Int64},
    )  # fmt: skip


def indicator_points(
    framework: Framework, base: pl.DataFrame, platform: pl.DataFrame, self_scores: pl.DataFrame
) -> pl.DataFrame:
    """Points of every school-year and indicator: ``base`` x indicators with ``value``, ``points`` and ``missing``."""
    cells = base.select(*KEYS).join(indicator_table(framework), how="cross")
    cells = cells.join(platform.cast(PLATFORM_SCHEMA), on=[*KEYS, "indicator_id"], how="left")  # type: ignore[arg-type]
    cells = cells.join(self_scores.cast(SELF_SCHEMA), on=[*KEYS, "indicator_id"], how="left")  # type: ignore[arg-type]
    share = ((pl.col("value") - pl.col("zero_at")) / (pl.col("full_at") - pl.col("zero_at"))).clip(0.0, 1.0)
    own = pl.col("score").clip(0.0, pl.col("max"))
    platform_source = pl.col("source") == "platform"
    return cells.with_columns(
        value=pl.when(platform_source).then(pl.col("value")).otherwise(pl.col("score")),
        points=pl.when(platform_source).then(pl.col("max") * share).otherwise(own).fill_null(0.0).round(2),
        missing=pl.when(platform_source).then(pl.col("value").is_null()).otherwise(pl.col("score").is_null()),
    ).drop("score", "zero_at", "full_at")


def score_schools(
    framework: Framework, base: pl.DataFrame, platform: pl.DataFrame, self_scores: pl.DataFrame
) -> pl.DataFrame:
    """Scores of every school-year of ``base``: per dimension, total, platform and self points, 达标, detail.

    Args:
        framework: The evaluation framework.
        base: :data:`BASE_SCHEMA` rows (one per school and school year).
        platform: :data:`PLATFORM_SCHEMA` rows (missing ones score 0).
        self_scores: :data:`SELF_SCHEMA` rows of the assessments (missing ones score 0).

    Returns:
        ``base``'s columns, :data:`SCORE_COLUMNS`, ``total``, ``platform_points``, ``self_points``,
        ``meets_standard`` (1 or 0) and ``detail`` (a JSON list of ``{id, dimension, source, max, value, points,
        missing}``, in the framework's order), sorted by school and year.
    """
    cells = indicator_points(framework, base.cast(BASE_SCHEMA), platform, self_scores)  # type: ignore[arg-type]
    dims = cells.group_by(*KEYS, "dimension").agg(pl.col("points").sum().round(2))
    wide = dims.pivot(on="dimension", index=list(KEYS), values="points")
    wide = wide.rename({d: f"score_{d}" for d in DIMENSIONS})
    by_source = cells.group_by(*KEYS).agg(
        platform_points=pl.col("points").filter(pl.col("source") == "platform").sum().round(2),
        self_points=pl.col("points").filter(pl.col("source") == "self").sum().round(2),
        detail=pl.concat_str(
            pl.lit("["),
            pl.struct(pl.col("indicator_id").alias("id"), "dimension", "source", "max", "value", "points", "missing")
            .sort_by("order")
            .struct.json_encode()
            .str.join(","),
            pl.lit("]"),
        ),
    )
    out = base.cast(BASE_SCHEMA).join(wide, on=list(KEYS), how="left").join(by_source, on=list(KEYS), how="left")  # type: ignore[arg-type]
    out = out.with_columns(total=pl.sum_horizontal(SCORE_COLUMNS).round(2))
    rule = framework.standard.rule
    floors = [pl.col(f"score_{d.id}") >= rule.dimension_share_at_least * d.max - 1e-9 for d in framework.dimensions]
    meets = (pl.col("state") == APPROVED) & (pl.col("total") >= rule.total_at_least - 1e-9) & pl.all_horizontal(floors)
    out = out.with_columns(meets_standard=meets.cast(pl.Int64))
    return out.select(*BASE_SCHEMA, *SCORE_COLUMNS, "total", "platform_points", "self_points", "meets_standard",
                      "detail").sort(*KEYS)  # fmt: skip


def standard_rates(scores: pl.DataFrame, target: float) -> pl.DataFrame:
    """达标率 per district and year and for the city (``district_code`` = ``110000``).

    Returns:
        ``district_code``, ``school_year``, ``schools``, ``meeting``, ``rate`` (percent), ``target``, ``gap``
        (percentage points still missing, 0 once reached), ``schools_needed`` (more schools meeting to reach it).
    """
    by_district = scores.group_by("district_code", "school_year").agg(
        schools=pl.len().cast(pl.Int64), meeting=pl.col("meets_standard").sum().cast(pl.Int64)
    )
    city = by_district.group_by("school_year").agg(pl.col("schools").sum(), pl.col("meeting").sum())
    city = city.with_columns(district_code=pl.lit("110000")).select(by_district.columns)
    both = pl.concat([by_district, city])
    rate = 100.0 * pl.col("meeting") / pl.col("schools")
    needed = (pl.col("schools") * target / 100.0 - 1e-9).ceil().cast(pl.Int64) - pl.col("meeting")
    return both.with_columns(
        rate=rate.round(2),
        target=pl.lit(float(target)),
        gap=(pl.lit(float(target)) - rate).clip(0.0, None).round(2),
        schools_needed=needed.clip(0, None),
    ).sort("school_year", "district_code")
