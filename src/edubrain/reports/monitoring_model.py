"""The 年度信息化监测报告 (annual informatization monitoring report) as data: what every format prints.

Frozen dataclasses, both languages side by side (``*_zh``, ``*_en``), already
scoped and with small cells withheld: :mod:`edubrain.reports.monitoring_pdf` and
:mod:`edubrain.reports.monitoring_xlsx` render them without reading anything.
:mod:`edubrain.reports.monitoring_build` assembles them through the governed
facades.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS = {
    "met": ("达标", "Met"),
    "not_met": ("未达标", "Not met"),
    "no_target": ("仅监测", "Monitored only"),
    "not_measured": ("未测量", "Not measured"),
}
"""Each indicator's status in the report, (zh, en)."""


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the area in the year: value against target, progress, status and year-on-year change.

    Attributes:
        goal: The goal id. indicator_id, name_zh, name_en: The indicator.
        unit_zh, unit_en: ``%`` or the declared unit. percent: Whether a percentage (0-100).
        target: The plan's target (None: monitored only). direction: ``higher`` or ``lower``.
        value, numerator, denominator: The area's value and its parts (None: not measured or withheld).
        progress: value / target (or target / value), 0-1. status: a key of :data:`STATUS`.
        reason_zh, reason_en: Why it is not measured or withheld ("" otherwise).
        schools, schools_met: Schools with a value, and meeting the target on their own.
        previous: Last year's value. change: ``value - previous`` (None when either is missing or withheld).
        change_reason_zh, change_reason_en: Why there is no change ("" when there is one).
        suppressed: None, ``small_cell`` or ``complementary``.
    """

    goal: str
    indicator_id: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    percent: bool
    target: float | None
    direction: str
    value: float | None
    numerator: float | None
    denominator: float | None
    progress: float | None
    status: str
    reason_zh: str
    reason_en: str
    schools: int | None
    schools_met: int | None
    previous: float | None
    change: float | None
    change_reason_zh: str
    change_reason_en: str
    suppressed: str | None


@dataclass(frozen=True)
class PendingLine:
    """A target of the plan no dataset measures yet, with why (status ``not_measured``)."""

    goal: str
    name_zh: str
    name_en: str
    reason_zh: str
    reason_en: str
    source_section: str


@dataclass(frozen=True)
class GoalSummary:
    """One of the seven goals (七个全面) with its indicators and its pending targets."""

    id: str
    name_zh: str
    name_en: str
    lines: tuple[IndicatorLine, ...]
    pending: tuple[PendingLine, ...]

    @property
    def met(self) -> int:
        """Indicators of the goal whose target is met."""
        return sum(1 for line in self.lines if line.status == "met")

    @property
    def judged(self) -> int:
        """Indicators of the goal with a target and a value (met or not met)."""
        return sum(1 for line in self.lines if line.status in ("met", "not_met"))


@dataclass(frozen=True)
class ComparisonCell:
    """One district's value of one indicator (city report); ``value`` None when missing or withheld."""

    indicator_id: str
    value: float | None
    target: float | None
    met: bool | None
    suppressed: str | None


@dataclass(frozen=True)
class ComparisonRow:
    """One district of the city report: a cell per indicator, in the summary's order."""

    org_code: str
    name_zh: str
    name_en: str
    cells: tuple[ComparisonCell, ...]

    @property
    def met(self) -> int:
        """Indicators with a target the district meets."""
        return sum(1 for c in self.cells if c.met)

    @property
    def judged(self) -> int:
        """Indicators with a target and a value."""
        return sum(1 for c in self.cells if c.met is not None)


@dataclass(frozen=True)
class BelowTarget:
    """A school of the district below an indicator's target (schools are organisations: never masked)."""

    school_code: str
    school_name: str
    indicator_id: str
    indicator_zh: str
    indicator_en: str
    unit_zh: str
    value: float | None
    target: float
    suppressed: str | None


@dataclass(frozen=True)
class TrainingLine:
    """Training coverage of one organisation and role (counts only, no person)."""

    org_code: str
    name_zh: str
    name_en: str
    role: str
    people: int
    met: int
    met_share: float | None
    missed: int
    at_risk: int
    behind: int
    window_observed: int
    covered: int
    covered_share: float | None
    trained_share: float | None


@dataclass(frozen=True)
class TrainingSection:
    """Training coverage of the area (and, for the city, each district) in the training year.

    Attributes:
        year: The training year read (None: no training data for the report's year).
        as_of: The judgement date. principal_hours, window_years: the plan's targets.
        source_zh: The plan's sentence. area: the area's lines by role. districts: principals per district (city).
    """

    year: int | None
    as_of: str | None
    principal_hours: float
    window_years: int
    source_zh: str
    area: tuple[TrainingLine, ...]
    districts: tuple[TrainingLine, ...]


@dataclass(frozen=True)
class FacilityLine:
    """One organisation's facility figures over the school year's months (visible months only).

    Attributes:
        online_rate: Devices online / devices expected, summed over the months (%).
        faults: Fault device-days in the year. student_active, teacher_active: monthly active users / eligible (%).
        satisfaction: Mean satisfaction score (sum of scores / scores). months: months with data.
        withheld: Month cells withheld as small cells (not counted).
    """

    org_code: str
    name_zh: str
    name_en: str
    online_rate: float | None
    faults: float | None
    student_active: float | None
    teacher_active: float | None
    satisfaction: float | None
    months: int
    withheld: int


@dataclass(frozen=True)
class MethodLine:
    """One indicator's method for the appendix: formula in words and the plan's sentence."""

    indicator_id: str
    name_zh: str
    name_en: str
    formula_zh: str
    formula_en: str
    target: float | None
    unit_zh: str
    owner_zh: str
    source_section: str
    source_quote: str
    datasets: tuple[str, ...]


@dataclass(frozen=True)
class LineageLine:
    """A dataset the report read, at which version, and the input versions it was computed from."""

    dataset: str
    title_zh: str
    title_en: str
    version: int | None
    inputs: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class MonitoringReport:
    """The whole report for one area and school year.

    Attributes:
        area_code, area_level, area_zh, area_en: ``110000`` (city) or a district.
        year: The school year (its first calendar year). generated_at: ISO 8601 UTC.
        goals: The seven goals. comparison: districts (city report; else empty).
        below_target: schools below a target (district report; else empty).
        training, facilities (the area first, then its districts for the city), methods, lineage.
        small_cell_min: The suppression minimum applied.
    """

    area_code: str
    area_level: str
    area_zh: str
    area_en: str
    year: int
    generated_at: str
    goals: tuple[GoalSummary, ...]
    comparison: tuple[ComparisonRow, ...]
    below_target: tuple[BelowTarget, ...]
    training: TrainingSection
    facilities: tuple[FacilityLine, ...]
    methods: tuple[MethodLine, ...]
    lineage: tuple[LineageLine, ...]
    small_cell_min: int

    @property
    def lines(self) -> tuple[IndicatorLine, ...]:
        """Every indicator line, in the goals' order."""
        return tuple(line for g in self.goals for line in g.lines)

    @property
    def title_zh(self) -> str:
        """The report's title in Chinese."""
        return f"{self.area_zh}{self.year}—{self.year + 1}学年教育信息化监测报告"

    @property
    def title_en(self) -> str:
        """The report's title in English."""
        return f"{self.area_en} annual education informatization monitoring report, {self.year}-{self.year + 1}"
