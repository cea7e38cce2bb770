"""The office side of public-service cases: the scoped work queue, one case, and the steps route … close.

Lists carry only the masked text (phone numbers, ID numbers, names masked) and no contact; a list read is audited
(``read_masked``). One case opened by an administrator (clearance L3) shows the full text and the complainant's name
and phone, unsealed and audited (``public_service_read``); an analyst or auditor sees it masked. A case outside
the reader's scope answers ``not_found``, like an unknown id.

Steps (:data:`STEPS`): ``route`` a case waiting in triage to a category's office; ``reroute`` a routed case to
another office (a note is required); ``respond`` with the answer to the citizen; ``close`` an answered case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.analytics.routing import load_taxonomy
from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import pseudonym_key
from edubrain.governance.public_service import (
    STATUSES,
    CaseRefused,
    aware,
    invalid,
    may_act,
    may_read,
    not_found,
    record_step,
    sla_due,
)
from edubrain.governance.public_service_models import PublicServiceCase, PublicServiceEvent
from edubrain.governance.public_service_sealing import mask_name, mask_phone, unseal_case
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.db import session_scope

STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "route": (("triage",), "routed"),
    "reroute": (("routed",), "routed"),
    "respond": (("routed",), "responded"),
    "close": (("responded",), "closed"),
}
"""step -> (the statuses it starts from, the status after)."""
LIST_LIMIT = 500


@dataclass(frozen=True)
class CaseLine:
    """One case in a list (masked text, no contact)."""

    id: str
    code: str
    channel: str
    category: str | None
    confidence: float | None
    district_code: str
    school_code: str | None
    office: str
    status: str
    received_at: dt.datetime
    sla_due: dt.datetime
    overdue: bool
    text_masked: str
    responded_at: dt.datetime | None
    satisfaction: int | None


@dataclass(frozen=True)
class CaseEvent:
    """One step in a case's history."""

    action: str
    from_status: str | None
    to_status: str
    office: str | None
    actor: str
    note: str | None
    at: dt.datetime


@dataclass(frozen=True)
class CaseDetail:
    """One case as its reader may see it, its history and the steps the reader may take now."""

    line: CaseLine
    text: str
    name: str
    phone: str
    unmasked: bool
    response: str | None
    events: list[CaseEvent] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def _line(row: PublicServiceCase, now: dt.datetime) -> CaseLine:
    due = aware(row.sla_due)
    done = aware(row.responded_at)
    overdue = (done or now) > due
    return CaseLine(row.id, row.code, row.channel, row.category, row.confidence, row.district_code, row.school_code,
                    row.office, row.status, aware(row.received_at), due, overdue, row.text_masked, done,
                    row.satisfaction)  # fmt: skip


def _roles(principal: Principal) -> str:
    return ",".join(sorted({g.role for g in principal.grants}))[:128]


def readable_districts(home: Home, scope: Scope) -> list[str] | None:
    """The districts whose cases the scope reads (None: all of them, the city)."""
    codes = [c.code for c in home.catalog.code_table("district").codes]
    found = [c for c in codes if may_read(scope, c)]
    return None if len(found) == len(codes) else found


def list_cases(
    home: Home, principal: Principal, *, district: str | None = None, office: str | None = None,
    status: str | None = None, category: str | None = None, overdue: bool = False,
    since: dt.date | None = None, until: dt.date | None = None, limit: int = LIST_LIMIT,
) -> list[CaseLine]:  # fmt: skip
    """The cases the principal reads, newest first, filtered; masked; the read is audited.

    A ``district`` outside the scope gives an empty list (like a district without cases).
    """
    scope = Scope.of(home, principal)
    allowed = readable_districts(home, scope)
    if allowed is not None and not allowed:
        return []
    query = select(PublicServiceCase).order_by(PublicServiceCase.received_at.desc()).limit(min(limit, LIST_LIMIT))
    if allowed is not None:
        query = query.where(PublicServiceCase.district_code.in_(allowed))
    for column, value in ((PublicServiceCase.district_code, district), (PublicServiceCase.office, office),
                          (PublicServiceCase.status, status), (PublicServiceCase.category, category)):  # fmt: skip
        if value:
            query = query.where(column == value)
    if since:
        query = query.where(PublicServiceCase.received_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(PublicServiceCase.received_at < end)
    now = dt.datetime.now(dt.UTC)
    with session_scope(home.engine) as session:
        lines = [_line(r, now) for r in session.scalars(query)]
        if overdue:
            lines = [x for x in lines if x.overdue and x.status in ("triage", "routed")]
        record_event(session, actor=principal.id, action="read_masked", actor_role=_roles(principal),
                     row_count=len(lines), detail={"public_service": "list", "district": district, "office": office})  # fmt: skip
    return lines


def _load(session: Session, scope: Scope, case_id: str) -> PublicServiceCase:
    row = session.get(PublicServiceCase, case_id) if len(case_id) == 32 else None
    if row is None or not may_read(scope, row.district_code):
        raise not_found(case_id)
    return row


def allowed_steps(scope: Scope, row: PublicServiceCase) -> list[str]:
    """The steps the principal of ``scope`` may take on ``row`` now."""
    if not may_act(scope, row.district_code):
        return []
    return [step for step, (starts, _) in STEPS.items() if row.status in starts]


def case_detail(home: Home, principal: Principal, case_id: str) -> CaseDetail:
    """One case: full text and contact for an administrator (audited), masked for other readers.

    Raises:
        CaseNotFound: unknown, or outside the principal's scope (the same answer).
    """
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        row = _load(session, scope, case_id)
        unmasked = may_act(scope, row.district_code)
        body = unseal_case(row.sealed, pseudonym_key(home.settings), key_id=row.key_id, case_id=row.id)
        if unmasked:
            record_event(session, actor=principal.id, action="public_service_read", actor_role=_roles(principal),
                         org_code=row.district_code, fields=["text", "name", "phone"], row_count=1,
                         detail={"case": row.code})  # fmt: skip
        events = session.scalars(select(PublicServiceEvent).where(PublicServiceEvent.case_id == row.id)
                                 .order_by(PublicServiceEvent.id))  # fmt: skip
        history = [CaseEvent(e.action, e.from_status, e.to_status, e.office, e.actor, e.note, aware(e.at))
                   for e in events]  # fmt: skip
        return CaseDetail(
            _line(row, dt.datetime.now(dt.UTC)),
            text=body["text"] if unmasked else row.text_masked,
            name=body["name"] if unmasked else mask_name(body["name"]),
            phone=body["phone"] if unmasked else mask_phone(body["phone"]),
            unmasked=unmasked, response=row.response, events=history, actions=allowed_steps(scope, row),
        )  # fmt: skip


def act(home: Home, principal: Principal, case_id: str, step: str, *, category: str | None = None,
        office: str | None = None, response: str | None = None, note: str | None = None) -> CaseDetail:  # fmt: skip
    """Take one step on a case (see :data:`STEPS`), as an administrator of its district or of the city.

    Raises:
        CaseNotFound: unknown or out of scope.
        CaseRefused: a reader who may not act, or a step the case's status does not allow.
        ValidationFailed: a missing or unknown category, office, response or note.
    """
    if step not in STEPS:
        raise invalid(
            "步骤 step", f"{step!r} 不是可用步骤（{'、'.join(STEPS)}）", f"{step!r} is not one of {', '.join(STEPS)}"
        )
    scope = Scope.of(home, principal)
    tax = load_taxonomy()
    with session_scope(home.engine) as session:
        row = _load(session, scope, case_id)
        if not may_act(scope, row.district_code):
            raise CaseRefused(
                f"{principal.name} 只能查看，不能办理诉求", f"{principal.name} may read but not act on cases"
            )
        starts, after = STEPS[step]
        if row.status not in starts:
            raise CaseRefused(f"诉求当前状态为 {row.status}，不能执行 {step}（需为 {'、'.join(starts)}）",
                              f"The case is {row.status}; {step} needs {', '.join(starts)}", status=row.status)  # fmt: skip
        before = row.status
        _apply(row, step, tax, category=category, office=office, response=response, note=note)
        row.status = after
        record_step(session, principal.id, row, step, before, note=note, role=_roles(principal))
    return case_detail(home, principal, case_id)


def _apply(row: PublicServiceCase, step: str, tax: Any, *, category: str | None, office: str | None,
           response: str | None, note: str | None) -> None:  # fmt: skip
    if step in ("route", "reroute"):
        if category not in tax.categories:
            raise invalid("类别 category", f"{category!r} 不是已知类别（{'、'.join(tax.categories)}）",
                          f"{category!r} is not a known category ({', '.join(tax.categories)})")  # fmt: skip
        target = office or tax.office_of(category)
        if target not in tax.offices:
            raise invalid("承办处室 office", f"{target!r} 不是已知处室", f"{target!r} is not a known office")
        if step == "reroute" and not (note or "").strip():
            raise invalid("说明 note", "改派须写明原因", "a reroute needs a reason")
        if step == "route":
            row.sla_due = sla_due(aware(row.received_at), tax.sla_days(category))
        row.category, row.office = category, target
    elif step == "respond":
        text = (response or "").strip()
        if not 5 <= len(text) <= 2000:
            raise invalid("答复 response", "应为 5–2000 个字", "needs 5–2000 characters", allowed=[5, 2000])
        row.response, row.responded_at = text, dt.datetime.now(dt.UTC)


__all__ = ["STATUSES", "STEPS", "CaseDetail", "CaseEvent", "CaseLine", "act", "case_detail", "list_cases"]
