"""Tampering with the audit trail directly in the database, as an attacker with SQL access would.

Each test edits, deletes, inserts, reorders or truncates events with plain SQL (the
append-only triggers dropped first) and checks that ``verify_chain`` fails and names
the first bad event. The last tests pin down the limits the documentation states:
what a keyless rewrite of the whole chain gets past, and what the auditor's seal catches.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from edubrain.governance.audit import ZERO_HASH, event_hash, seal_chain
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.governance.test_audit import KEY, fill, tamper, verify


@pytest.fixture
def five(home: Home) -> list[dict[str, Any]]:
    """Five events recorded in ``home``; the chain verifies."""
    events = fill(home, 5)
    assert verify(home).ok
    return events


def _insert(home: Home, values: dict[str, Any]) -> None:
    """Insert an event row with hand-made values (JSON columns as text)."""
    columns = "seq, at, actor, actor_role, org_code, action, dataset, fields, row_count, purpose, minors, detail, prev_hash, hash"
    params = {**values, "at": dt.datetime.fromisoformat(values["at"])}
    params["fields"], params["detail"] = _json(values["fields"]), _json(values["detail"])
    placeholders = ", ".join(f":{c.strip()}" for c in columns.split(","))
    tamper(home, f"INSERT INTO audit_events ({columns}) VALUES ({placeholders})", **params)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _rehash(values: dict[str, Any]) -> str:
    return event_hash({**values, "at": dt.datetime.fromisoformat(values["at"])})


@pytest.mark.parametrize(
    "assignment",
    [
        "actor = 'someone_else'",
        "purpose = 'data_correction'",
        "row_count = 1",
        "fields = '[\"name\"]'",
        "minors = NOT minors",
        "dataset = NULL",
        'detail = \'{"ip": "10.9.9.9"}\'',
        "at = :earlier",
        "hash = :forged",
    ],
)
def test_tamper_edit_of_one_column_is_found_at_that_event(
    home: Home, five: list[dict[str, Any]], assignment: str
) -> None:
    tamper(
        home,
        f"UPDATE audit_events SET {assignment} WHERE seq = 2",
        earlier=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        forged="f" * 64,
    )
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 2 and result.checked == 1
    assert "#2" in result.reason_zh and "#2" in result.reason_en


def test_tamper_edit_of_prev_hash_is_found_at_that_event(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(home, "UPDATE audit_events SET prev_hash = :zeros WHERE seq = 3", zeros=ZERO_HASH)
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 3 and "prev_hash" in result.reason_en


def test_tamper_unreadable_value_is_found_not_crashed_on(home: Home, five: list[dict[str, Any]]) -> None:
    if home.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's column types refuse malformed values")
    tamper(home, "UPDATE audit_events SET detail = 'not json', at = 'yesterday' WHERE seq = 4")
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 4 and "cannot be parsed" in result.reason_en


def test_tamper_edit_with_its_hash_recomputed_breaks_the_next_link(home: Home, five: list[dict[str, Any]]) -> None:
    edited = {**five[1], "row_count": 1}
    tamper(home, "UPDATE audit_events SET row_count = 1, hash = :h WHERE seq = 2", h=_rehash(edited))
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 3 and "prev_hash" in result.reason_en


@pytest.mark.parametrize("seq", [1, 3])
def test_tamper_removed_event_is_named(home: Home, five: list[dict[str, Any]], seq: int) -> None:
    tamper(home, "DELETE FROM audit_events WHERE seq = :seq", seq=seq)
    result = verify(home)
    assert not result.ok and result.first_bad_seq == seq and "missing" in result.reason_en


def test_tamper_removed_event_with_the_rest_renumbered_is_found(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(
        home,
        "DELETE FROM audit_events WHERE seq = 3",
        "UPDATE audit_events SET seq = seq + 100 WHERE seq > 3",
        "UPDATE audit_events SET seq = seq - 101 WHERE seq > 100",
        "UPDATE audit_anchor SET last_seq = 4",
    )
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 3


def test_tamper_copied_event_inserted_in_the_middle_is_named(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(
        home,
        "UPDATE audit_events SET seq = seq + 100 WHERE seq > 2",
        "UPDATE audit_events SET seq = seq - 99 WHERE seq > 100",
    )
    _insert(home, {**five[1], "seq": 3, "actor": "ghost", "hash": "a" * 64})
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 3


def test_tamper_forged_event_inserted_in_the_middle_breaks_the_next_link(
    home: Home, five: list[dict[str, Any]]
) -> None:
    tamper(
        home,
        "UPDATE audit_events SET seq = seq + 100 WHERE seq > 2",
        "UPDATE audit_events SET seq = seq - 99 WHERE seq > 100",
    )
    forged = {**five[1], "seq": 3, "actor": "ghost", "prev_hash": five[1]["hash"]}
    _insert(home, {**forged, "hash": _rehash(forged)})
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 4 and "prev_hash" in result.reason_en


def test_tamper_event_inserted_before_the_first_is_named(home: Home, five: list[dict[str, Any]]) -> None:
    _insert(home, {**five[0], "seq": 0, "hash": "b" * 64})
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 0 and "inserted" in result.reason_en


def test_tamper_forged_event_appended_past_the_anchor_is_named(home: Home, five: list[dict[str, Any]]) -> None:
    forged = {**five[4], "seq": 6, "actor": "ghost", "prev_hash": five[4]["hash"]}
    _insert(home, {**forged, "hash": _rehash(forged)})
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 6 and "beyond the anchor" in result.reason_en


def test_tamper_reordered_events_are_found_at_the_first_moved(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(
        home,
        "UPDATE audit_events SET seq = -seq WHERE seq IN (2, 3)",
        "UPDATE audit_events SET seq = 5 + seq WHERE seq < 0",
    )
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 2


def test_tamper_reordered_times_are_found(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(
        home,
        "UPDATE audit_events SET at = :later WHERE seq = 2",
        "UPDATE audit_events SET at = :earlier WHERE seq = 3",
        later=dt.datetime.fromisoformat(five[2]["at"]),
        earlier=dt.datetime.fromisoformat(five[1]["at"]),
    )
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 2


@pytest.mark.parametrize(("kept", "first_bad"), [(3, 4), (4, 5), (0, 1)])
def test_tamper_truncation_is_named(home: Home, five: list[dict[str, Any]], kept: int, first_bad: int) -> None:
    tamper(home, "DELETE FROM audit_events WHERE seq > :kept", kept=kept)
    result = verify(home)
    assert not result.ok and result.first_bad_seq == first_bad and "removed" in result.reason_en
    assert result.checked == kept


def test_tamper_last_event_replaced_is_named(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(home, "DELETE FROM audit_events WHERE seq = 5")
    forged = {**five[4], "actor": "ghost"}
    _insert(home, {**forged, "hash": _rehash(forged)})
    result = verify(home)
    assert not result.ok and result.first_bad_seq == 5 and "replaced" in result.reason_en


def test_tamper_removed_anchor_fails(home: Home, five: list[dict[str, Any]]) -> None:
    tamper(home, "DELETE FROM audit_anchor")
    result = verify(home)
    assert not result.ok and result.first_bad_seq is None and "anchor is missing" in result.reason_en


def test_tamper_truncation_with_the_anchor_rewound_is_the_stated_limit_without_a_seal(
    home: Home, five: list[dict[str, Any]]
) -> None:
    """Someone who can rewrite both tables can drop the newest events undetected, unless a seal covers them."""
    tamper(
        home,
        "DELETE FROM audit_events WHERE seq > 3",
        "UPDATE audit_anchor SET last_seq = 3, last_hash = :h",
        h=five[2]["hash"],
    )
    assert verify(home).ok


def test_tamper_truncation_behind_a_seal_is_found(home: Home, five: list[dict[str, Any]]) -> None:
    with session_scope(home.engine) as session:
        seal_chain(session, KEY)
    tamper(
        home,
        "DELETE FROM audit_events WHERE seq > 3",
        "UPDATE audit_anchor SET last_seq = 3, last_hash = :h",
        h=five[2]["hash"],
    )
    for key in (None, KEY):
        result = verify(home, key)
        assert not result.ok and "seal (up to #5)" in result.reason_en


def _rewrite_all(home: Home, five: list[dict[str, Any]], *, with_seal_hash: bool) -> None:
    """Edit event 2 and recompute every hash after it, and the anchor (and the seal's hash), with no key."""
    prev, statements, params = five[0]["hash"], [], {}
    for i, event in enumerate(five[1:], start=2):
        values = {**event, "prev_hash": prev, "row_count": 1 if i == 2 else event["row_count"]}
        prev = _rehash(values)
        statements.append(f"UPDATE audit_events SET row_count = :r{i}, prev_hash = :p{i}, hash = :h{i} WHERE seq = {i}")
        params |= {f"r{i}": values["row_count"], f"p{i}": values["prev_hash"], f"h{i}": prev}
    statements.append("UPDATE audit_anchor SET last_hash = :last" + (", sealed_hash = :last" if with_seal_hash else ""))
    tamper(home, *statements, last=prev, **params)


def test_tamper_whole_chain_rewritten_without_a_seal_is_the_stated_limit(
    home: Home, five: list[dict[str, Any]]
) -> None:
    _rewrite_all(home, five, with_seal_hash=False)
    assert verify(home).ok


@pytest.mark.parametrize("with_seal_hash", [False, True])
def test_tamper_whole_chain_rewritten_behind_a_seal_is_found_with_the_key(
    home: Home, five: list[dict[str, Any]], with_seal_hash: bool
) -> None:
    with session_scope(home.engine) as session:
        seal_chain(session, KEY)
    _rewrite_all(home, five, with_seal_hash=with_seal_hash)
    with_key = verify(home, KEY)
    assert not with_key.ok and with_key.first_bad_seq is None and "seal (up to #5)" in with_key.reason_en
    assert verify(home).ok is with_seal_hash  # without the key only a careless rewrite shows


def test_tamper_removed_seal_is_found_with_the_key(home: Home, five: list[dict[str, Any]]) -> None:
    with session_scope(home.engine) as session:
        seal_chain(session, KEY)
    tamper(home, "UPDATE audit_anchor SET sealed_seq = NULL, sealed_hash = NULL, sealed_mac = NULL")
    result = verify(home, KEY)
    assert not result.ok and "no seal" in result.reason_en
