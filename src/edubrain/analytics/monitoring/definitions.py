"""Monitoring indicator declarations (信息化监测指标): the models of ``analytics/data/monitoring_indicators.yaml``.

Frozen pydantic models, one per element of the declaration vocabulary (the
YAML file's header documents it): goals (the plan's 七个全面) with their
pending targets, indicators with a formula of three kinds (:class:`Share`,
:class:`Mean`, :class:`Ratio`) built from :class:`Measure` s and
:class:`Condition` s. :mod:`edubrain.analytics.monitoring.loader` reads and
checks the file; :mod:`edubrain.analytics.monitoring.compute` compiles the
formulas to Ibis. Pure.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from edubrain.errors import CatalogError

Op = Literal[">=", ">", "<=", "<", "==", "!=", "in"]
OP_WORDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠", "in": "∈"}


class UnknownIndicator(CatalogError):
    """No monitoring indicator has this id (answered as 404 by the API)."""

    code = "not_found"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A condition on one field: compared with a number, or (``in``) one of a list of codes."""

    field: str
    op: Op
    value: float | None = None
    values: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _operand(self) -> Condition:
        if self.op == "in" and (self.values is None or self.value is not None):
            raise ValueError("op 'in' takes values (a list), not value")
        if self.op != "in" and (self.value is None or self.values is not None):
            raise ValueError(f"op {self.op!r} takes value (a number), not values")
        return self


class Measure(_Strict):
    """A quantity per school and school year: a sum of a field, a count of rows, or a count of distinct values."""

    dataset: str
    sum: str | None = None
    count: Literal["rows"] | None = None
    count_distinct: str | None = None
    where: Condition | None = None
    history: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Measure:
        if sum(x is not None for x in (self.sum, self.count, self.count_distinct)) != 1:
            raise ValueError("give exactly one of sum, count, count_distinct")
        if self.history and self.count_distinct is None:
            raise ValueError("history: true goes only with count_distinct (a sum over versions would count twice)")
        return self

    @property
    def field(self) -> str | None:
        """The field summed or counted (None for a count of rows)."""
        return self.sum or self.count_distinct


class Share(_Strict):
    """Share of rows (of schools, for a dataset keyed by school and year) meeting a condition, in percent."""

    kind: Literal["share"]
    dataset: str
    where: Condition
    weight: Measure | None = None


class Mean(_Strict):
    """Mean of a field over the rows reporting it."""

    kind: Literal["mean"]
    dataset: str
    field: str


class Ratio(_Strict):
    """``per`` x numerator / denominator."""

    kind: Literal["ratio"]
    numerator: Measure
    denominator: Measure
    per: float = Field(default=1.0, gt=0)


class Count(_Strict):
    """A number of rows (of schools, for a dataset keyed by school and year) meeting a condition, summed upwards.

    Its target, if any, is the city's: a school's or a district's count is context, never judged against it.
    """

    kind: Literal["count"]
    dataset: str
    where: Condition


Formula = Annotated[Share | Mean | Ratio | Count, Field(discriminator="kind")]


class Source(_Strict):
    """Where the plan says it: the section heading and the sentence, quoted."""

    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class Unit(_Strict):
    """A unit other than percent, in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Owner(_Strict):
    """The office that answers for an indicator."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Indicator(_Strict):
    """One monitoring indicator: what it is, how it is computed, its target and where the plan sets it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    parent: str
    owner: str
    definition_zh: str = Field(min_length=1)
    definition_en: str = Field(min_length=1)
    formula: Formula
    unit: Literal["percent"] | Unit
    target: float | None
    direction: Literal["higher", "lower"]
    period: Literal["school_year"]
    source: Source

    @property
    def percent(self) -> bool:
        """Whether the value is a percentage (0-100)."""
        return self.unit == "percent"

    def unit_label(self, lang: str = "zh") -> str:
        """The unit as shown: ``%`` or the declared unit in ``lang``."""
        if isinstance(self.unit, Unit):
            return self.unit.en if lang == "en" else self.unit.zh
        return "%"

    @property
    def per(self) -> float:
        """The factor applied to numerator / denominator (100 for a share, ``per`` for a ratio, 1 for a mean)."""
        if isinstance(self.formula, Share):
            return 100.0
        if isinstance(self.formula, Ratio):
            return self.formula.per
        return 1.0

    @property
    def counted(self) -> bool:
        """Whether the value is a count (the numerator itself) with its target at the city level only."""
        return isinstance(self.formula, Count)


class Pending(_Strict):
    """A target of the plan that no catalog dataset measures yet: listed, never given a value."""

    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    reason_zh: str = Field(min_length=1)
    reason_en: str = Field(min_length=1)
    source: Source


class Goal(_Strict):
    """One of the seven goals (七个全面): a root of the indicator tree."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    source: Source
    pending: tuple[Pending, ...] = ()


class MonitoringSet(_Strict):
    """The whole declaration: owners, the goals and the indicators, in the file's order."""

    version: str
    owners: dict[str, Owner]
    goals: tuple[Goal, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id``.

        Raises:
            CatalogError: no such indicator (bilingual).
        """
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise UnknownIndicator(
            f"没有监测指标 {indicator_id}", f"No monitoring indicator {indicator_id}", indicator=indicator_id
        )

    def of_goal(self, goal_id: str) -> tuple[Indicator, ...]:
        """The indicators under goal ``goal_id``, in the file's order."""
        return tuple(i for i in self.indicators if i.parent == goal_id)

    def measured_on(self) -> tuple[str, ...]:
        """The datasets the indicators are measured on (a share's or mean's dataset, a ratio's numerator), sorted.

        Without a row in one of them every value is empty: there is nothing to compute.
        """
        found = {
            i.formula.numerator.dataset if isinstance(i.formula, Ratio) else i.formula.dataset for i in self.indicators
        }
        return tuple(sorted(found))

    def inputs(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The datasets the formulas read: (at one version, read over every version ever stored), sorted.

        ``schools`` is always read (each school's district, for the roll-up).
        """
        current: set[str] = {"schools"}
        history: set[str] = set()
        for item in self.indicators:
            for dataset, over_history in datasets_of(item.formula):
                (history if over_history else current).add(dataset)
        return tuple(sorted(current)), tuple(sorted(history))


def datasets_of(formula: Share | Mean | Ratio | Count) -> list[tuple[str, bool]]:
    """``(dataset, read over its history)`` of every table a formula reads."""
    if isinstance(formula, Ratio):
        return [(m.dataset, m.history) for m in (formula.numerator, formula.denominator)]
    found = [(formula.dataset, False)]
    if isinstance(formula, Share) and formula.weight is not None:
        found.append((formula.weight.dataset, formula.weight.history))
    return found
