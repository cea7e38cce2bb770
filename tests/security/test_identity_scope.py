"""Identity resolution decisions stay inside scope: list, merge, reject and undo need both records' schools.

Candidates are stored directly here (the matching itself is measured in tests/governance); what is tested is the
workflow's door: who may see and decide a pair, that outsiders cannot tell a pair exists, that undo restores the
state before, and that every decision is an audit event. Runs on SQLite and, with EDUBRAIN_TEST_DATABASE_URL, on
PostgreSQL (the ``fresh`` fixture).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from edubrain.governance import identity
from edubrain.governance import identity_merge as im
from edubrain.governance.audit import AuditEvent, verify_chain
from edubrain.governance.identity_links import active_links, linked_ids, links_revision
from edubrain.governance.models import IdentityCandidate
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import OTHER_SCHOOL, SCHOOL, student_rows

URL = "/api/v1/identity"


def _ids() -> tuple[list[str], list[str]]:
    """Student numbers stored by ``populate``: 4 at SCHOOL (0-3), 3 at OTHER_SCHOOL (10-12)."""
    return [str(r[0]) for r in student_rows(4)[1:]], [str(r[0]) for r in student_rows(3, start=10)[1:]]


def _candidate(city: ApiCity, left: str, right: str, left_school: str, right_school: str) -> str:
    cid = secrets.token_hex(16)
    a, b = sorted([(left, left_school), (right, right_school)])
    with session_scope(city.home.engine) as session:
        session.add(
            IdentityCandidate(id=cid, left_id=a[0], right_id=b[0], left_school=a[1], right_school=b[1],
                              probability=0.97, match_weight=9.5, rule="model", status="open", found_by="test")
        )  # fmt: skip
    return cid


def _principal(city: ApiCity, username: str) -> identity.Principal:
    with session_scope(city.home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, username))


def _events(city: ApiCity, action: str) -> list[AuditEvent]:
    with session_scope(city.home.engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_security_identity_cross_school_pair_is_decided_only_by_who_holds_both(fresh: ApiCity) -> None:
    one, two = _ids()
    cross = _candidate(fresh, one[0], two[0], SCHOOL, OTHER_SCHOOL)
    absent = secrets.token_hex(16)
    # outsiders: a school holding one side, the other district, a teacher, an analyst without submit rights
    for user in ("school1", "school2", "chaoyang", "teacher", "analyst", "citizen"):
        listed = fresh.client.get(f"{URL}/candidates", headers=fresh.auth(user))
        if user != "analyst":  # the analyst sees the city (masked), below
            assert cross not in listed.text, user
        for action in ("merge", "reject", "undo"):
            body = {"canonical": "left"} if action == "merge" else {}
            real = fresh.client.post(f"{URL}/candidates/{cross}/{action}", json=body, headers=fresh.auth(user))
            fake = fresh.client.post(f"{URL}/candidates/{absent}/{action}", json=body, headers=fresh.auth(user))
            err_real, err_fake = assert_error(real, 403), assert_error(fake, 403)
            # no existence oracle: the same answer whether the pair exists or not
            assert (err_real["code"], err_real["message_en"]) == (err_fake["code"], err_fake["message_en"]), user
    assert links_revision(fresh.home) == 0 and not _events(fresh, "identity_merge")
    # the analyst may see the pair (city scope, masked) but not decide it
    seen = fresh.client.get(f"{URL}/candidates", headers=fresh.auth("analyst")).json()
    assert [c["id"] for c in seen["items"]] == [cross]
    assert seen["items"][0]["may_decide"] is False and "*" in seen["items"][0]["left"]["name"]
    # the district bureau holds both schools
    listed = fresh.client.get(f"{URL}/candidates", headers=fresh.auth("haidian")).json()
    assert [c["id"] for c in listed["items"]] == [cross] and listed["items"][0]["may_decide"] is True
    merged = fresh.client.post(f"{URL}/candidates/{cross}/merge", json={"canonical": "right", "reason": "转学重复注册"},
                               headers=fresh.auth("haidian"))  # fmt: skip
    assert merged.status_code == 200 and merged.json() == {"status": "merged"}
    left, right = sorted([one[0], two[0]])
    assert active_links(fresh.home).to_pylist() == [{"student_id": left, "canonical_id": right}]
    assert linked_ids(fresh.home, right) == [right, left] and linked_ids(fresh.home, left) == [left, right]
    assert links_revision(fresh.home) == 1
    [event] = _events(fresh, "identity_merge")
    assert event.detail["candidate"] == cross and event.detail["canonical"] == right and event.minors
    # still nobody else may undo it, and they cannot tell it exists
    for user in ("school1", "school2", "chaoyang"):
        assert_error(fresh.client.post(f"{URL}/candidates/{cross}/undo", json={}, headers=fresh.auth(user)), 403)
    undone = fresh.client.post(f"{URL}/candidates/{cross}/undo", json={"reason": "误合并"}, headers=fresh.auth("city"))
    assert undone.json() == {"status": "open"}
    assert active_links(fresh.home).num_rows == 0 and linked_ids(fresh.home, left) == [left]
    assert links_revision(fresh.home) == 2  # changed again: the profiles are stale
    [event] = _events(fresh, "identity_undo")
    assert event.detail["undone"] == "merged"
    after = fresh.client.get(f"{URL}/candidates", headers=fresh.auth("haidian")).json()
    assert after["items"][0]["status"] == "open" and after["items"][0]["canonical"] is None
    with session_scope(fresh.home.engine) as session:
        assert verify_chain(session).ok


def test_security_identity_school_decides_its_own_pairs_and_reject_undo_restores(fresh: ApiCity) -> None:
    one, two = _ids()
    own = _candidate(fresh, one[1], one[2], SCHOOL, SCHOOL)
    other = _candidate(fresh, two[1], two[2], OTHER_SCHOOL, OTHER_SCHOOL)
    school1 = _principal(fresh, "school1")
    assert [c.id for c in im.list_candidates(fresh.home, school1).items] == [own]  # the other school's is not listed
    for action in (im.reject, im.undo):
        try:
            action(fresh.home, school1, other)
        except im.AccessDenied as exc:
            assert "scope" in exc.en
        else:
            raise AssertionError("a school decided another school's pair")
    assert im.reject(fresh.home, school1, own, reason="双胞胎") == "rejected"
    assert im.list_candidates(fresh.home, school1).items == []  # no longer open
    [rejected] = im.list_candidates(fresh.home, school1, status="rejected").items
    assert rejected.id == own and rejected.decided_at is not None
    assert links_revision(fresh.home) == 0  # a rejection changes no link
    assert im.undo(fresh.home, school1, own) == "open"
    [back] = im.list_candidates(fresh.home, school1).items
    assert back.id == own and back.status == "open" and back.decided_at is None
    assert [e.detail["candidate"] for e in _events(fresh, "identity_reject")] == [own]
    assert [e.detail["undone"] for e in _events(fresh, "identity_undo")] == ["rejected"]


def test_security_identity_merges_chain_and_refuse_a_second_merge_of_one_group(fresh: ApiCity) -> None:
    one, _ = _ids()
    city = _principal(fresh, "city")
    first = _candidate(fresh, one[0], one[1], SCHOOL, SCHOOL)
    second = _candidate(fresh, one[1], one[2], SCHOOL, SCHOOL)
    third = _candidate(fresh, one[0], one[2], SCHOOL, SCHOOL)
    im.merge(fresh.home, city, first, "right")  # 0 into 1
    im.merge(fresh.home, city, second, "right")  # 1 into 2: 0 follows
    assert {r["student_id"]: r["canonical_id"] for r in active_links(fresh.home).to_pylist()} == {
        one[0]: one[2],
        one[1]: one[2],
    }
    assert linked_ids(fresh.home, one[0]) == [one[0], one[1], one[2]]
    try:
        im.merge(fresh.home, city, third, "left")
    except im.IdentityError as exc:
        assert "already" in exc.en
    else:
        raise AssertionError("merged two records of one group again")
    im.undo(fresh.home, city, first)
    assert {r["student_id"]: r["canonical_id"] for r in active_links(fresh.home).to_pylist()} == {one[1]: one[2]}
    assert links_revision(fresh.home) == 3
