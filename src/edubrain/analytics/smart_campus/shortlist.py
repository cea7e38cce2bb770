"""The ranked, explained shortlist of demonstration schools (新型智慧校园示范校遴选), pure Polars.

Only schools the city approved and that meet the standard are ranked, per school year: by total (higher first),
then platform points (measured values before self-assessed ones), then school code (ascending), so the order is
deterministic. The first ``size`` (the plan's 100) are the shortlist. Each gets an explanation in Chinese and
English: its total against the city median of the year's approved schools, its two strongest dimensions (share of
the maximum, against their medians), and how many points came from platform data and from self-assessment.
"""

from __future__ import annotations

import polars as pl

from edubrain.analytics.smart_campus.framework import DIMENSIONS, Framework
from edubrain.analytics.smart_campus.scoring import APPROVED, SCORE_COLUMNS


def _fmt(column: str | pl.Expr) -> pl.Expr:
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.round(2).cast(pl.String)


def _medians(scores: pl.DataFrame) -> pl.DataFrame:
    """The median of the total and of each dimension of the year's approved schools."""
    approved = scores.filter(pl.col("state") == APPROVED)
    return approved.group_by("school_year").agg(
        pl.col("total").median().alias("median_total"),
        *(pl.col(c).median().alias(f"median_{c}") for c in SCORE_COLUMNS),
    )


def _strengths(ranked: pl.DataFrame, framework: Framework) -> pl.DataFrame:
    """The two dimensions of each school with the highest share of their maximum, as Chinese and English text."""
    names = pl.DataFrame(
        {
            "dimension": list(DIMENSIONS),
            "name_zh": [framework.dimension(d).name_zh for d in DIMENSIONS],
            "name_en": [framework.dimension(d).name_en for d in DIMENSIONS],
            "dim_max": [framework.dimension(d).max for d in DIMENSIONS],
            "dim_order": list(range(len(DIMENSIONS))),
        }
    )
    long = ranked.select("school_code", "school_year", *SCORE_COLUMNS, *(f"median_{c}" for c in SCORE_COLUMNS)).unpivot(
        index=["school_code", "school_year"]
    )
    long = long.with_columns(
        kind=pl.when(pl.col("variable").str.starts_with("median_")).then(pl.lit("median")).otherwise(pl.lit("score")),
        dimension=pl.col("variable").str.replace(r"^(median_)?score_", ""),
    ).pivot(on="kind", index=["school_code", "school_year", "dimension"], values="value")
    long = long.join(names, on="dimension").with_columns(share=pl.col("score") / pl.col("dim_max"))
    top = (
        long.sort("share", "dim_order", descending=[True, False])
        .group_by("school_code", "school_year", maintain_order=True)
        .head(2)
    )
    text_zh = pl.format("{} {}/{}（中位数 {}）", "name_zh", _fmt("score"), _fmt("dim_max"), _fmt("median"))
    text_en = pl.format("{} {}/{} (median {})", "name_en", _fmt("score"), _fmt("dim_max"), _fmt("median"))
    return top.group_by("school_code", "school_year", maintain_order=True).agg(
        strengths_zh=text_zh.str.join("、"), strengths_en=text_en.str.join(", ")
    )


def shortlist(scores: pl.DataFrame, framework: Framework, size: int | None = None) -> pl.DataFrame:
    """The ranked demonstration shortlist of each school year, with explanations.

    Args:
        scores: Rows of :func:`~edubrain.analytics.smart_campus.scoring.score_schools`.
        framework: The framework (dimension names and maxima).
        size: How many schools per year (default the plan's ``demonstration_schools``).

    Returns:
        ``school_year``, ``rank`` (1 = best), ``school_code``, ``district_code``, the score columns, ``total``,
        ``platform_points``, ``self_points``, ``median_total``, ``explanation_zh``, ``explanation_en``.
    """
    size = framework.plan.demonstration_schools if size is None else size
    eligible = scores.filter((pl.col("state") == APPROVED) & (pl.col("meets_standard") == 1))
    ranked = eligible.sort(
        "school_year", "total", "platform_points", "school_code", descending=[False, True, True, False]
    ).with_columns(rank=pl.int_range(1, pl.len() + 1).over("school_year").cast(pl.Int64))
    ranked = ranked.filter(pl.col("rank") <= size).join(_medians(scores), on="school_year", how="left")
    if ranked.is_empty():
        return ranked.with_columns(
            explanation_zh=pl.lit(None, pl.String), explanation_en=pl.lit(None, pl.String)
        ).select(_columns())
    ranked = ranked.join(_strengths(ranked, framework), on=["school_code", "school_year"], how="left")
    explanation_zh = pl.format(
        "总分 {}（全市已认定学校中位数 {}）；优势维度：{}；平台数据得分 {}，自评得分 {}",
        _fmt("total"), _fmt("median_total"), "strengths_zh", _fmt("platform_points"), _fmt("self_points"),
    )  # fmt: skip
    explanation_en = pl.format(
        "Total {} (median of the city's approved schools {}); strongest: {}; {} points from platform data, {} self-assessed",
        _fmt("total"), _fmt("median_total"), "strengths_en", _fmt("platform_points"), _fmt("self_points"),
    )  # fmt: skip
    ranked = ranked.with_columns(explanation_zh=explanation_zh, explanation_en=explanation_en)
    return ranked.select(_columns()).sort("school_year", "rank")


def _columns() -> list[str]:
    return [
        "school_year", "rank", "school_code", "district_code", *SCORE_COLUMNS, "total", "platform_points",
        "self_points", "median_total", "explanation_zh", "explanation_en",
    ]  # fmt: skip
