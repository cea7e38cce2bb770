"""What the profile functions share: indicator definitions, the reader of a person's records, resolution, rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow as pa

from edubrain.errors import EduBrainError
from edubrain.governance import identity_links, policy
from edubrain.governance.identity import Principal
from edubrain.governance.masking import mask_column
from edubrain.governance.profile_access import student_number_of
from edubrain.governance.pseudonyms import PSEUDONYM_PATTERN, pseudonym_key, pseudonymise
from edubrain.governance.readpath import KEPT_PAGE_ROWS, ROW_KEY, ReadResult, grant_rank, level_rank, read_dataset
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.profiles.models import EvidenceRef, IndicatorValue, ProfileKind, Scalar, Source

if TYPE_CHECKING:
    from edubrain.analytics.profiles.definitions import IndicatorDef

PROFILE_DATASETS: dict[str, str] = {
    "student": "student_profiles",
    "teacher": "teacher_profiles",
    "school": "school_profiles",
}
DOMAIN_COLUMNS: dict[str, str] = {
    "1": "domain_moral",
    "2": "domain_academic",
    "3": "domain_health",
    "4": "domain_arts",
    "5": "domain_practice",
}
"""quality_domain code → the derived column of its 0–100 score (教基二〔2014〕11号 order)."""
GRADE_NAMES_EN = {
    **{f"1{i}": f"Primary {i}" for i in range(1, 7)},
    **{f"2{i}": f"Junior {i}" for i in range(1, 4)},
    **{f"3{i}": f"Senior {i}" for i in range(1, 4)},
}
_SEX_EN = {"1": "male", "2": "female"}


class ProfileError(EduBrainError):
    """An unknown indicator, or a request a profile cannot answer (HTTP 404)."""

    code = "not_found"


def no_such(kind: str, subject: str) -> AccessDenied:
    """The one error for a subject that is unknown or outside the reader's scope (no existence oracle)."""
    what_zh = {"student": "学生", "teacher": "教师", "school": "学校"}.get(kind, kind)
    return AccessDenied(
        f"没有您可查看的{what_zh}画像 {subject}（不存在或不在您的权限范围内）",
        f"No {kind} profile {subject} that you may read (it does not exist or is outside your scope)",
        kind=kind,
        subject=subject,
    )


def grade_name(home: Home, grade: str | None, lang: str = "zh") -> str:
    """The grade's name in ``lang`` (``初一``, ``Junior 1``), or ``""``."""
    if not grade:
        return ""
    if lang != "zh" and grade in GRADE_NAMES_EN:
        return GRADE_NAMES_EN[grade]
    try:
        return home.catalog.code_table("grade").label(grade, lang) or grade
    except EduBrainError:
        return grade


def sex_name(sex: str | None, lang: str = "zh") -> str:
    """``男`` / ``女`` (``male`` / ``female``), or ``""``."""
    if not sex:
        return ""
    return {"1": "男", "2": "女"}.get(sex, sex) if lang == "zh" else _SEX_EN.get(sex, sex)


def indicators(profile: ProfileKind) -> list[IndicatorDef]:
    """The indicator definitions of one kind of profile, in declaration order."""
    from edubrain.analytics.profiles.definitions import load_indicators

    return load_indicators(profile)


def indicator(profile: ProfileKind, indicator_id: str) -> IndicatorDef:
    """One indicator of a kind of profile.

    Raises:
        ProfileError: no such indicator for that kind of profile.
    """
    for d in indicators(profile):
        if d.id == indicator_id:
            return d
    raise ProfileError(
        f"{profile} 画像没有指标 {indicator_id}",
        f"The {profile} profile has no indicator {indicator_id}",
        indicator=indicator_id,
    )


# readers


def person_reader(home: Home, principal: Principal, purpose: str | None) -> Principal:
    """The principal narrowed to the grants that may open one student's records, for ``purpose``.

    Raises:
        AccessDenied: no school, class, self or children grant (city and district staff read aggregates);
            or only staff grants and no purpose (a student's profile is sensitive personal information, L4).
    """
    grants = Scope.of(home, principal).person_grants()
    if not grants:
        raise AccessDenied(
            f"{principal.name} 不能查看学生个人画像：市、区级账户只能查看汇总及学校、教师画像",
            f"{principal.name} may not read an individual student's profile: city and district accounts "
            "read aggregates and school and teacher profiles only",
        )
    if purpose is None:
        sensitive = level_rank(home, policy.SENSITIVE_LEVEL)
        grants = tuple(g for g in grants if grant_rank(home, g.role, None) >= sensitive)
        if not grants:
            choices = [p.id for p in policy.purposes().values() if not p.automatic]
            raise AccessDenied(
                "查看学生画像须说明用途（学生画像属于敏感个人信息）：请选择用途后重试",
                "Reading a student's profile needs a declared purpose (it is sensitive personal information)",
                purpose_required=True,
                purposes=choices,
            )
    return replace(principal, grants=grants)


@dataclass(frozen=True)
class ResolvedStudent:
    """A student found inside a reader's scope.

    Attributes:
        reader: The principal narrowed to its person grants (:func:`person_reader`).
        purpose: The declared purpose (None: the reader is the student or a parent).
        pseudonym: The pseudonym asked for.
        student_id: The roster's student number that matched.
        ids: All student numbers of its merged group (``student_id`` first).
        pseudonyms: Their pseudonyms (same order).
        roster: The student's roster rows (one per number of the group the reader sees), as read.
        roster_version: The roster version read.
        own: Whether the reader is the student or its parent (no staff grant used).
    """

    reader: Principal
    purpose: str | None
    pseudonym: str
    student_id: str
    ids: tuple[str, ...]
    pseudonyms: tuple[str, ...]
    roster: pl.DataFrame
    roster_version: int | None
    own: bool


def resolve_student(home: Home, principal: Principal, pseudonym: str, purpose: str | None) -> ResolvedStudent:
    """Find the student ``pseudonym`` among the students the principal may see (for ``purpose``).

    The number is found among the roster numbers in scope
    (:func:`~edubrain.governance.profile_access.student_number_of`, their
    pseudonyms kept per roster version), and only the rows of its merged group
    are read through the read path (scoped, masked, audited), not the school's roster.

    Raises:
        AccessDenied: as :func:`person_reader`; or the pseudonym is malformed, unknown or outside the scope
            (one message for all three).
    """
    reader = person_reader(home, principal, purpose)
    text = pseudonym.strip().upper()
    if not re.match(PSEUDONYM_PATTERN, text):
        raise no_such("student", pseudonym)
    links = pl.from_arrow(identity_links.active_links(home))
    assert isinstance(links, pl.DataFrame)
    student_id = student_number_of(home, reader, text, links)
    if student_id is None:
        raise no_such("student", pseudonym)
    group = _group(links, student_id)
    try:
        read = subject_read(home, reader, "students", {"student_id": group}, purpose=purpose)
    except AccessDenied:  # e.g. the number is above the reader's clearance: as unknown (no oracle)
        raise no_such("student", pseudonym) from None
    mine = _frame(read.table)
    if mine.is_empty() or "student_id" not in mine.columns:
        raise no_such("student", pseudonym)
    mine = mine.filter(pl.col("student_id").cast(pl.String).is_in(group))
    key = pseudonym_key(home.settings)
    pseudonyms = pseudonymise(pl.Series(group, dtype=pl.String), "student", key).to_list()
    own = Scope.of(home, reader).own_records_only()
    return ResolvedStudent(reader, purpose, text, student_id, tuple(group), tuple(pseudonyms), mine, read.version, own)


def _group(links: pl.DataFrame, student_id: str) -> list[str]:
    """The numbers of ``student_id``'s merged group in ``links`` (:func:`identity_links.linked_ids`, same order).

    Taken from the links already read, so the group is of the same link state as the resolution.
    """
    rooted = links.filter(pl.col("student_id") == student_id).get_column("canonical_id")
    root = str(rooted[0]) if rooted.len() else student_id
    members = links.filter(pl.col("canonical_id") == root).get_column("student_id").cast(pl.String).to_list()
    return [student_id, *sorted(({root} | set(members)) - {student_id})]


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def frame_of(result: ReadResult) -> pl.DataFrame:
    """The rows of a read as a polars frame."""
    return _frame(result.table)


def subject_read(
    home: Home,
    principal: Principal,
    dataset_id: str,
    filters: dict[str, Any],
    *,
    purpose: str | None = None,
    sort: Sequence[str] | None = None,
    row_key: bool = False,
) -> ReadResult:
    """The rows of one subject (its profile years, status changes, assignments), read through the read path.

    A subject has a handful of rows, so they are read as one page of at most
    :data:`~edubrain.governance.readpath.KEPT_PAGE_ROWS`: the read path keeps
    such a page per table version (before masking; every read is still scoped,
    masked and audited), and the same profile opened again, or its evidence
    and the way back, costs no lake query. More rows than that are read in full.
    """
    read = read_dataset(
        home, principal, dataset_id, filters=filters, sort=sort, limit=KEPT_PAGE_ROWS, purpose=purpose, row_key=row_key
    )
    if read.total > read.table.num_rows:
        read = read_dataset(home, principal, dataset_id, filters=filters, sort=sort, purpose=purpose, row_key=row_key)
    return read


def scalar(value: Any) -> Scalar:
    """A JSON-ready scalar: dates as ISO text, decimals as float."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def evidence_ref(dataset: str, version: int | None, row: dict[str, Any]) -> EvidenceRef:
    """A link to one row read with ``row_key=True``."""
    batch = row.get("_batch_id")
    return EvidenceRef(dataset, version, row.get(ROW_KEY), None if batch is None else str(batch))


def indicator_values(
    defs: Sequence[IndicatorDef],
    row: dict[str, Any],
    hidden: set[str],
    inputs: dict[str, int | None],
    profile_dataset: str,
    profile_version: int | None,
) -> tuple[IndicatorValue, ...]:
    """The indicator values of one profile row, each with its source (evidence dataset and input version)."""
    out = []
    for d in defs:
        masked = d.column in hidden
        out.append(
            IndicatorValue(
                id=d.id,
                column=d.column,
                domain=str(d.domain),
                title_zh=d.title_zh,
                title_en=d.title_en,
                unit=d.unit or "",
                value=None if masked else scalar(row.get(d.column)),
                masked=masked,
                source=Source(
                    None if d.evidence is None else d.evidence.dataset,
                    None if d.evidence is None else inputs.get(d.evidence.dataset),
                    profile_dataset,
                    profile_version,
                ),
            )
        )
    return tuple(out)


STAFF_MINIMISED: tuple[str, ...] = ("student_number", "birth_date", "national_id")
"""PII kinds a profile shows staff masked even when their clearance and purpose would unmask them."""
ALWAYS_MINIMISED: tuple[str, ...] = ("national_id",)
"""PII kinds a profile never shows in full, to anyone (the 身份证号: data minimisation)."""


def minimise(home: Home, dataset_id: str, frame: pl.DataFrame, own: bool) -> tuple[pl.DataFrame, list[str]]:
    """Mask, for display in a profile, the identifying fields it never needs in full; returns the fields masked.

    Staff see a pupil's 学籍号 and birth date masked (the pseudonym addresses the pupil); nobody sees a
    身份证号 in full. Masking is idempotent, so values the read path already masked stay as they were.
    """
    kinds = ALWAYS_MINIMISED if own else STAFF_MINIMISED
    fields = [f for f in home.catalog.dataset(dataset_id).fields if f.pii in kinds and f.name in frame.columns]
    if not fields or frame.is_empty():
        return frame, [f.name for f in fields]
    return frame.with_columns([mask_column(pl.col(f.name).cast(pl.String), f.pii).alias(f.name) for f in fields]), [
        f.name for f in fields
    ]


def hidden_fields(result: ReadResult) -> set[str]:
    """Fields the reader got masked or withheld (for some row)."""
    return set(result.masked) | set(result.withheld)
