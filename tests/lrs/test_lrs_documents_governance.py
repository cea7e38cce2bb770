"""Who writes and reads documents, attacker tests, sealing at rest, audit and atomicity (docs/lrs.md "文档资源")."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import inspect, select, text

from edubrain.governance.audit import AuditEvent
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.lrs.models import LrsDocument
from edubrain.store.db import session_scope
from tests.api.conftest import assert_error
from tests.lrs.conftest import OTHER_PUPILS, PUPILS, Lrs, pupil
from tests.lrs.document_helpers import KINDS, doc, fresh_agent, get, ids, put, send


def _observed(response, doc_id: str) -> tuple[int, str, dict]:  # type: ignore[no-untyped-def]
    """What a caller observes: status, body (the id it asked for replaced) and headers that do not vary by time."""
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "content-length", "x-request-id")}
    return response.status_code, response.text.replace(doc_id, "<id>"), headers


@pytest.mark.parametrize("kind", KINDS)
def test_another_school_cannot_read_or_list_a_document_and_gets_what_a_missing_one_gives(lrs: Lrs, kind: str) -> None:
    """Attacker: school B's key asks for school A's document: 404 with the very body and headers of a missing one,
    and it is absent from B's lists (the documents are A's; Communication 2.2, 9274.1.1 4.1.5 404)."""
    theirs = doc(kind, fresh_agent())
    assert put(lrs, "app1", theirs, {"secret": "A"}).status_code == 204
    missing = doc(kind)
    missing.context = theirs.context
    known = _observed(get(lrs, "app2", theirs), theirs.doc_id)
    assert known[0] == 404
    assert known == _observed(get(lrs, "app2", missing), missing.doc_id)
    assert ids(lrs, "app2", theirs) == []
    assert theirs.doc_id in ids(lrs, "app1", theirs)


@pytest.mark.parametrize("kind", KINDS)
def test_another_school_cannot_overwrite_merge_into_delete_or_detect_a_document(lrs: Lrs, kind: str) -> None:
    """Attacker: with A's document id and even its ETag, B's writes answer exactly as for a document that does not
    exist (If-None-Match ``*`` passes, If-Match fails 412, a bare PUT is no 409) and A's document is untouched."""
    target = doc(kind, fresh_agent())
    assert put(lrs, "app1", target, {"owner": "A"}).status_code == 204
    etag = get(lrs, "app1", target).headers["etag"]
    unknown = doc(kind, fresh_agent())
    for probe in (target, unknown):
        assert_error(send(lrs, "app2", "PUT", probe, {"owner": "B"}, **{"If-Match": etag}), 412)
        assert_error(send(lrs, "app2", "DELETE", probe, **{"If-Match": etag}), 412)
        assert_error(send(lrs, "app2", "POST", probe, {"owner": "B"}, **{"If-Match": "*"}), 412)
    assert send(lrs, "app2", "PUT", target, {"owner": "B"}, **{"If-None-Match": "*"}).status_code == 204
    assert send(lrs, "app2", "POST", target, {"merged": "B"}).status_code == 204
    assert send(lrs, "app2", "DELETE", target).status_code == 204
    assert get(lrs, "app1", target).json() == {"owner": "A"}
    assert get(lrs, "app1", target).headers["etag"] == etag
    if kind == "state":  # DELETE of every State document of the context (Communication 2.3.s5)
        assert send(lrs, "app2", "DELETE", target, params=target.context).status_code == 204
    assert get(lrs, "app1", target).json() == {"owner": "A"}


@pytest.mark.parametrize("kind", ["state", "agent_profile"])
def test_a_school_cannot_write_documents_about_another_schools_pupils(lrs: Lrs, kind: str) -> None:
    """Writes are checked against the writer's scope: a pupil named as agent must be stored for the writer's school
    (403, whether or not such a document exists; nothing stored)."""
    target = doc(kind, pupil(PUPILS[2]))
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    for method in ("PUT", "POST", "DELETE"):
        error = assert_error(send(lrs, "app2", method, target, {"b": 2} if method != "DELETE" else None), 403)
        assert PUPILS[2] in error["message_en"]
    own = doc(kind, pupil(OTHER_PUPILS[0]))
    assert put(lrs, "app2", own, {"a": 1}).status_code == 204
    assert get(lrs, "app1", target).json() == {"a": 1}


def test_only_school_keys_and_school_admins_write(lrs: Lrs) -> None:
    """Teachers, pupils, parents, districts and the city may not write documents (403); school_admin may."""
    target = doc("state")
    assert put(lrs, "school1", target, {"a": 1}).status_code == 204
    for who in ("teacher", "pupil0", "parent1", "haidian", "city", "citizen"):
        for method in ("PUT", "POST", "DELETE"):
            assert_error(send(lrs, who, method, target, {"b": 1} if method != "DELETE" else None), 403, "access_denied")  # fmt: skip
    assert get(lrs, "app1", target).json() == {"a": 1}


def test_readers_each_see_only_their_pupils_documents(lrs: Lrs) -> None:
    """Reads: the school reads all its documents; a teacher its classes' pupils'; a student its own; a parent its
    child's; districts, the city and the public nothing (403). Activity profiles are the school's only."""
    own, child = doc("agent_profile", pupil(PUPILS[0])), doc("agent_profile", pupil(PUPILS[1]))
    adult = doc("agent_profile", fresh_agent())
    activity = doc("activity_profile")
    for target in (own, child, adult, activity):
        assert put(lrs, "app1", target, {"for": target.doc_id}).status_code == 204
    visible = {
        "app1": {own, child, adult, activity},
        "school1": {own, child, adult, activity},
        "teacher": {own, child},
        "pupil0": {own},
        "parent1": {child},
        "app2": set(),
        "school2": set(),
    }
    for who, seen in visible.items():
        for target in (own, child, adult, activity):
            response = get(lrs, who, target)
            assert response.status_code == (200 if target in seen else 404), (who, target.kind, response.text)
        assert (own.doc_id in ids(lrs, who, own)) == (own in seen)
    for who in ("haidian", "city", "analyst", "citizen"):
        assert_error(get(lrs, who, own), 403, "access_denied")


def test_document_contents_and_identifiers_are_not_in_clear_at_rest(lrs: Lrs) -> None:
    """Documents can hold children's personal data: the content is sealed (AES-256-GCM), the agent kept only as its
    keyed pseudonym (the student pseudonym for a pupil), so the row holds no 学籍号, mailbox or content in clear."""
    target = doc("state", pupil(PUPILS[2], "测试二"))
    assert put(lrs, "app1", target, {"name": "测试二", "note": "私密笔记"}).status_code == 204
    with session_scope(lrs.home.engine) as session:
        row = session.scalar(select(LrsDocument).where(LrsDocument.document_id == target.doc_id))
        raw = " ".join(str(v) for v in session.execute(text("select * from lrs_documents where document_id = :i"), {"i": target.doc_id}).one())  # fmt: skip
    assert row is not None
    for secret in (PUPILS[2], "测试二", "私密笔记", target.context["activityId"]):
        assert secret not in raw
    assert row.learner_pseudonym == row.agent_pseudonym == pseudonym(PUPILS[2], "student", pseudonym_key(lrs.home.settings))  # fmt: skip
    assert get(lrs, "app1", target).json() == {"name": "测试二", "note": "私密笔记"}


def test_a_sealed_document_moved_to_another_row_does_not_open(lrs: Lrs) -> None:
    """The seal is bound to its row's organisation and key: a ciphertext copied onto another document is refused
    (503 pseudonym_key_error), never returned as that document's content."""
    source, victim = doc("activity_profile"), doc("activity_profile")
    assert put(lrs, "app1", source, {"s": 1}).status_code == 204
    assert put(lrs, "app1", victim, {"v": 1}).status_code == 204
    with session_scope(lrs.home.engine) as session:
        sealed = session.scalar(select(LrsDocument.content).where(LrsDocument.document_id == source.doc_id))
        row = session.scalar(select(LrsDocument).where(LrsDocument.document_id == victim.doc_id))
        assert row is not None
        row.content = str(sealed)
    assert_error(get(lrs, "app1", victim), 503, "pseudonym_key_error")


def test_writes_and_reads_are_audited_with_pseudonyms_only(lrs: Lrs) -> None:
    """Every write is an ``lrs_write`` event and every read returning a document an ``lrs_read`` event, ``minors``
    when the agent is a pupil; ``detail`` names the pupil by pseudonym only."""
    target = doc("state", pupil(PUPILS[3]))
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    assert get(lrs, "teacher", target).status_code == 200
    with session_scope(lrs.home.engine) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.dataset == "xapi_documents").order_by(AuditEvent.seq)))  # fmt: skip
    key = pseudonym_key(lrs.home.settings)
    write = [e for e in events if e.action == "lrs_write"][-1]
    read = [e for e in events if e.action == "lrs_read"][-1]
    assert write.minors and write.detail["resource"] == "state" and write.row_count == 1
    assert read.minors and read.purpose == "routine_duty" and read.detail["learners"] == [pseudonym(PUPILS[3], "student", key)]  # fmt: skip
    assert PUPILS[3] not in json.dumps(read.detail) + json.dumps(write.detail)


def test_a_failure_mid_write_leaves_nothing_half_written(lrs: Lrs, monkeypatch: pytest.MonkeyPatch) -> None:
    """One request is one transaction: when the audit (the last step) fails, the document is not stored, and a
    merge into an existing one leaves it as it was."""
    from edubrain.lrs import documents

    target = doc("agent_profile", fresh_agent())
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("crash after the row was written")

    monkeypatch.setattr(documents, "_audit", broken)
    with pytest.raises(RuntimeError):
        send(lrs, "app1", "POST", target, {"b": 2})
    fresh = doc("agent_profile", fresh_agent())
    with pytest.raises(RuntimeError):
        put(lrs, "app1", fresh, {"c": 3})
    monkeypatch.undo()
    assert get(lrs, "app1", target).json() == {"a": 1}
    assert_error(get(lrs, "app1", fresh), 404)


def test_since_is_exclusive_of_the_stored_update_time(lrs: Lrs) -> None:
    """Communication 2.3.s4 / 2.6.s4: ``since`` is exclusive — a document updated exactly then is not listed."""
    target = doc("agent_profile", fresh_agent())
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    with session_scope(lrs.home.engine) as session:
        updated = session.scalar(select(LrsDocument.updated).where(LrsDocument.document_id == target.doc_id))
    assert isinstance(updated, dt.datetime)
    assert ids(lrs, "app1", target, since=updated.isoformat()) == []
    assert ids(lrs, "app1", target, since=(updated - dt.timedelta(milliseconds=1)).isoformat()) == [target.doc_id]


def test_the_migration_creates_the_table_the_model_declares(lrs: Lrs) -> None:
    """Migration 0007 and ``LrsDocument`` agree: the same columns, and the unique key over the document's address."""
    inspector = inspect(lrs.home.engine)
    columns = {c["name"] for c in inspector.get_columns("lrs_documents")}
    assert columns == set(LrsDocument.__table__.columns.keys())
    unique = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("lrs_documents")}
    assert ("org_code", "kind", "activity_hash", "agent_pseudonym", "registration", "document_id") in unique


def test_a_parallel_first_write_meets_the_unique_key_and_is_evaluated_again(lrs: Lrs, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Two first writes of one document race: the loser's insert meets the unique key (on SQLite and PostgreSQL),
    is rolled back and evaluated again against the winner (here a headerless PUT over it: 409), never a 500 or a
    second row."""
    from edubrain.lrs import document_store

    target = doc("activity_profile")
    real, calls = document_store.own, []
    key = pseudonym_key(lrs.home.settings)

    def racing(session, org_code, request):  # type: ignore[no-untyped-def]
        if not calls:
            calls.append(1)
            with session_scope(lrs.home.engine) as other:  # the parallel request commits between check and insert
                document_store.write(other, key, org_code=org_code, request=request, row=None, content=b'{"first":1}', content_type="application/json", writer="parallel")  # fmt: skip
            return None
        return real(session, org_code, request)

    monkeypatch.setattr(document_store, "own", racing)
    assert_error(put(lrs, "app1", target, {"second": 2}), 409, "xapi_conflict")
    monkeypatch.undo()
    assert get(lrs, "app1", target).json() == {"first": 1}
    with session_scope(lrs.home.engine) as session:
        rows = session.scalars(select(LrsDocument).where(LrsDocument.document_id == target.doc_id)).all()
    assert len(rows) == 1
