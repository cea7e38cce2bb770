"""An audit unit writes the events recorded inside it in one commit, in order, chained, and never drops one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from edubrain.governance.audit import AuditError, AuditEvent, verify_chain
from edubrain.governance.audit_unit import append_event, audit_unit, one_audit_commit
from edubrain.home import Home
from edubrain.store.db import session_scope


@contextmanager
def audit_commits(engine: Engine) -> Iterator[list[int]]:
    """The number of audit events inserted by each commit that inserted any (a SQLAlchemy event listener)."""
    commits: list[int] = []
    state = {"inserts": 0}

    def statement(conn: Any, cursor: Any, sql: str, params: Any, context: Any, executemany: bool) -> None:
        if sql.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS"):
            state["inserts"] += len(params) if executemany else 1

    def commit(conn: Any) -> None:
        if state["inserts"]:
            commits.append(state["inserts"])
        state["inserts"] = 0

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield commits
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def _read(home: Home, n: int) -> None:
    append_event(
        home.engine, actor="u1", action="read_unmasked", dataset="students", fields=["name"], row_count=n,
        purpose="teaching", minors=True,
    )  # fmt: skip


def _events(home: Home) -> list[AuditEvent]:
    with session_scope(home.engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.actor == "u1").order_by(AuditEvent.seq)))


def test_outside_a_unit_each_event_is_its_own_commit(home: Home) -> None:
    with audit_commits(home.engine) as commits:
        _read(home, 1)
        _read(home, 2)
    assert commits == [1, 1]


def test_a_unit_writes_its_events_in_one_commit_in_order(home: Home) -> None:
    with audit_commits(home.engine) as commits, audit_unit():
        _read(home, 1)
        with audit_unit():  # nested: the outer unit writes
            _read(home, 2)
        _read(home, 3)
        assert commits == [] and _events(home) == []  # nothing written before the unit ends
    assert commits == [3]
    events = _events(home)
    assert [e.row_count for e in events] == [1, 2, 3]
    assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]
    assert [(e.action, e.dataset, e.fields, e.purpose, e.minors) for e in events] == [
        ("read_unmasked", "students", ["name"], "teaching", True)
    ] * 3
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    with session_scope(home.engine) as session:
        assert verify_chain(session).ok


def test_events_recorded_before_an_error_are_still_written(home: Home) -> None:
    @one_audit_commit
    def page() -> None:
        _read(home, 7)
        raise RuntimeError("the page failed after reading")

    with pytest.raises(RuntimeError):
        page()
    assert [e.row_count for e in _events(home)] == [7]


def test_an_invalid_event_fails_where_it_is_recorded(home: Home) -> None:
    with audit_unit():
        with pytest.raises(AuditError):
            append_event(home.engine, actor="u1", action="read_unmasked", dataset="students")  # no purpose
        _read(home, 1)
    assert [e.row_count for e in _events(home)] == [1]


def test_a_unit_locks_and_moves_the_anchor_once_for_all_its_events(home: Home) -> None:
    anchor: list[str] = []

    def statement(conn: Any, cursor: Any, sql: str, params: Any, context: Any, executemany: bool) -> None:
        if "audit_anchor" in sql.lower():
            anchor.append(sql.split()[0].upper())

    event.listen(home.engine, "before_cursor_execute", statement)
    try:
        _read(home, 1)
        one = len(anchor)
        anchor.clear()
        with audit_unit():
            for n in range(4):
                _read(home, n)
    finally:
        event.remove(home.engine, "before_cursor_execute", statement)
    assert len(anchor) == one  # four events: the statements on the anchor of one
    assert [e.row_count for e in _events(home)] == [1, 0, 1, 2, 3]
    with session_scope(home.engine) as session:
        assert verify_chain(session).ok
