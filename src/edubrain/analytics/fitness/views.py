"""Views of ``fitness_indicators`` for pages and reports: the district map, a trend, a drill-down.

Each takes the indicators table (:func:`edubrain.analytics.fitness.indicators_expr`, or the
``fitness_indicators`` lake table) as an Ibis table and returns a small Ibis table, so a page
can run it on whatever engine holds the data, after scoping the rows to the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from edubrain.analytics.fitness.aggregates import ALL, CITY_CODE

if TYPE_CHECKING:
    from ibis.expr.types import Table

MEASURES: tuple[str, ...] = (
    "excellent_good_rate",
    "pass_rate",
    "mean_total",
    "overweight_rate",
    "obesity_rate",
    "tested",
    "change_excellent_good_rate",
)


def district_map(indicators: Table, school_year: int, grade: str = ALL, sex: str = ALL) -> Table:
    """One row per district for ``school_year``: ``district_code`` and the measures (for a choropleth of 优良率)."""
    t = indicators
    chosen = t.filter(
        (t["level"] == "district") & (t["school_year"] == school_year) & (t["grade"] == grade) & (t["sex"] == sex)
    )
    return chosen.select(*MEASURES, district_code=chosen["org_code"]).order_by("district_code")


def trend(indicators: Table, org_code: str = CITY_CODE, grade: str = ALL, sex: str = ALL) -> Table:
    """One row per school year for one organisation (city, district, school or ``school:class``)."""
    t = indicators
    chosen = t.filter((t["org_code"] == org_code) & (t["grade"] == grade) & (t["sex"] == sex))
    return chosen.select("school_year", "level", *MEASURES).order_by("school_year")


def drill_down(indicators: Table, parent_code: str, school_year: int, grade: str = ALL, sex: str = ALL) -> Table:
    """The organisations one level below ``parent_code`` (city → districts → schools → classes) in ``school_year``."""
    t = indicators
    if parent_code == CITY_CODE:
        below = t["level"] == "district"
    else:
        below = t["parent_code"] == parent_code
    chosen = t.filter(below & (t["school_year"] == school_year) & (t["grade"] == grade) & (t["sex"] == sex))
    return chosen.select("level", "org_code", "parent_code", *MEASURES).order_by("org_code")
