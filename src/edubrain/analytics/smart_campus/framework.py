"""The smart-campus evaluation framework (智慧校园达标评定), read from ``analytics/data/smart_campus.yaml``.

Five first-level dimensions (基础设施、业务支撑、数据与资源、智慧应用、保障体系, the grouping of smart-campus guides
built on GB/T 36342-2018 《智慧校园总体框架》), each with second-level indicators that carry a maximum score and a
source: ``platform`` (a formula over the platform's data and a linear scale) or ``self`` (self-assessed with
evidence). The 达标 rule and the plan's targets are data too. Pure: reads only the package's data file (or a text a
test gives). Every problem is one bilingual :class:`~edubrain.errors.CatalogError` naming the file and the item.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from edubrain.errors import CatalogError

FILE = "smart_campus.yaml"
DIMENSIONS = ("infrastructure", "support", "data_resources", "applications", "assurance")
"""The five first-level dimensions, in order; ``smart_campus_scores`` has one score column per dimension."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Frozen):
    """Points = max x clip((value - zero_at) / (full_at - zero_at), 0, 1)."""

    zero_at: float
    full_at: float

    @model_validator(mode="after")
    def _apart(self) -> Scale:
        if self.full_at == self.zero_at:
            raise ValueError("full_at must differ from zero_at")
        return self


class InfrastructureFormula(_Frozen):
    """A field of ``school_infrastructure`` for the school and school year."""

    kind: Literal["infrastructure"]
    field: Literal["internet_bandwidth_mbps", "class_bandwidth_mbps", "wireless_coverage_pct"]


class FacilityFormula(_Frozen):
    """sum(numerator) / sum(denominator) of one ``facility_indicators`` indicator over the school year's months."""

    kind: Literal["facility"]
    indicator: str = Field(min_length=1)
    category: str = Field(min_length=1)
    app: str = Field(min_length=1)


class TrainingFormula(_Frozen):
    """Percent of the school's ``training_coverage`` rows of the year with ``met``."""

    kind: Literal["training"]


Formula = Annotated[InfrastructureFormula | FacilityFormula | TrainingFormula, Field(discriminator="kind")]


class Indicator(_Frozen):
    """A second-level indicator."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    max: float = Field(gt=0)
    source: Literal["platform", "self"]
    formula: Formula | None = None
    scale: Scale | None = None
    dimension: str = ""

    @model_validator(mode="after")
    def _source_fits(self) -> Indicator:
        if self.source == "platform" and (self.formula is None or self.scale is None):
            raise ValueError("a platform indicator needs formula and scale")
        if self.source == "self" and (self.formula is not None or self.scale is not None):
            raise ValueError("a self-assessed indicator has no formula or scale")
        return self


class Dimension(_Frozen):
    """A first-level dimension and its indicators."""

    id: Literal["infrastructure", "support", "data_resources", "applications", "assurance"]
    name_zh: str
    name_en: str
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @property
    def max(self) -> float:
        """The dimension's maximum: the sum of its indicators' maxima."""
        return sum(i.max for i in self.indicators)


class Rule(_Frozen):
    """达标: total >= ``total_at_least`` and every dimension >= ``dimension_share_at_least`` x its maximum."""

    total_at_least: float = Field(ge=0)
    dimension_share_at_least: float = Field(ge=0, le=1)


class Standard(_Frozen):
    """The 达标 standard (the city's setting)."""

    rule: Rule


class Plan(_Frozen):
    """The plan's sentence and its two numbers."""

    section: str
    quote: str
    target_rate: float = Field(gt=0, le=100)
    demonstration_schools: int = Field(gt=0)


class EvidenceRules(_Frozen):
    """What an evidence upload may be."""

    max_mb: float = Field(gt=0, le=100)
    types: tuple[Literal["pdf", "jpeg", "png"], ...] = Field(min_length=1)


class Framework(_Frozen):
    """The whole evaluation framework."""

    version: str
    plan: Plan
    standard: Standard
    evidence: EvidenceRules
    dimensions: tuple[Dimension, ...]

    @model_validator(mode="after")
    def _complete(self) -> Framework:
        ids = [d.id for d in self.dimensions]
        if tuple(ids) != DIMENSIONS:
            raise ValueError(f"dimensions must be {', '.join(DIMENSIONS)} in this order, found {', '.join(ids)}")
        seen = [i.id for d in self.dimensions for i in d.indicators]
        twice = sorted({i for i in seen if seen.count(i) > 1})
        if twice:
            raise ValueError(f"indicator ids used twice: {', '.join(twice)}")
        return self

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, with ``dimension`` set, in the file's order."""
        return tuple(i.model_copy(update={"dimension": d.id}) for d in self.dimensions for i in d.indicators)

    def self_indicators(self) -> tuple[Indicator, ...]:
        """The self-assessed indicators."""
        return tuple(i for i in self.indicators if i.source == "self")

    def platform_indicators(self) -> tuple[Indicator, ...]:
        """The indicators scored from platform data."""
        return tuple(i for i in self.indicators if i.source == "platform")

    def indicator(self, indicator_id: str) -> Indicator:
        """One indicator by id (:class:`CatalogError` when unknown)."""
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise CatalogError(
            f"{FILE}：没有指标 {indicator_id}", f"{FILE}: no indicator {indicator_id}", indicator=indicator_id
        )

    def dimension(self, dimension_id: str) -> Dimension:
        """One dimension by id."""
        return next(d for d in self.dimensions if d.id == dimension_id)

    @property
    def max_total(self) -> float:
        """The maximum total score."""
        return sum(d.max for d in self.dimensions)


def parse_framework(text: str) -> Framework:
    """The framework of a YAML text.

    Raises:
        CatalogError: the text is not YAML or breaks a rule (naming the place and the rule, in both languages).
    """
    try:
        raw = yaml.safe_load(text)
        return Framework.model_validate(raw)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{FILE}：不是有效的 YAML（{exc}）", f"{FILE}: not valid YAML ({exc})", file=FILE) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise CatalogError(
            f"{FILE}：{where} 取值无效（{first['msg']}）", f"{FILE}: {where} is invalid ({first['msg']})",
            file=FILE, field=where,
        ) from None  # fmt: skip


@lru_cache(maxsize=1)
def load_framework() -> Framework:
    """The packaged framework (read once)."""
    text = resources.files("edubrain.analytics").joinpath("data", FILE).read_text(encoding="utf-8")
    return parse_framework(text)
