"""The typed results of the governed campus safety facade (:mod:`edubrain.campus_safety`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Incident:
    """One incident of the reader's own school (school staff only)."""

    incident_id: str
    incident_date: str | None
    time_band: str | None
    place: str | None
    incident_type: str
    severity: str | None
    injured_count: int | None
    reported_in_time: bool | None
    description: str | None


@dataclass(frozen=True)
class SchoolIncidents:
    """The incidents of one school (newest first) and what was masked."""

    school_code: str
    count: int
    incidents: tuple[Incident, ...]
    masked: tuple[str, ...]


@dataclass(frozen=True)
class OrgRate:
    """One school's (or district's) incidents in a term: counts suppressed below the threshold (None)."""

    org_code: str
    pupils: int | None
    incidents: int | None
    rate_per_1000: float | None
    by_type: dict[str, int | None]
    hidden: bool


@dataclass(frozen=True)
class Pattern:
    """Incidents of one type × place × time band (None when below the threshold)."""

    incident_type: str
    place: str
    time_band: str
    incidents: int | None


@dataclass(frozen=True)
class Warning:
    """A CUSUM alarm: the organisation, type, week, count and statistic."""

    org_code: str
    level: str
    district_code: str | None
    incident_type: str
    week_start: str
    incidents: int
    baseline: float
    statistic: float
    first_alarm: bool


@dataclass(frozen=True)
class SafetyOverview:
    """Rates by school (a district) or by district (the city), patterns and warnings of a term."""

    level: str
    district_code: str | None
    term: str | None
    terms: tuple[str, ...]
    min_cell: int
    rows: tuple[OrgRate, ...]
    patterns: tuple[Pattern, ...]
    warnings: tuple[Warning, ...]
