"""The audit trail: appending, hashing, listing, append-only triggers, concurrent writers, seals.

Every test runs on SQLite and, with ``EDUBRAIN_TEST_DATABASE_URL``, on PostgreSQL (the ``home`` fixture).
Tampering tests are in ``test_audit_tamper.py``; they use :func:`tamper` from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import exc, text

from edubrain.governance.audit import (
    ZERO_HASH,
    AuditError,
    AuditEvent,
    VerifyResult,
    canonical_bytes,
    event_hash,
    list_events,
    record_event,
    seal_chain,
    verify_chain,
)
from edubrain.home import Home
from edubrain.store.db import session_scope

KEY = b"auditor-key-0123456789abcdef"
SQLITE_TRIGGERS = (
    "audit_events_no_update",
    "audit_events_no_delete",
    "audit_anchor_no_delete",
    "audit_anchor_no_rewind",
)


def fill(home: Home, n: int = 5) -> list[dict[str, Any]]:
    """Append ``n`` events of various kinds; returns them as dicts (as stored)."""
    kinds: list[dict[str, Any]] = [
        {"actor": "u_admin", "action": "login", "actor_role": "school_admin", "detail": {"ip": "10.0.0.1"}},
        {
            "actor": "u_admin",
            "action": "read_unmasked",
            "actor_role": "school_admin",
            "org_code": "1101080001",
            "dataset": "students",
            "fields": ["name", "national_id"],
            "row_count": 42,
            "purpose": "financial_aid_review",
            "minors": True,
        },
        {"actor": "bad_guess", "action": "login_failed", "detail": {"reason": "wrong password"}},
        {"actor": "u_city", "action": "export", "dataset": "students", "row_count": 7, "minors": True},
        {"actor": "system", "action": "role_change", "detail": {"user": "u_admin", "granted": "school_admin"}},
    ]
    events = []
    with session_scope(home.engine) as session:
        for i in range(n):
            events.append(record_event(session, **kinds[i % len(kinds)]).to_dict())
    return events


def tamper(home: Home, *statements: str, **params: Any) -> None:
    """Run SQL against the audit tables as an attacker would: append-only triggers out of the way first."""
    with home.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for name in SQLITE_TRIGGERS:
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE audit_anchor DISABLE TRIGGER USER"))
        for statement in statements:
            conn.execute(text(statement), params)


def verify(home: Home, key: bytes | None = None) -> VerifyResult:
    with session_scope(home.engine) as session:
        return verify_chain(session, key=key)


def test_audit_first_event_links_to_zeros_and_each_next_to_its_predecessor(home: Home) -> None:
    events = fill(home, 5)
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert events[0]["prev_hash"] == ZERO_HASH
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(events, events[1:], strict=False))
    result = verify(home)
    assert result.ok and result.checked == 5 and result.first_bad_seq is None
    assert (result.head_seq, result.head_hash) == (5, events[-1]["hash"])


def test_audit_hash_is_sha256_of_sorted_key_json_with_utc_microseconds(home: Home) -> None:
    event = fill(home, 1)[0]
    body = {k: v for k, v in event.items() if k != "hash"}
    expected = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical_bytes({**body, "at": dt.datetime.fromisoformat(body["at"])}) == expected
    assert event["hash"] == hashlib.sha256(expected).hexdigest()
    assert event["at"].endswith("+00:00") and len(event["at"].split(".")[1]) == len("000000+00:00")


def test_audit_empty_trail_verifies(home: Home) -> None:
    result = verify(home)
    assert result.ok and result.checked == 0 and result.head_hash == ZERO_HASH


def test_audit_event_commits_with_the_callers_transaction(home: Home) -> None:
    fill(home, 2)
    with pytest.raises(RuntimeError), session_scope(home.engine) as session:
        record_event(session, actor="u1", action="export", dataset="students", row_count=3)
        raise RuntimeError("the export failed")
    with session_scope(home.engine) as session:
        assert [e.seq for e in list_events(session)] == [1, 2]
        assert record_event(session, actor="u1", action="login").seq == 3
    assert verify(home).ok


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"actor": "u1", "action": "peek"}, "unknown action"),
        ({"actor": "", "action": "login"}, "no actor"),
        ({"actor": "u1", "action": "read_unmasked", "dataset": "students"}, "needs a purpose"),
        ({"actor": "u1", "action": "export", "row_count": -1}, "negative"),
        ({"actor": "u1", "action": "login", "detail": {"x": float("nan")}}, "not JSON"),
        ({"actor": "x" * 200, "action": "login"}, "longer than"),
    ],
)
def test_audit_invalid_event_is_refused_in_both_languages(home: Home, values: dict[str, Any], needle: str) -> None:
    with pytest.raises(AuditError) as caught, session_scope(home.engine) as session:
        record_event(session, **values)
    assert needle in caught.value.en and caught.value.zh.startswith("审计事件无效")
    assert verify(home).checked == 0


def test_audit_list_filters_by_actor_action_and_time(home: Home) -> None:
    fill(home, 5)
    middle = dt.datetime.now(dt.UTC)
    fill(home, 5)
    with session_scope(home.engine) as session:
        assert [e.seq for e in list_events(session, actor="u_admin")] == [1, 2, 6, 7]
        assert [e.seq for e in list_events(session, action="export")] == [4, 9]
        assert [e.seq for e in list_events(session, since=middle)] == [6, 7, 8, 9, 10]
        assert [e.seq for e in list_events(session, until=middle)] == [1, 2, 3, 4, 5]
        beijing = middle.astimezone(dt.timezone(dt.timedelta(hours=8)))
        assert [e.seq for e in list_events(session, since=beijing, actor="u_city")] == [9]
        assert [e.seq for e in list_events(session, limit=3)] == [8, 9, 10]
        read = list_events(session, action="read_unmasked")[0]
    assert read.at.tzinfo is not None and read.fields == ["name", "national_id"] and read.minors is True
    assert (read.purpose, read.row_count, read.dataset) == ("financial_aid_review", 42, "students")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET row_count = 0 WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 3",
        "DELETE FROM audit_anchor",
        "UPDATE audit_anchor SET last_seq = 1",
    ],
)
def test_audit_tables_are_append_only_for_plain_sql(home: Home, statement: str) -> None:
    fill(home, 3)
    with pytest.raises(exc.DBAPIError), home.engine.begin() as conn:
        conn.execute(text(statement))
    assert verify(home).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_anchor SET sealed_seq = NULL, sealed_hash = NULL, sealed_mac = NULL",
        "UPDATE audit_anchor SET sealed_seq = 1",
    ],
)
def test_audit_seal_cannot_be_removed_or_moved_back_by_plain_sql(home: Home, statement: str) -> None:
    fill(home, 3)
    with session_scope(home.engine) as session:
        seal_chain(session, KEY)
    with pytest.raises(exc.DBAPIError), home.engine.begin() as conn:
        conn.execute(text(statement))
    assert verify(home, KEY).ok


def test_audit_events_cannot_be_truncated_on_postgresql(home: Home) -> None:
    if home.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    fill(home, 2)
    with pytest.raises(exc.DBAPIError), home.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_events"))
    assert verify(home).checked == 2


def test_audit_concurrent_writers_make_one_gapless_chain(home: Home) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with session_scope(home.engine) as session:
                    record_event(session, actor=f"w{n}", action="login", detail={"i": i})
        except BaseException as caught:  # noqa: BLE001 - reported below
            errors.append(caught)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    result = verify(home)
    assert result.ok and result.checked == 60


def test_audit_seal_holds_and_later_events_still_verify(home: Home) -> None:
    fill(home, 3)
    with session_scope(home.engine) as session:
        sealed = seal_chain(session, KEY)
    assert sealed.sealed_seq == 3 and sealed.mac_checked
    fill(home, 2)
    result = verify(home, KEY)
    assert result.ok and result.sealed_seq == 3 and result.mac_checked and result.checked == 5
    wrong = verify(home, b"another-key-0123456789")
    assert not wrong.ok and "seal" in wrong.reason_en


def test_audit_key_without_a_seal_fails_and_empty_trail_cannot_be_sealed(home: Home) -> None:
    with pytest.raises(AuditError, match="empty"), session_scope(home.engine) as session:
        seal_chain(session, KEY)
    fill(home, 2)
    result = verify(home, KEY)
    assert not result.ok and "no seal" in result.reason_en
    assert verify(home).ok


def test_audit_event_objects_have_the_hash_of_their_values(home: Home) -> None:
    fill(home, 2)
    with session_scope(home.engine) as session:
        for event in list_events(session):
            assert isinstance(event, AuditEvent) and event_hash(event.hashed_values()) == event.hash


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)


JSON_VALUES = st.recursive(SCALARS | TEXT, _nested, max_leaves=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actor=TEXT.filter(bool),
    fields=st.lists(TEXT, max_size=4),
    row_count=st.none() | st.integers(0, 2**31 - 1),
    purpose=st.none() | TEXT,
    minors=st.booleans(),
    detail=st.dictionaries(TEXT, JSON_VALUES, max_size=4),
)
def test_audit_event_round_trips_and_verifies(
    home: Home,
    actor: str,
    fields: list[str],
    row_count: int | None,
    purpose: str | None,
    minors: bool,
    detail: dict[str, Any],
) -> None:
    given_values = {"actor": actor, "fields": fields, "row_count": row_count, "purpose": purpose, "minors": minors}
    with session_scope(home.engine) as session:
        written = record_event(session, action="export", detail=detail, **given_values).to_dict()
    with session_scope(home.engine) as session:
        read = list_events(session, limit=1)[0].to_dict()
    assert read == written
    assert {k: read[k] for k in given_values} == given_values and read["detail"] == detail
    assert verify(home).ok
