"""The points model as data: ``analytics/data/at_risk.yaml`` read into typed rules.

Each indicator has ordered bands; a pupil gets the points of the first band whose test holds, else 0. The flag
needs ``flag.min_points`` from at least ``flag.min_domains`` domains. Every threshold carries its rationale and
source (docs/early-warning-students.md).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "at_risk.yaml"
Op = Literal["<", "<=", ">", ">=", "in"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Strict):
    """One test on one indicator field and the points it gives."""

    field: str
    op: Op
    value: float | list[str]
    points: float = Field(gt=0, le=100)


class Indicator(_Strict):
    """One indicator: its domain, names, bands and why."""

    id: str
    domain: str
    zh: str
    en: str
    bands: list[Band] = Field(min_length=1)
    rationale_zh: str
    rationale_en: str
    source: str

    @property
    def max_points(self) -> float:
        """The most points the indicator can give."""
        return max(b.points for b in self.bands)


class Flag(_Strict):
    """When a pupil is flagged, and when the flag is high."""

    min_points: float
    min_domains: int = Field(ge=1)
    domain_cap: float = Field(gt=0, le=100)
    high_points: float
    rationale_zh: str
    rationale_en: str
    sources: list[str]


class Domain(_Strict):
    """A domain's names."""

    zh: str
    en: str


class RiskRules(_Strict):
    """The whole model."""

    version: int
    flag: Flag
    domains: dict[str, Domain]
    indicators: list[Indicator]

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id`` (KeyError when unknown)."""
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)


def parse_rules(raw: dict[str, object]) -> RiskRules:
    """Validate a rules mapping (ValueError naming the problem when an indicator's domain is undeclared)."""
    rules = RiskRules.model_validate(raw)
    for i in rules.indicators:
        if i.domain not in rules.domains:
            raise ValueError(f"indicator {i.id}: domain {i.domain!r} is not declared / 指标 {i.id} 的领域未声明")
    if rules.flag.high_points < rules.flag.min_points:
        raise ValueError("flag.high_points is below flag.min_points / 重点关注分数线低于预警分数线")
    return rules


@lru_cache(maxsize=1)
def load_rules() -> RiskRules:
    """The packaged rules (``analytics/data/at_risk.yaml``)."""
    return parse_rules(yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")))
