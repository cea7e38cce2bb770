"""Logging in and querying as a principal, with every step audited.

These are what the CLI (and later the API) call: a login that records its
success or failure, and ad-hoc SQL over views that the one read path has
already scoped and masked for the principal.
"""

from __future__ import annotations

import pyarrow as pa

from edubrain.governance.audit import record_event
from edubrain.governance.identity import AuthError, Principal, authenticate
from edubrain.governance.readpath import AccessDenied, read_dataset
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.query import datasets_named, query_tables


def login(home: Home, username: str, password: str) -> Principal:
    """Authenticate with a password; the login or the failed login is written to the audit trail."""
    try:
        with session_scope(home.engine) as session:
            principal = authenticate(session, home.settings, username, password)
            record_event(session, actor=principal.id, action="login", detail={"username": username})
            return principal
    except AuthError as exc:
        with session_scope(home.engine) as session:
            record_event(
                session,
                actor=username[:64] or "?",
                action="login_failed",
                detail={"username": username[:500], "reason": exc.en},
            )
        raise


def scoped_query(
    home: Home, principal: Principal, sql: str, *, purpose: str | None = None, versions: dict[str, int] | None = None
) -> pa.Table:
    """Run read-only SQL over the datasets it names, each already scoped and masked for ``principal``.

    Raises:
        AccessDenied: the principal's roles may not run ad-hoc queries, or may not read a named dataset.
    """
    if not principal.may("may_query"):
        raise AccessDenied(
            f"{principal.name} 的角色不能执行即席查询", f"{principal.name}'s roles may not run ad-hoc queries"
        )
    versions = versions or {}
    tables = {
        name: read_dataset(home, principal, name, purpose=purpose, version=versions.get(name)).table
        for name in datasets_named(sql, home.catalog)
    }
    return query_tables(tables, sql)
