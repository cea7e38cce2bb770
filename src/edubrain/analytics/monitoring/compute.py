"""The monitoring indicators as one engine-neutral Ibis expression: every school, district and the city, per year.

Each declared formula (:mod:`edubrain.analytics.monitoring.definitions`) is
compiled, never evaluated as text, into a numerator and a denominator per
school and school year:

- ``share``: numerator = rows meeting the condition (weighted by ``weight`` if
  given, else 1), denominator = rows reporting the condition's field (weighted
  the same); value = 100 x numerator / denominator;
- ``mean``: numerator = sum of the field, denominator = rows reporting it;
- ``ratio``: the two measures; value = ``per`` x numerator / denominator;
- ``count``: numerator = rows meeting the condition, denominator = rows
  reporting its field; value = the numerator (a number of schools); its
  target is judged at the city level only (a school's or district's count
  is context: ``target``, ``met`` and ``progress`` are null there).

A school's value is null when its numerator or denominator is missing or the
denominator is 0 (the row is kept: it says the school reported incompletely).
A district and the city add up the numerators and denominators of their
schools whose value is not null (a ratio of sums, not a mean of ratios);
``schools`` counts those schools and ``schools_met`` those meeting the target
on their own. ``met`` compares the value with the target in the indicator's
direction; ``progress`` is value / target (higher is better) or target / value
(lower is better), capped at 1. Both are null when there is no target.
Runs unchanged on DuckDB and Spark (``tests/parity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ibis

from edubrain.analytics.monitoring.definitions import (
    Condition,
    Count,
    Indicator,
    Mean,
    Measure,
    MonitoringSet,
    Ratio,
    Share,
)
from edubrain.analytics.monitoring.loader import load_monitoring

if TYPE_CHECKING:
    from ibis.expr.types import BooleanValue, Table

CITY_CODE = "110000"
KEYS = ("school_code", "school_year")
COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "org_level",
    "org_code",
    "parent_code",
    "school_year",
    "value",
    "numerator",
    "denominator",
    "target",
    "met",
    "progress",
    "schools",
    "schools_met",
)
"""The columns of the result, as the catalog's ``monitoring_indicators`` declares them."""
_PARAMS = ("indicator_id", "goal", "higher", "per", "counted")


def condition(t: Table, cond: Condition) -> BooleanValue:
    """Rows of ``t`` meeting ``cond`` (a null field meets nothing)."""
    column = t[cond.field]
    if cond.op == "in":
        return column.cast("string").isin(list(cond.values or ())).fill_null(False)
    x, v = column.cast("float64"), ibis.literal(cond.value, "float64")
    compared = {">=": x >= v, ">": x > v, "<=": x <= v, "<": x < v, "==": x == v, "!=": x != v}[cond.op]
    return compared.fill_null(False)


def measure(tables: Mapping[str, Table], m: Measure) -> Table:
    """``school_code``, ``school_year`` and ``m_value`` (float64): the measure per school and school year."""
    t = tables[m.dataset]
    if m.where is not None:
        t = t.filter(condition(t, m.where))
    if m.sum is not None:
        value = t[m.sum].cast("float64").sum()
    elif m.count_distinct is not None:
        value = t[m.count_distinct].nunique().cast("float64")
    else:
        value = t.count().cast("float64")
    return t.group_by(list(KEYS)).aggregate(m_value=value)


def _renamed(t: Table, prefix: str) -> Table:
    """A measure table with its key columns prefixed (for a join without name clashes)."""
    return t.select(**{f"{prefix}_school": t["school_code"], f"{prefix}_year": t["school_year"], prefix: t["m_value"]})


def _share(tables: Mapping[str, Table], f: Share | Count) -> Table:
    t = tables[f.dataset]
    base = t.filter(t[f.where.field].notnull()).mutate(_met=condition(t, f.where))
    weight: Any = ibis.literal(1.0, "float64")
    if isinstance(f, Share) and f.weight is not None:
        w = _renamed(measure(tables, f.weight), "w")
        base = base.left_join(w, (base["school_code"] == w["w_school"]) & (base["school_year"] == w["w_year"]))
        weight = base["w"].fill_null(0.0)
    rows = base.select(*KEYS, _met=base["_met"], _w=weight)
    return rows.group_by(list(KEYS)).aggregate(
        numerator=ibis.ifelse(rows["_met"], rows["_w"], 0.0).sum(), denominator=rows["_w"].sum()
    )


def _mean(tables: Mapping[str, Table], f: Mean) -> Table:
    t = tables[f.dataset]
    base = t.filter(t[f.field].notnull())
    return base.group_by(list(KEYS)).aggregate(
        numerator=base[f.field].cast("float64").sum(), denominator=base.count().cast("float64")
    )


def _ratio(tables: Mapping[str, Table], f: Ratio) -> Table:
    num, den = _renamed(measure(tables, f.numerator), "n"), _renamed(measure(tables, f.denominator), "d")
    joined = num.left_join(den, (num["n_school"] == den["d_school"]) & (num["n_year"] == den["d_year"]))
    return joined.select(
        school_code=joined["n_school"], school_year=joined["n_year"], numerator=joined["n"], denominator=joined["d"]
    )


def school_parts(tables: Mapping[str, Table], item: Indicator) -> Table:
    """One indicator's numerator and denominator per school and year, with its parameters as columns."""
    formula = item.formula
    if isinstance(formula, Share | Count):
        part = _share(tables, formula)
    elif isinstance(formula, Mean):
        part = _mean(tables, formula)
    else:
        part = _ratio(tables, formula)
    return part.select(
        indicator_id=ibis.literal(item.id, "string"),
        school_code=part["school_code"].cast("string"),
        school_year=part["school_year"].cast("int64"),
        numerator=part["numerator"].cast("float64"),
        denominator=part["denominator"].cast("float64"),
        goal=ibis.literal(item.target, "float64"),
        higher=ibis.literal(item.direction == "higher", "boolean"),
        per=ibis.literal(item.per, "float64"),
        counted=ibis.literal(item.counted, "boolean"),
    )


def _value(t: Table) -> Any:
    complete = t["numerator"].notnull() & t["denominator"].notnull() & (t["denominator"] > 0)
    ratio = ibis.ifelse(t["counted"], t["numerator"], t["per"] * t["numerator"] / t["denominator"])
    return ibis.ifelse(complete, ratio, ibis.null("float64"))


def _judged(t: Table, level: str) -> Table:
    """``t`` (with ``value``, ``goal``, ``higher``, ``counted``) with ``target``, ``met`` and ``progress``.

    A count's goal is the city's: below the city its ``target`` is null.
    """
    goal = t["goal"]
    target = goal if level == "city" else ibis.ifelse(t["counted"], ibis.null("float64"), goal)
    t = t.mutate(target=target)
    value, target, higher = t["value"], t["target"], t["higher"]
    unknown = target.isnull() | value.isnull()
    met = ibis.cases((unknown, ibis.null("boolean")), (higher, value >= target), else_=value <= target)
    up = ibis.ifelse(value >= target, 1.0, ibis.ifelse(target > 0, value / target, 0.0))
    down = ibis.ifelse(value <= target, 1.0, ibis.ifelse(value > 0, target / value, 0.0))
    progress = ibis.cases((unknown, ibis.null("float64")), (higher, up), else_=down)
    return t.mutate(met=met, progress=progress.cast("float64"))


def _rolled_up(complete: Table, level: str) -> Table:
    """District or city rows: the sums of the numerators and denominators of the complete school rows."""
    if level == "district":
        rows = complete.filter(complete["parent_code"].notnull())
        keys = [*_PARAMS, "school_year", rows["parent_code"].name("org_code")]
        parent: Any = ibis.literal(CITY_CODE, "string")
    else:
        rows, keys = complete, [*_PARAMS, "school_year"]
        parent = ibis.null("string")
    summed = rows.group_by(keys).aggregate(
        numerator=rows["numerator"].sum(),
        denominator=rows["denominator"].sum(),
        schools=rows.count().cast("int64"),
        met_count=ibis.ifelse(rows["met"].fill_null(False), 1, 0).sum().cast("int64"),
    )
    org = summed["org_code"] if level == "district" else ibis.literal(CITY_CODE, "string")
    summed = summed.mutate(org_level=ibis.literal(level, "string"), org_code=org, parent_code=parent)
    judged = _judged(summed.mutate(value=_value(summed)), level)
    return judged.mutate(
        schools_met=ibis.ifelse(judged["target"].isnull() | judged["counted"], ibis.null("int64"), judged["met_count"])
    ).drop("met_count")


def monitoring_expr(tables: Mapping[str, Table], spec: MonitoringSet | None = None) -> Table:
    """Every indicator for every school, district and the city, per school year.

    Args:
        tables: The input tables by dataset id (:meth:`MonitoringSet.inputs`): ``schools`` and each dataset the
            formulas read; a dataset read over its history is the table of every row ever stored.
        spec: The declarations (default the packaged ones).

    Returns:
        :data:`COLUMNS`: ``org_level`` school / district / city, ``parent_code`` the school's district or
        ``110000`` (null for the city), ``schools`` the schools with a value, ``schools_met`` those meeting the
        target on their own (null without a target).
    """
    spec = spec or load_monitoring()
    stacked = ibis.union(*[school_parts(tables, item) for item in spec.indicators])
    schools = tables["schools"]
    districts = schools.select(s_code=schools["school_code"], s_district=schools["district_code"].cast("string"))
    joined = stacked.left_join(districts, stacked["school_code"] == districts["s_code"])
    base = joined.select(*stacked.columns, parent_code=joined["s_district"])
    valued = _judged(base.mutate(value=_value(base)), "school")
    school = valued.mutate(
        org_level=ibis.literal("school", "string"),
        org_code=valued["school_code"],
        schools=ibis.ifelse(valued["value"].notnull(), 1, 0).cast("int64"),
        schools_met=ibis.ifelse(valued["met"].isnull(), ibis.null("int64"), ibis.ifelse(valued["met"], 1, 0)),
    )
    complete = school.filter(school["value"].notnull())
    levels = [school, _rolled_up(complete, "district"), _rolled_up(complete, "city")]
    out = ibis.union(*[t.select(*COLUMNS) for t in levels])
    return out.mutate(schools_met=out["schools_met"].cast("int64"))
