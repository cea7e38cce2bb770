"""Storing statements: POST, PUT, ids, LRS-set properties, conflicts and voiding (xAPI 1.0.3 Part Three §2.1.1–2.1.4)."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.api.conftest import assert_error
from tests.lrs.conftest import V1, Lrs, new_id, statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def voiding(target: str, **extra: object) -> dict:
    return statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target}, **extra)


def test_post_single_and_array_returns_ids_in_order_and_assigns_missing_ids(lrs: Lrs) -> None:
    """Communication 2.1.2: POST returns 200 and the array of statement ids in the order of the statements stored."""
    given = new_id()
    response = lrs.post("app1", [statement(), statement(id=given), statement()])
    assert response.status_code == 200, response.text
    ids = response.json()
    assert len(ids) == 3 and ids[1] == given and all(uuid.UUID(i) for i in ids)
    [single] = lrs.post("app1", statement()).json()
    assert uuid.UUID(single) and single not in ids


def test_the_lrs_sets_stored_timestamp_and_authority(lrs: Lrs) -> None:
    """Data 2.4.7–2.4.9: the LRS MUST set ``stored``; ``timestamp`` defaults to it; ``authority`` is the credential's agent."""
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    [statement_id] = lrs.post("app1", statement(stored="2001-01-01T00:00:00Z", authority={"mbox": "mailto:fake@example.com"})).json()  # fmt: skip
    got = lrs.get("app1", statementId=statement_id).json()
    stored = dt.datetime.fromisoformat(got["stored"].replace("Z", "+00:00"))
    assert stored >= before and got["timestamp"] == got["stored"]
    assert got["authority"]["account"]["name"].startswith("node:")
    kept = lrs.get("app1", statementId=lrs.post("app1", statement(timestamp="2026-09-01T08:00:00.000+08:00")).json()[0]).json()  # fmt: skip
    assert kept["timestamp"] == "2026-09-01T08:00:00.000+08:00"


def test_put_stores_under_the_statement_id_and_answers_204(lrs: Lrs) -> None:
    """Communication 2.1.1: PUT with ``statementId`` stores one statement and returns 204 No Content."""
    statement_id = new_id()
    response = lrs.client.put("/xAPI/statements", params={"statementId": statement_id}, json=statement(), headers=lrs.auth("app1"))  # fmt: skip
    assert response.status_code == 204 and response.content == b""
    assert lrs.get("app1", statementId=statement_id).json()["id"] == statement_id


def test_put_without_statement_id_or_with_a_different_id_is_refused(lrs: Lrs) -> None:
    """Communication 2.1.1: ``statementId`` is required; a statement's ``id`` MUST match it (400)."""
    headers = lrs.auth("app1")
    assert_error(lrs.client.put("/xAPI/statements", json=statement(), headers=headers), 400, "xapi_invalid")
    other = lrs.client.put("/xAPI/statements", params={"statementId": new_id()}, json=statement(id=new_id()), headers=headers)  # fmt: skip
    assert_error(other, 400, "xapi_invalid")


def test_the_same_statement_again_is_a_no_op_and_a_different_one_a_409(lrs: Lrs) -> None:
    """Communication 2.1.1–2.1.2: an id already stored MUST NOT change the LRS; a different statement gets 409.

    Data 2.3.1 / IEEE 9274.1.1 4.2: equality ignores case, group member order, authority, stored, timestamp,
    version, attachments and verb display.
    """
    statement_id = new_id()
    first = statement(id=statement_id)
    assert lrs.post("app1", first).status_code == 200
    stored = lrs.get("app1", statementId=statement_id).json()["stored"]
    same = {**first, "id": statement_id.upper(), "verb": {**first["verb"], "display": {"en-US": "finished"}}, "version": "1.0.0"}  # fmt: skip
    assert lrs.post("app1", same).json() == [statement_id]
    put = lrs.client.put("/xAPI/statements", params={"statementId": statement_id}, json=first, headers=lrs.auth("app1"))  # fmt: skip
    assert put.status_code == 204
    assert lrs.get("app1", statementId=statement_id).json()["stored"] == stored
    different = statement(id=statement_id, result={"success": True})
    assert_error(lrs.post("app1", different), 409, "xapi_conflict")
    assert "result" not in lrs.get("app1", statementId=statement_id).json()


def test_a_conflict_in_a_batch_stores_nothing_of_the_batch(lrs: Lrs) -> None:
    """Communication 2.1.2: on 409 the LRS MUST NOT modify its state: the batch's new statements are not stored."""
    taken = new_id()
    lrs.post("app1", statement(id=taken))
    fresh = new_id()
    assert_error(lrs.post("app1", [statement(id=fresh), statement(id=taken, result={"success": False})]), 409)
    assert_error(lrs.get("app1", statementId=fresh), 404)


def test_a_batch_with_one_id_twice_is_refused(lrs: Lrs) -> None:
    """Communication 2.1.2: a batch with two statements of the same id is rejected with 400."""
    twice = new_id()
    assert_error(lrs.post("app1", [statement(id=twice), statement(id=twice)]), 400, "xapi_invalid")


def test_voided_statements_are_returned_only_by_voided_statement_id(lrs: Lrs) -> None:
    """Communication 2.1.4: the LRS MUST NOT return a voided statement unless asked by ``voidedStatementId``."""
    registration = new_id()
    target = lrs.post("app1", statement(context={"registration": registration})).json()[0]
    [voider] = lrs.post("app1", voiding(target, context={"registration": registration})).json()
    assert_error(lrs.get("app1", statementId=target), 404)
    assert lrs.get("app1", voidedStatementId=target).json()["id"] == target
    listed = [s["id"] for s in lrs.get("app1", registration=registration).json()["statements"]]
    assert listed == [voider]
    assert_error(lrs.get("app1", voidedStatementId=voider), 404)


def test_a_voiding_statement_stored_before_its_target_still_voids_it(lrs: Lrs) -> None:
    """Data 2.3.2: a statement is voided iff the LRS holds a voiding statement for it, whatever the arrival order."""
    target = new_id()
    lrs.post("app1", voiding(target))
    lrs.post("app1", statement(id=target))
    assert_error(lrs.get("app1", statementId=target), 404)
    assert lrs.get("app1", voidedStatementId=target).status_code == 200


def test_a_voiding_statement_cannot_be_voided(lrs: Lrs) -> None:
    """Data 2.3.2 and Communication 2.1.4: a voiding statement cannot be voided: voiding one is refused (400)."""
    target = lrs.post("app1", statement()).json()[0]
    [voider] = lrs.post("app1", voiding(target)).json()
    error = assert_error(lrs.post("app1", voiding(voider)), 400, "xapi_invalid")
    assert "cannot be voided" in error["message_en"]
    assert lrs.get("app1", statementId=voider).status_code == 200


def test_a_version_2_statement_with_context_agents_round_trips_exactly(lrs: Lrs) -> None:
    """IEEE 9274.1.1 2.4.6: contextAgents are stored; ``format=exact`` returns the statement as received."""
    sent = statement(context={"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:t@example.com", "name": "王老师"}}]})  # fmt: skip
    [statement_id] = lrs.post("app1", sent, {"X-Experience-API-Version": "2.0.0"}).json()
    got = lrs.get("app1", V1, statementId=statement_id).json()
    assert {k: got[k] for k in sent} == sent
