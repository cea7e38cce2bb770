"""Student profiles and the picker of students a reader may open.

A student is addressed by its keyed pseudonym. The facade finds it among the
roster rows the reader may see (:func:`~edubrain.profiles._common.resolve_student`),
reads its ``student_profiles`` rows (every number of its merged group) and
its ``student_status_changes`` through the read path, and records one
``profile_read`` event.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.governance.audit_unit import one_audit_commit
from edubrain.governance.identity import Principal
from edubrain.governance.masking import MaskKind, mask_column
from edubrain.governance.profile_access import record_profile_read
from edubrain.governance.provenance import input_versions
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.profiles._common import (
    DOMAIN_COLUMNS,
    ResolvedStudent,
    evidence_ref,
    frame_of,
    grade_name,
    hidden_fields,
    indicator_values,
    indicators,
    person_reader,
    resolve_student,
    scalar,
    sex_name,
    subject_read,
)
from edubrain.profiles.models import (
    DomainScore,
    Identity,
    StudentChoice,
    StudentChoices,
    StudentProfile,
    StudentYear,
    TimelineEvent,
)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
STAFF_MASKED: dict[str, MaskKind] = {"birth_date": "birth_date", "student_id": "student_number"}
"""Identity fields shown masked to staff even when cleared: a profile never needs them in full (data minimisation)."""


@one_audit_commit
def student_profile(
    home: Home, principal: Principal, pseudonym: str, *, purpose: str | None = None, lang: str = "zh"
) -> StudentProfile:
    """The profile of the student ``pseudonym`` as ``principal`` may see it (audited ``profile_read``).

    Args:
        home: The installation.
        principal: Who reads: a school administrator or teacher (with ``purpose``), the student, a parent.
        pseudonym: The student's keyed pseudonym (``P`` + 20 base32).
        purpose: Declared purpose (id or Chinese title); staff must give one. None for students and parents
            (recorded as ``self_access``).
        lang: Language of the names of grades, sexes and timeline titles (``zh`` or ``en``).

    Raises:
        AccessDenied: the principal holds no school/class/self/children grant, is staff without a purpose,
            or the pseudonym is unknown or outside its scope (one message for both).
    """
    found = resolve_student(home, principal, pseudonym, purpose)
    profile = profile_rows(home, found)
    rows = frame_of(profile).sort("school_year") if profile.table.num_rows else None
    hidden = hidden_fields(profile)
    inputs = input_versions(home, "student_profiles", profile.version)
    defs = indicators("student")
    domain_titles = home.catalog.code_table("quality_domain")
    years: list[StudentYear] = []
    for row in rows.to_dicts() if rows is not None else []:
        domains = tuple(
            DomainScore(
                code,
                column,
                domain_titles.label(code, "zh") or code,
                domain_titles.label(code, "en") or code,
                None if column in hidden or row.get(column) is None else float(row[column]),
            )
            for code, column in DOMAIN_COLUMNS.items()
        )
        years.append(
            StudentYear(
                school_year=int(row["school_year"]),
                school_code=str(row.get("school_code") or ""),
                district_code=row.get("district_code"),
                class_id=row.get("class_id"),
                grade=row.get("grade"),
                grade_name=grade_name(home, row.get("grade"), lang),
                domains=domains,
                indicators=indicator_values(defs, row, hidden, inputs, "student_profiles", profile.version),
                records_merged=int(row.get("records_merged") or 0),
            )
        )
    timeline = _timeline(home, found, rows, profile.version, lang)
    identity = _identity(home, found, lang)
    merged = max([y.records_merged for y in years], default=len(found.ids) - 1)
    record_profile_read(
        home, found.reader, kind="student", subject=found.pseudonym, purpose=purpose, dataset="student_profiles",
        rows=len(years), masked=bool(hidden or identity.masked), detail={"years": [y.school_year for y in years]},
    )  # fmt: skip
    return StudentProfile(
        pseudonym=found.pseudonym,
        identity=identity,
        years=tuple(years),
        timeline=timeline,
        records_merged=merged,
        purpose=purpose,
        profile_version=profile.version,
        masked=tuple(sorted(hidden)),
    )


def profile_rows(home: Home, found: ResolvedStudent, school_year: int | None = None) -> Any:
    """The ``student_profiles`` rows of a resolved student (all its pseudonyms), as the reader may see them."""
    filters: dict[str, Any] = {"student_pseudonym": list(found.pseudonyms)}
    if school_year is not None:
        filters["school_year"] = school_year
    return subject_read(home, found.reader, "student_profiles", filters, purpose=found.purpose, row_key=True)


def _identity(home: Home, found: ResolvedStudent, lang: str) -> Identity:
    """Name, sex, birth date and 学籍号 from the newest roster row; masked per role; never the 身份证号."""
    latest = found.roster.sort(["school_year", "student_id"], descending=[True, False]).head(1)
    masked: list[str] = []
    if not found.own:  # staff: birth date and number masked even when cleared (minimisation)
        latest = latest.with_columns(
            [mask_column(pl.col(c).cast(pl.String), kind).alias(c) for c, kind in STAFF_MASKED.items()]
        )
        masked += list(STAFF_MASKED)
    row = latest.to_dicts()[0]
    grade = row.get("grade")
    return Identity(
        name=row.get("name"),
        sex=row.get("sex"),
        sex_name=sex_name(row.get("sex"), lang),
        birth_date=None if row.get("birth_date") is None else str(scalar(row.get("birth_date"))),
        student_number=row.get("student_id"),
        school_code=row.get("school_code"),
        class_id=row.get("class_id"),
        grade=grade,
        grade_name=grade_name(home, grade, lang),
        masked=tuple(masked),
    )


_TRANSFER_IN, _TRANSFER_OUT = "22", "21"


def _timeline(
    home: Home, found: ResolvedStudent, years: pl.DataFrame | None, version: int | None, lang: str
) -> tuple[TimelineEvent, ...]:
    """Status changes of every number of the group, and the profile years, in date order."""
    changes = subject_read(
        home,
        found.reader,
        "student_status_changes",
        {"student_id": list(found.ids)},
        purpose=found.purpose,
        row_key=True,
    )
    types = home.catalog.code_table("status_change_type")
    events: list[tuple[str, TimelineEvent]] = []
    for row in frame_of(changes).to_dicts():
        date = scalar(row.get("change_date"))
        code = row.get("change_type")
        label_zh = types.label(code, "zh") or str(code) if code else "学籍异动"
        label_en = types.label(code, "en") or str(code) if code else "status change"
        year = _school_year_of(str(date)) if date else None
        event = TimelineEvent(
            kind="status_change",
            date=None if date is None else str(date),
            school_year=year,
            title_zh=label_zh,
            title_en=label_en,
            school_code=row.get("school_code"),
            from_school_code=row.get("from_school_code"),
            to_school_code=row.get("to_school_code"),
            change_type=code,
            evidence=evidence_ref("student_status_changes", changes.version, row),
        )
        events.append((f"{date}|1", event))
    for row in years.to_dicts() if years is not None else []:
        year = int(row["school_year"])
        name_zh = grade_name(home, row.get("grade"), "zh")
        name_en = grade_name(home, row.get("grade"), "en")
        event = TimelineEvent(
            kind="year",
            date=None,
            school_year=year,
            title_zh=f"{year}–{year + 1} 学年 {name_zh}".strip(),
            title_en=f"School year {year}-{year + 1} {name_en}".strip(),
            school_code=row.get("school_code"),
            grade=row.get("grade"),
            class_id=row.get("class_id"),
            evidence=evidence_ref("student_profiles", version, row),
        )
        events.append((f"{year}-09-01|0", event))
    return tuple(e for _, e in sorted(events, key=lambda pair: pair[0]))


def _school_year_of(date: str) -> int | None:
    """The school year (starting 1 September) of an ISO date."""
    try:
        year, month = int(date[:4]), int(date[5:7])
    except ValueError:
        return None
    return year if month >= 9 else year - 1


@one_audit_commit
def student_choices(
    home: Home,
    principal: Principal,
    *,
    purpose: str | None = None,
    school_year: int | None = None,
    class_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> StudentChoices:
    """The students ``principal`` may open (pseudonym, masked name, class, grade), one page, by class and number.

    Args:
        home: The installation.
        principal: Who picks: staff with a purpose, a student or a parent.
        purpose: As for :func:`student_profile`.
        school_year: Only roster rows of this school year.
        class_id: Only this class.
        limit: Page size (1 … 500).
        offset: Rows to skip.

    Raises:
        AccessDenied: as :func:`student_profile` (no grant over persons, staff without a purpose).
    """
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise AccessDenied(
            f"分页参数无效：limit 须在 1–{MAX_LIMIT} 之间，offset 不能为负",
            f"Invalid page: limit must be 1-{MAX_LIMIT} and offset not negative",
        )
    reader = person_reader(home, principal, purpose)
    filters: dict[str, Any] = {}
    if school_year is not None:
        filters["school_year"] = school_year
    if class_id is not None:
        filters["class_id"] = class_id
    read = read_dataset(
        home, reader, "students", filters=filters, sort=["class_id"], limit=limit, offset=offset, purpose=purpose
    )
    rows = frame_of(read)
    items: tuple[StudentChoice, ...] = ()
    if rows.height:
        key = pseudonym_key(home.settings)
        rows = rows.with_columns(
            pseudonymise(rows.get_column("student_id").cast(pl.String), "student", key).alias("__p"),
            mask_column(pl.col("name").cast(pl.String), "name").alias("__name"),
        )
        items = tuple(
            StudentChoice(
                pseudonym=r["__p"],
                name=r["__name"],
                school_code=r.get("school_code"),
                class_id=r.get("class_id"),
                grade=r.get("grade"),
                grade_name=grade_name(home, r.get("grade")),
            )
            for r in rows.select("__p", "__name", "school_code", "class_id", "grade").to_dicts()
        )
    record_profile_read(
        home, reader, kind="choices", subject=class_id or "*", purpose=purpose, dataset="students",
        rows=len(items), masked=True, detail={"school_year": school_year},
    )  # fmt: skip
    return StudentChoices(items, read.total, limit, offset, school_year)
