"""The points model over the indicators, and each pupil's explanation (pure, polars).

Points: every indicator of :mod:`edubrain.analytics.at_risk.rules` gives the points of its first band whose test
holds (a missing value never holds); a domain counts for ``domain_cap`` points at most, the total for 100; ``signals`` counts the domains with points. A
pupil is flagged with ``min_points`` or more from ``min_domains`` domains or more, and is ``high`` from
``high_points``. :func:`explain` lists what contributed, largest first, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.analytics.at_risk.rules import Band, RiskRules


def points_column(indicator_id: str) -> str:
    """The column holding an indicator's points."""
    return f"pts_{indicator_id}"


def _test(band: Band) -> pl.Expr:
    col = pl.col(band.field)
    if band.op == "in":
        values = band.value if isinstance(band.value, list) else [str(band.value)]
        return col.is_in(values)
    value = float(band.value) if not isinstance(band.value, list) else 0.0
    return {"<": col < value, "<=": col <= value, ">": col > value, ">=": col >= value}[band.op]


def points_expr(rules: RiskRules) -> list[pl.Expr]:
    """One expression per indicator: its points (0 when no band holds or the value is missing)."""
    out = []
    for indicator in rules.indicators:
        expr: Any = pl
        for band in indicator.bands:
            expr = expr.when(_test(band).fill_null(False)).then(pl.lit(band.points, pl.Float64))
        out.append(expr.otherwise(pl.lit(0.0)).alias(points_column(indicator.id)))
    return out


def score(frame: pl.DataFrame, rules: RiskRules) -> pl.DataFrame:
    """``frame`` (the indicators) with the points of each indicator, the total, signals, flag and band."""
    with_points = frame.with_columns(points_expr(rules))
    domains: dict[str, list[str]] = {}
    for i in rules.indicators:
        domains.setdefault(i.domain, []).append(points_column(i.id))
    cap = pl.lit(rules.flag.domain_cap)
    capped = [pl.min_horizontal(pl.sum_horizontal([pl.col(c) for c in cols]), cap) for cols in domains.values()]
    total = pl.min_horizontal(pl.sum_horizontal(capped), pl.lit(100.0))
    signals = pl.sum_horizontal(
        [(pl.sum_horizontal([pl.col(c) for c in cols]) > 0).cast(pl.Int64) for cols in domains.values()]
    )
    scored = with_points.with_columns(total.alias("risk_score"), signals.cast(pl.Int64).alias("signals"))
    flagged = (pl.col("risk_score") >= rules.flag.min_points) & (pl.col("signals") >= rules.flag.min_domains)
    band = (
        pl.when(flagged & (pl.col("risk_score") >= rules.flag.high_points))
        .then(pl.lit("high"))
        .when(flagged)
        .then(pl.lit("watch"))
        .otherwise(pl.lit("none"))
    )
    return scored.with_columns(flagged.alias("flagged"), band.alias("risk_band"))


@dataclass(frozen=True)
class Contribution:
    """One indicator's part in a pupil's score.

    Attributes:
        indicator: The indicator id.
        domain: Its domain id.
        domain_zh: The domain in Chinese. domain_en: in English.
        title_zh: The indicator in Chinese. title_en: in English.
        points: Points given (above 0).
        share: Share of the pupil's total (0–1).
        field: The indicator field tested.
        value: The pupil's value of it (None when masked or missing).
        rule_zh: The band that held, in words (Chinese). rule_en: in English.
        rationale_zh: Why the rule (Chinese). rationale_en: in English.
    """

    indicator: str
    domain: str
    domain_zh: str
    domain_en: str
    title_zh: str
    title_en: str
    points: float
    share: float
    field: str
    value: Any
    rule_zh: str
    rule_en: str
    rationale_zh: str
    rationale_en: str


def _holds(value: Any, band: Band) -> bool:
    """Whether one pupil's ``value`` passes ``band`` (the same test as :func:`points_expr`, for one row)."""
    if value is None:
        return False
    if isinstance(band.value, list):
        return str(value) in band.value
    v, t = float(value), float(band.value)
    return {"<": v < t, "<=": v <= t, ">": v > t, ">=": v >= t, "in": False}[band.op]


def _words(band: Band) -> tuple[str, str]:
    """The band in words, Chinese and English."""
    if isinstance(band.value, list):
        values = "、".join(band.value)
        return f"{band.field} 属于 {values}：{band.points:g} 分", f"{band.field} in {values}: {band.points:g} points"
    return (
        f"{band.field} {band.op} {band.value:g}：{band.points:g} 分",
        f"{band.field} {band.op} {band.value:g}: {band.points:g} points",
    )


def explain(row: dict[str, Any], rules: RiskRules) -> list[Contribution]:
    """The indicators that gave ``row`` (one scored pupil) points, largest first."""
    total = sum(float(row.get(points_column(i.id)) or 0) for i in rules.indicators) or 1.0
    out = []
    for i in rules.indicators:
        pts = float(row.get(points_column(i.id)) or 0)
        if pts <= 0:
            continue
        band = next((b for b in i.bands if _holds(row.get(b.field), b)), i.bands[0])
        zh, en = _words(band)
        domain = rules.domains[i.domain]
        out.append(
            Contribution(
                indicator=i.id, domain=i.domain, domain_zh=domain.zh, domain_en=domain.en, title_zh=i.zh,
                title_en=i.en, points=pts, share=pts / total, field=band.field, value=row.get(band.field),
                rule_zh=zh, rule_en=en, rationale_zh=i.rationale_zh, rationale_en=i.rationale_en,
            )
        )  # fmt: skip
    return sorted(out, key=lambda c: -c.points)
