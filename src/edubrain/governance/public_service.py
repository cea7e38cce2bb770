"""The door of public-service cases (接诉即办): intake, citizens' lookup and rating, and the rules shared by the rest.

A citizen files a case on the public form (no login) and receives a case code and a check code; with both they
read its status and response and rate it (1–5). Every case is classified by the offline router
(:mod:`edubrain.analytics.routing`) and routed to the responsible office, or to manual triage when the router is
not confident; its response deadline is counted in working days from receipt (:func:`sla_due`).

Reading and acting (:mod:`edubrain.governance.public_service_work`): a district's administrators and analysts read
the cases of their district, the city's administrators, analysts and auditors all; administrators act. A case
outside the reader's scope, and a case code with a wrong check code, answer exactly like an unknown one
(``not_found``). Every change writes a case event and an audit event (action ``public_service``) in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from edubrain.analytics.routing import Routing, default_router, load_taxonomy
from edubrain.errors import EduBrainError, ValidationFailed
from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import PseudonymKey, pseudonym_key
from edubrain.governance.public_service_models import PublicServiceCase, PublicServiceEvent
from edubrain.governance.public_service_sealing import check_hash, check_matches, mask_text, seal_case
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.db import session_scope

CHANNELS = ("web", "hotline", "other")
"""Where a case came from: the public web form, a 12345-hotline import, anything else."""
STATUSES = ("triage", "routed", "responded", "closed")
"""Where a case stands: awaiting manual triage, with an office, answered, closed."""
READER_ROLES: dict[str, tuple[str, ...]] = {
    "district": ("district_admin", "district_analyst"),
    "city": ("city_admin", "city_analyst", "auditor"),
}
"""The roles that read cases, by the level of their grant."""
ACTOR_ROLES: dict[str, tuple[str, ...]] = {"district": ("district_admin",), "city": ("city_admin",)}
"""The roles that route, respond to and close cases."""
TEXT_LIMITS = (10, 2000)
"""Characters a case's text may have."""
INTAKE_PER_HOUR = 5
"""Cases one client (by a keyed hash of its address) may file on the public form per hour."""
_PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class CaseNotFound(EduBrainError):
    """No such case, or not one the principal (or the check code) may open: the two are not told apart."""

    code = "not_found"


class CaseRefused(EduBrainError):
    """A step the case's status or the principal's role does not allow."""

    code = "access_denied"


class RateLimited(EduBrainError):
    """Too many cases from one client in an hour."""

    code = "rate_limited"


def not_found(ref: str) -> CaseNotFound:
    """The one answer for an unknown case, an out-of-scope case and a wrong check code."""
    return CaseNotFound(f"没有诉求 {ref}（或查询码不正确、无权查看）",
                        f"No case {ref} (or the check code is wrong, or you may not see it)", case=ref)  # fmt: skip


def invalid(field: str, zh: str, en: str, **details: Any) -> ValidationFailed:
    """A bilingual validation error naming the field."""
    return ValidationFailed(f"{field}：{zh}", f"{field}: {en}", field=field, **details)


@dataclass(frozen=True)
class Receipt:
    """What a citizen keeps after filing: the case code and the check code (shown once, stored only hashed)."""

    code: str
    check_code: str
    category: str | None
    office: str
    sla_due: dt.datetime


@dataclass(frozen=True)
class CitizenView:
    """What a citizen sees of their own case (text masked, no internal notes)."""

    code: str
    status: str
    category: str | None
    office: str
    received_at: dt.datetime
    sla_due: dt.datetime
    text_masked: str
    response: str | None
    responded_at: dt.datetime | None
    satisfaction: int | None


def sla_due(received: dt.datetime, working_days: int) -> dt.datetime:
    """``received`` plus ``working_days`` Monday–Friday days, same time of day (public holidays not modelled)."""
    day = np.datetime64(received.date(), "D")
    due = np.busday_offset(day, working_days, roll="forward")
    return received + dt.timedelta(days=int((due - day).astype(int)))


def districts(home: Home) -> dict[str, tuple[str, str]]:
    """The 16 districts of the catalog's ``district`` code table: code -> (zh, en)."""
    return {c.code: (c.zh, c.en) for c in home.catalog.code_table("district").codes}


def grants_for(scope: Scope, district: str, roles: dict[str, tuple[str, ...]]) -> bool:
    """Whether a grant over ``district`` (the district itself or the city) holds one of ``roles`` at its level."""
    return any(g.role in roles.get(g.org_level, ()) for g in scope.grants_over(district))


def may_read(scope: Scope, district: str) -> bool:
    """Whether the principal of ``scope`` reads the cases of ``district``."""
    return grants_for(scope, district, READER_ROLES)


def may_act(scope: Scope, district: str) -> bool:
    """Whether the principal of ``scope`` routes, answers and closes the cases of ``district``."""
    return grants_for(scope, district, ACTOR_ROLES)


def may_use(principal: Principal) -> bool:
    """Whether ``principal`` holds a role that reads cases (the pages' and navigation's rule)."""
    return any(g.role in READER_ROLES.get(g.org_level, ()) for g in principal.grants)


def route_text(text: str) -> Routing:
    """The router's decision for one text."""
    return default_router().route([text])[0]


def check_case_fields(home: Home, text: str, district: str, school: str | None, name: str, phone: str) -> None:
    """Check a case's fields; raise a bilingual :class:`ValidationFailed` naming the first wrong one."""
    low, high = TEXT_LIMITS
    if not low <= len(text.strip()) <= high:
        raise invalid("诉求内容 text", f"应为 {low}–{high} 个字，收到 {len(text.strip())} 个",
                      f"needs {low}–{high} characters, got {len(text.strip())}", allowed=[low, high])  # fmt: skip
    if district not in districts(home):
        raise invalid("所在区 district", f"{district!r} 不是北京市的区代码（110101–110119）",
                      f"{district!r} is not a Beijing district code (110101–110119)", value=district)  # fmt: skip
    if school and not re.fullmatch(r"[0-9]{10}", school):
        raise invalid("学校标识码 school", f"{school!r} 应为 10 位数字", f"{school!r} must be 10 digits", value=school)
    if len(name) > 50:
        raise invalid("姓名 name", "最多 50 个字", "at most 50 characters")
    if phone and not _PHONE.match(phone):
        raise invalid("联系电话 phone", "只能含数字、+、- 和空格（7–20 位）",
                      "digits, +, - and spaces only (7–20 characters)")  # fmt: skip


def new_case(
    session: Session, key: PseudonymKey, *, text: str, district: str, school: str | None, name: str, phone: str,
    channel: str, received_at: dt.datetime, actor: str, routing: Routing, external_id: str | None = None,
    intake_key: str | None = None,
) -> tuple[PublicServiceCase, str]:  # fmt: skip
    """Store one checked case with its intake event and audit event; returns the row and its check code."""
    tax = load_taxonomy()
    case_id = uuid.uuid4().hex
    check = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    salt = secrets.token_hex(16)
    code = f"JS{received_at:%Y%m%d}{''.join(secrets.choice(_CODE_ALPHABET) for _ in range(6))}"
    category = None if routing.triage else routing.category
    row = PublicServiceCase(
        id=case_id, code=code, check_salt=salt, check_hash=check_hash(salt, check), channel=channel,
        external_id=external_id, category=category, confidence=routing.confidence,
        text_masked=mask_text(text, name), sealed=seal_case({"text": text, "name": name, "phone": phone}, key, case_id),
        key_id=key.key_id, district_code=district, school_code=school or None, received_at=received_at,
        office=routing.office, sla_due=sla_due(received_at, tax.sla_days(category)),
        status="triage" if routing.triage else "routed", intake_key=intake_key,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_step(session, actor, row, "intake", None, note=f"{routing.category}:{routing.confidence:.2f}")
    return row, check


def record_step(session: Session, actor: str, row: PublicServiceCase, action: str, before: str | None,
                note: str | None = None, role: str | None = None) -> None:  # fmt: skip
    """The case event and the audit event of one step (in the caller's transaction)."""
    now = dt.datetime.now(dt.UTC)
    session.add(PublicServiceEvent(case_id=row.id, action=action, from_status=before, to_status=row.status,
                                   office=row.office, actor=actor[:128], note=note, at=now))  # fmt: skip
    record_event(session, actor=actor[:128], action="public_service", actor_role=role, org_code=row.district_code,
                 detail={"case": row.code, "step": action, "from": before, "to": row.status, "office": row.office})  # fmt: skip
    session.flush()


def client_key(home: Home, client: str) -> str:
    """A keyed hash of a client's address (the address itself is never stored)."""
    secret = pseudonym_key(home.settings).secret.get_secret_value().encode()
    return hmac.new(secret, f"intake:{client}".encode(), hashlib.sha256).hexdigest()


def file_case(home: Home, *, text: str, district: str, school: str | None = None, name: str = "", phone: str = "",
              client: str | None = None, principal: Principal | None = None) -> Receipt:  # fmt: skip
    """File a case from the public web form (nobody needs to be logged in).

    Raises:
        ValidationFailed: a field is missing or wrong (the message names it and what is allowed).
        RateLimited: the client filed :data:`INTAKE_PER_HOUR` cases in the last hour.
    """
    text, name, phone = text.strip(), name.strip(), phone.strip()
    check_case_fields(home, text, district, school, name, phone)
    key = pseudonym_key(home.settings)
    intake = client_key(home, client) if client else None
    now = dt.datetime.now(dt.UTC)
    routing = route_text(text)
    with session_scope(home.engine) as session:
        if intake is not None:
            recent = session.scalar(select(func.count()).select_from(PublicServiceCase).where(
                PublicServiceCase.intake_key == intake, PublicServiceCase.created_at >= now - dt.timedelta(hours=1)))  # fmt: skip
            if (recent or 0) >= INTAKE_PER_HOUR:
                raise RateLimited(f"提交过于频繁：每小时最多 {INTAKE_PER_HOUR} 件，请稍后再试",
                                  f"Too many cases: at most {INTAKE_PER_HOUR} an hour; try again later",
                                  limit=INTAKE_PER_HOUR)  # fmt: skip
        actor = principal.id if principal is not None else "public"
        row, check = new_case(session, key, text=text, district=district, school=school, name=name, phone=phone,
                              channel="web", received_at=now, actor=actor, routing=routing, intake_key=intake)  # fmt: skip
        return Receipt(row.code, check, row.category, row.office, row.sla_due)


def _citizen_case(session: Session, code: str, check_code: str) -> PublicServiceCase:
    row = session.scalar(select(PublicServiceCase).where(PublicServiceCase.code == code.strip().upper()))
    if row is None or not check_matches(row.check_salt, row.check_hash, check_code):
        raise not_found(code)
    return row


def _as_citizen(row: PublicServiceCase) -> CitizenView:
    return CitizenView(row.code, row.status, row.category, row.office, aware(row.received_at), aware(row.sla_due),
                       row.text_masked, row.response, aware(row.responded_at), row.satisfaction)  # fmt: skip


def aware(value: dt.datetime | None) -> Any:
    """A stored time as UTC-aware (SQLite returns naive values)."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def lookup(home: Home, code: str, check_code: str) -> CitizenView:
    """A citizen's own case, by its case code and check code (a wrong pair answers like an unknown case)."""
    with session_scope(home.engine) as session:
        return _as_citizen(_citizen_case(session, code, check_code))


def rate(home: Home, code: str, check_code: str, satisfaction: int) -> CitizenView:
    """The citizen rates the response 1 (very dissatisfied) to 5 (very satisfied), once, after it was answered.

    Raises:
        CaseNotFound: unknown case or wrong check code.
        ValidationFailed: not 1–5.
        CaseRefused: not answered yet, or already rated.
    """
    if satisfaction not in (1, 2, 3, 4, 5):
        raise invalid("满意度 satisfaction", f"应为 1–5 的整数，收到 {satisfaction!r}",
                      f"an integer from 1 to 5, got {satisfaction!r}", allowed=[1, 5])  # fmt: skip
    with session_scope(home.engine) as session:
        row = _citizen_case(session, code, check_code)
        if row.status not in ("responded", "closed") or row.satisfaction is not None:
            raise CaseRefused("只能对已答复且尚未评价的诉求评价一次", "A case can be rated once, after it was answered",
                              status=row.status)  # fmt: skip
        row.satisfaction = satisfaction
        record_step(session, "public", row, "rate", row.status, note=str(satisfaction))
        return _as_citizen(row)
