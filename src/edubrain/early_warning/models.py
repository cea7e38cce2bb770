"""The typed results of the governed early-warning facade (:mod:`edubrain.early_warning`).

Every result is a frozen dataclass, already scoped, masked and audited: an adapter renders it and never reads the
lake. Values the reader may not see are ``None`` with their name in ``masked``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    """One indicator's part in a pupil's score (see :class:`edubrain.analytics.at_risk.Contribution`)."""

    indicator: str
    domain: str
    domain_zh: str
    domain_en: str
    title_zh: str
    title_en: str
    points: float
    share: float
    field: str
    value: int | float | str | None
    rule_zh: str
    rule_en: str
    rationale_zh: str
    rationale_en: str


@dataclass(frozen=True)
class FlaggedStudent:
    """One flagged pupil as the reader may see them.

    Attributes:
        pseudonym: The pupil's keyed pseudonym (the profile link's subject).
        name: The pupil's name from the roster (None when masked or not found).
        school_code: The school. class_id: The class. grade: The grade code.
        school_year: The judged school year.
        risk_score: Total points (0–100). risk_band: ``high`` or ``watch``. signals: Domains with points.
        contributions: What contributed, largest first.
    """

    pseudonym: str
    name: str | None
    school_code: str
    class_id: str | None
    grade: str | None
    school_year: int
    risk_score: float
    risk_band: str
    signals: int
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class FlagList:
    """The flagged pupils of the reader's classes or school.

    Attributes:
        school_year: The judged year (None without flags computed).
        purpose: The declared purpose the read was audited with.
        count: Pupils listed.
        students: The pupils, highest score first.
        masked: Fields withheld from the reader.
        version: The ``student_risk_flags`` version read.
    """

    school_year: int | None
    purpose: str
    count: int
    students: tuple[FlaggedStudent, ...]
    masked: tuple[str, ...]
    version: int | None


@dataclass(frozen=True)
class OrgCount:
    """Flagged and assessed pupils of one organisation (counts below the small-cell minimum are None).

    Attributes:
        level: ``district``, ``school`` or ``class``.
        org_code: The district, school or class.
        assessed: Pupils scored (None when suppressed).
        flagged: Pupils flagged (None when suppressed).
        high: Pupils flagged high (None when suppressed).
        share: flagged / assessed (None when either is unknown).
    """

    level: str
    org_code: str
    assessed: int | None
    flagged: int | None
    high: int | None
    share: float | None


@dataclass(frozen=True)
class FlagSummary:
    """Counts of flagged pupils per organisation inside the reader's scope.

    Attributes:
        school_year: The judged year (None without flags computed).
        level: The level counted (``district`` for the city, ``school`` for a district, ``class`` for a school or
            teacher).
        min_count: The small-cell minimum applied.
        rows: One row per organisation.
        total_assessed: Pupils scored in the scope. total_flagged: flagged (None when suppressed).
        version: The ``student_risk_flags`` version counted.
    """

    school_year: int | None
    level: str
    min_count: int
    rows: tuple[OrgCount, ...]
    total_assessed: int | None
    total_flagged: int | None
    version: int | None
