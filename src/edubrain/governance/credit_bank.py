"""The write and read door of the credit bank (学分银行): learner accounts and deposits of learning outcomes.

Who does what:

- A **learner** (role ``learner``) has one account linked to the user; it deposits its own outcomes, each addressed
  to one authorised institution, and reads only its own account, deposits, decisions and credentials.
- An **authorised institution** is an organisation of the tree in which some user holds the role
  ``credit_reviewer``. Its reviewers see the deposits addressed to it (the recognition queue) and nothing else;
  they may deposit for a learner whose account number the learner gave them (addressed to their institution), and
  decide (:mod:`edubrain.governance.credit_bank_recognition`).
- A **city administrator** opens accounts, linking a learner to K-12 records only by the platform's keyed
  pseudonym of the student number (:mod:`edubrain.governance.pseudonyms`); an adult has no link.

A deposit or account outside the reader's reach answers exactly like one that does not exist (``not_found``), so
ids cannot be probed. Every change commits with its workflow event and its audit event (``credit_bank``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.errors import EduBrainError
from edubrain.governance import credit_bank_views as views
from edubrain.governance.audit import record_event
from edubrain.governance.credit_bank_models import CreditBankDeposit, CreditBankEvent, CreditBankLearner
from edubrain.governance.credit_bank_records import ENGINE_KINDS, FORMALITIES, KINDS, SETTINGS, Account, Deposit
from edubrain.governance.identity import Principal
from edubrain.governance.models import RoleGrant, User
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation

LEARNER_ROLE = "learner"
REVIEWER_ROLE = "credit_reviewer"
DEFAULT_PROGRAMME = "cn-city-credit-bank"
MAX_CREDITS = 200.0


class CreditBankError(EduBrainError):
    """A deposit or decision the credit bank does not accept as given."""

    code = "credit_bank_error"


class CreditBankNotFound(EduBrainError):
    """No such record, or not one the principal may read (the two are not told apart)."""

    code = "not_found"


def not_found(what: str) -> CreditBankNotFound:
    """The one answer for an unknown id and an id outside the principal's reach."""
    return CreditBankNotFound(f"学分银行中没有 {what}（或您无权查看）", f"No credit-bank record {what} (or you may "
                              "not see it)", id=what)  # fmt: skip


def institutions_of(principal: Principal) -> set[str]:
    """The institutions whose queue ``principal`` reviews (its ``credit_reviewer`` grants)."""
    return {g.org_code for g in principal.grants if g.role == REVIEWER_ROLE}


def is_learner(principal: Principal) -> bool:
    """Whether ``principal`` holds the learner role (the archive page's and navigation's rule)."""
    return any(g.role == LEARNER_ROLE for g in principal.grants)


def is_city_admin(principal: Principal) -> bool:
    """Whether ``principal`` administers the city (opens accounts)."""
    return any(g.role == "city_admin" for g in principal.grants)


def roles_text(principal: Principal) -> str:
    """The principal's roles for the audit event."""
    return ",".join(sorted({g.role for g in principal.grants}))[:128]


def record(session: Session, principal: Principal, row: CreditBankDeposit, action: str, before: str | None,
           comment: str | None = None, **detail: Any) -> None:  # fmt: skip
    """The workflow event and the audit event of one change to a deposit (in the caller's transaction)."""
    now = dt.datetime.now(dt.UTC)
    session.add(CreditBankEvent(deposit_id=row.id, action=action, from_state=before, to_state=row.state,
                                actor=principal.id, comment=comment, at=now))  # fmt: skip
    record_event(session, actor=principal.id, action="credit_bank", actor_role=roles_text(principal),
                 org_code=row.institution_code, detail={"deposit": row.id, "learner": row.learner_id, "step": action,
                 "from": before, "to": row.state, **detail})  # fmt: skip
    row.updated_at = now
    session.flush()


def record_event_read(session: Session, principal: Principal, learner_id: str, what: str,
                      org_code: str | None = None) -> None:  # fmt: skip
    """The audit event of a read of a learner's records (``credit_bank_read``)."""
    record_event(session, actor=principal.id, action="credit_bank_read", actor_role=roles_text(principal),
                 org_code=org_code, detail={"learner": learner_id, "read": what})  # fmt: skip


def own_learner(session: Session, principal: Principal) -> CreditBankLearner | None:
    """The account of a principal holding the learner role (None: none opened)."""
    if not is_learner(principal):
        return None
    return session.scalar(select(CreditBankLearner).where(CreditBankLearner.principal == principal.id))


def may_read_deposit(session: Session, principal: Principal, row: CreditBankDeposit) -> bool:
    """The learner owning it, or a reviewer of the institution it is addressed to."""
    if row.institution_code in institutions_of(principal):
        return True
    mine = own_learner(session, principal)
    return mine is not None and mine.id == row.learner_id


def load_deposit(session: Session, principal: Principal, deposit_id: str) -> CreditBankDeposit:
    """The deposit when ``principal`` may read it, else :class:`CreditBankNotFound`."""
    row = session.get(CreditBankDeposit, deposit_id) if isinstance(deposit_id, str) and len(deposit_id) == 32 else None
    if row is None or not may_read_deposit(session, principal, row):
        raise not_found(str(deposit_id)[:64])
    return row


def authorised_institutions(home: Home) -> list[tuple[str, str, str]]:
    """The authorised institutions: (code, Chinese name, English name) of organisations with a reviewer."""
    with session_scope(home.engine) as session:
        rows = session.execute(
            select(Organisation.code, Organisation.name_zh, Organisation.name_en)
            .join(RoleGrant, RoleGrant.org_code == Organisation.code)
            .where(RoleGrant.role == REVIEWER_ROLE)
            .distinct()
            .order_by(Organisation.code)
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def open_account(home: Home, principal: Principal, name: str, *, username: str | None = None,
                 student_number: str | None = None, programme: str | None = None) -> Account:  # fmt: skip
    """Open a learner account (a city administrator only); link it to a user and, by pseudonym, to K-12 records.

    Raises:
        AccessDenied: not a city administrator.
        CreditBankError: an empty name, an unknown user, or a user or student number that already has an account.
    """
    if not is_city_admin(principal):
        raise AccessDenied(f"{principal.name} 不能开设学习者账户：只有市级管理员可以",
                           f"{principal.name} may not open learner accounts: only a city administrator may")  # fmt: skip
    name = (name or "").strip()[:200]
    if not name:
        raise CreditBankError("学习者姓名不能为空", "The learner's name must not be empty", field="name")
    with session_scope(home.engine) as session:
        user_id = None
        if username:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise CreditBankError(f"用户 {username} 不存在", f"User {username} does not exist", field="username")
            user_id = user.id
            if session.scalar(select(CreditBankLearner).where(CreditBankLearner.principal == user_id)) is not None:
                raise CreditBankError(f"用户 {username} 已有学习者账户", f"User {username} already has an account")
        link = key_id = None
        if student_number and student_number.strip():
            key = pseudonym_key(home.settings)
            link, key_id = pseudonym(student_number, "student", key), key.key_id
            if session.scalar(select(CreditBankLearner).where(CreditBankLearner.k12_pseudonym == link)) is not None:
                raise CreditBankError("该学籍号已关联学习者账户", "This student number is already linked to an account")
        row = CreditBankLearner(id=uuid.uuid4().hex, principal=user_id, name=name, k12_pseudonym=link,
                                k12_key_id=key_id, programme=programme or DEFAULT_PROGRAMME, created_by=principal.id)  # fmt: skip
        session.add(row)
        session.flush()
        record_event(session, actor=principal.id, action="credit_bank", actor_role=roles_text(principal),
                     detail={"step": "open_account", "learner": row.id, "linked_to_k12": link is not None})  # fmt: skip
        return views.account(row)


def my_account(home: Home, principal: Principal) -> Account | None:
    """The principal's own learner account (None when it has none)."""
    with session_scope(home.engine) as session:
        row = own_learner(session, principal)
        return None if row is None else views.account(row)


def check_outcome(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A deposit's fields checked: kind, formality, setting, title, provider, credits, date, code, category.

    Raises:
        CreditBankError: naming the field, the value and what is allowed.
    """
    out: dict[str, Any] = {}
    for name, allowed in (("kind", KINDS), ("formality", FORMALITIES), ("setting", SETTINGS)):
        value = str(fields.get(name) or "")
        if value not in allowed:
            raise CreditBankError(f"{name} 的值 {value!r} 不允许；可选：{' / '.join(allowed)}",
                                  f"{name} {value!r} is not allowed; one of {', '.join(allowed)}", field=name)  # fmt: skip
        out[name] = value
    for name, size in (("title", 200), ("provider", 200), ("code", 64), ("category", 64)):
        out[name] = str(fields.get(name) or "").strip()[:size] or None
    for name in ("title", "provider"):
        if out[name] is None:
            raise CreditBankError(f"{name} 不能为空", f"{name} must not be empty", field=name)
    try:
        credits = float(fields.get("credits", 0) or 0)
    except (TypeError, ValueError):
        credits = -1.0
    if not 0 <= credits <= MAX_CREDITS:
        raise CreditBankError(f"申请学分 {fields.get('credits')!r} 无效：应为 0 到 {MAX_CREDITS:g} 之间的数",
                              f"Credits {fields.get('credits')!r} invalid: a number from 0 to {MAX_CREDITS:g}",
                              field="credits")  # fmt: skip
    out["credits"] = round(credits, 2)
    try:
        completed = dt.date.fromisoformat(str(fields.get("completed_on") or ""))
    except ValueError:
        completed = None
    if completed is None or not dt.date(1950, 1, 1) <= completed <= dt.datetime.now(dt.UTC).date():
        raise CreditBankError(f"完成日期 {fields.get('completed_on')!r} 无效：YYYY-MM-DD，不晚于今天",
                              f"Completion date {fields.get('completed_on')!r} invalid: YYYY-MM-DD, not in the future",
                              field="completed_on")  # fmt: skip
    out["completed_on"] = completed
    return out


def deposit(home: Home, principal: Principal, institution: str, fields: Mapping[str, Any],
            learner_id: str | None = None) -> Deposit:  # fmt: skip
    """Deposit one outcome addressed to ``institution``: a learner for itself, or a reviewer for a learner.

    A reviewer deposits only to its own institution, for the account number ``learner_id`` a learner gave it.

    Raises:
        CreditBankNotFound: the account is unknown (or the principal is neither its learner nor a reviewer), or
            the institution is not authorised.
        CreditBankError: a field is invalid.
    """
    checked = check_outcome(fields)
    with session_scope(home.engine) as session:
        mine = own_learner(session, principal)
        if learner_id is None or (mine is not None and learner_id == mine.id):
            learner = mine
        elif institution in institutions_of(principal):
            learner = session.get(CreditBankLearner, learner_id) if len(learner_id) == 32 else None
        else:
            learner = None
        if learner is None:
            raise not_found(str(learner_id or "account")[:64])
        if institution not in {code for code, _, _ in authorised_institutions(home)}:
            raise not_found(str(institution)[:16])
        row = CreditBankDeposit(
            id=uuid.uuid4().hex, learner_id=learner.id, institution_code=institution, kind=checked["kind"],
            formality=checked["formality"], setting=checked["setting"], title=checked["title"],
            provider=checked["provider"], credits_claimed=checked["credits"], completed_on=checked["completed_on"],
            details={"code": checked["code"], "category": checked["category"],
                     "engine_kind": ENGINE_KINDS[checked["kind"]]},
            state="deposited", created_by=principal.id,
        )  # fmt: skip
        session.add(row)
        session.flush()
        record(session, principal, row, "deposit", None, by_learner=mine is not None and mine.id == learner.id)
        return views.deposit_view(session, row, learner.name)


def get_deposit(home: Home, principal: Principal, deposit_id: str) -> Deposit:
    """One deposit with its events, evidence, decision and credential (its learner or its institution only)."""
    with session_scope(home.engine) as session:
        row = load_deposit(session, principal, deposit_id)
        record_event(session, actor=principal.id, action="credit_bank_read", actor_role=roles_text(principal),
                     org_code=row.institution_code, detail={"deposit": row.id, "learner": row.learner_id})  # fmt: skip
        return views.deposit_view(session, row)


def my_deposits(home: Home, principal: Principal) -> list[Deposit]:
    """The principal's own deposits, newest completion first (empty without an account)."""
    with session_scope(home.engine) as session:
        mine = own_learner(session, principal)
        if mine is None:
            return []
        rows = session.scalars(select(CreditBankDeposit).where(CreditBankDeposit.learner_id == mine.id)
                               .order_by(CreditBankDeposit.completed_on.desc(), CreditBankDeposit.id)).all()  # fmt: skip
        record_event(session, actor=principal.id, action="credit_bank_read", actor_role=roles_text(principal),
                     detail={"learner": mine.id, "deposits": len(rows)})  # fmt: skip
        return [views.deposit_view(session, r, mine.name) for r in rows]


def queue(home: Home, principal: Principal, state: str | None = "deposited") -> list[Deposit]:
    """The deposits addressed to the principal's institutions (``state`` None: all), oldest first."""
    codes = institutions_of(principal)
    if not codes:
        return []
    with session_scope(home.engine) as session:
        query = select(CreditBankDeposit).where(CreditBankDeposit.institution_code.in_(sorted(codes)))
        if state is not None:
            query = query.where(CreditBankDeposit.state == state)
        rows = session.scalars(query.order_by(CreditBankDeposit.created_at, CreditBankDeposit.id)).all()
        for code in sorted({r.institution_code for r in rows}):
            record_event(session, actor=principal.id, action="credit_bank_read", actor_role=roles_text(principal),
                         org_code=code, detail={"queue": code, "deposits": sum(r.institution_code == code for r in rows)})  # fmt: skip
        return [views.deposit_view(session, r) for r in rows]
