"""The governed adaptive-learning facade: class mastery heat maps and a learner's mastery with recommendations.

Every read goes through governance: the pupils (pseudonym, masked name, class) through the profile facade's
roster read (:func:`edubrain.profiles.student_choices`: row scope, purpose, audit), the statements through the
LRS's governed read (:func:`edubrain.lrs.access.read`: its scope, ``lrs_read`` audit with the declared purpose).
Rules (docs/adaptive-learning.md):

- the class page: staff whose grants reach pupils (a teacher its classes, a school administrator its school),
  with a declared purpose (a pupil's mastery is sensitive personal information);
- the learner page: a student itself, a parent its children (``self_access``), staff one pupil of theirs with a
  purpose (the drill-down of the heat map);
- a class or pupil outside the reader's scope answers like an unknown one (no existence oracle);
- class aggregates withhold small cells (1 … k-1 learners) from a reader whose scope does not cover the class.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from edubrain.analytics.learning.catalog import KnowledgeCatalog, load_catalog
from edubrain.analytics.learning.mastery import class_summary, map_statements, mastery, status
from edubrain.analytics.learning.recommend import recommend
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.governance.suppression import covered
from edubrain.home import Home
from edubrain.learning import models as m
from edubrain.lrs import access
from edubrain.lrs.agents import LEARNER_HOMEPAGE
from edubrain.profiles import StudentChoice, student_choices

PAGE = 500
"""Rows per roster page and per statements page (the largest each read allows)."""


def may_view_class(home: Home, principal: Principal) -> bool:
    """The class heat map: staff whose grants open pupils' records (a class or school grant), not families."""
    scope = Scope.of(home, principal)
    return not scope.own_records_only() and any(g.org_level == "school" for g in scope.person_grants())


def may_view_own(home: Home, principal: Principal) -> bool:
    """The learner page for oneself or one's children: students and parents whose grant names the pupils."""
    scope = Scope.of(home, principal)
    return scope.own_records_only() and any(g.refs for g in principal.grants)


def _refused(principal: Principal) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 不能查看学习掌握度", f"{principal.name} may not read learning mastery"
    )  # fmt: skip


def _no_such(kind_zh: str, kind_en: str, subject: str) -> AccessDenied:
    return AccessDenied(
        f"没有{kind_zh} {subject}，或不在您的权限范围内",
        f"No {kind_en} {subject}, or it is outside your scope",
        subject=subject,
    )  # fmt: skip


def roster(home: Home, principal: Principal, purpose: str | None, class_id: str | None = None) -> list[StudentChoice]:
    """The pupils ``principal`` may open (of ``class_id``), every page of the governed roster read."""
    out: list[StudentChoice] = []
    while True:
        found = student_choices(home, principal, purpose=purpose, class_id=class_id, limit=PAGE, offset=len(out))
        out.extend(found.items)
        if not found.items or len(out) >= found.total:
            return out


def classes(home: Home, principal: Principal, purpose: str | None) -> list[str]:
    """The classes of the pupils a staff reader may open (for the class picker)."""
    if not may_view_class(home, principal):
        raise _refused(principal)
    return sorted({c.class_id for c in roster(home, principal, purpose) if c.class_id})


def _statements(home: Home, principal: Principal, purpose: str | None) -> Iterable[dict[str, Any]]:
    """Every statement in the reader's LRS scope, page by page through the governed read (each page audited)."""
    params: dict[str, str] = {"limit": str(PAGE)}
    while True:
        answer = access.read(home, principal, params, purpose=purpose)
        yield from answer.statements
        if answer.more is None:
            return
        params = {"more": answer.more}


def _mastery(
    home: Home, principal: Principal, purpose: str | None, pseudonyms: set[str], catalog: KnowledgeCatalog
) -> tuple[pl.DataFrame, m.Ignored]:
    """Mastery of the pupils ``pseudonyms`` from the statements the reader may read; 学籍号 dropped at once."""
    mapped = map_statements(_statements(home, principal, purpose), LEARNER_HOMEPAGE, set(catalog.by_id))
    responses = mapped.responses
    if responses.height:
        key = pseudonym_key(home.settings)
        responses = responses.with_columns(
            pseudonymise(responses.get_column("learner"), "student", key).alias("learner")
        )
        responses = responses.filter(pl.col("learner").is_in(sorted(pseudonyms)))
    ignored = m.Ignored(no_point=mapped.no_point, unknown_point=mapped.unknown_point, no_success=mapped.no_success)
    return mastery(responses, catalog.params()), ignored


def _resources(catalog: KnowledgeCatalog, pid: str) -> list[m.Resource]:
    kinds = catalog.resource_kinds
    return [
        m.Resource(
            id=x.id, zh=x.zh, en=x.en, kind=x.kind, kind_zh=kinds[x.kind].zh, kind_en=kinds[x.kind].en, iri=x.iri
        )
        for x in catalog.by_id[pid].resources
    ]


def knowledge_points() -> m.KnowledgePoints:
    """The catalog as published: points, prerequisites, default BKT parameters, resources, thresholds."""
    catalog = load_catalog()
    params = catalog.params()
    t = catalog.thresholds
    return m.KnowledgePoints(
        version=catalog.version, thresholds=m.Thresholds(mastered=t.mastered, weak=t.weak),
        domains=[m.Domain(id=d.id, zh=d.zh, en=d.en) for d in catalog.domains],
        points=[
            m.KnowledgePoint(
                **_info(catalog, p.id).model_dump(), prerequisites=list(p.prerequisites),
                bkt=m.BktParameters(**vars(params[p.id])), resources=_resources(catalog, p.id),
            )
            for p in catalog.points
        ],
    )  # fmt: skip


def _info(catalog: KnowledgeCatalog, pid: str) -> m.PointInfo:
    p = catalog.by_id[pid]
    return m.PointInfo(id=p.id, zh=p.zh, en=p.en, domain=p.domain, stage=p.stage, grade=p.grade)


def _cells(table: pl.DataFrame, learners: list[str], points: list[str], catalog: KnowledgeCatalog) -> pl.DataFrame:
    """Every (learner, point) pair, its mastery (null: no evidence), attempts and status."""
    grid = pl.DataFrame({"learner": learners}, schema={"learner": pl.String}).join(
        pl.DataFrame({"point": points}, schema={"point": pl.String}), how="cross"
    )
    return grid.join(table, on=["learner", "point"], how="left").with_columns(
        pl.col("attempts").fill_null(0), pl.col("correct").fill_null(0),
        status(pl.col("p_mastery"), catalog.thresholds).alias("status"),
    )  # fmt: skip


def _cell(r: dict[str, Any]) -> m.Cell:
    return m.Cell(point=r["point"], p_mastery=r["p_mastery"], status=r["status"], attempts=r["attempts"], correct=r["correct"])  # fmt: skip


def class_mastery(home: Home, principal: Principal, class_id: str, purpose: str | None) -> m.ClassMastery:
    """The heat map of one class: each pupil × each point answered in the class, and the class per point.

    Raises:
        AccessDenied: the reader may not use the page, gave no valid purpose, or the class is unknown or outside
            its scope (one message for both).
    """
    if not may_view_class(home, principal):
        raise _refused(principal)
    pupils = roster(home, principal, purpose, class_id)
    if not pupils:
        raise _no_such("班级", "class", class_id)
    catalog = load_catalog()
    table, ignored = _mastery(home, principal, purpose, {p.pseudonym for p in pupils}, catalog)
    answered = set(table.get_column("point").to_list())
    points = [pid for pid in catalog.by_id if pid in answered]
    cells = _cells(table, [p.pseudonym for p in pupils], points, catalog)
    by_learner: dict[str, list[m.Cell]] = {}
    for r in cells.iter_rows(named=True):
        by_learner.setdefault(r["learner"], []).append(_cell(r))
    school = pupils[0].school_code
    scope = Scope.of(home, principal)
    org = pl.DataFrame({"org": [f"{school}:{class_id}"]})
    mine = bool(org.select(covered(principal, "org", scope.schools_of)).item())
    k = home.settings.small_cell_min
    summary = class_summary(table, points, catalog.thresholds, k=k, covered=mine)
    t = catalog.thresholds
    return m.ClassMastery(
        class_id=class_id, school_code=school, thresholds=m.Thresholds(mastered=t.mastered, weak=t.weak),
        points=[_info(catalog, pid) for pid in points],
        learners=[m.LearnerRow(pseudonym=p.pseudonym, name=p.name, cells=by_learner.get(p.pseudonym, [])) for p in pupils],
        summary=[m.PointSummary(**r) for r in summary.iter_rows(named=True)],
        ignored=ignored, small_cell_min=k,
    )  # fmt: skip


def learner_choices(
    home: Home, principal: Principal, purpose: str | None = None, class_id: str | None = None
) -> list[m.LearnerChoice]:
    """The pupils whose learner page ``principal`` may open: itself, its children, or staff's pupils (purpose)."""
    if not (may_view_own(home, principal) or may_view_class(home, principal)):
        raise _refused(principal)
    return [
        m.LearnerChoice(pseudonym=c.pseudonym, name=c.name, class_id=c.class_id)
        for c in roster(home, principal, purpose, class_id)
    ]


def learner_mastery(
    home: Home,
    principal: Principal,
    pseudonym: str | None = None,
    *,
    purpose: str | None = None,
    class_id: str | None = None,
) -> m.LearnerMastery:
    """One pupil's mastery by domain and its explained recommendations (``pseudonym`` None: the only one).

    Raises:
        AccessDenied: the reader may not use the page or gave no purpose (staff); the pupil is unknown or outside
            its scope (one message for both); no pupil was named and the reader may open several.
    """
    choices = learner_choices(home, principal, purpose, class_id)
    if pseudonym is None:
        if len(choices) != 1:
            raise AccessDenied("请选择学生", "Choose a pupil", choices=len(choices))
        pseudonym = choices[0].pseudonym
    found = next((c for c in choices if c.pseudonym == pseudonym.strip().upper()), None)
    if found is None:
        raise _no_such("学生", "pupil", pseudonym)
    catalog = load_catalog()
    table, ignored = _mastery(home, principal, purpose, {found.pseudonym}, catalog)
    cells = _cells(table, [found.pseudonym], list(catalog.by_id), catalog)
    by_point = {r["point"]: _cell(r) for r in cells.iter_rows(named=True)}
    domains = []
    for d in catalog.domains:
        pts = [p.id for p in catalog.points if p.domain == d.id]
        values = [v for v in (by_point[p].p_mastery for p in pts) if v is not None]
        domains.append(
            m.DomainMastery(
                id=d.id, zh=d.zh, en=d.en, answered=len(values),
                mastered=sum(v >= catalog.thresholds.mastered for v in values),
                mean=sum(values) / len(values) if values else None,
                points=[m.PointMastery(point=_info(catalog, p), cell=by_point[p]) for p in pts],
            )
        )  # fmt: skip
    answered = {c.point: c.p_mastery for c in by_point.values() if c.p_mastery is not None}
    recs = [
        m.Recommendation(
            point=_info(catalog, r.point.id), p_mastery=r.mastery, reason=r.reason, chain=list(r.chain),
            why_zh=r.why_zh, why_en=r.why_en,
            resources=_resources(catalog, r.point.id),
        )
        for r in recommend(catalog, answered)
    ]  # fmt: skip
    t = catalog.thresholds
    return m.LearnerMastery(
        pseudonym=found.pseudonym, name=found.name, class_id=found.class_id,
        thresholds=m.Thresholds(mastered=t.mastered, weak=t.weak), domains=domains, recommendations=recs,
        ignored=ignored,
    )  # fmt: skip
