"""The catalog's declarations as pydantic models.

A dataset is declared once, as data (``catalog/data/datasets/*.yaml``); its
validation, templates, lake schema and exports are derived from these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FieldType = Literal["string", "integer", "number", "date", "boolean", "code"]
OwnerLevel = Literal["city", "district", "school"]
Sharing = Literal["unconditional", "conditional", "none"]
PiiKind = Literal[
    "national_id",
    "name",
    "phone",
    "address",
    "birth_date",
    "student_number",
    "email",
    "other",
]

SHARING_ZH: dict[str, str] = {
    "unconditional": "无条件共享",
    "conditional": "有条件共享",
    "none": "不予共享",
}
OWNER_LEVEL_ZH: dict[str, str] = {"city": "市级", "district": "区级", "school": "校级"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Code(_Strict):
    """One entry of a code table."""

    code: str
    zh: str
    en: str
    aliases: list[str] = Field(default_factory=list)
    category: bool = False
    parent: str | None = None
    stage: str | None = None
    legacy: bool = False
    years: int | None = None


class CodeTable(_Strict):
    """A code table, usually from a national standard."""

    id: str
    title_zh: str
    title_en: str
    standard: str
    sources: list[str] = Field(min_length=1)
    notes: str | None = None
    codes: list[Code] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> CodeTable:
        seen: set[str] = set()
        for entry in self.codes:
            if entry.code in seen:
                raise ValueError(f"duplicate code {entry.code!r} / 代码重复 {entry.code!r}")
            seen.add(entry.code)
        return self

    def valid_codes(self) -> list[str]:
        """Codes accepted in new submissions (legacy codes and category headings excluded)."""
        return [c.code for c in self.codes if not c.legacy and not c.category]

    def label(self, code: str, lang: str = "zh") -> str | None:
        """The name of ``code`` in ``lang``, or None when unknown."""
        for entry in self.codes:
            if entry.code == code:
                return entry.zh if lang == "zh" else entry.en
        return None


class ClassificationLevel(_Strict):
    """One level of the data classification scale."""

    id: str
    rank: int
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str


class FieldSpec(_Strict):
    """A field (column) of a dataset."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_zh: str
    title_en: str
    description_zh: str | None = None
    description_en: str | None = None
    aliases: list[str] = Field(default_factory=list)
    type: FieldType
    required: bool = False
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    code_table: str | None = None
    classification: str = "L2"
    pii: PiiKind | None = None
    check_digit: Literal["gb11643"] | None = None
    minutes_seconds: bool = False
    """A time in seconds that may also be written as minutes and seconds (``3'25"``, ``3:25``, or ``3.25``
    meaning minutes.seconds, as the national fitness submission template has it). Only for fields whose
    minimum is at least 60 s, so that a plain number below 60 can only mean minutes.seconds."""

    @model_validator(mode="after")
    def _code_needs_table(self) -> FieldSpec:
        if self.minutes_seconds and (self.type != "number" or (self.minimum or 0) < 60):
            raise ValueError(f"field {self.name}: minutes_seconds needs type number and a minimum of 60 s or more")
        if self.type == "code" and not self.code_table:
            raise ValueError(f"field {self.name}: type 'code' needs code_table / 代码字段必须指定代码表")
        if self.code_table and self.type != "code":
            raise ValueError(f"field {self.name}: code_table given but type is {self.type}")
        return self


class ReferenceRule(_Strict):
    """Rows must refer to rows that exist in another stored dataset."""

    kind: Literal["reference"]
    fields: list[str] = Field(min_length=1)
    dataset: str
    to: list[str] = Field(min_length=1)
    title_zh: str | None = None
    title_en: str | None = None

    @model_validator(mode="after")
    def _same_arity(self) -> ReferenceRule:
        if len(self.fields) != len(self.to):
            raise ValueError("reference: 'fields' and 'to' must have the same length")
        return self


class IdBirthDateRule(_Strict):
    """The birth date encoded in a 身份证号 equals the birth date column."""

    kind: Literal["id_birth_date"]
    id_field: str
    birth_date_field: str


class IdSexRule(_Strict):
    """The sex encoded in a 身份证号 (17th digit odd = male) equals the sex column."""

    kind: Literal["id_sex"]
    id_field: str
    sex_field: str


class StudentNumberIdRule(_Strict):
    """A 学籍号 of the form G + 身份证号 carries the student's own 身份证号."""

    kind: Literal["student_number_id"]
    student_number_field: str
    id_field: str


class AgeForGradeRule(_Strict):
    """Age on 31 August of the school year is plausible for the grade."""

    kind: Literal["age_for_grade"]
    birth_date_field: str
    grade_field: str
    school_year_field: str | None = None
    tolerance_years: int = 2


class CompareRule(_Strict):
    """One field compared with another: ``left op right`` when both are present."""

    kind: Literal["compare"]
    left: str
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    right: str
    title_zh: str
    title_en: str


class GroupSumMaxRule(_Strict):
    """The sum of a field over a group of rows stays at or below a maximum."""

    kind: Literal["group_sum_max"]
    group_by: list[str] = Field(min_length=1)
    field: str
    maximum: float
    title_zh: str
    title_en: str


class CellGroup(_Strict):
    """Cells of an aggregate that add up: the rows sharing ``by``, and the total row whose ``total`` fields equal them.

    With ``total`` omitted the group's own rows include its total (a ``*`` row
    of a dimension). A group is what complementary suppression protects: a
    total less the visible cells must not reveal a hidden one.
    """

    by: list[str] = Field(min_length=1)
    total: list[str] | None = None

    @model_validator(mode="after")
    def _same_arity(self) -> CellGroup:
        if self.total is not None and len(self.total) != len(self.by):
            raise ValueError("aggregate group: 'by' and 'total' must have the same length")
        return self


class AggregateSpec(_Strict):
    """An aggregate dataset's cells and how small ones are withheld (docs/privacy.md, small-cell suppression)."""

    count_fields: list[str] = Field(min_length=1)
    """Cell sizes (pupils): a row is a small cell when any of them is 1 … k-1; the first ranks complements."""
    dimensions: list[str] = Field(min_length=1)
    """Fields that name the cell; never withheld. Every other field is withheld from a suppressed cell."""
    groups: list[CellGroup] = Field(default_factory=list)
    period_field: str | None = None
    """The period (school year) that ``change_fields`` compare with the one before."""
    change_fields: list[str] = Field(default_factory=list)
    """Changes on the previous period: withheld too when the previous period's cell is suppressed."""


Rule = Annotated[
    ReferenceRule | IdBirthDateRule | IdSexRule | StudentNumberIdRule | AgeForGradeRule | CompareRule | GroupSumMaxRule,
    Field(discriminator="kind"),
]


class Dataset(_Strict):
    """A dataset declared in the catalog."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    owner_level: OwnerLevel
    primary_key: list[str] = Field(min_length=1)
    org_field: str
    sharing: Sharing
    update_frequency: str
    derived_from: list[str] = Field(default_factory=list)
    exported_from: Literal["lrs"] | None = None
    """An operational store of the platform the dataset is exported from (``lrs``: the learning record store),
    rewritten whole by its export job like a derived dataset; ``derived_from`` names lake inputs only."""
    classification_reason_zh: str | None = Field(default=None, min_length=1)
    """Why a derived dataset is classified below its inputs (an aggregate, say); checked at catalog load."""
    classification_reason_en: str | None = Field(default=None, min_length=1)
    aggregate: AggregateSpec | None = None
    fields: list[FieldSpec] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)

    @property
    def derived(self) -> bool:
        """Whether the platform writes the dataset itself (derived from the lake or exported from a store)."""
        return bool(self.derived_from or self.exported_from)

    @model_validator(mode="after")
    def _names_resolve(self) -> Dataset:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"dataset {self.id}: duplicate field names")
        for key in [*self.primary_key, self.org_field]:
            if key not in names:
                raise ValueError(f"dataset {self.id}: key field {key!r} is not declared")
        for rule in self.rules:
            for ref in _rule_fields(rule):
                if ref not in names:
                    raise ValueError(f"dataset {self.id}: rule {rule.kind} names unknown field {ref!r}")
        for ref in _aggregate_fields(self.aggregate):
            if ref not in names:
                raise ValueError(f"dataset {self.id}: aggregate names unknown field {ref!r}")
        if (self.classification_reason_zh is None) != (self.classification_reason_en is None):
            raise ValueError(f"dataset {self.id}: give classification_reason_zh and classification_reason_en together")
        if self.aggregate and not set(self.primary_key) <= set(self.aggregate.dimensions):
            raise ValueError(f"dataset {self.id}: aggregate dimensions must include the primary key")
        return self

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> list[str]:
        """Field names in declaration order."""
        return [f.name for f in self.fields]


def _aggregate_fields(spec: AggregateSpec | None) -> list[str]:
    if spec is None:
        return []
    groups = [name for g in spec.groups for name in [*g.by, *(g.total or [])]]
    period = [spec.period_field] if spec.period_field else []
    return [*spec.count_fields, *spec.dimensions, *groups, *period, *spec.change_fields]


def _rule_fields(rule: Rule) -> list[str]:
    if isinstance(rule, ReferenceRule):
        return list(rule.fields)
    if isinstance(rule, IdBirthDateRule):
        return [rule.id_field, rule.birth_date_field]
    if isinstance(rule, IdSexRule):
        return [rule.id_field, rule.sex_field]
    if isinstance(rule, StudentNumberIdRule):
        return [rule.student_number_field, rule.id_field]
    if isinstance(rule, AgeForGradeRule):
        return [rule.birth_date_field, rule.grade_field] + ([rule.school_year_field] if rule.school_year_field else [])
    if isinstance(rule, GroupSumMaxRule):
        return [*rule.group_by, rule.field]
    return [rule.left, rule.right]
