"""Teacher and school profiles, and district summaries of student domain scores.

Teacher and school profiles are about organisations and staff, not pupils:
city and district grants read them (inside their districts), schools their
own; the public and the teachers' class grants do not (the row scope of
:class:`~edubrain.governance.scope.Scope`). A district summary shows the
distribution of the five domain scores per school, with no pupil's value and
small cells withheld (:func:`~edubrain.governance.profile_access.score_distributions`).
"""

from __future__ import annotations

from typing import Any

from edubrain.governance.audit_unit import one_audit_commit
from edubrain.governance.identity import Principal
from edubrain.governance.profile_access import record_profile_read, score_distributions
from edubrain.governance.provenance import input_versions
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.profiles._common import (
    DOMAIN_COLUMNS,
    evidence_ref,
    frame_of,
    hidden_fields,
    indicator_values,
    indicators,
    no_such,
    scalar,
    subject_read,
)
from edubrain.profiles.models import (
    Assignment,
    DistrictSummary,
    DomainDistribution,
    SchoolProfile,
    SchoolSummary,
    SectionYear,
    TeacherProfile,
)

_KEYS = {"teacher_id", "school_code", "district_code", "school_year", "pseudonym_key_id"}


def _years(home: Home, kind: str, dataset: str, read: Any) -> tuple[SectionYear, ...]:
    """Profile rows as years: indicator values with sources, the other columns as facts."""
    frame = frame_of(read)
    if frame.is_empty():
        return ()
    hidden = hidden_fields(read)
    defs = indicators("teacher" if kind == "teacher" else "school")
    columns = {d.column for d in defs}
    inputs = input_versions(home, dataset, read.version)
    names = home.catalog.dataset(dataset).field_names
    out = []
    for row in frame.sort("school_year").to_dicts():
        facts = {n: scalar(row.get(n)) for n in names if n not in columns and n not in _KEYS and n not in hidden}
        out.append(
            SectionYear(
                school_year=int(row["school_year"]),
                school_code=str(row.get("school_code") or ""),
                district_code=row.get("district_code"),
                facts=facts,
                indicators=indicator_values(defs, row, hidden, inputs, dataset, read.version),
            )
        )
    return tuple(out)


@one_audit_commit
def teacher_profile(home: Home, principal: Principal, teacher_id: str, *, purpose: str | None = None) -> TeacherProfile:
    """The profile of teacher ``teacher_id`` as ``principal`` may see it (audited ``profile_read``).

    Args:
        home: The installation.
        principal: Who reads (city, district or school staff).
        teacher_id: The teacher's platform id (``T`` + 9 digits).
        purpose: Declared purpose, for reading the teacher's personal fields unmasked.

    Raises:
        AccessDenied: the teacher is unknown or outside the scope (same message), or the reader may not read
            teacher profiles at all.
    """
    read = subject_read(home, principal, "teacher_profiles", {"teacher_id": teacher_id}, purpose=purpose, row_key=True)
    if read.table.num_rows == 0:
        raise no_such("teacher", teacher_id)
    years = _years(home, "teacher", "teacher_profiles", read)
    name, masked = None, set(hidden_fields(read))
    try:
        roster = subject_read(home, principal, "teachers", {"teacher_id": teacher_id}, purpose=purpose)
        if roster.table.num_rows:
            name = frame_of(roster).to_dicts()[0].get("name")
            masked |= {f"teachers.{n}" for n in hidden_fields(roster) if n == "name"}
    except AccessDenied:
        masked.add("teachers.name")
    assignments: tuple[Assignment, ...] = ()
    try:
        taught = subject_read(
            home,
            principal,
            "teacher_assignments",
            {"teacher_id": teacher_id},
            sort=["-school_year", "class_id", "subject"],
            purpose=purpose,
            row_key=True,
        )
        assignments = tuple(
            Assignment(
                school_year=r.get("school_year"),
                class_id=r.get("class_id"),
                subject=r.get("subject"),
                weekly_periods=None if r.get("weekly_periods") is None else float(r["weekly_periods"]),
                evidence=evidence_ref("teacher_assignments", taught.version, r),
            )
            for r in frame_of(taught).to_dicts()
        )
    except AccessDenied:
        masked.add("teacher_assignments")
    record_profile_read(
        home, principal, kind="teacher", subject=teacher_id, purpose=purpose, dataset="teacher_profiles",
        rows=len(years), masked=bool(masked),
    )  # fmt: skip
    return TeacherProfile(
        teacher_id=teacher_id,
        name=name,
        school_code=years[-1].school_code if years else None,
        years=years,
        assignments=assignments,
        purpose=purpose,
        profile_version=read.version,
        masked=tuple(sorted(masked)),
    )


@one_audit_commit
def school_profile(home: Home, principal: Principal, school_code: str) -> SchoolProfile:
    """The profile of school ``school_code`` (audited ``profile_read``).

    Raises:
        AccessDenied: the school is unknown or outside the scope (same message), or the reader may not read
            school profiles at all (the public, teachers' class grants, students and parents).
    """
    read = subject_read(home, principal, "school_profiles", {"school_code": school_code}, row_key=True)
    if read.table.num_rows == 0:
        raise no_such("school", school_code)
    years = _years(home, "school", "school_profiles", read)
    names = read_dataset(home, principal, "schools", filters={"school_code": school_code}, limit=1)
    first = frame_of(names).to_dicts()
    name = first[0].get("name") if first else None
    record_profile_read(
        home, principal, kind="school", subject=school_code, purpose=None, dataset="school_profiles",
        rows=len(years), masked=bool(hidden_fields(read)),
    )  # fmt: skip
    return SchoolProfile(
        school_code=school_code,
        name=None if name is None else str(name),
        district_code=years[-1].district_code if years else None,
        years=years,
        profile_version=read.version,
    )


@one_audit_commit
def district_summary(
    home: Home, principal: Principal, district_code: str | None = None, school_year: int | None = None
) -> DistrictSummary:
    """Domain score distributions per school (small cells suppressed) of ``district_code`` or the reader's scope.

    Args:
        home: The installation.
        principal: Who reads: city, district or school staff (students, parents and the public may not).
        district_code: The district (None: every school the reader sees).
        school_year: The year (None: the newest profiled year in scope).

    Raises:
        AccessDenied: the reader has no dashboard (students, parents, the public), or sees no school of the
            district.
    """
    if Scope.of(home, principal).viewpoint().level is None:
        raise AccessDenied(f"{principal.name} 不能查看画像汇总", f"{principal.name} may not read profile summaries")
    filters: dict[str, Any] = {}
    if district_code is not None:
        filters["district_code"] = district_code
    values = list(DOMAIN_COLUMNS.values())
    by_year = score_distributions(home, principal, "student_profiles", [], ["school_year"], filters, min_count=1)
    years = tuple(int(y) for y in by_year.table.get_column("school_year").to_list()) if by_year.table.height else ()
    year = school_year if school_year is not None else (max(years) if years else None)
    if year is not None:
        filters["school_year"] = year
    found = score_distributions(home, principal, "student_profiles", values, ["school_code"], filters)
    if district_code is not None and not years:
        raise AccessDenied(
            f"没有您可查看的区 {district_code} 的学生画像汇总",
            f"No student profile summary of district {district_code} that you may read",
            district=district_code,
        )
    titles = home.catalog.code_table("quality_domain")
    codes = [str(c) for c in found.table.get_column("school_code").to_list()] if found.table.height else []
    school_names = _school_names(home, principal, codes)
    schools = []
    for row in found.table.to_dicts():
        domains = tuple(
            DomainDistribution(
                code=code,
                title_zh=titles.label(code, "zh") or code,
                title_en=titles.label(code, "en") or code,
                students=row.get(f"{column}__n"),
                mean=row.get(f"{column}__mean"),
                p25=row.get(f"{column}__p25"),
                median=row.get(f"{column}__median"),
                p75=row.get(f"{column}__p75"),
            )
            for code, column in DOMAIN_COLUMNS.items()
        )
        code = str(row["school_code"])
        schools.append(SchoolSummary(code, school_names.get(code), row.get("rows"), row.get("suppressed"), domains))
    record_profile_read(
        home, principal, kind="summary", subject=district_code or "*", purpose=None, dataset="student_profiles",
        rows=len(schools), masked=any(s.suppressed for s in schools), detail={"school_year": year},
    )  # fmt: skip
    return DistrictSummary(district_code, year, found.min_count, tuple(schools), found.version, years)


def _school_names(home: Home, principal: Principal, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    read = read_dataset(home, principal, "schools", filters={"school_code": codes})
    frame = frame_of(read)
    if frame.is_empty() or "name" not in frame.columns:
        return {}
    return {str(r["school_code"]): str(r["name"]) for r in frame.select("school_code", "name").to_dicts()}
