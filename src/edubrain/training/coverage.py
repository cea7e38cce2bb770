"""Training coverage read through governance: shares per organisation, and the action list with names.

Rules (``docs/training-coverage.md``), the same as for teacher data elsewhere:

- the rows of ``training_coverage`` are scoped by :class:`~edubrain.governance.scope.Scope` (a school its own
  staff, a district its schools', the city all; teachers, students, parents and the public none);
- the shares come from counts (:func:`~edubrain.governance.aggregates.count_rows`): no person's value leaves;
- the action list is read row by row (:func:`~edubrain.governance.readpath.read_dataset`), names from the
  teacher register the same way: a reader below L3 gets the teacher id withheld and names masked (``张*``);
  a read showing them unmasked is audited by the read path (``read_unmasked``, purpose ``routine_duty``: teachers'
  names are personal information, L3, which needs no declared purpose); a download is recorded once more as an
  ``export`` of the list's columns (:func:`~edubrain.governance.list_exports.record_list_export`);
- asking for a district or school outside the scope is refused, with the same answer whether it exists or not.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import polars as pl

from edubrain.analytics.training.summary import COUNT_BY, org_shares
from edubrain.analytics.training.targets import load_targets
from edubrain.governance.aggregates import count_rows
from edubrain.governance.identity import Principal
from edubrain.governance.list_exports import record_list_export
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, Scope, reads_rows, viewpoint
from edubrain.home import Home
from edubrain.training.models import ActionList, BehindPerson, CoverageSummary, OrgCoverage, Target

DATASET = "training_coverage"
BEHIND = ("at_risk", "missed")
LIST_LIMIT = 5000
"""Most people an action list holds (a district's list is a few hundred at most; the download is the same list)."""
LIST_SCHEMA: dict[str, Any] = {
    **dict.fromkeys(("teacher_id", "name", "school_code", "school_name", "district_code", "role", "status"), pl.String),
    **dict.fromkeys(("target_hours", "hours", "hours_needed", "projected_hours"), pl.Float64),
    **dict.fromkeys(("trained_3y", "met_3y", "window_at_risk"), pl.Boolean),
}
"""The columns of an action list as a table (the fields of :class:`BehindPerson`, in order)."""


def may_read_training(home: Home, principal: Principal) -> bool:
    """Whether ``principal`` has a dashboard (city, district, school) and a row scope on ``training_coverage``."""
    return reads_rows(home, principal, DATASET)


def _refused(principal: Principal, what: str) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 不能查看{what}的培训覆盖（不存在或不在您的权限范围内）",
        f"{principal.name} may not read the training coverage of {what} (it does not exist or is outside your scope)",
        org=what,
    )


def org_filters(home: Home, principal: Principal, district: str | None, school: str | None) -> dict[str, str]:
    """The filters for a district or school asked for, after checking it lies inside the reader's scope.

    Raises:
        AccessDenied: the reader may not read training coverage at all, or the organisation is outside its scope
            (a school reads its own school only, a district its own district and schools).
    """
    if not may_read_training(home, principal):
        raise AccessDenied(
            f"{principal.name} 不能查看培训覆盖：仅市、区、学校管理与分析人员可查看",
            f"{principal.name} may not read training coverage: city, district and school staff only",
        )
    view = viewpoint(principal)
    scope = Scope.of(home, principal)
    own = view.org_code or ""
    filters: dict[str, str] = {}
    if district:
        if not (view.level == "city" or (view.level == "district" and district == own)):
            raise _refused(principal, district)
        filters["district_code"] = district
    if school:
        inside = {
            "city": True,
            "district": view.level == "district" and school in scope.schools_of(own),
            "school": school == own,
        }
        if not inside.get(view.level or "", False):
            raise _refused(principal, school)
        filters["school_code"] = school
    return filters


def _levels(principal: Principal, filters: dict[str, str]) -> tuple[str, ...]:
    level = viewpoint(principal).level
    if "school_code" in filters or level == "school":
        return ("school",)
    if "district_code" in filters or level == "district":
        return ("district", "school")
    return ("city", "district", "school")


def _year(home: Home, principal: Principal, filters: dict[str, str], year: int | None) -> tuple[int | None, list[int]]:
    """The year to show (``year`` if it has rows in scope, else the newest) and every year with rows."""
    found = count_rows(home, principal, DATASET, by=["year"], filters=filters)
    years = sorted(int(y) for y in found.get_column("year").to_list()) if found.height else []
    if year is not None and year in years:
        return year, years
    return (years[-1] if years else None), years


def targets() -> tuple[Target, ...]:
    """The targets with the sentences they come from."""
    tg = load_targets()
    values = {"principal_hours": tg.principal_hours, "teacher_hours": tg.teacher_hours, "window_years": tg.window_years}
    out = []
    for name, value in values.items():
        src = tg.source(name)
        if src is not None:
            out.append(Target(name, float(value), src.document, src.section, src.quote))
    return tuple(out)


def coverage_summary(
    home: Home, principal: Principal, *, year: int | None = None, district: str | None = None, school: str | None = None
) -> CoverageSummary:
    """Coverage per organisation of the reader's scope (or of ``district`` / ``school`` in it) in ``year``.

    Args:
        home: The installation.
        principal: Who reads (city, district or school staff).
        year: The training year (default: the newest with data in scope).
        district: Only this district (city readers; a district reader its own).
        school: Only this school (inside the scope).

    Raises:
        AccessDenied: as :func:`org_filters`.
    """
    filters = org_filters(home, principal, district, school)
    chosen, years = _year(home, principal, filters, year)
    version = home.lake.version(DATASET)
    if chosen is None:
        return CoverageSummary(None, (), None, district, school, (), targets(), version)
    wanted = {**filters, "year": str(chosen)}
    counts = count_rows(home, principal, DATASET, by=list(COUNT_BY), filters=wanted)
    dates = count_rows(home, principal, DATASET, by=["as_of"], filters=wanted)
    as_of = max((str(d) for d in dates.get_column("as_of").to_list() if d is not None), default=None)
    shares = org_shares(counts, _levels(principal, filters))
    names = org_names(home, principal, [str(c) for c in shares.filter(pl.col("level") == "school")["org_code"]])
    rows = tuple(_org_row(r, names) for r in shares.to_dicts())
    return CoverageSummary(chosen, tuple(years), as_of, district, school, rows, targets(), version)


def _org_row(row: dict[str, Any], names: dict[str, tuple[str, str]]) -> OrgCoverage:
    code = str(row["org_code"])
    zh, en = names.get(code, (code, code))
    ints = ("people", "met", "missed", "at_risk", "on_track", "behind", "window_observed", "covered", "trained")
    return OrgCoverage(
        level=row["level"], org_code=code, parent_code=row["parent_code"], name_zh=zh, name_en=en, role=row["role"],
        **{k: int(row[k] or 0) for k in ints},
        met_share=row["met_share"], behind_share=row["behind_share"],
        covered_share=row["covered_share"], trained_share=row["trained_share"],
    )  # fmt: skip


def org_names(home: Home, principal: Principal, schools: list[str]) -> dict[str, tuple[str, str]]:
    """Names (zh, en) of the city, the districts (code table) and of ``schools`` (read through the read path)."""
    names = {"110000": ("北京市", "Beijing")}
    names.update({c.code: (c.zh, c.en or c.zh) for c in home.catalog.code_table("district").codes})
    if schools:
        read = read_dataset(home, principal, "schools", filters={"school_code": schools})
        for r in read.table.to_pylist():
            if r.get("name"):
                names[str(r["school_code"])] = (str(r["name"]), str(r["name"]))
    return names


def action_list(
    home: Home,
    principal: Principal,
    *,
    year: int | None = None,
    district: str | None = None,
    school: str | None = None,
    export_format: str | None = None,
) -> ActionList:
    """The principals and teachers behind the target in ``year``, with hours so far and still needed.

    Args:
        home: The installation.
        principal: Who reads.
        year: The training year (default: the newest with data in scope).
        district: Only this district (inside the scope).
        school: Only this school (inside the scope).
        export_format: ``csv`` or ``xlsx`` when the list is downloaded: the reads are recorded as an export.

    Raises:
        AccessDenied: as :func:`org_filters`.
    """
    filters = org_filters(home, principal, district, school)
    chosen, _ = _year(home, principal, filters, year)
    if chosen is None:
        return ActionList(None, None, district, school, 0, (), (), home.lake.version(DATASET))
    wanted: dict[str, Any] = {**filters, "year": str(chosen), "status": list(BEHIND)}
    rows = read_dataset(
        home, principal, DATASET, filters=wanted, sort=["school_code", "-hours_needed"], limit=LIST_LIMIT
    )
    frame = pl.from_arrow(rows.table)
    assert isinstance(frame, pl.DataFrame)
    masked = {n for n in (*rows.masked, *rows.withheld)}
    ids = [str(i) for i in frame.get_column("teacher_id").drop_nulls().unique().to_list()] if frame.height else []
    people, hidden = _names(home, principal, ids)
    masked |= hidden
    schools = org_names(home, principal, sorted({str(s) for s in frame.get_column("school_code").to_list()}))
    listed = tuple(_person(r, people, schools) for r in frame.to_dicts())
    listed = tuple(sorted(listed, key=lambda p: (p.district_code or "", p.school_code, p.role != "principal")))
    as_of = str(frame.get_column("as_of").max()) if frame.height else None
    found = ActionList(chosen, as_of, district, school, len(listed), listed, tuple(sorted(masked)), rows.version)
    if export_format is not None:
        record_list_export(
            home, principal, dataset=DATASET, rows=found.count, file_format=export_format,
            fields=[f if f != "name" else "teachers.name" for f in BehindPerson.__dataclass_fields__],
            detail={"version": rows.version, "year": chosen, "also_read": ["teachers", "schools"],
                    "masked": list(found.masked)},
        )  # fmt: skip
    return found


def _names(home: Home, principal: Principal, ids: list[str]) -> tuple[dict[str, str], set[str]]:
    """Names of the register's teachers ``ids`` as the reader may see them, and what was hidden."""
    if not ids:
        return {}, set()
    try:
        read = read_dataset(home, principal, "teachers", filters={"teacher_id": ids})
    except AccessDenied:
        return {}, {"teachers.name"}
    hidden = {f"teachers.{n}" for n in (*read.masked, *read.withheld) if n == "name"}
    return {str(r["teacher_id"]): r.get("name") for r in read.table.to_pylist() if r.get("teacher_id")}, hidden


def _person(row: dict[str, Any], names: dict[str, str], schools: dict[str, tuple[str, str]]) -> BehindPerson:
    tid = row.get("teacher_id")
    school = str(row["school_code"])
    return BehindPerson(
        teacher_id=tid, name=names.get(str(tid)) if tid else None, school_code=school,
        school_name=schools.get(school, (None, None))[0], district_code=row.get("district_code"),
        role="principal" if row.get("is_principal") else "teacher", status=str(row["status"]),
        target_hours=float(row["target_hours"]), hours=float(row["hours"]), hours_needed=float(row["hours_needed"]),
        projected_hours=float(row["projected_hours"]), trained_3y=row.get("trained_3y"), met_3y=row.get("met_3y"),
        window_at_risk=bool(row.get("window_at_risk")),
    )  # fmt: skip


def list_frame(found: ActionList) -> pl.DataFrame:
    """The action list as a table (:data:`LIST_SCHEMA`), for files."""
    return pl.DataFrame([asdict(p) for p in found.people], schema=LIST_SCHEMA)
