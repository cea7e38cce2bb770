"""The typed results of the monitoring facade (:mod:`edubrain.monitoring`): already scoped, ready to render.

Frozen dataclasses, so the API can return them as they are and a page can
show them without reading the lake. Both languages travel together (``*_zh``,
``*_en``); the adapter picks one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorInfo:
    """What an indicator is: its declaration with the formula in words (no value).

    Attributes:
        id: The indicator id. goal: The id of its goal (one of the seven 全面).
        name_zh, name_en: Its name. definition_zh, definition_en: What it means.
        formula_zh, formula_en: How it is computed, in words generated from the declared formula.
        unit_zh, unit_en: ``%`` or the declared unit. percent: Whether the value is a percentage (0-100).
        target: The plan's target in the unit of the value, or None (the plan sets no number).
        direction: ``higher`` or ``lower`` (which way is better). period: ``school_year``.
        owner_zh, owner_en: The office that answers for it.
        source_section, source_quote: Where the plan says it: the section heading and the sentence.
        datasets: The catalog datasets it is computed from.
    """

    id: str
    goal: str
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str
    formula_zh: str
    formula_en: str
    unit_zh: str
    unit_en: str
    percent: bool
    target: float | None
    direction: str
    period: str
    owner_zh: str
    owner_en: str
    source_section: str
    source_quote: str
    datasets: tuple[str, ...]
    counted: bool = False
    """A count whose target is the city's only (a district's or school's count is context, never judged)."""


@dataclass(frozen=True)
class PendingInfo:
    """A target of the plan that is not measured yet, and why."""

    name_zh: str
    name_en: str
    reason_zh: str
    reason_en: str
    source_section: str
    source_quote: str


@dataclass(frozen=True)
class GoalInfo:
    """One of the seven goals (七个全面): the root of a branch of the tree."""

    id: str
    name_zh: str
    name_en: str
    source_section: str
    source_quote: str
    indicators: tuple[IndicatorInfo, ...]
    pending: tuple[PendingInfo, ...]

    @property
    def has_targets(self) -> bool:
        """Whether the plan sets a number for some indicator of the goal (else they are monitored only)."""
        return any(i.target is not None for i in self.indicators)


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's value for one organisation and school year (a row of ``monitoring_indicators``).

    Attributes:
        indicator_id: The indicator. org_level: ``city``, ``district`` or ``school``. org_code: Its code.
        parent_code: The school's district, ``110000`` for a district, None for the city.
        name_zh, name_en: The organisation's name (its code when unknown).
        school_year: The school year (its first calendar year).
        value: The value (None when the numerator or denominator is missing).
        numerator, denominator: What the value is computed from.
        target: The target (None without one). met: Whether it is reached (None without a target or value).
        progress: Progress to the target, 0-1 (None without a target or value).
        schools: Schools with a value. schools_met: Those meeting the target on their own (None without target).
    """

    indicator_id: str
    org_level: str
    org_code: str
    parent_code: str | None
    name_zh: str
    name_en: str
    school_year: int
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    met: bool | None
    progress: float | None
    schools: int | None
    schools_met: int | None


@dataclass(frozen=True)
class GoalValues:
    """A goal with the values of its indicators for one organisation and year (None: no value yet)."""

    goal: GoalInfo
    values: tuple[IndicatorValue | None, ...]

    @property
    def with_target(self) -> int:
        """Indicators of the goal that have a target and a value."""
        return sum(1 for v in self.values if v is not None and v.met is not None)

    @property
    def met(self) -> int:
        """Indicators of the goal whose target is met."""
        return sum(1 for v in self.values if v is not None and v.met)


@dataclass(frozen=True)
class MonitoringTree:
    """The seven goals with their indicators' values for one organisation and school year.

    Attributes:
        org_code, org_level, name_zh, name_en: The organisation shown.
        school_year: The year shown (None: no value yet). years: Years with values for the organisation.
        goals: The seven goals, in the plan's order. version: The ``monitoring_indicators`` version read.
    """

    org_code: str
    org_level: str
    name_zh: str
    name_en: str
    school_year: int | None
    years: tuple[int, ...]
    goals: tuple[GoalValues, ...]
    version: int | None


@dataclass(frozen=True)
class IndicatorDetail:
    """One indicator for one organisation: its metadata, its trend, and its districts' or schools' values.

    Attributes:
        indicator: What the indicator is.
        org_code, org_level, name_zh, name_en: The organisation shown.
        school_year: The year of ``children`` (None: no value yet). years: Years with a value.
        trend: The organisation's own value each year, oldest first.
        children: The values of its districts (city) or schools (district) in ``school_year`` that the reader
            may see; empty for a school.
        chain: ``(code, name_zh, name_en)`` of the organisations from the reader's own down to the one shown.
        version: The ``monitoring_indicators`` version read.
    """

    indicator: IndicatorInfo
    org_code: str
    org_level: str
    name_zh: str
    name_en: str
    school_year: int | None
    years: tuple[int, ...]
    trend: tuple[IndicatorValue, ...]
    children: tuple[IndicatorValue, ...]
    chain: tuple[tuple[str, str, str], ...]
    version: int | None


@dataclass(frozen=True)
class ValuesPage:
    """A page of one indicator's values the reader may see (the REST listing): ``{data, count}``."""

    indicator_id: str
    data: tuple[IndicatorValue, ...]
    count: int
    version: int | None
