"""The schema of a credit programme's rules (学分银行规则), as pydantic models with a JSON Schema export.

A rule set is data: one YAML file per programme and version, valid for a span of years (``valid_from_year`` ..
``valid_to_year``). Its ``rules`` are applied to a learner's outcomes in the order they are listed (each rule sees
the credits the previous rules left); its ``requirements`` are then checked on what was accepted (the
accumulation). Every rule and requirement names its sources; ``confirmed_by_two_sources: true`` needs two.

Rule types:

- ``admit``: outcomes outside ``applies_to`` are refused (which kinds of learning the programme recognises).
- ``convert``: a qualification or certificate is worth the credits its table entry gives for the year of award
  (资格/证书 → 学分); an outcome with no entry for that year is refused.
- ``deduplicate``: a subject counts once; codes in one equivalence group are one subject.
- ``cap``: at most ``max_credits`` credits, or at most ``max_count`` outcomes, per ``year``, ``term``,
  ``institution`` or per learner (``per: []``) among the outcomes in ``applies_to``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["course", "qualification", "exam", "prior_learning"]
"""课程 course, 资格/证书 qualification or certificate, 考试 exam, 先前学习 prior (experiential) learning."""
Education = Literal["formal", "non_formal"]
"""学历教育 formal (degree-bearing) or 非学历教育 non-formal learning."""
Provider = Literal["internal", "external"]
"""校内 learnt at the awarding institution, 校外 elsewhere."""
Stage = Literal["deposit", "recognition", "accumulation", "conversion"]
"""国家开放大学学分银行's four steps: 存入 deposit, 认定 recognition, 积累 accumulation, 转换 conversion."""
Order = Literal["chronological", "largest_first"]
"""Which outcomes a cap or de-duplication keeps first: earliest (year, term, outcome id) or most credits first."""
Grouping = Literal["year", "term", "institution"]

RULE_ID = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """A published source a rule is taken from."""

    id: str = Field(pattern=RULE_ID)
    title: str = Field(min_length=1)
    url: str = Field(min_length=1)
    publisher: str | None = None


class CategoryLabel(_Strict):
    """The names of one credit category (e.g. 전공 / 专业 / major)."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class OutcomeFilter(_Strict):
    """Which outcomes a rule or requirement looks at; a field left out matches every value."""

    kinds: list[Kind] | None = None
    education: list[Education] | None = None
    provider: list[Provider] | None = None
    categories: list[str] | None = None


class _Cited(_Strict):
    """Fields every rule and requirement has: names, the reason it gives, its sources."""

    id: str = Field(pattern=RULE_ID)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    stage: Stage | None = None
    sources: list[str] = Field(default_factory=list)
    confirmed_by_two_sources: bool = False
    note: str | None = None
    applies_to: OutcomeFilter = Field(default_factory=OutcomeFilter)

    @model_validator(mode="after")
    def _two_sources(self) -> _Cited:
        if self.confirmed_by_two_sources and len(set(self.sources)) < 2:
            raise ValueError(
                f"{self.id}: confirmed_by_two_sources needs at least two distinct sources "
                f"(两个独立来源), found {len(set(self.sources))}"
            )
        return self


class _Rule(_Cited):
    reason_zh: str = Field(min_length=1, description="为何减少或不予认定（中文）")
    reason_en: str = Field(min_length=1, description="Why credits were reduced or refused (English)")


class AdmitRule(_Rule):
    """Refuse every outcome outside ``applies_to``; name this rule on the ones it admits."""

    type: Literal["admit"]
    accepted_zh: str = Field(min_length=1)
    accepted_en: str = Field(min_length=1)


class ConversionEntry(_Strict):
    """One row of a qualification → credit table, valid for awards in ``from_year`` .. ``to_year``."""

    code: str = Field(min_length=1)
    title_zh: str = Field(min_length=1)
    title_en: str | None = None
    category: str
    credits: float = Field(gt=0)
    from_year: int = Field(ge=1900, le=2100)
    to_year: int | None = Field(default=None, ge=1900, le=2100)
    sources: list[str] = Field(default_factory=list)


class ConvertRule(_Rule):
    """Qualifications in ``applies_to`` are worth their table entry for the year of award (the category too)."""

    type: Literal["convert"]
    accepted_zh: str = Field(min_length=1)
    accepted_en: str = Field(min_length=1)
    table: list[ConversionEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> ConvertRule:
        spans: dict[str, list[tuple[int, int]]] = {}
        for i, entry in enumerate(self.table):
            end = entry.to_year if entry.to_year is not None else 9999
            if end < entry.from_year:
                raise ValueError(f"table[{i}] ({entry.code}): to_year {end} is before from_year {entry.from_year}")
            for start, stop in spans.get(entry.code, []):
                if entry.from_year <= stop and start <= end:
                    raise ValueError(f"table[{i}] ({entry.code}): years {entry.from_year}-{end} overlap another entry")
            spans.setdefault(entry.code, []).append((entry.from_year, end))
        return self


class DeduplicateRule(_Rule):
    """A subject counts once per learner; codes in one equivalence group are the same subject."""

    type: Literal["deduplicate"]
    order: Order = "chronological"
    equivalence_groups: list[list[str]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_group_per_code(self) -> DeduplicateRule:
        seen: dict[str, int] = {}
        for g, group in enumerate(self.equivalence_groups):
            if len(group) < 2:
                raise ValueError(f"equivalence_groups[{g}]: a group needs two or more codes")
            for code in group:
                if code in seen:
                    raise ValueError(f"equivalence_groups[{g}]: code {code!r} is already in group {seen[code]}")
                seen[code] = g
        return self


class CapRule(_Rule):
    """At most ``max_credits`` credits (or ``max_count`` outcomes) per group named by ``per``."""

    type: Literal["cap"]
    per: list[Grouping] = Field(default_factory=list)
    max_credits: float | None = Field(default=None, gt=0)
    max_count: int | None = Field(default=None, gt=0)
    order: Order = "chronological"

    @model_validator(mode="after")
    def _one_limit(self) -> CapRule:
        if (self.max_credits is None) == (self.max_count is None):
            raise ValueError(f"{self.id}: give exactly one of max_credits and max_count")
        if "term" in self.per and "year" not in self.per:
            raise ValueError(f"{self.id}: per: [term] needs year as well (a term is a term of a year)")
        if len(set(self.per)) != len(self.per):
            raise ValueError(f"{self.id}: per lists a grouping twice")
        return self


Rule = Annotated[AdmitRule | ConvertRule | DeduplicateRule | CapRule, Field(discriminator="type")]
RULE_TYPES = ("admit", "convert", "deduplicate", "cap")


class Requirement(_Cited):
    """At least ``min_credits`` accepted credits among the outcomes in ``applies_to`` (e.g. ≥ 60 major)."""

    min_credits: float = Field(gt=0)


class AcademicCalendar(_Strict):
    """How a date falls into an academic year and term (used when outcomes carry a ``date`` and no ``year``)."""

    year_starts_month: int = Field(default=1, ge=1, le=12)
    term_starts_months: list[int] = Field(default_factory=lambda: [1], min_length=1)

    @model_validator(mode="after")
    def _first_term_starts_the_year(self) -> AcademicCalendar:
        if self.term_starts_months[0] != self.year_starts_month or any(
            not 1 <= m <= 12 for m in self.term_starts_months
        ):
            raise ValueError("term_starts_months must be months 1-12 and start with year_starts_month")
        return self


class RuleSet(_Strict):
    """One version of a credit programme's rules."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="EduBrain credit-bank rule set")

    id: str = Field(pattern=RULE_ID, description="The programme, e.g. kr-acbs-bachelor")
    version: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    valid_from_year: int = Field(ge=1900, le=2100)
    valid_to_year: int | None = Field(default=None, ge=1900, le=2100)
    credit_unit_zh: str = "学分"
    credit_unit_en: str = "credits"
    assumptions_zh: str | None = Field(default=None, description="Settings not taken from a published source")
    assumptions_en: str | None = None
    calendar: AcademicCalendar = Field(default_factory=AcademicCalendar)
    categories: dict[str, CategoryLabel] = Field(min_length=1)
    sources: list[Source] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list, max_length=60, description="Applied in this order")
    requirements: list[Requirement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> RuleSet:
        if self.valid_to_year is not None and self.valid_to_year < self.valid_from_year:
            raise ValueError(f"valid_to_year {self.valid_to_year} is before valid_from_year {self.valid_from_year}")
        ids = [r.id for r in self.rules] + [q.id for q in self.requirements]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule and requirement ids must be unique; repeated: {', '.join(duplicates)}")
        known = {s.id for s in self.sources}
        for where, item in self._cited():
            for ref in item.sources:
                if ref not in known:
                    raise ValueError(f"{where}.sources: unknown source id {ref!r} (declare it under sources)")
            for category in item.applies_to.categories or []:
                if category not in self.categories:
                    raise ValueError(f"{where}.applies_to.categories: unknown category {category!r}")
        for i, rule in enumerate(self.rules):
            if isinstance(rule, ConvertRule):
                for j, entry in enumerate(rule.table):
                    if entry.category not in self.categories:
                        raise ValueError(f"rules[{i}].table[{j}].category: unknown category {entry.category!r}")
                    for ref in entry.sources:
                        if ref not in known:
                            raise ValueError(f"rules[{i}].table[{j}].sources: unknown source id {ref!r}")
        return self

    def _cited(self) -> list[tuple[str, _Cited]]:
        return [(f"rules[{i}]", r) for i, r in enumerate(self.rules)] + [
            (f"requirements[{i}]", q) for i, q in enumerate(self.requirements)
        ]

    def covers(self, year: int) -> bool:
        """Whether this version applies to outcomes evaluated for ``year``."""
        return self.valid_from_year <= year and (self.valid_to_year is None or year <= self.valid_to_year)

    def rule(self, rule_id: str) -> Any:
        """The rule or requirement called ``rule_id``."""
        for item in [*self.rules, *self.requirements]:
            if item.id == rule_id:
                return item
        raise KeyError(rule_id)


def ruleset_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a rule file, for editors and other tools."""
    schema = RuleSet.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://edubrain.example/schemas/credit-bank-ruleset.json"
    return schema


def write_json_schema(target: Path | None = None) -> Path:
    """Write the JSON Schema next to the shipped rule files (``data/ruleset.schema.json``); a test checks it."""
    path = target or Path(__file__).parent / "data" / "ruleset.schema.json"
    path.write_text(json.dumps(ruleset_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
