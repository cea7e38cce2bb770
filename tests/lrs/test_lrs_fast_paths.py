"""The store and read fast paths keep every rule: one transaction for the key check and the work, pseudonyms
remembered per key only, the exact statement answered as it was sealed, and JSON that is JSON."""

from __future__ import annotations

import json

from pydantic import SecretStr
from sqlalchemy import select

from edubrain.governance import tokens
from edubrain.governance.models import ApiKey
from edubrain.governance.pseudonyms import PseudonymKey, pseudonym, pseudonym_key
from edubrain.lrs import agents
from edubrain.store.db import session_scope
from tests.api.conftest import assert_error
from tests.conftest import SCHOOL
from tests.lrs.conftest import ACTIVITY, PUPILS, V1, Lrs, new_id, pupil, statement


def test_nan_and_infinity_are_not_json_so_a_batch_holding_them_is_400(lrs: Lrs) -> None:
    """RFC 8259 §6 has no NaN or Infinity (Python's parser takes them): refused, never stored nor answered as 500."""
    for constant in ("NaN", "Infinity", "-Infinity"):
        extended = statement(id=new_id(), result={"extensions": {"https://edubrain.example/ext/x": "here"}})
        body = json.dumps(extended).replace('"here"', constant)  # an extension's value may be any JSON value
        headers = {**lrs.auth("app1"), "Content-Type": "application/json"}
        response = lrs.client.post("/xAPI/statements", content=body.encode(), headers=headers)
        error = assert_error(response, 400, "xapi_invalid")
        assert "JSON" in json.dumps(error, ensure_ascii=False)


def test_a_revoked_key_is_refused_by_the_next_store_and_read_and_a_good_one_is_marked_used(lrs: Lrs) -> None:
    """The key is checked in the request's own transaction, never remembered: revoked, it fails at once (401)."""
    with session_scope(lrs.home.engine) as session:
        key_id, secret = tokens.create_api_key(session, "revoked-soon", SCHOOL)
    headers = {"Authorization": f"Bearer {secret}", **V1}
    body = statement(id=new_id())
    assert lrs.client.post("/xAPI/statements", json=body, headers=headers).status_code == 200
    assert lrs.client.get("/xAPI/statements", params={"statementId": body["id"]}, headers=headers).status_code == 200
    with session_scope(lrs.home.engine) as session:
        used = session.scalar(select(ApiKey.last_used_at).where(ApiKey.id == key_id))
        tokens.revoke_api_key(session, key_id)
    assert used is not None
    assert_error(lrs.client.post("/xAPI/statements", json=statement(), headers=headers), 401, "auth_error")
    assert_error(lrs.client.get("/xAPI/statements", params={"statementId": body["id"]}, headers=headers), 401)


def test_remembered_pseudonyms_are_those_of_their_own_key() -> None:
    """A memo of pseudonyms never answers for another key: each key gives its own, equal to the reference one."""
    first = PseudonymKey("k1", SecretStr("the first example key of 32 or more chars"))
    second = PseudonymKey("k2", SecretStr("the second example key of 32 or more chars"))
    learner, other = pupil(PUPILS[0]), {"mbox": "mailto:teacher@example.org"}
    for _ in range(2):  # the second round answers from the memo
        assert agents.agent_pseudonym(learner, first) == pseudonym(PUPILS[0], "student", first)
        assert agents.agent_pseudonym(learner, second) == pseudonym(PUPILS[0], "student", second)
        assert agents.agent_pseudonym(other, first) == pseudonym("mbox|mailto:teacher@example.org", "xapi_agent", first)
    assert agents.agent_pseudonym(learner, first) != agents.agent_pseudonym(learner, second)


def test_a_list_answers_the_exact_statements_as_valid_json_with_names_and_more(lrs: Lrs) -> None:
    """The exact format: every statement as stored (names, Chinese text), a StatementResult with ``more``."""
    activity = f"{ACTIVITY}/fast-path-{new_id()}"
    sent = [statement(pupil(PUPILS[1], "测试一"), id=new_id(), object={"objectType": "Activity", "id": activity}) for _ in range(3)]  # fmt: skip
    assert lrs.post("app1", sent).status_code == 200
    response = lrs.get("app1", activity=activity, limit=2)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    page = json.loads(response.content)
    assert set(page) == {"statements", "more"} and page["more"].startswith("/xAPI/statements?more=")
    rest = json.loads(lrs.client.get(page["more"], headers=lrs.auth("app1")).content)
    got = {s["id"]: s for s in page["statements"] + rest["statements"]}
    assert rest["more"] == "" and set(got) == {s["id"] for s in sent}
    for s in sent:
        assert got[s["id"]]["actor"] == pupil(PUPILS[1], "测试一")
        assert {k: v for k, v in got[s["id"]].items() if k not in ("stored", "timestamp", "authority", "version")} == s
    key = pseudonym_key(lrs.home.settings)
    assert pseudonym(PUPILS[1], "student", key) not in response.text  # the exact statement, not the stored copy
