"""What the smart-campus facade returns to adapters (pages, REST, CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edubrain.governance.smart_campus import Assessment


@dataclass(frozen=True)
class AreaRate:
    """达标率 of one area (a district, or the city ``110000``) in one school year, with the progress to the target."""

    district_code: str
    school_year: int
    schools: int
    meeting: int
    rate: float
    target: float
    gap: float
    schools_needed: int


@dataclass(frozen=True)
class ShortlistEntry:
    """One school of the demonstration shortlist, with its explanation."""

    rank: int
    school_code: str
    district_code: str
    school_year: int
    total: float
    platform_points: float
    self_points: float
    dimensions: dict[str, float]
    explanation_zh: str
    explanation_en: str
    designated: bool = False


@dataclass(frozen=True)
class Overview:
    """The evaluation as one viewer sees it: its areas' rates, states counted, and its shortlisted schools."""

    year: int | None
    years: list[int]
    level: str
    rates: list[AreaRate]
    states: dict[str, int]
    shortlist: list[ShortlistEntry]
    target: float
    demonstration_schools: int
    plan_quote: str
    designated: int = 0
    """Schools designated 新型智慧校园示范校 in the year, in the viewer's scope."""


@dataclass(frozen=True)
class IndicatorScore:
    """One second-level indicator of a school-year: where its value came from and its points."""

    id: str
    dimension: str
    name_zh: str
    name_en: str
    source: str
    max: float
    value: float | None
    points: float
    missing: bool
    evidence: int = 0


@dataclass(frozen=True)
class SchoolScores:
    """One school-year's scores, its assessment (history, evidence, actions) and what the viewer may do."""

    school_code: str
    school_year: int
    state: str
    total: float | None
    meets_standard: bool
    platform_points: float | None
    self_points: float | None
    shortlist_rank: int | None
    explanation_zh: str | None
    explanation_en: str | None
    dimensions: list[dict[str, Any]]
    indicators: list[IndicatorScore]
    assessment: Assessment | None
    may_draft: bool = False
    rule: dict[str, float] = field(default_factory=dict)
