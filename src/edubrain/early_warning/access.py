"""Students-at-risk flags read through governance: lists for teachers and schools, counts for districts and the city.

Rules (docs/early-warning-students.md):

- a teacher sees the flagged pupils of the classes its grant names (the row scope of
  :class:`~edubrain.governance.scope.Scope`: ``class_id`` in the grant's classes), a school its pupils; both must
  declare a purpose, and the read path audits every unmasked read with it (``read_unmasked``); opening one pupil
  is also recorded as a ``profile_read``;
- a district and the city see counts only (:func:`~edubrain.governance.aggregates.count_rows`), with cells below
  ``EDUBRAIN_SMALL_CELL_MIN`` suppressed, so no single pupil's flag can be inferred from them;
- students and parents see nothing: a risk flag is an inferred label on a minor, shown to the adults who act on
  it, not to the child (docs, "伦理");
- a pupil, class or school outside the scope gets the same answer as one that does not exist; flags are a derived
  dataset that nobody submits or edits (the exchange refuses rows into derived datasets).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.analytics.at_risk import explain, load_rules
from edubrain.early_warning.models import Contribution, FlaggedStudent, FlagList, FlagSummary, OrgCount
from edubrain.governance import policy
from edubrain.governance.aggregates import count_rows
from edubrain.governance.identity import Principal
from edubrain.governance.profile_access import record_profile_read
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, Scope, viewpoint
from edubrain.home import Home

DATASET = "student_risk_flags"
LIST_LIMIT = 5000
_LEVEL_COLUMN = {"district": "district_code", "school": "school_code", "class": "class_id"}


def flags_computed(home: Home) -> bool:
    """Whether ``student_risk_flags`` has been written at least once."""
    return home.lake.version(DATASET) is not None


def reader_level(home: Home, principal: Principal) -> str | None:
    """How the reader sees flags: ``list`` (teacher, school), ``counts`` (district, city) or None (nobody else)."""
    scope = Scope.of(home, principal)
    view = viewpoint(principal)
    if scope.own_records_only() or view.level is None:
        return None
    try:
        scope.predicates(home.catalog.dataset(DATASET))
    except AccessDenied:
        return None
    return "list" if scope.person_grants() else "counts"


def _no_flags(principal: Principal) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 不能查看学生发展风险预警：仅任课教师、学校和区、市教育管理人员可查看（学生和家长不显示预警）",
        f"{principal.name} may not read students-at-risk flags: teachers, schools, districts and the city only "
        "(pupils and parents are not shown flags)",
    )


def _refused(principal: Principal, what: str) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 不能查看 {what} 的风险预警（不存在或不在您的权限范围内）",
        f"{principal.name} may not read the flags of {what} (it does not exist or is outside your scope)",
        subject=what,
    )


def _checked_purpose(principal: Principal, purpose: str | None) -> str:
    if not purpose:
        known = "、".join(f"{p.id}（{p.title_zh}）" for p in policy.purposes().values() if not p.automatic)
        raise AccessDenied(
            f"查看学生预警须声明用途；可用：{known}",
            "Reading students-at-risk flags needs a declared purpose, e.g. teaching",
            allowed=[p.id for p in policy.purposes().values() if not p.automatic],
        )
    return policy.purpose(purpose).id


def flag_summary(home: Home, principal: Principal) -> FlagSummary:
    """Assessed, flagged and high-band pupils per organisation one level below the reader.

    The city counts per district, a district per school, a school or teacher per class. Cells of the city's and a
    district's counts below the small-cell minimum are suppressed (None). The read is audited (``profile_read``,
    kind ``summary``).

    Raises:
        AccessDenied: the reader may not see flags at all (pupils, parents, the public, nodes).
    """
    how = reader_level(home, principal)
    if how is None:
        raise _no_flags(principal)
    view = viewpoint(principal)
    level = {"city": "district", "district": "school"}.get(view.level or "", "class")
    k = home.settings.small_cell_min if how == "counts" else 0
    column = _LEVEL_COLUMN[level]
    assessed = count_rows(home, principal, DATASET, by=[column], min_count=k)
    flagged = count_rows(home, principal, DATASET, by=[column], filters={"flagged": "true"}, min_count=k)
    high = count_rows(home, principal, DATASET, by=[column], filters={"risk_band": "high"}, min_count=k)
    years = count_rows(home, principal, DATASET, by=["school_year"])
    rows = _org_rows(level, column, assessed, flagged, high)
    totals = count_rows(home, principal, DATASET, filters={"flagged": "true"}, min_count=k)
    total_assessed = count_rows(home, principal, DATASET, min_count=k).get_column("rows")[0]
    year = max((int(y) for y in years.get_column("school_year").to_list()), default=None) if years.height else None
    record_profile_read(
        home, principal, kind="summary", subject=view.org_code or "", purpose=None, dataset=DATASET, rows=len(rows),
        detail={"view": "at_risk_counts", "level": level, "min_count": k},
    )  # fmt: skip
    return FlagSummary(year, level, k, rows, total_assessed, totals.get_column("rows")[0], home.lake.version(DATASET))


def _org_rows(
    level: str, column: str, assessed: pl.DataFrame, flagged: pl.DataFrame, high: pl.DataFrame
) -> tuple[OrgCount, ...]:
    """One row per organisation; a group absent from a count had none (0), a suppressed one is None."""

    def cells(frame: pl.DataFrame) -> dict[str, int | None]:
        return {str(r[column]): r["rows"] for r in frame.to_dicts()}

    f_cells, h_cells = cells(flagged), cells(high)
    out = []
    for code, n in sorted(cells(assessed).items()):
        f = f_cells.get(code, 0 if n is not None else None)
        h = h_cells.get(code, 0 if n is not None else None)
        out.append(OrgCount(level, code, n, f, h, f / n if n and f is not None else None))
    return tuple(out)


def _names(home: Home, principal: Principal, frame: pl.DataFrame, purpose: str) -> tuple[dict[str, str], set[str]]:
    """Names of the listed pupils from the roster of their classes, by pseudonym, and what was hidden."""
    classes = sorted({str(c) for c in frame.get_column("class_id").drop_nulls().to_list()})
    if not classes:
        return {}, set()
    try:
        read = read_dataset(home, principal, "students", filters={"class_id": classes}, purpose=purpose)
    except AccessDenied:
        return {}, {"students.name"}
    roster = pl.from_arrow(read.table)
    assert isinstance(roster, pl.DataFrame)
    if "name" in read.masked or "name" in read.withheld or "student_id" in read.masked or not roster.height:
        return {}, {"students.name"}
    key = pseudonym_key(home.settings)
    roster = roster.with_columns(pseudonymise(roster.get_column("student_id"), "student", key).alias("p"))
    return dict(zip(roster.get_column("p").to_list(), roster.get_column("name").to_list(), strict=True)), set()


def _student(row: dict[str, Any], names: dict[str, str]) -> FlaggedStudent:
    contributions = tuple(
        Contribution(**{k: getattr(c, k) for k in Contribution.__dataclass_fields__})
        for c in explain(row, load_rules())
    )
    pseudonym = str(row["student_pseudonym"])
    return FlaggedStudent(
        pseudonym=pseudonym, name=names.get(pseudonym), school_code=str(row["school_code"]),
        class_id=row.get("class_id"), grade=row.get("grade"), school_year=int(row["school_year"]),
        risk_score=float(row["risk_score"]), risk_band=str(row["risk_band"]), signals=int(row["signals"]),
        contributions=contributions,
    )  # fmt: skip


def flagged_students(home: Home, principal: Principal, *, purpose: str | None, class_id: str | None = None) -> FlagList:
    """The flagged pupils of the reader's classes (a teacher) or school, highest score first, explained.

    Args:
        home: The installation.
        principal: A teacher or a school's staff.
        purpose: The declared purpose (e.g. ``teaching``); every read is audited with it.
        class_id: Only this class (a class outside the scope lists nobody, as an unknown one).

    Raises:
        AccessDenied: no purpose, or the reader sees counts only (district, city) or nothing (pupils, parents).
    """
    how = reader_level(home, principal)
    if how != "list":
        raise _no_flags(principal) if how is None else _refused(principal, "学生个人 / individual pupils")
    used = _checked_purpose(principal, purpose)
    filters: dict[str, Any] = {"flagged": "true"}
    if class_id:
        filters["class_id"] = class_id
    read = read_dataset(home, principal, DATASET, filters=filters, sort=["-risk_score"], limit=LIST_LIMIT, purpose=used)
    frame = pl.from_arrow(read.table)
    assert isinstance(frame, pl.DataFrame)
    names, hidden = _names(home, principal, frame, used) if frame.height else ({}, set())
    students = tuple(_student(r, names) for r in frame.to_dicts())
    years = [s.school_year for s in students]
    masked = tuple(sorted({*read.masked, *read.withheld, *hidden}))
    return FlagList(max(years, default=None), used, len(students), students, masked, read.version)


def student_flag(home: Home, principal: Principal, pseudonym: str, *, purpose: str | None) -> FlaggedStudent:
    """One pupil's flag and what contributed, for a teacher of the pupil's class or the pupil's school.

    Raises:
        AccessDenied: no purpose; the reader may not list pupils; or the pupil is unknown or outside the scope
            (the same answer for both).
    """
    how = reader_level(home, principal)
    if how != "list":
        raise _no_flags(principal) if how is None else _refused(principal, pseudonym)
    used = _checked_purpose(principal, purpose)
    read = read_dataset(home, principal, DATASET, filters={"student_pseudonym": pseudonym}, purpose=used)
    frame = pl.from_arrow(read.table)
    assert isinstance(frame, pl.DataFrame)
    if not frame.height:
        raise _refused(principal, pseudonym)
    row = frame.sort("school_year").to_dicts()[-1]
    names, _ = _names(home, principal, frame, used)
    record_profile_read(
        home, principal, kind="student", subject=pseudonym, purpose=used, dataset=DATASET, rows=1,
        detail={"view": "at_risk", "flagged": bool(row.get("flagged"))},
    )  # fmt: skip
    return _student(row, names)
