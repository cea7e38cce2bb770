"""The knowledge-point catalog of primary mathematics, as data (``analytics/data/knowledge_points.yaml``).

Loaded once and validated: every prerequisite names a known point, prerequisites form no cycle, BKT parameters and
thresholds are probabilities (guess and slip below 0.5, the weak threshold below the mastered one), domains and
stages are declared. A bad entry is a bilingual :class:`KnowledgeCatalogError` naming it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from edubrain.analytics.kt.bkt import BKTParams
from edubrain.errors import CatalogError

RESOURCE_BASE = "https://edubrain.example/resources/"
"""A resource's IRI when the catalog gives none: this base and the resource id."""


class KnowledgeCatalogError(CatalogError):
    """The knowledge-point catalog is invalid (the message names the entry)."""

    code = "knowledge_catalog_error"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(_Strict):
    """An entry with an id and its Chinese and English names."""

    id: str
    zh: str
    en: str


class Stage(Named):
    """A learning stage (学段) and its grades."""

    grades: tuple[int, ...]


class Kind(_Strict):
    """A kind of resource (video, exercise …) and its names."""

    zh: str
    en: str


class Resource(Named):
    """A recommended resource: id, names, kind and IRI (default: :data:`RESOURCE_BASE` + id)."""

    kind: str
    iri: str = ""


class Bkt(_Strict):
    """BKT parameters; a point's may leave some out (the defaults apply)."""

    prior: float | None = None
    learn: float | None = None
    guess: float | None = None
    slip: float | None = None


class Point(Named):
    """One knowledge point: names, domain, stage and grade, prerequisites, BKT overrides, resources."""

    domain: str
    stage: str
    grade: int = Field(ge=1, le=6)
    prerequisites: tuple[str, ...] = ()
    bkt: Bkt = Bkt()
    resources: tuple[Resource, ...] = ()


class Thresholds(_Strict):
    """Mastery at or above ``mastered`` is 已掌握; below ``weak`` is 薄弱."""

    mastered: float
    weak: float


class KnowledgeCatalog(_Strict):
    """The validated catalog; ``params`` holds each point's BKT parameters (defaults with its overrides)."""

    version: int
    thresholds: Thresholds
    bkt_defaults: Bkt
    domains: tuple[Named, ...]
    stages: tuple[Stage, ...]
    resource_kinds: dict[str, Kind]
    points: tuple[Point, ...]

    @property
    def by_id(self) -> dict[str, Point]:
        """The points by id, in catalog order."""
        return {p.id: p for p in self.points}

    def params(self) -> dict[str, BKTParams]:
        """Each point's BKT parameters: the catalog's defaults, overridden by the point's own."""
        base = self.bkt_defaults.model_dump()
        return {
            p.id: BKTParams(**{k: v for k, v in {**base, **p.bkt.model_dump(exclude_none=True)}.items()})
            for p in self.points
        }

    def depth(self) -> dict[str, int]:
        """Length of each point's longest prerequisite chain (0: none); prerequisites have a smaller depth."""
        out: dict[str, int] = {}
        by_id = self.by_id

        def walk(pid: str) -> int:
            if pid not in out:
                out[pid] = 1 + max((walk(q) for q in by_id[pid].prerequisites), default=-1)
            return out[pid]

        for p in self.points:
            walk(p.id)
        return out


def _fail(zh: str, en: str, **details: Any) -> KnowledgeCatalogError:
    return KnowledgeCatalogError(f"知识点目录无效：{zh}", f"Invalid knowledge-point catalog: {en}", **details)


def _check_probability(where: str, name: str, value: float | None, upper: float = 1.0) -> None:
    if value is not None and not 0.0 <= value <= upper:
        raise _fail(
            f"{where} 的 {name}={value} 不在 [0, {upper}] 内",
            f"{where}: {name}={value} is not in [0, {upper}]",
            entry=where, field=name, allowed=f"[0, {upper}]",
        )  # fmt: skip


def _check_bkt(where: str, bkt: Bkt) -> None:
    for name in ("prior", "learn"):
        _check_probability(where, name, getattr(bkt, name))
    for name in ("guess", "slip"):  # below 0.5, else a correct answer would lower the mastery
        _check_probability(where, name, getattr(bkt, name), 0.5)


def _check_cycles(points: tuple[Point, ...]) -> None:
    by_id = {p.id: p for p in points}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(pid: str, path: list[str]) -> None:
        if state.get(pid) == 2:
            return
        if state.get(pid) == 1:
            cycle = " → ".join([*path[path.index(pid) :], pid])
            raise _fail(f"先修关系成环：{cycle}", f"prerequisites form a cycle: {cycle}", entry=pid, cycle=cycle)
        state[pid] = 1
        for q in by_id[pid].prerequisites:
            visit(q, [*path, pid])
        state[pid] = 2

    for p in points:
        visit(p.id, [])


def validate(raw: dict[str, Any]) -> KnowledgeCatalog:
    """The catalog of a parsed YAML document, validated (see the module).

    Raises:
        KnowledgeCatalogError: the first problem found, naming the entry, the field and what is allowed.
    """
    try:
        catalog = KnowledgeCatalog.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _fail(f"{where}：{first['msg']}", f"{where}: {first['msg']}", entry=where) from None
    t = catalog.thresholds
    _check_probability("thresholds", "mastered", t.mastered)
    _check_probability("thresholds", "weak", t.weak)
    if t.weak >= t.mastered:
        raise _fail("薄弱阈值须小于掌握阈值", "the weak threshold must be below the mastered one", entry="thresholds")
    _check_bkt("bkt_defaults", catalog.bkt_defaults)
    if None in catalog.bkt_defaults.model_dump().values():
        raise _fail("bkt_defaults 须给出 prior、learn、guess、slip", "bkt_defaults must give prior, learn, guess and slip", entry="bkt_defaults")  # fmt: skip
    domains, stages = {d.id for d in catalog.domains}, {s.id for s in catalog.stages}
    seen: set[str] = set()
    resources: set[str] = set()
    for p in catalog.points:
        if p.id in seen:
            raise _fail(f"知识点编号重复：{p.id}", f"duplicate knowledge point id: {p.id}", entry=p.id)
        seen.add(p.id)
        if p.domain not in domains or p.stage not in stages:
            raise _fail(
                f"知识点 {p.id} 的领域 {p.domain} 或学段 {p.stage} 未声明（领域：{sorted(domains)}；学段：{sorted(stages)}）",
                f"knowledge point {p.id}: domain {p.domain} or stage {p.stage} is not declared "
                f"(domains: {sorted(domains)}; stages: {sorted(stages)})",
                entry=p.id,
            )
        _check_bkt(f"知识点 {p.id} / point {p.id}", p.bkt)
        for r in p.resources:
            if r.kind not in catalog.resource_kinds or r.id in resources:
                raise _fail(
                    f"知识点 {p.id} 的资源 {r.id}：类型 {r.kind} 未声明或编号重复（可用类型：{sorted(catalog.resource_kinds)}）",
                    f"knowledge point {p.id}, resource {r.id}: kind {r.kind} not declared or id repeated "
                    f"(kinds: {sorted(catalog.resource_kinds)})",
                    entry=p.id,
                )
            resources.add(r.id)
    for p in catalog.points:
        unknown = [q for q in p.prerequisites if q not in seen]
        if unknown:
            raise _fail(
                f"知识点 {p.id} 的先修 {', '.join(unknown)} 不在目录中",
                f"knowledge point {p.id}: unknown prerequisite {', '.join(unknown)}",
                entry=p.id, unknown=unknown,
            )  # fmt: skip
    _check_cycles(catalog.points)
    points = tuple(
        p.model_copy(
            update={
                "resources": tuple(
                    r if r.iri else r.model_copy(update={"iri": RESOURCE_BASE + r.id}) for r in p.resources
                )
            }
        )  # fmt: skip
        for p in catalog.points
    )
    return catalog.model_copy(update={"points": points})


@lru_cache(maxsize=1)
def load_catalog() -> KnowledgeCatalog:
    """The packaged catalog, validated (cached: the file never changes at run time)."""
    text = files("edubrain.analytics").joinpath("data/knowledge_points.yaml").read_text(encoding="utf-8")
    return validate(yaml.safe_load(text))
