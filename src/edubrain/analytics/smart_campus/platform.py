"""Platform values of the smart-campus indicators: one Ibis expression over three derived or reported datasets.

Per school and school year, for each ``platform`` indicator of the framework:

- ``infrastructure``: the field of ``school_infrastructure`` (the school's report for the year);
- ``facility``: sum(numerator) / sum(denominator) of ``facility_indicators`` rows of the indicator over the
  year's months (suppressed cells have no numerator and are left out); ``category``/``app`` ``*`` picks the
  all-row, ``any`` every row that is not ``*``;
- ``training``: 100 x rows with ``met`` / rows of ``training_coverage`` for the school with training year = the
  school year (the calendar year in which the school year starts).

Engine-neutral (Ibis); pure: the caller passes the tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from edubrain.analytics.smart_campus.framework import FacilityFormula, Framework, InfrastructureFormula

if TYPE_CHECKING:
    from ibis.expr.types import BooleanValue, Table

ALL = "*"


def _pick(column: ibis.Value, wanted: str) -> BooleanValue:
    return column != ALL if wanted == "any" else column == wanted  # type: ignore[return-value]


def _row(t: Table, indicator_id: str, value: ibis.Value) -> Table:
    return t.select(
        school_code=t["school_code"].cast("string"),
        school_year=t["school_year"].cast("int64"),
        indicator_id=ibis.literal(indicator_id),
        value=value.cast("float64"),  # type: ignore[attr-defined]
    )


def platform_values(framework: Framework, infrastructure: Table, facility: Table, training: Table) -> Table:
    """The value of every platform indicator per school and school year (rows only where a value exists)."""
    parts: list[Table] = []
    for ind in framework.platform_indicators():
        formula = ind.formula
        if isinstance(formula, InfrastructureFormula):
            t = infrastructure.filter(infrastructure[formula.field].notnull())
            parts.append(_row(t, ind.id, t[formula.field]))
        elif isinstance(formula, FacilityFormula):
            f = facility
            f = f.filter(
                (f["indicator"] == formula.indicator)
                & _pick(f["category"], formula.category)
                & _pick(f["app_id"], formula.app)
                & f["numerator"].notnull()
                & f["denominator"].notnull()
            )
            g = f.group_by("school_code", "school_year").agg(num=f["numerator"].sum(), den=f["denominator"].sum())
            g = g.filter(g["den"] > 0)
            parts.append(_row(g, ind.id, g["num"] / g["den"]))
        else:
            t = training.mutate(school_year=training["year"])
            g = t.group_by("school_code", "school_year").agg(
                met=t["met"].fill_null(False).cast("int64").sum(), rows=t.count()
            )
            g = g.filter(g["rows"] > 0)
            parts.append(_row(g, ind.id, 100.0 * g["met"] / g["rows"]))
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part)
    return out
