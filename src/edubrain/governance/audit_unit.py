"""One commit for the audit events of one request: a profile page's governed reads and its ``profile_read``.

Each governed read that unmasks personal information records a
``read_unmasked`` event, and each profile read a ``profile_read``
(:func:`edubrain.governance.readpath.read_dataset`,
:func:`edubrain.governance.profile_access.record_profile_read`). Outside a
unit every event is its own transaction, as before. Inside
:func:`audit_unit` (or a function decorated with :func:`one_audit_commit`)
the events are checked when recorded and queued, and written when the unit
ends, in the order recorded, in one transaction per database: the same
events with the same fields, appended to the hash chain one after the other
under one lock of the chain's anchor, with one flush and one move of the anchor
(:func:`edubrain.governance.audit.record_events`).

The unit ends before the function returns, so nothing read leaves the
function before its audit is committed; if writing the audit fails the
function fails. Events recorded before an error are written too: what was
read was read. Units nest: the outermost one commits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine

P = ParamSpec("P")
R = TypeVar("R")

_PENDING: ContextVar[list[tuple[Engine, dict[str, Any]]] | None] = ContextVar("edubrain_audit_pending", default=None)


def append_event(engine: Engine, **values: Any) -> None:
    """Record one audit event (the keyword arguments of :func:`~edubrain.governance.audit.record_event`).

    Committed at once outside a unit; inside one, checked now and written when the unit ends.

    Raises:
        AuditError: the event is invalid (inside a unit too: at once, not at the end).
    """
    from edubrain.governance.audit import check_event, record_event
    from edubrain.store.db import session_scope

    pending = _PENDING.get()
    if pending is None:
        with session_scope(engine) as session:
            record_event(session, **values)
        return
    check_event(**values)
    pending.append((engine, values))


@contextmanager
def audit_unit() -> Iterator[None]:
    """Queue the audit events recorded inside and write them in one transaction (per database) at the end."""
    if _PENDING.get() is not None:  # nested: the outermost unit writes
        yield
        return
    pending: list[tuple[Engine, dict[str, Any]]] = []
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
        _write(pending)


def _write(pending: list[tuple[Engine, dict[str, Any]]]) -> None:
    """Append the queued events of each database in one transaction, one lock of the chain's anchor for them all."""
    from edubrain.governance.audit import record_events
    from edubrain.store.db import session_scope

    engines = list(dict.fromkeys(engine for engine, _ in pending))
    for engine in engines:
        with session_scope(engine) as session:
            record_events(session, [values for e, values in pending if e is engine])


def one_audit_commit(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` inside an :func:`audit_unit` (its events, and those of what it calls, in one commit)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with audit_unit():
            return func(*args, **kwargs)

    return wrapper
