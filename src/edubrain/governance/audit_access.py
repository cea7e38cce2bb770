"""The audit trail read by the people entitled to it: search, verify, the annual report (审计员查阅审计日志).

The web's audit page (and any other adapter) calls these functions; none of
them opens the store itself. Only the roles of :data:`AUDIT_READER_ROLES` may
use them (the auditor; see ``docs/audit.md`` for why the city administrator,
who runs the platform, is not among them). Every use is itself an event of the
trail, ``audit_read``, with what was looked for: who watches the watchers is
on the record too.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from edubrain.governance.audit import ACTIONS, AuditError, AuditEvent, VerifyResult, record_event, verify_chain
from edubrain.governance.audit_report import BEIJING, minors_report, write_report
from edubrain.governance.identity import Principal
from edubrain.governance.models import User
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation

AUDIT_READER_ROLES = frozenset({"auditor"})
"""Roles that may read and verify the audit trail and download the annual report."""
PAGE_SIZE = 50
"""Events per page of a search."""
FIRST_YEAR = 2000
"""The earliest report year accepted (the trail cannot be older than the platform)."""


def may_read_trail(principal: Principal | None) -> bool:
    """True when ``principal`` holds a role of :data:`AUDIT_READER_ROLES`."""
    return principal is not None and any(g.role in AUDIT_READER_ROLES for g in principal.grants)


def _require_reader(principal: Principal) -> None:
    if not may_read_trail(principal):
        raise AccessDenied("只有审计员可以查阅审计日志", "Only auditors may read the audit trail")


@dataclass(frozen=True)
class TrailQuery:
    """What an auditor looks for; every part is optional.

    Attributes:
        actor: A user id, a username (resolved to its id) or the name typed at a failed login.
        action: One of :data:`~edubrain.governance.audit.ACTIONS`.
        dataset: A catalog dataset id.
        since: First day, inclusive (Beijing calendar day).
        until: Last day, inclusive (Beijing calendar day).
        page: Page number, from 1 (a page past the last shows the last).
    """

    actor: str | None = None
    action: str | None = None
    dataset: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1

    def recorded(self) -> dict[str, Any]:
        """The query as JSON-ready values, for the ``audit_read`` event."""
        values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}
        return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class TrailPage:
    """One page of matching events, newest first.

    Attributes:
        events: The events of the page, newest first.
        usernames: Usernames by user id, for the actors among ``events`` that are users.
        org_names: Organisation names (Chinese) by code, for the organisations among ``events``.
        total: Matching events in all.
        page: This page's number (1 when nothing matches).
        pages: Number of pages (at least 1).
    """

    events: list[AuditEvent]
    usernames: dict[str, str] = field(default_factory=dict)
    org_names: dict[str, str] = field(default_factory=dict)
    total: int = 0
    page: int = 1
    pages: int = 1


def parse_day(value: str | None) -> dt.date | None:
    """A Beijing calendar day from ``YYYY-MM-DD`` ('' or None: no bound).

    Raises:
        AuditError: The value is not a date.
    """
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise AuditError(
            f"无法识别的日期 {value[:40]!r}：请写成 2026-03-01", f"Unrecognised date {value[:40]!r}: write 2026-03-01"
        ) from None


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def _actor_ids(session: Session, actor: str) -> list[str]:
    """``actor`` itself and, when it is a username, that user's id."""
    user_id = session.scalar(select(User.id).where(User.username == actor))
    return [actor] if user_id is None else [actor, user_id]


def _conditions(session: Session, query: TrailQuery) -> list[Any]:
    if query.action and query.action not in ACTIONS:
        known = ", ".join(ACTIONS)
        raise AuditError(f"未知动作 {query.action[:40]!r}；可用：{known}", f"Unknown action {query.action[:40]!r}")
    if query.since and query.until and query.since > query.until:
        raise AuditError("起始日期晚于截止日期", "The first day is after the last day")
    conditions: list[Any] = []
    if query.actor:
        ids = _actor_ids(session, query.actor)
        conditions.append(or_(*(AuditEvent.actor == i for i in ids)))
    if query.action:
        conditions.append(AuditEvent.action == query.action)
    if query.dataset:
        conditions.append(AuditEvent.dataset == query.dataset)
    if query.since:
        conditions.append(AuditEvent.at >= _day_start(query.since).astimezone(dt.UTC))
    if query.until:
        conditions.append(AuditEvent.at < _day_start(query.until + dt.timedelta(days=1)).astimezone(dt.UTC))
    return conditions


def _names(session: Session, events: list[AuditEvent]) -> tuple[dict[str, str], dict[str, str]]:
    """Usernames of the events' actors and names of their organisations, by id and code."""
    ids, codes = {e.actor for e in events}, {e.org_code for e in events if e.org_code}
    users = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    orgs = session.execute(select(Organisation.code, Organisation.name_zh).where(Organisation.code.in_(codes)))
    return {i: name for i, name in users}, {code: name for code, name in orgs}


def _record(session: Session, principal: Principal, **detail: Any) -> None:
    """Write the ``audit_read`` event of this use of the trail."""
    roles = ",".join(sorted({g.role for g in principal.grants}))
    org = principal.grants[0].org_code if principal.grants else None
    record_event(session, actor=principal.id, actor_role=roles, org_code=org, action="audit_read", detail=detail)


def search_trail(home: Home, principal: Principal, query: TrailQuery, page_size: int = PAGE_SIZE) -> TrailPage:
    """One page of the events matching ``query``, newest first; the search is recorded (``audit_read``).

    Raises:
        AccessDenied: The principal is not an auditor.
        AuditError: An unknown action, or the first day after the last.
    """
    _require_reader(principal)
    with session_scope(home.engine) as session:
        conditions = _conditions(session, query)
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0
        pages = max(1, math.ceil(total / page_size))
        number = min(max(query.page, 1), pages)
        stmt = select(AuditEvent).where(*conditions).order_by(AuditEvent.seq.desc())
        events = list(session.scalars(stmt.offset((number - 1) * page_size).limit(page_size)))
        users, orgs = _names(session, events)
        _record(session, principal, search=query.recorded(), matched=total)
    return TrailPage(events, users, orgs, total, number, pages)


def verify_trail(home: Home, principal: Principal) -> VerifyResult:
    """Verify the whole hash chain and the anchor (the seal's consistency, not its HMAC: no key on the server).

    The verification is recorded (``audit_read``) after it, with its outcome; when the trail cannot be
    written (its anchor is gone) the result, which says so, is returned unrecorded.

    Raises:
        AccessDenied: The principal is not an auditor.
    """
    _require_reader(principal)
    with session_scope(home.engine) as session:
        result = verify_chain(session)
    try:
        with session_scope(home.engine) as session:
            _record(session, principal, verify={"ok": result.ok, "first_bad_seq": result.first_bad_seq})
    except AuditError:
        if result.ok:
            raise
    return result


def trail_years(home: Home, principal: Principal) -> list[int]:
    """The calendar years (Beijing time) the trail covers, newest first; this year when it is empty."""
    _require_reader(principal)
    with session_scope(home.engine) as session:
        first, last = session.execute(select(func.min(AuditEvent.at), func.max(AuditEvent.at))).one()
    this_year = dt.datetime.now(BEIJING).year
    if first is None or last is None:
        return [this_year]
    newest = max(this_year, last.astimezone(BEIJING).year)
    return list(range(newest, first.astimezone(BEIJING).year - 1, -1))


def report_archive(home: Home, principal: Principal, year: int) -> tuple[str, bytes]:
    """The annual minors' information report for ``year`` as a zip (the HTML page and one CSV per table).

    The chain is verified first and the result is in the report (a failed chain is marked, not hidden).
    The download is recorded (``audit_read``).

    Returns:
        The file name (``minors_report_<year>.zip``) and the zip's bytes.

    Raises:
        AccessDenied: The principal is not an auditor.
        AuditError: The year is out of range.
    """
    _require_reader(principal)
    if not FIRST_YEAR <= year <= dt.datetime.now(BEIJING).year + 1:
        raise AuditError(f"年度 {year} 超出范围", f"The year {year} is out of range")
    with tempfile.TemporaryDirectory(prefix="edubrain-audit-report-") as folder:
        with session_scope(home.engine) as session:
            report = minors_report(session, year)
            written = write_report(report, Path(folder))
            _record(session, principal, report={"year": year, "chain_ok": report.verify.ok})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
    return f"minors_report_{year}.zip", buffer.getvalue()
