"""What the adaptive-learning facade returns (typed pydantic models: the API's response schemas)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Thresholds(BaseModel):
    """The mastery thresholds of the catalog."""

    mastered: float = Field(description="掌握阈值 / p_mastery at or above: mastered")
    weak: float = Field(description="薄弱阈值 / p_mastery below: weak")


class PointInfo(BaseModel):
    """A knowledge point: id, names, domain, stage, grade."""

    id: str
    zh: str
    en: str
    domain: str
    stage: str
    grade: int


class Cell(BaseModel):
    """One learner's mastery of one point (``p_mastery`` None and status ``no_evidence`` when never answered)."""

    point: str
    p_mastery: float | None
    status: str = Field(description="mastered | learning | weak | no_evidence")
    attempts: int
    correct: int


class LearnerRow(BaseModel):
    """One row of the heat map: a pupil and its cells, one per point shown."""

    pseudonym: str = Field(description="学生假名 / the pupil's keyed pseudonym (never the 学籍号)")
    name: str | None = Field(description="脱敏姓名 / masked name")
    cells: list[Cell]


class PointSummary(BaseModel):
    """A point over the class (None values and ``suppressed`` = small_cell when withheld)."""

    point: str
    learners: int | None
    mean: float | None
    share_mastered: float | None
    share_weak: float | None
    suppressed: str | None


class Ignored(BaseModel):
    """Statements read but not used, by reason."""

    no_point: int = 0
    unknown_point: int = 0
    no_success: int = 0


class ClassMastery(BaseModel):
    """The heat map of one class: points answered in it, pupils × points, the class per point."""

    class_id: str
    school_code: str | None
    thresholds: Thresholds
    points: list[PointInfo]
    learners: list[LearnerRow]
    summary: list[PointSummary]
    ignored: Ignored
    small_cell_min: int


class Resource(BaseModel):
    """A recommended resource, with its kind's names."""

    id: str
    zh: str
    en: str
    kind: str
    kind_zh: str
    kind_en: str
    iri: str


class Recommendation(BaseModel):
    """A point to work on, why, and what to use."""

    point: PointInfo
    p_mastery: float | None
    reason: str = Field(description="weak | prerequisite")
    chain: list[str] = Field(description="从该知识点到薄弱知识点的先修链 / point ids from this point to the weak one")
    why_zh: str
    why_en: str
    resources: list[Resource]


class PointMastery(BaseModel):
    """A point and one pupil's mastery of it."""

    point: PointInfo
    cell: Cell


class DomainMastery(BaseModel):
    """One pupil's mastery in one domain."""

    id: str
    zh: str
    en: str
    answered: int = Field(description="有作答证据的知识点数 / points with evidence")
    mastered: int
    mean: float | None = Field(description="有证据知识点的平均掌握度 / mean over points with evidence")
    points: list[PointMastery]


class LearnerMastery(BaseModel):
    """One pupil's mastery by domain and the explained recommendations."""

    pseudonym: str
    name: str | None
    class_id: str | None
    thresholds: Thresholds
    domains: list[DomainMastery]
    recommendations: list[Recommendation]
    ignored: Ignored


class LearnerChoice(BaseModel):
    """A pupil whose learner page the reader may open (masked name, never the 学籍号)."""

    pseudonym: str
    name: str | None
    class_id: str | None


class Domain(BaseModel):
    """A learning domain (领域)."""

    id: str
    zh: str
    en: str


class BktParameters(BaseModel):
    """The four BKT parameters of a point."""

    prior: float
    learn: float
    guess: float
    slip: float


class KnowledgePoint(PointInfo):
    """A point of the published catalog: prerequisites, BKT parameters, resources."""

    prerequisites: list[str]
    bkt: BktParameters = Field(description="默认参数（未拟合）/ default parameters (not fitted)")
    resources: list[Resource]


class KnowledgePoints(BaseModel):
    """The published knowledge-point catalog."""

    version: int
    thresholds: Thresholds
    domains: list[Domain]
    points: list[KnowledgePoint]
