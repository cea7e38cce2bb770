"""The typed results of the governed training-coverage facade (:mod:`edubrain.training`).

Every result is a frozen dataclass, already scoped, masked and audited: an adapter (API, web page, CLI) renders
it and never reads the lake itself. Values a reader may not see are ``None`` with their name in ``masked``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One target and the sentence it comes from.

    Attributes:
        name: ``principal_hours``, ``teacher_hours`` or ``window_years``.
        value: The number (hours a year, or years).
        document: The source document.
        section: Its section.
        quote: The sentence quoted.
    """

    name: str
    value: float
    document: str
    section: str
    quote: str


@dataclass(frozen=True)
class OrgCoverage:
    """The people counted in one organisation and role, and the shares of them (one year).

    Attributes:
        level: ``city``, ``district`` or ``school``.
        org_code: The organisation (city ``110000``, a district code, a school code).
        parent_code: The organisation above it (None for the city).
        name_zh: Chinese name (the code when unknown).
        name_en: English name (the Chinese one when there is none).
        role: ``principal``, ``teacher`` or ``all``.
        people: People counted.
        met: Target met. missed: year over, target missed. at_risk: projected to miss. on_track: the others.
        behind: ``missed + at_risk``.
        met_share: ``met / people``. behind_share: ``behind / people`` (None without people).
        window_observed: People whose three-year window lies inside the data.
        covered: Target met in a year of the window. trained: any training in the window.
        covered_share: ``covered / window_observed``. trained_share: ``trained / window_observed``.
    """

    level: str
    org_code: str
    parent_code: str | None
    name_zh: str
    name_en: str
    role: str
    people: int
    met: int
    missed: int
    at_risk: int
    on_track: int
    behind: int
    met_share: float | None
    behind_share: float | None
    window_observed: int
    covered: int
    trained: int
    covered_share: float | None
    trained_share: float | None


@dataclass(frozen=True)
class CoverageSummary:
    """Training coverage per organisation of the reader's scope, in one year.

    Attributes:
        year: The training year shown (None: no data in scope).
        years: The years with data in scope.
        as_of: The judgement date of the rows (ISO date).
        district_code: The district asked for (None: the reader's whole scope).
        school_code: The school asked for.
        rows: One per organisation and role, city first, then districts, then schools.
        targets: The targets and their sources.
        version: The ``training_coverage`` version read.
    """

    year: int | None
    years: tuple[int, ...]
    as_of: str | None
    district_code: str | None
    school_code: str | None
    rows: tuple[OrgCoverage, ...]
    targets: tuple[Target, ...]
    version: int | None


@dataclass(frozen=True)
class BehindPerson:
    """A principal or teacher projected to miss the year's target (or who missed it), for the action list.

    Attributes:
        teacher_id: Platform id (None when the reader's clearance withholds it).
        name: Name from the teacher register, masked per clearance (None: not on the register, or not visible).
        school_code: School. school_name: its name. district_code: its district.
        role: ``principal`` or ``teacher``.
        status: ``at_risk`` (projected to miss) or ``missed`` (the year is over).
        target_hours: The yearly target. hours: hours completed by the judgement date.
        hours_needed: ``target − hours``. projected_hours: the year-end forecast.
        trained_3y: Any training in the three-year window (None: window not in the data).
        met_3y: Target met in a year of the window. window_at_risk: the window would close uncovered.
    """

    teacher_id: str | None
    name: str | None
    school_code: str
    school_name: str | None
    district_code: str | None
    role: str
    status: str
    target_hours: float
    hours: float
    hours_needed: float
    projected_hours: float
    trained_3y: bool | None
    met_3y: bool | None
    window_at_risk: bool


@dataclass(frozen=True)
class ActionList:
    """The people of the reader's scope behind the target in one year, school by school.

    Attributes:
        year: The training year (None: no data in scope).
        as_of: The judgement date (ISO date).
        district_code: The district asked for. school_code: the school asked for.
        count: People listed. people: the list (school, role, hours still needed, largest first).
        masked: Fields the reader got masked or withheld (``teacher_id``, ``teachers.name``).
        version: The ``training_coverage`` version read.
    """

    year: int | None
    as_of: str | None
    district_code: str | None
    school_code: str | None
    count: int
    people: tuple[BehindPerson, ...]
    masked: tuple[str, ...]
    version: int | None
