"""Who writes and reads statements, pseudonyms at rest, and the audit (docs/lrs.md "权限"; attacker tests)."""

from __future__ import annotations

import base64
import json

from sqlalchemy import select, text

from edubrain.governance.audit import AuditEvent
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.lrs.models import LrsStatement
from edubrain.store.db import session_scope
from tests.api.conftest import assert_error
from tests.lrs.conftest import OTHER_PUPILS, PUPILS, Lrs, new_id, pupil, statement


def _error_without_ids(response) -> dict:  # type: ignore[no-untyped-def]
    error = assert_error(response, 404, "not_found")
    return {k: v for k, v in error.items() if k not in ("message_zh", "message_en", "details")}


def test_another_school_gets_404_for_a_statement_exactly_as_for_an_unknown_id(lrs: Lrs) -> None:
    """A school's credential cannot read or infer another school's statement: 404 identical to an unknown id."""
    [theirs] = lrs.post("app1", statement()).json()
    known = lrs.get("app2", statementId=theirs)
    unknown = lrs.get("app2", statementId=new_id())
    assert _error_without_ids(known) == _error_without_ids(unknown)
    assert known.json()["error"]["message_en"].replace(theirs, "X") == unknown.json()["error"]["message_en"].replace(unknown.json()["error"]["details"]["statement_id"], "X")  # fmt: skip
    assert_error(lrs.get("app2", voidedStatementId=theirs), 404)
    assert theirs not in [s["id"] for s in lrs.get("app2", agent=json.dumps(pupil(PUPILS[0]))).json()["statements"]]


def test_another_school_can_neither_void_nor_overwrite_nor_detect_by_reusing_an_id(lrs: Lrs) -> None:
    """Ids are per school: B voiding or PUTting A's id touches only B's own records and answers as for any new id."""
    [theirs] = lrs.post("app1", statement()).json()
    voider = statement({"mbox": "mailto:b@example.com"}, verb={"id": "http://adlnet.gov/expapi/verbs/voided"}, object={"objectType": "StatementRef", "id": theirs})  # fmt: skip
    assert lrs.post("app2", voider).status_code == 200
    put = lrs.client.put("/xAPI/statements", params={"statementId": theirs}, json=statement({"mbox": "mailto:b@example.com"}, result={"success": False}), headers=lrs.auth("app2"))  # fmt: skip
    assert put.status_code == 204
    mine = lrs.get("app1", statementId=theirs).json()
    assert "result" not in mine and mine["actor"] == pupil(PUPILS[0], "测试0")


def test_a_school_cannot_write_statements_about_another_schools_pupils(lrs: Lrs) -> None:
    """Writes are checked against the writer's scope: every pupil named must be stored as a pupil of its school."""
    error = assert_error(lrs.post("app2", statement(pupil(PUPILS[0]))), 403, "access_denied")
    assert PUPILS[0] in error["message_en"]
    assert lrs.post("app2", statement(pupil(OTHER_PUPILS[0]))).status_code == 200


def test_only_school_keys_and_school_admins_write(lrs: Lrs) -> None:
    """Teachers, districts, the city, the public and a district's node key may not store statements (403)."""
    assert lrs.post("school1", statement()).status_code == 200
    for who in ("teacher", "haidian", "city", "citizen", "pupil0"):
        assert_error(lrs.post(who, statement()), 403, "access_denied")
    district_key = {"Authorization": f"Bearer {lrs.city.node_key}", "X-Experience-API-Version": "1.0.3"}
    assert_error(lrs.client.post("/xAPI/statements", json=statement(), headers=district_key), 403, "access_denied")


def test_districts_city_and_analysts_read_no_pupil_streams(lrs: Lrs) -> None:
    """Only persons' own schools, teachers and the pupils themselves read statements; wider scopes get 403."""
    for who in ("haidian", "city", "analyst", "citizen"):
        assert_error(lrs.get(who), 403, "access_denied")


def test_teacher_student_and_parent_each_read_only_their_pupils(lrs: Lrs) -> None:
    """A teacher reads its classes' pupils' statements of its school; a student its own; a parent its child's."""
    registration = new_id()
    context = {"registration": registration}
    own = lrs.post("app1", statement(pupil(PUPILS[0]), context=context)).json()[0]
    child = lrs.post("app1", statement(pupil(PUPILS[1]), context=context)).json()[0]
    adult = lrs.post("app1", statement({"mbox": "mailto:staff@example.com"}, context=context)).json()[0]
    elsewhere = lrs.post("app2", statement(pupil(OTHER_PUPILS[0]), context=context)).json()[0]

    def seen(who: str) -> set[str]:
        return {s["id"] for s in lrs.get(who, registration=registration).json()["statements"]}

    assert seen("app1") == {own, child, adult}
    assert seen("app2") == {elsewhere}
    assert seen("teacher") == {own, child}
    assert seen("pupil0") == {own}
    assert seen("parent1") == {child}
    assert_error(lrs.get("pupil0", statementId=child), 404)


def test_identifiers_are_pseudonymised_at_rest(lrs: Lrs) -> None:
    """The stored row holds no 学籍号, mailbox or name in clear; the pupil is matched by the keyed student pseudonym."""
    body = statement(pupil(PUPILS[2], "测试二"), context={"instructor": {"mbox": "mailto:wang.laoshi@example.com", "name": "王老师"}})  # fmt: skip
    [statement_id] = lrs.post("app1", body).json()
    with session_scope(lrs.home.engine) as session:
        row = session.scalar(select(LrsStatement).where(LrsStatement.statement_id == statement_id))
        assert row is not None
        raw = " ".join(str(v) for v in session.execute(text("select * from lrs_statements where statement_id = :i"), {"i": statement_id}).one())  # fmt: skip
        refs = " ".join(str(v) for v in session.execute(text("select value from lrs_statement_refs")).scalars())
    for secret in (PUPILS[2], "测试二", "wang.laoshi", "王老师"):
        assert secret not in raw and secret not in refs
    key = pseudonym_key(lrs.home.settings)
    assert row.learner_pseudonym == pseudonym(PUPILS[2], "student", key)
    assert row.statement["actor"]["account"]["name"] == row.learner_pseudonym
    assert lrs.get("app1", statementId=statement_id).json()["actor"]["name"] == "测试二"


def test_reads_of_pupils_statements_and_writes_are_audited(lrs: Lrs) -> None:
    """Every write is an ``lrs_write`` event; a read returning a pupil's statement an ``lrs_read`` event with minors."""
    [statement_id] = lrs.post("app1", statement(pupil(PUPILS[3]))).json()
    assert lrs.get("teacher", statementId=statement_id).status_code == 200
    assert lrs.get("pupil0", statementId=statement_id).status_code == 404  # nothing returned: nothing read
    with session_scope(lrs.home.engine) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["lrs_read", "lrs_write"])).order_by(AuditEvent.seq)))  # fmt: skip
    last_write = [e for e in events if e.action == "lrs_write"][-1]
    assert last_write.minors and last_write.dataset == "xapi_statements" and last_write.row_count == 1
    last_read = [e for e in events if e.action == "lrs_read"][-1]
    key = pseudonym_key(lrs.home.settings)
    assert last_read.minors and last_read.purpose == "routine_duty" and last_read.row_count == 1
    assert last_read.detail["learners"] == [pseudonym(PUPILS[3], "student", key)]
    assert PUPILS[3] not in json.dumps(last_read.detail)


def test_http_basic_with_a_school_key_works_and_anything_else_is_401(lrs: Lrs) -> None:
    """xAPI Communication 4.0: HTTP Basic; the password must be a school node key, else 401 with a Basic challenge."""
    assert lrs.post("basic1", statement()).status_code == 200
    wrong = base64.b64encode(b"school1:correct horse battery staple").decode()
    response = lrs.client.post("/xAPI/statements", json=statement(), headers={"Authorization": f"Basic {wrong}", "X-Experience-API-Version": "1.0.3"})  # fmt: skip
    assert_error(response, 401, "auth_error")
    assert "Basic" in response.headers["WWW-Authenticate"]
    assert_error(lrs.client.get("/xAPI/statements", headers={"X-Experience-API-Version": "1.0.3"}), 401)


def test_a_parallel_store_of_the_same_id_is_compared_again_not_a_500(lrs: Lrs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Communication 2.1.2: the same id stored by a parallel request between our check and our insert (a unique key
    violation) is compared again: equal statements are a no-op, never an internal error or a second row."""
    from sqlalchemy.exc import IntegrityError

    from edubrain.lrs import access, storage

    statement_id = new_id()
    body = statement(id=statement_id)
    calls: list[int] = []

    def racing(session, key, writer, statements, version):  # type: ignore[no-untyped-def]
        if not calls:
            calls.append(1)
            with session_scope(lrs.home.engine) as other:  # the parallel request commits first
                storage.store_statements(other, key, writer, statements, version)
            raise IntegrityError("insert", {}, Exception("duplicate key"))
        return storage.store_statements(session, key, writer, statements, version)

    monkeypatch.setattr(access, "store_statements", racing)
    assert lrs.post("app1", body).json() == [statement_id]
    with session_scope(lrs.home.engine) as session:
        rows = session.scalars(select(LrsStatement).where(LrsStatement.statement_id == statement_id)).all()
    assert len(rows) == 1
