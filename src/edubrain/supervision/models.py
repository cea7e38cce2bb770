"""The typed results of the governed graded-supervision facade (:mod:`edubrain.supervision`).

Frozen dataclasses, already scoped and audited: adapters render them and never read the lake.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderGrade:
    """One provider's grade as a supervision officer sees it (``provider_credit_grades``)."""

    provider_code: str
    name: str | None
    district_code: str
    provider_type: str | None
    licence_status: str | None
    code_valid: bool | None
    score: float | None
    grade: str
    licence_override: bool | None
    deductions: float | None
    bonuses: float | None
    items: int | None
    top_items: str | None
    last_inspection_date: str | None
    interval_months: int | None
    next_inspection_due: str | None
    overdue: bool
    as_of: str | None


@dataclass(frozen=True)
class CreditItem:
    """One point-bearing item of a score, traced to its source record (``provider_credit_items``)."""

    item_id: str
    source_dataset: str
    record_id: str
    record_date: str | None
    kind: str
    severity: str | None
    base_points: float
    age_days: int | None
    weight: float
    points: float


@dataclass(frozen=True)
class GradeCount:
    """How many providers of a district (or the city) hold a grade."""

    district_code: str
    grade: str
    providers: int


@dataclass(frozen=True)
class GradeBoard:
    """The providers a reader supervises, the grade counts and the rules (months per grade)."""

    district_code: str | None
    grade: str | None
    count: int
    providers: tuple[ProviderGrade, ...]
    counts: tuple[GradeCount, ...]
    intervals: tuple[tuple[str, int, str, str], ...]
    as_of: str | None
    version: int | None


@dataclass(frozen=True)
class ProviderDetail:
    """One provider's grade and every item that moved its score."""

    provider: ProviderGrade
    items: tuple[CreditItem, ...]
    start_score: float
    model_version: str


@dataclass(frozen=True)
class PublicGrade:
    """A provider on the public list: no score, no items."""

    provider_code: str
    name: str | None
    district_code: str
    provider_type: str | None
    grade: str
    as_of: str | None


@dataclass(frozen=True)
class PublicList:
    """The public grade list (filtered by district and grade when asked)."""

    district_code: str | None
    grade: str | None
    count: int
    providers: tuple[PublicGrade, ...]
