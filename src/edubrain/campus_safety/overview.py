"""Campus safety read through governance (校园安全): a school's incidents, district and city aggregates, warnings.

Rules (docs/campus-safety.md):

- a school's safety officer (school staff) reads its own incidents row by row (the description is L3);
- districts and the city read aggregates only: rates per 1,000 pupils by school (a district) or by district (the
  city), type × place × time band patterns, and the warnings; every incident count of 1 … k−1 (k =
  ``EDUBRAIN_SMALL_CELL_MIN``) is hidden, with complementary suppression so totals never reveal a hidden cell
  (:func:`~edubrain.analytics.safety.suppress_school_cells`); no incident row reaches these pages;
- a school or district outside the reader's scope answers the same as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from edubrain.analytics.safety import rate_per_1000, suppress_school_cells
from edubrain.campus_safety.models import Incident, OrgRate, Pattern, SafetyOverview, SchoolIncidents, Warning
from edubrain.governance.aggregates import count_rows
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, reads_rows, viewpoint
from edubrain.home import Home

INCIDENTS, COUNTS, WARNINGS = "campus_safety_incidents", "campus_safety_counts", "campus_safety_warnings"
STAFF_SCOPES = ("city", "district", "school")


def may_read_safety(home: Home, principal: Principal) -> bool:
    """City, district and school staff (not teachers, pupils, parents, the public) with a row scope on the counts."""
    return any(role(g.role).scope in STAFF_SCOPES for g in principal.grants) and reads_rows(home, principal, COUNTS)


def _refused(principal: Principal, what: str) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 不能查看{what}的校园安全信息（不存在或不在您的权限范围内）",
        f"{principal.name} may not read the campus safety of {what} (it does not exist or is outside your scope)",
        org=what,
    )


def _staff(home: Home, principal: Principal) -> None:
    if not may_read_safety(home, principal):
        raise AccessDenied(
            f"{principal.name} 不能查看校园安全：仅市、区、学校管理人员可查看",
            f"{principal.name} may not read campus safety: city, district and school staff only",
        )


def school_incidents(home: Home, principal: Principal, school: str | None = None) -> SchoolIncidents:
    """The incidents of the reader's own school, newest first (school staff only: districts see aggregates).

    Raises:
        AccessDenied: not school staff, or ``school`` is not the reader's school (same answer whether it exists).
    """
    _staff(home, principal)
    view = viewpoint(principal)
    own = view.org_code or ""
    if view.level != "school" or (school and school != own):
        raise _refused(principal, school or own)
    read = read_dataset(home, principal, INCIDENTS, filters={"school_code": own}, sort=["-incident_date"])
    rows = tuple(
        Incident(r["incident_id"], _day(r.get("incident_date")), r.get("time_band"), r.get("place"),
                 r["incident_type"], r.get("severity"), r.get("injured_count"), r.get("reported_in_time"),
                 r.get("description"))
        for r in read.table.to_pylist()
    )  # fmt: skip
    return SchoolIncidents(own, read.total, rows, tuple(sorted({*read.masked, *read.withheld})))


def _day(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def overview(
    home: Home, principal: Principal, *, district: str | None = None, term: str | None = None
) -> SafetyOverview:
    """Rates by school (a district's view, or the city asking for ``district``) or by district (the city).

    Raises:
        AccessDenied: not staff, a school reader (its page is :func:`school_incidents`), or ``district`` outside
            the scope.
    """
    _staff(home, principal)
    view = viewpoint(principal)
    if view.level == "school" or (district and view.level == "district" and district != view.org_code):
        raise _refused(principal, district or view.org_code or "")
    chosen = district or (view.org_code if view.level == "district" else None)
    k = home.settings.small_cell_min
    schools = _schools(home, principal, chosen)
    scope = {"school_code": list(schools)} if chosen else {}
    found = count_rows(home, principal, COUNTS, by=["term"], filters=scope)
    terms = tuple(sorted(str(t) for t in found["term"].to_list())) if found.height else ()
    term = term if term in terms else (terms[-1] if terms else None)
    rows = _rates(home, principal, schools, chosen, term, k) if term else ()
    return SafetyOverview("school" if chosen else "district", chosen, term, terms, k, rows,
                          _patterns(home, principal, scope, term, k), _warnings(home, principal, chosen))  # fmt: skip


def _schools(home: Home, principal: Principal, district: str | None) -> dict[str, str]:
    """School code -> district code of the reader's scope (of ``district`` when given)."""
    read = read_dataset(home, principal, "schools", filters={"district_code": district} if district else None)
    return {str(r["school_code"]): str(r["district_code"]) for r in read.table.to_pylist()}


def _rates(
    home: Home, principal: Principal, schools: dict[str, str], district: str | None, term: str, k: int
) -> tuple[OrgRate, ...]:
    scope = {"school_code": list(schools)} if district else {}
    read = read_dataset(home, principal, COUNTS, filters={**scope, "term": term})
    cells = pl.from_arrow(read.table)
    assert isinstance(cells, pl.DataFrame)
    pupils = count_rows(home, principal, "students", by=["school_code"], filters=scope)
    key = "school_code" if district else "district_code"
    pupils = pupils.with_columns(pl.col("school_code").replace_strict(schools, default=None).alias("district_code"))
    pupils = pupils.group_by(key).agg(pl.col("rows").sum().alias("pupils"))
    grouped = cells.group_by(key, "incident_type").agg(pl.col("incidents").sum())
    grouped = grouped.with_columns(pl.col("incidents").sum().over(key).alias("total")).rename({key: "school_code"})
    shown = suppress_school_cells(grouped, k)
    out = []
    for code in sorted({*pupils[key].to_list(), *grouped["school_code"].to_list()} - {None}):
        mine = shown.filter(pl.col("school_code") == code)
        total = int(mine["total"][0]) if mine.height and mine["total"][0] is not None else (None if mine.height else 0)
        people = pupils.filter(pl.col(key) == code)["pupils"]
        n = int(people[0]) if people.len() else None
        by_type = dict(zip(mine["incident_type"].to_list(), mine["incidents"].to_list(), strict=True))
        out.append(OrgRate(str(code), n, total, rate_per_1000(total, n), by_type, mine["hidden"].is_not_null().any()))
    return tuple(out)


def _patterns(home: Home, principal: Principal, scope: dict[str, Any], term: str | None, k: int) -> tuple[Pattern, ...]:
    if term is None:
        return ()
    found = count_rows(
        home, principal, INCIDENTS, by=["incident_type", "place", "time_band"], filters=scope, min_count=k
    )
    return tuple(
        Pattern(str(r["incident_type"]), str(r["place"]), str(r["time_band"]), r["rows"])
        for r in found.sort("rows", descending=True, nulls_last=True).to_dicts()
    )


def _warnings(home: Home, principal: Principal, district: str | None) -> tuple[Warning, ...]:
    filters: dict[str, Any] = {"first_alarm": "true"}
    if district:
        filters["district_code"] = district
    read = read_dataset(home, principal, WARNINGS, filters=filters, sort=["-week_start"], limit=200)
    return tuple(
        Warning(r["org_code"], r["level"], r.get("district_code"), r["incident_type"], _day(r["week_start"]) or "",
                int(r["incidents"]), float(r["baseline"]), float(r["statistic"]), bool(r["first_alarm"]))
        for r in read.table.to_pylist()
    )  # fmt: skip
