"""The typed results of the governed profile facade (:mod:`edubrain.profiles`).

Every result is a frozen dataclass, already scoped, masked and audited: an
adapter (API, web page, PDF, CLI) renders it and never reads the lake itself.
Values a reader may not see are ``None`` with their name in ``masked``.
Each indicator value carries its :class:`Source` (the evidence dataset and
the input version the profile was computed from), so a page can link every
value to :func:`edubrain.profiles.evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ProfileKind = Literal["student", "teacher", "school"]
"""What a profile is about; also the ``kind`` of :func:`edubrain.profiles.evidence`."""

Scalar = str | int | float | bool | None
"""A value shown in a profile or an evidence row."""


@dataclass(frozen=True)
class Source:
    """Where a value came from: the evidence dataset and the version of it the profile was computed from.

    Attributes:
        dataset: The source (evidence) dataset id, e.g. ``student_activities`` (None: the value rests on no lake
            rows, e.g. submission batches of the operational database).
        version: Its lake version recorded in the derived dataset's lineage (None: not recorded).
        profile_dataset: The derived dataset holding the value (``student_profiles`` …).
        profile_version: The derived dataset's version read.
    """

    dataset: str | None
    version: int | None
    profile_dataset: str
    profile_version: int | None


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator of one profile year.

    Attributes:
        id: The indicator id (``IndicatorDef.id``), used in evidence links.
        column: The derived dataset's column.
        domain: The quality domain code (``1`` … ``5``; ``6`` information literacy; for students) or the
            section id (teachers, schools).
        title_zh: Chinese title.
        title_en: English title.
        unit: Unit (may be empty).
        value: The value, or None (no data, or not visible to the reader: see ``masked``).
        masked: True when the reader may not see the value (withheld by clearance).
        source: The evidence dataset and version.
    """

    id: str
    column: str
    domain: str
    title_zh: str
    title_en: str
    unit: str
    value: Scalar
    masked: bool
    source: Source


@dataclass(frozen=True)
class DomainScore:
    """A five-domain score (0–100) of one year: 思想品德, 学业水平, 身心健康, 艺术素养, 社会实践.

    Attributes:
        code: quality_domain code ``1`` … ``5``.
        column: The derived column (``domain_moral`` …).
        title_zh: Chinese title.
        title_en: English title.
        score: 0–100, or None (no data or not visible).
    """

    code: str
    column: str
    title_zh: str
    title_en: str
    score: float | None


@dataclass(frozen=True)
class StudentYear:
    """One school year of a student profile (one row of ``student_profiles``).

    Attributes:
        school_year: The school year (its first calendar year).
        school_code: The school that year.
        district_code: Its district.
        class_id: The class (None if unknown or not visible).
        grade: The grade code (JY/T 1001), e.g. ``21``.
        grade_name: The grade in Chinese, e.g. ``初一``.
        domains: The five domain scores, in code order.
        indicators: Every student indicator of that year, in definition order.
        records_merged: How many student records identity resolution merged into this one.
    """

    school_year: int
    school_code: str
    district_code: str | None
    class_id: str | None
    grade: str | None
    grade_name: str
    domains: tuple[DomainScore, ...]
    indicators: tuple[IndicatorValue, ...]
    records_merged: int = 0


@dataclass(frozen=True)
class Identity:
    """Who the student is, as far as the reader may see (masked per role; the 身份证号 is never shown).

    Attributes:
        name: Name (masked as ``张*`` for readers who may not see it).
        sex: Sex code (GB/T 2261.1: ``1`` 男, ``2`` 女).
        sex_name: ``男`` / ``女``.
        birth_date: ``2015-03-15``, or masked ``2015-**-**``.
        student_number: 全国学籍号, masked ``G110108********1234`` for staff.
        school_code: The current school.
        class_id: The current class.
        grade: The current grade code.
        grade_name: The current grade in Chinese.
        masked: The identity fields shown masked or withheld.
    """

    name: str | None
    sex: str | None
    sex_name: str
    birth_date: str | None
    student_number: str | None
    school_code: str | None
    class_id: str | None
    grade: str | None
    grade_name: str
    masked: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceRef:
    """A link to the row a timeline event or value rests on.

    Attributes:
        dataset: The dataset of the row.
        version: The lake version read.
        row_key: The row's keyed pseudonym (``K`` + 20 base32; the read path's ``_key``), stable across reads.
        batch_id: The submission batch that wrote the row (None: not visible to the reader).
    """

    dataset: str
    version: int | None
    row_key: str | None
    batch_id: str | None = None


@dataclass(frozen=True)
class TimelineEvent:
    """One event of the enrollment history: a status change, or a profile year at a school.

    Attributes:
        kind: ``status_change`` (a row of ``student_status_changes``) or ``year`` (a row of ``student_profiles``).
        date: ISO date of the change; for a year, None.
        school_year: The school year of the event.
        title_zh: What happened, in Chinese (``转入``, ``2024 学年 初一``).
        title_en: What happened, in English.
        school_code: The school recording the event.
        from_school_code: For a transfer, the school left.
        to_school_code: For a transfer, the school joined.
        change_type: status_change_type code (for status changes).
        grade: Grade code (for years).
        class_id: Class (for years).
        evidence: The row the event comes from.
    """

    kind: Literal["status_change", "year"]
    date: str | None
    school_year: int | None
    title_zh: str
    title_en: str
    school_code: str | None
    from_school_code: str | None = None
    to_school_code: str | None = None
    change_type: str | None = None
    grade: str | None = None
    class_id: str | None = None
    evidence: EvidenceRef | None = None


@dataclass(frozen=True)
class StudentProfile:
    """A student's 综合素质评价 profile as one reader may see it.

    Attributes:
        pseudonym: The keyed pseudonym that addresses the student (never the 学籍号).
        identity: Identity, masked per role.
        years: Profile years, oldest first.
        timeline: Enrollment history and profile years, in date order.
        records_merged: Student records merged into this one (identity resolution).
        purpose: The purpose the read was made for (``self_access`` for students and parents).
        profile_version: Version of ``student_profiles`` read (None: not computed yet).
        masked: Profile fields withheld from the reader.
    """

    pseudonym: str
    identity: Identity
    years: tuple[StudentYear, ...]
    timeline: tuple[TimelineEvent, ...]
    records_merged: int
    purpose: str | None
    profile_version: int | None
    masked: tuple[str, ...] = ()

    def year(self, school_year: int) -> StudentYear | None:
        """The profile year ``school_year``, or None."""
        return next((y for y in self.years if y.school_year == school_year), None)


@dataclass(frozen=True)
class SectionYear:
    """One school year of a teacher or school profile: its values grouped by section in ``indicators``.

    Attributes:
        school_year: The school year.
        school_code: The school.
        district_code: Its district.
        facts: Descriptive columns of the row that are no indicator (``is_principal``, ``subjects``,
            ``school_type``, ``stages`` …).
        indicators: Indicator values, in definition order (``IndicatorValue.domain`` is the section).
    """

    school_year: int
    school_code: str
    district_code: str | None
    facts: dict[str, Scalar]
    indicators: tuple[IndicatorValue, ...]


@dataclass(frozen=True)
class Assignment:
    """One teaching assignment (a row of ``teacher_assignments``)."""

    school_year: int | None
    class_id: str | None
    subject: str | None
    weekly_periods: float | None
    evidence: EvidenceRef | None = None


@dataclass(frozen=True)
class TeacherProfile:
    """A teacher's profile: teaching load, training against targets, results of classes taught, portfolio.

    Attributes:
        teacher_id: The teacher's platform id.
        name: Name as the reader may see it (masked ``王*`` below clearance).
        school_code: The teacher's (latest) school.
        years: Profile years, oldest first.
        assignments: Teaching assignments, newest year first.
        purpose: The purpose of the read, if any.
        profile_version: Version of ``teacher_profiles`` read.
        masked: Fields withheld or masked for the reader.
    """

    teacher_id: str
    name: str | None
    school_code: str | None
    years: tuple[SectionYear, ...]
    assignments: tuple[Assignment, ...]
    purpose: str | None
    profile_version: int | None
    masked: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchoolProfile:
    """A school's profile: size, stages, capacity, teachers, fitness, exams, infrastructure, data quality.

    Attributes:
        school_code: 学校标识码.
        name: The school's name.
        district_code: Its district.
        years: Profile years, oldest first.
        profile_version: Version of ``school_profiles`` read.
    """

    school_code: str
    name: str | None
    district_code: str | None
    years: tuple[SectionYear, ...]
    profile_version: int | None


@dataclass(frozen=True)
class EvidenceRow:
    """One evidence row with its provenance.

    Attributes:
        values: The row's catalog fields, masked as the reader may see them.
        row_key: The row's keyed pseudonym (stable id of the row).
        batch_id: The submission batch that wrote it (``_batch_id``).
        org: The organisation that submitted it (``_org``).
        committed_at: ISO time the batch was committed (None: unknown or out of the reader's record scope).
        version: The lake version of the batch's commit (None: unknown).
    """

    values: dict[str, Scalar]
    row_key: str | None
    batch_id: str | None
    org: str | None
    committed_at: str | None
    version: int | None


@dataclass(frozen=True)
class IndicatorInfo:
    """What an indicator is and how it is computed (from the indicator definitions)."""

    id: str
    profile: ProfileKind
    domain: str
    column: str
    title_zh: str
    title_en: str
    unit: str
    method_zh: str
    method_en: str


@dataclass(frozen=True)
class EvidenceSet:
    """Further evidence rows of a value: a second dataset of a composite score (``also``) or a join (``via``).

    Attributes:
        relation: ``also`` (more evidence of a composite value) or ``via`` (rows joined to the main evidence
            rows, e.g. the exam results of the classes a teacher taught).
        dataset: The dataset.
        version: The version read (the input version in the lineage).
        filters: The filters applied (subject ids as their number).
        columns: The dataset's field names.
        rows: The rows with their provenance.
        total: How many rows.
        masked: Fields shown masked or withheld.
    """

    relation: Literal["also", "via"]
    dataset: str
    version: int | None
    filters: dict[str, Any]
    columns: tuple[str, ...]
    rows: tuple[EvidenceRow, ...]
    total: int
    masked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """The rows one profile value was computed from.

    Attributes:
        kind: ``student``, ``teacher`` or ``school``.
        subject: The pseudonym, teacher id or school code.
        school_year: The year of the value.
        indicator: The indicator's definition and method.
        value: The profile value (None: no data or not visible).
        dataset: The evidence dataset.
        version: Its version read: the input version in the derived dataset's lineage.
        filters: The filters applied (subject ids are not shown: ``subject_field`` → number of ids).
        columns: The evidence dataset's field names, in catalog order.
        rows: The evidence rows with their provenance.
        total: How many rows.
        masked: Fields shown masked or withheld.
        purpose: The purpose of the read.
        more: Further evidence: the other datasets of a composite value, rows joined through ``via``.
        store: ``lake`` (rows of lake datasets) or ``operational`` (the submission batches of the operational
            database behind a school's submission values: ``dataset`` is then ``submission_batches`` or, per
            dataset submitted, ``submission_timeliness``, and ``version`` is None).
        computed_at: For ``operational`` evidence, when the profile was computed (ISO 8601, UTC): batches
            finished later are not in the value, and timeliness is measured on that day at the latest.
    """

    kind: ProfileKind
    subject: str
    school_year: int
    indicator: IndicatorInfo
    value: Scalar
    dataset: str
    version: int | None
    filters: dict[str, Any]
    columns: tuple[str, ...]
    rows: tuple[EvidenceRow, ...]
    total: int
    masked: tuple[str, ...] = ()
    purpose: str | None = None
    more: tuple[EvidenceSet, ...] = ()
    store: Literal["lake", "operational"] = "lake"
    computed_at: str | None = None


@dataclass(frozen=True)
class StudentChoice:
    """A student the reader may open: for pickers (masked name, never the 学籍号)."""

    pseudonym: str
    name: str | None
    school_code: str | None
    class_id: str | None
    grade: str | None
    grade_name: str


@dataclass(frozen=True)
class StudentChoices:
    """One page of :class:`StudentChoice`, with the total."""

    items: tuple[StudentChoice, ...]
    total: int
    limit: int
    offset: int
    school_year: int | None


@dataclass(frozen=True)
class DomainDistribution:
    """The distribution of one domain score over a school's students (None everywhere when suppressed).

    Attributes:
        code: quality_domain code ``1`` … ``5``.
        title_zh: Chinese title.
        title_en: English title.
        students: Students with a score (None: suppressed, fewer than the small-cell minimum).
        mean: Mean score.
        p25: First quartile.
        median: Median.
        p75: Third quartile.
    """

    code: str
    title_zh: str
    title_en: str
    students: int | None
    mean: float | None
    p25: float | None
    median: float | None
    p75: float | None


@dataclass(frozen=True)
class SchoolSummary:
    """One school's line of a district summary.

    Attributes:
        school_code: The school.
        name: Its name.
        students: Students profiled that year (None: suppressed).
        suppressed: Why the values are withheld (``small_cell``) or None.
        domains: The five domain distributions.
    """

    school_code: str
    name: str | None
    students: int | None
    suppressed: str | None
    domains: tuple[DomainDistribution, ...]


@dataclass(frozen=True)
class DistrictSummary:
    """Domain score distributions per school of a district (or of the reader's schools), small cells suppressed.

    Attributes:
        district_code: The district (None: all the reader sees).
        school_year: The year summarised.
        min_cell: The small-cell minimum applied (``EDUBRAIN_SMALL_CELL_MIN``).
        schools: One line per school.
        profile_version: Version of ``student_profiles`` read.
    """

    district_code: str | None
    school_year: int | None
    min_cell: int
    schools: tuple[SchoolSummary, ...]
    profile_version: int | None
    years: tuple[int, ...] = field(default_factory=tuple)
