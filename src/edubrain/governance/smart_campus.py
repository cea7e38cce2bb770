"""The write and read door of the smart-campus evaluation (智慧校园达标评定) workflow.

A school administrator drafts its own school's self-assessment for a school year (a score for each ``self``
indicator of the framework, evidence attached by :mod:`edubrain.governance.smart_campus_evidence`) and submits
it; an administrator of that school's district recommends it or returns it with a comment; a city administrator
approves it or returns it. A returned assessment can be edited and submitted again; an approved one is frozen.
:data:`TRANSITIONS` is the whole state machine. Every change is one transaction with its workflow event and its
audit event (action ``smart_campus``).

Reading: the school's own administrator, the district's administrators and analysts, the city's administrators,
analysts and auditors (read-only). An assessment outside the reader's scope answers exactly like one that does not
exist (``not_found``), so ids cannot be probed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from edubrain.analytics.smart_campus import load_framework
from edubrain.errors import EduBrainError
from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.governance.smart_campus_designations import designated_ids
from edubrain.governance.smart_campus_models import SmartCampusAssessment, SmartCampusEvent, SmartCampusEvidence
from edubrain.governance.smart_campus_records import ACTION_NAMES, STATE_NAMES, Assessment, Event, Evidence
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation

STATES = ("draft", "submitted", "recommended", "returned", "approved")
"""Where an assessment stands."""
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("draft", "submit"): ("school", "submitted"),
    ("returned", "submit"): ("school", "submitted"),
    ("submitted", "recommend"): ("district", "recommended"),
    ("submitted", "return"): ("district", "returned"),
    ("recommended", "approve"): ("city", "approved"),
    ("recommended", "return"): ("city", "returned"),
}
"""(state, action) -> (the level that may take it, the state after)."""
EDITABLE = ("draft", "returned")
"""States in which the school may change scores and evidence."""
ACTOR_ROLES = {"school": "school_admin", "district": "district_admin", "city": "city_admin"}
"""The role that acts for each level."""
READER_ROLES = {
    "school": ("school_admin",),
    "district": ("district_admin", "district_analyst"),
    "city": ("city_admin", "city_analyst", "auditor"),
}
"""The roles that read the assessments of their organisation."""


class WorkflowError(EduBrainError):
    """A change the workflow does not allow in the assessment's state, or bad scores."""

    code = "workflow_error"


class AssessmentNotFound(EduBrainError):
    """No such assessment, or not one the principal may read (the two are not told apart)."""

    code = "not_found"


def _not_found(assessment: str) -> AssessmentNotFound:
    return AssessmentNotFound(
        f"没有智慧校园自评 {assessment}（或您无权查看）",
        f"No smart-campus self-assessment {assessment} (or you may not see it)",
        assessment=assessment,
    )


def district_of(session: Session, school: str) -> str | None:
    """The district of a stored school (None when ``school`` is not a school of the organisation tree)."""
    org = session.get(Organisation, school)
    return org.parent_code if org is not None and org.level == "school" else None


def acting_levels(scope: Scope, school: str) -> set[str]:
    """The levels (school, district, city) at which the principal of ``scope`` may act on ``school``'s assessments.

    The organisations come from the one :class:`~edubrain.governance.scope.Scope` (the grants whose record scope
    holds the school: the school itself, its district, the city); the role decides the level it acts at.
    """
    levels = set()
    for g in scope.grants_over(school):
        levels |= {level for level, role in ACTOR_ROLES.items() if g.role == role and g.org_level == level}
    return levels


def may_read(scope: Scope, school: str) -> bool:
    """Whether the principal of ``scope`` may read ``school``'s assessments (school itself, its district, the city)."""
    return any(g.role in READER_ROLES.get(g.org_level, ()) for g in scope.grants_over(school))


def may_use(principal: Principal) -> bool:
    """Whether ``principal`` holds any role that reads assessments (the pages' and navigation's rule)."""
    return any(g.role in READER_ROLES.get(g.org_level, ()) for g in principal.grants)


def allowed_actions(scope: Scope, row: SmartCampusAssessment, designated: bool = False) -> list[str]:
    """The steps the principal of ``scope`` may take on ``row`` now (transitions, and designate or revoke)."""
    levels = acting_levels(scope, row.school_code)
    found = [a for (s, a), (level, _) in TRANSITIONS.items() if s == row.state and level in levels]
    if row.state == "approved" and "city" in levels:
        found.append("revoke" if designated else "designate")
    return found


def _roles(principal: Principal) -> str:
    return ",".join(sorted({g.role for g in principal.grants}))[:128]


def _record(session: Session, principal: Principal, row: SmartCampusAssessment, action: str, before: str | None,
            level: str, comment: str | None = None, **detail: Any) -> None:  # fmt: skip
    """The workflow event and the audit event of one change (in the caller's transaction)."""
    now = dt.datetime.now(dt.UTC)
    session.add(SmartCampusEvent(assessment_id=row.id, action=action, from_state=before, to_state=row.state,
                                 actor=principal.id, actor_level=level, comment=comment, at=now))  # fmt: skip
    record_event(
        session, actor=principal.id, action="smart_campus", actor_role=_roles(principal), org_code=row.school_code,
        detail={"assessment": row.id, "school_year": row.school_year, "step": action, "from": before,
                "to": row.state, **({"comment": comment} if comment else {}), **detail},
    )  # fmt: skip
    row.updated_at = now
    session.flush()


def _load(session: Session, scope: Scope, assessment_id: str) -> SmartCampusAssessment:
    """The assessment when the principal of ``scope`` may read it, else :class:`AssessmentNotFound`."""
    row = session.get(SmartCampusAssessment, assessment_id)
    if row is None or not may_read(scope, row.school_code):
        raise _not_found(assessment_id)
    return row


def _refuse_level(principal: Principal, level: str, what_zh: str, what_en: str) -> AccessDenied:
    zh_level = {"school": "本校学校管理员", "district": "所属区的区级管理员", "city": "市级管理员"}[level]
    return AccessDenied(
        f"{principal.name} 不能{what_zh}：只有{zh_level}可以", f"{principal.name} may not {what_en}: only the {level} "
        f"administrator ({ACTOR_ROLES[level]}) may", level=level,
    )  # fmt: skip


def check_scores(scores: Mapping[str, Any]) -> dict[str, float]:
    """Scores of self-assessed indicators checked against the framework: known ids, numbers within [0, max].

    Raises:
        WorkflowError: an unknown or platform indicator, or a score that is not a number in [0, max].
    """
    framework = load_framework()
    allowed = {i.id: i for i in framework.self_indicators()}
    checked: dict[str, float] = {}
    for key, raw in scores.items():
        if key not in allowed:
            known = "、".join(allowed)
            raise WorkflowError(
                f"指标 {key} 不是自评指标；自评指标：{known}",
                f"Indicator {key} is not self-assessed; the self-assessed indicators are {', '.join(allowed)}",
                indicator=key,
            )
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = float("nan")
        top = allowed[key].max
        if not 0 <= value <= top:
            raise WorkflowError(
                f"指标 {key}（{allowed[key].name_zh}）的得分 {raw!r} 无效：应为 0 到 {top:g} 之间的数",
                f"Score {raw!r} of indicator {key} ({allowed[key].name_en}) is invalid: a number from 0 to {top:g}",
                indicator=key, allowed=[0, top],
            )  # fmt: skip
        checked[key] = round(value, 2)
    return checked


def create(home: Home, principal: Principal, school: str, school_year: int) -> Assessment:
    """Draft the self-assessment of ``school`` for ``school_year`` (its own school administrator only).

    Raises:
        AssessmentNotFound: the school is not stored, or not one the principal may read.
        AccessDenied: the principal reads the school but may not draft for it.
        WorkflowError: the school already has an assessment for the year.
    """
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        district = district_of(session, school)
        if district is None or not may_read(scope, school):
            raise _not_found(f"{school}/{school_year}")
        if "school" not in acting_levels(scope, school):
            raise _refuse_level(principal, "school", "为该校起草自评", "draft this school's self-assessment")
        found = session.scalar(select(SmartCampusAssessment).where(
            SmartCampusAssessment.school_code == school, SmartCampusAssessment.school_year == school_year))  # fmt: skip
        if found is not None:
            raise WorkflowError(
                f"学校 {school} 的 {school_year} 学年自评已存在", f"School {school} already has a self-assessment "
                f"for {school_year}", assessment=found.id,
            )  # fmt: skip
        row = SmartCampusAssessment(id=uuid.uuid4().hex, school_code=school, district_code=district,
                                    school_year=school_year, state="draft", scores={}, created_by=principal.id)  # fmt: skip
        session.add(row)
        session.flush()
        _record(session, principal, row, "create", None, "school")
        return _view(session, scope, row)


def save_scores(home: Home, principal: Principal, assessment_id: str, scores: Mapping[str, Any]) -> Assessment:
    """Set (merge) self-assessment scores of a draft or returned assessment (the school itself only)."""
    checked = check_scores(scores)
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        row = _load(session, scope, assessment_id)
        if "school" not in acting_levels(scope, row.school_code):
            raise _refuse_level(principal, "school", "修改自评得分", "change the scores")
        _editable(row)
        row.scores = {**row.scores, **checked}
        _record(session, principal, row, "save", row.state, "school", indicators=sorted(checked))
        return _view(session, scope, row)


def _editable(row: SmartCampusAssessment) -> None:
    if row.state not in EDITABLE:
        zh, en = STATE_NAMES[row.state]
        raise WorkflowError(
            f"自评处于“{zh}”状态，不能修改（仅草稿或已退回的自评可修改）",
            f"The self-assessment is {en.lower()}: only a draft or a returned one can be changed",
            state=row.state,
        )


def transition(
    home: Home, principal: Principal, assessment_id: str, action: str, comment: str | None = None
) -> Assessment:
    """Take one step of :data:`TRANSITIONS` (submit, recommend, return, approve); a return needs a comment.

    Raises:
        AssessmentNotFound: unknown, or outside the principal's read scope.
        AccessDenied: the principal reads it but is not the level that takes this step.
        WorkflowError: the step is not allowed in the current state, a return without a comment, or a
            submission with a self-assessed indicator unscored.
    """
    comment = (comment or "").strip()[:1000] or None
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        row = _load(session, scope, assessment_id)
        step = TRANSITIONS.get((row.state, action))
        if step is None:
            allowed = sorted({a for (s, a) in TRANSITIONS if s == row.state}) or ["-"]
            raise WorkflowError(
                f"自评处于“{STATE_NAMES[row.state][0]}”状态，不能执行“{ACTION_NAMES.get(action, (action,))[0]}”；可执行：{'、'.join(allowed)}",
                f"A self-assessment that is {row.state} cannot be '{action}'; allowed: {', '.join(allowed)}",
                state=row.state, action=action, allowed=allowed,
            )  # fmt: skip
        level, after = step
        if level not in acting_levels(scope, row.school_code):
            raise _refuse_level(principal, level, f"执行“{ACTION_NAMES[action][0]}”", f"{action} it")
        if action == "return" and not comment:
            raise WorkflowError("退回时必须填写意见", "A return needs a comment saying what to change", field="comment")
        if action == "submit":
            missing = [i.id for i in load_framework().self_indicators() if i.id not in row.scores]
            if missing:
                raise WorkflowError(
                    f"以下自评指标尚未评分，不能提交：{'、'.join(missing)}",
                    f"These self-assessed indicators have no score yet: {', '.join(missing)}", missing=missing,
                )  # fmt: skip
        before = row.state
        row.state = after
        _record(session, principal, row, action, before, level, comment)
        return _view(session, scope, row)


def get(home: Home, principal: Principal, assessment_id: str) -> Assessment:
    """One assessment with its history, evidence and the principal's possible actions."""
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        return _view(session, scope, _load(session, scope, assessment_id))


def find(home: Home, principal: Principal, school: str, school_year: int) -> Assessment | None:
    """The assessment of ``school`` and year (None when there is none); :class:`AssessmentNotFound` out of scope."""
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        district = district_of(session, school)
        if district is None or not may_read(scope, school):
            raise _not_found(f"{school}/{school_year}")
        row = session.scalar(select(SmartCampusAssessment).where(
            SmartCampusAssessment.school_code == school, SmartCampusAssessment.school_year == school_year))  # fmt: skip
        return None if row is None else _view(session, scope, row)


def may_draft(home: Home, principal: Principal, school: str) -> bool:
    """Whether ``principal`` may draft an assessment for ``school``."""
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        district = district_of(session, school)
    return district is not None and "school" in acting_levels(scope, school)


def list_assessments(home: Home, principal: Principal, school_year: int | None = None) -> list[Assessment]:
    """The assessments the principal may read (without history or evidence), by school and year."""
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        query = select(SmartCampusAssessment).order_by(
            SmartCampusAssessment.school_code, SmartCampusAssessment.school_year
        )
        if school_year is not None:
            query = query.where(SmartCampusAssessment.school_year == school_year)
        rows = [r for r in session.scalars(query) if may_read(scope, r.school_code)]
        marked = designated_ids(session)
        return [_summary(scope, r, r.id in marked) for r in rows]


def _summary(scope: Scope, row: SmartCampusAssessment, designated: bool) -> Assessment:
    return Assessment(row.id, row.school_code, row.district_code, row.school_year, row.state, dict(row.scores),
                      actions=allowed_actions(scope, row, designated), editable=row.state in EDITABLE and "school" in
                      acting_levels(scope, row.school_code), designated=designated)  # fmt: skip


def _view(session: Session, scope: Scope, row: SmartCampusAssessment) -> Assessment:
    events = session.scalars(select(SmartCampusEvent).where(SmartCampusEvent.assessment_id == row.id)
                             .order_by(SmartCampusEvent.id)).all()  # fmt: skip
    files = session.scalars(select(SmartCampusEvidence).where(SmartCampusEvidence.assessment_id == row.id)
                            .order_by(SmartCampusEvidence.uploaded_at, SmartCampusEvidence.id)).all()  # fmt: skip
    summary = _summary(scope, row, row.id in designated_ids(session, [row.id]))
    return Assessment(
        **{k: getattr(summary, k) for k in ("id", "school_code", "district_code", "school_year", "state", "scores",
                                            "designated")},  # fmt: skip
        events=[Event(e.action, e.from_state, e.to_state, e.actor, e.actor_level, e.comment, e.at) for e in events],
        evidence=[Evidence(f.id, f.indicator_id, f.file_name, f.content_type, f.size, f.sha256, f.uploaded_at) for f in files],
        actions=summary.actions, editable=summary.editable,
    )  # fmt: skip


def revision(home: Home) -> int:
    """A number that grows with every workflow event (0 before any): the assessments' version in the lineage."""
    with session_scope(home.engine) as session:
        return int(session.scalar(select(func.count(SmartCampusEvent.id))) or 0)


def assessment_tables(home: Home) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every assessment (``school_code``, ``district_code``, ``school_year``, ``state``) and its scores in long form.

    The derived dataset's job reads these as the platform (no principal): scores and states only, no person.
    """
    with session_scope(home.engine) as session:
        rows = session.execute(select(SmartCampusAssessment.school_code, SmartCampusAssessment.district_code,
                                      SmartCampusAssessment.school_year, SmartCampusAssessment.state,
                                      SmartCampusAssessment.scores)).all()  # fmt: skip
    states = pl.DataFrame(
        [(r[0], r[1], int(r[2]), r[3]) for r in rows],
        schema={"school_code": pl.String, "district_code": pl.String, "school_year": pl.Int64, "state": pl.String},
        orient="row",
    )
    scores = pl.DataFrame(
        [(r[0], int(r[2]), k, float(v)) for r in rows for k, v in (r[4] or {}).items()],
        schema={"school_code": pl.String, "school_year": pl.Int64, "indicator_id": pl.String, "score": pl.Float64},
        orient="row",
    )
    return states, scores
