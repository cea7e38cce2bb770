"""The statement query: single statements by id and lists by filters, with StatementRef targeting and paging.

xAPI 1.0.3 Communication §2.1.3–§2.1.4 (IEEE 9274.1.1 §4.1.6.1):

- ``agent``, ``verb``, ``activity``, ``registration`` filter; ``related_agents``/``related_activities`` widen the
  agent and activity filters to every agent and activity of the statement (see :mod:`edubrain.lrs.agents`);
- a statement whose object is a StatementRef matches when its target matches, recursively (a recursive SQL CTE,
  on SQLite and PostgreSQL alike); ``since`` (exclusive), ``until`` (inclusive) and ``limit`` apply to the
  statements returned, not to their targets;
- voided statements are never in a list, nor returned by ``statementId``; only ``voidedStatementId`` returns them;
- newest ``stored`` first (``ascending``: oldest first), ties by storage order; a page ends at ``limit`` and the
  next page continues after the last (``stored``, row) key, so statements stored meanwhile never shift a page.

Every query is given the caller's scope as a SQL condition (:mod:`edubrain.lrs.access`), applied to the
statements returned and to the targets they match through, so nothing outside the scope shapes an answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from edubrain.lrs.models import LrsStatement, LrsStatementRef

MAX_LIMIT = 500
"""The most statements one page holds (``limit=0`` or more than this asks for this many)."""


@dataclass(frozen=True)
class StatementFilter:
    """The filters of a statement list (agent as a pseudonym, verb and activity as SHA-256 of the IRI)."""

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_agents: bool = False
    related_activities: bool = False
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 0
    ascending: bool = False


class FoundRow(Protocol):
    """A statement found: the columns of :data:`FOUND_COLUMNS` (what a read answers and audits), not the whole row."""

    @property
    def pk(self) -> int:
        """The row's key (storage order)."""

    @property
    def statement_id(self) -> str:
        """The statement's id."""

    @property
    def org_code(self) -> str:
        """The school that stored it."""

    @property
    def stored(self) -> dt.datetime:
        """When the LRS stored it."""

    @property
    def learner_pseudonym(self) -> str | None:
        """The actor's pseudonym when the actor is a pupil."""

    @property
    def sealed(self) -> str:
        """The exact statement, sealed."""

    @property
    def key_id(self) -> str:
        """The id of the key it was sealed under."""


FOUND_COLUMNS = (LrsStatement.pk, LrsStatement.statement_id, LrsStatement.org_code, LrsStatement.stored,
                 LrsStatement.learner_pseudonym, LrsStatement.sealed, LrsStatement.key_id)  # fmt: skip
"""What a read selects: the sealed exact statement and what the answer and its audit need (not the JSON copy)."""


@dataclass(frozen=True)
class Page:
    """One page of statements and the key to continue after its last one (None: no more)."""

    rows: list[FoundRow]
    after: tuple[dt.datetime, int] | None


def single(session: Session, scope: ColumnElement[bool], statement_id: str, *, voided: bool) -> FoundRow | None:
    """The statement ``statement_id`` inside ``scope``: not voided, or (``voided``) voided; None if there is none."""
    query = (
        select(*FOUND_COLUMNS)
        .where(scope, LrsStatement.statement_id == statement_id, LrsStatement.voided.is_(voided))
        .order_by(LrsStatement.stored, LrsStatement.pk)
        .limit(1)
    )
    return cast("FoundRow | None", session.execute(query).first())


def _ref(kind: str, value: str, related: bool) -> ColumnElement[bool]:
    refs = select(LrsStatementRef.statement_pk).where(LrsStatementRef.kind == kind, LrsStatementRef.value == value)
    if not related:
        refs = refs.where(LrsStatementRef.is_primary.is_(True))
    return LrsStatement.pk.in_(refs)


def _matching(scope: ColumnElement[bool], f: StatementFilter) -> ColumnElement[bool] | None:
    """The statements (in scope) matching the non-time filters, with those targeting them; None: no such filter."""
    conditions: list[ColumnElement[bool]] = []
    if f.agent is not None:
        conditions.append(_ref("agent", f.agent, f.related_agents))
    if f.activity is not None:
        conditions.append(_ref("activity", f.activity, f.related_activities))
    if f.verb is not None:
        conditions.append(LrsStatement.verb_hash == f.verb)
    if f.registration is not None:
        conditions.append(LrsStatement.registration == f.registration)
    if not conditions:
        return None
    columns = (LrsStatement.pk, LrsStatement.statement_id, LrsStatement.org_code)
    matched = select(*columns).where(scope, *conditions).cte("matched", recursive=True)
    targeting = select(*columns).join(
        matched,
        and_(LrsStatement.object_statement_id == matched.c.statement_id, LrsStatement.org_code == matched.c.org_code),
    )
    matched = matched.union(targeting.where(scope))
    return LrsStatement.pk.in_(select(matched.c.pk))


def statements(
    session: Session, scope: ColumnElement[bool], f: StatementFilter, after: tuple[dt.datetime, int] | None = None
) -> Page:
    """One page of the statements in ``scope`` matching ``f``, continuing after ``after`` (a page's last key)."""
    limit = MAX_LIMIT if f.limit <= 0 else min(f.limit, MAX_LIMIT)
    query = select(*FOUND_COLUMNS).where(scope, LrsStatement.voided.is_(False))
    matching = _matching(scope, f)
    if matching is not None:
        query = query.where(matching)
    if f.since is not None:
        query = query.where(LrsStatement.stored > f.since)
    if f.until is not None:
        query = query.where(LrsStatement.stored <= f.until)
    if after is not None:
        stored, pk = after
        if f.ascending:
            query = query.where(or_(LrsStatement.stored > stored, and_(LrsStatement.stored == stored, LrsStatement.pk > pk)))  # fmt: skip
        else:
            query = query.where(or_(LrsStatement.stored < stored, and_(LrsStatement.stored == stored, LrsStatement.pk < pk)))  # fmt: skip
    order = (LrsStatement.stored, LrsStatement.pk) if f.ascending else (LrsStatement.stored.desc(), LrsStatement.pk.desc())  # fmt: skip
    rows: list[Any] = list(session.execute(query.order_by(*order).limit(limit + 1)))
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, (rows[-1].stored, rows[-1].pk))


def mentioning(session: Session, scope: ColumnElement[bool], kind: str, value: str, limit: int) -> list[LrsStatement]:
    """The newest ``limit`` statements in ``scope``, not voided, naming an agent or activity anywhere in them.

    ``kind`` is ``agent`` (``value`` a pseudonym) or ``activity`` (``value`` the SHA-256 of the IRI); the match is the
    ``related_agents``/``related_activities`` one (actor, object, context, SubStatement, authority…).
    """
    refs = select(LrsStatementRef.statement_pk).where(LrsStatementRef.kind == kind, LrsStatementRef.value == value)
    query = (
        select(LrsStatement)
        .where(scope, LrsStatement.voided.is_(False), LrsStatement.pk.in_(refs))
        .order_by(LrsStatement.stored.desc(), LrsStatement.pk.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
