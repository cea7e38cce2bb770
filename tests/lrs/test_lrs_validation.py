"""Statement structure: every MUST of xAPI 1.0.3 Part Two (Data) the LRS enforces, one test each, refused with 400.

IEEE 9274.1.1 (xAPI 2.0) keeps these rules (its §2.2–2.4 and §4.2). Each case names the property in the message.
"""

from __future__ import annotations

from typing import Any

import pytest

from edubrain.lrs.errors import StatementInvalid
from edubrain.lrs.validation import validate_statement
from tests.api.conftest import assert_error
from tests.lrs.conftest import Lrs, statement

MBOX = {"mbox": "mailto:learner@example.com"}
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("2.2", "an unknown top-level property", statement(mood="happy"), "statement.mood"),
    ("2.2", "a null value", statement(result=None), "statement.result"),
    ("2.2", "actor missing", {k: v for k, v in statement().items() if k != "actor"}, "statement.actor"),
    ("2.4.1", "id not a UUID", statement(id="not-a-uuid"), "statement.id"),
    ("2.4.2.3", "actor with two IFIs", statement({"mbox": "mailto:a@example.com", "openid": "http://a.example/"}), "statement.actor"),
    ("2.4.2.3", "actor with no IFI", statement({"name": "无标识"}), "statement.actor"),
    ("2.4.2.3", "mbox without mailto:", statement({"mbox": "a@example.com"}), "statement.actor.mbox"),
    ("2.4.2.3", "mbox_sha1sum not 40 hex", statement({"mbox_sha1sum": "abc"}), "statement.actor.mbox_sha1sum"),
    ("2.4.2.4", "account without name", statement({"account": {"homePage": "https://a.example"}}), "statement.actor.account.name"),
    ("2.4.2.4", "account homePage not an IRL", statement({"account": {"homePage": "example", "name": "x"}}), "statement.actor.account.homePage"),
    ("2.4.2.2", "anonymous group without members", statement({"objectType": "Group"}), "statement.actor.member"),
    ("2.4.2.2", "group member that is a group", statement({"objectType": "Group", "member": [{"objectType": "Group", **MBOX}]}), "statement.actor.member[0].objectType"),
    ("2.4.3", "verb id not an IRI", statement(verb={"id": "completed"}), "statement.verb.id"),
    ("2.4.3", "verb display not a language map", statement(verb={"id": "http://a.example/v", "display": {"not a tag!": "x"}}), "statement.verb.display.not a tag!"),
    ("2.4.4", "unknown objectType", statement(object={"objectType": "Thing", "id": "http://a.example/t"}), "statement.object.objectType"),
    ("2.4.4.1", "activity without id", statement(object={"objectType": "Activity"}), "statement.object.id"),
    ("2.4.4.1", "bad interactionType", statement(object={"id": "http://a.example/q", "definition": {"interactionType": "essay"}}), "statement.object.definition.interactionType"),
    ("2.4.4.3", "StatementRef id not a UUID", statement(object={"objectType": "StatementRef", "id": "x"}), "statement.object.id"),
    ("2.4.4.3", "SubStatement inside a SubStatement", statement(object={"objectType": "SubStatement", "actor": MBOX, "verb": {"id": "http://a.example/v"}, "object": {"objectType": "SubStatement", "actor": MBOX, "verb": {"id": "http://a.example/v"}, "object": {"id": "http://a.example/a"}}}), "statement.object.object.objectType"),
    ("2.4.4.3", "SubStatement with an id", statement(object={"objectType": "SubStatement", "id": "1c1b0ad6-1ae5-4a1b-8f3e-4a3ef9f1f6d1", "actor": MBOX, "verb": {"id": "http://a.example/v"}, "object": {"id": "http://a.example/a"}}), "statement.object.id"),
    ("2.4.5.1", "scaled score above 1", statement(result={"score": {"scaled": 1.5}}), "statement.result.score.scaled"),
    ("2.4.5.1", "raw score below min", statement(result={"score": {"raw": -1, "min": 0, "max": 10}}), "statement.result.score.raw"),
    ("2.4.5.1", "min not below max", statement(result={"score": {"min": 10, "max": 10}}), "statement.result.score.min"),
    ("2.4.5", "success not a boolean", statement(result={"success": "yes"}), "statement.result.success"),
    ("4.6", "duration not ISO 8601", statement(result={"duration": "90 minutes"}), "statement.result.duration"),
    ("2.4.6", "registration not a UUID", statement(context={"registration": "r1"}), "statement.context.registration"),
    ("2.4.6", "revision with an Agent object", statement(object={"objectType": "Agent", **MBOX}, context={"revision": "2"}), "statement.context.revision"),
    ("2.4.6", "platform with a StatementRef object", statement(object={"objectType": "StatementRef", "id": "1c1b0ad6-1ae5-4a1b-8f3e-4a3ef9f1f6d1"}, context={"platform": "app"}), "statement.context.platform"),
    ("2.4.6.2", "contextActivities with an unknown key", statement(context={"contextActivities": {"sibling": {"id": "http://a.example/a"}}}), "statement.context.contextActivities.sibling"),
    ("2.4.6", "team that is not a Group", statement(context={"team": MBOX}), "statement.context.team"),
    ("4.5", "timestamp not ISO 8601", statement(timestamp="2026/09/01 08:00"), "statement.timestamp"),
    ("4.5", "timestamp with a -00:00 offset", statement(timestamp="2026-09-01T08:00:00-00:00"), "statement.timestamp"),
    ("2.4.10", "version not 1.0.x or 2.0.x", statement(version="0.95"), "statement.version"),
    ("4.1", "extension key not an IRI", statement(result={"extensions": {"speed": 1}}), "statement.result.extensions.speed"),
    ("2.3.2", "voiding statement whose object is an Activity", statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}), "statement.object"),
    ("2.4.11", "attachment without sha2", statement(attachments=[{"usageType": "http://a.example/u", "display": {"en": "x"}, "contentType": "text/plain", "length": 1, "fileUrl": "https://a.example/f"}]), "statement.attachments[0].sha2"),
]  # fmt: skip


@pytest.mark.parametrize(("section", "what", "body", "where"), CASES, ids=[c[1] for c in CASES])
def test_statement_breaking_a_must_of_xapi_data_is_refused(
    section: str, what: str, body: dict[str, Any], where: str
) -> None:
    """xAPI 1.0.3 Data (section in the case): a statement that breaks the rule is rejected, naming the property."""
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(body)
    assert caught.value.details["where"] == where, (section, what, caught.value.en)
    assert caught.value.zh and caught.value.en


def test_well_formed_statements_pass() -> None:
    """Data 2.4: the fixture's statement, a group actor, a SubStatement and a 2.0 context agent are all valid."""
    validate_statement(statement())
    validate_statement(statement({"objectType": "Group", "name": "第一组", "member": [MBOX]}))
    validate_statement(statement(object={"objectType": "SubStatement", "actor": MBOX, "verb": {"id": "http://a.example/v"}, "object": {"id": "http://a.example/a"}}))  # fmt: skip
    validate_statement(statement(context={"contextAgents": [{"objectType": "contextAgent", "agent": MBOX}]}, result={"score": {"scaled": -1, "raw": 0, "min": 0, "max": 1}, "duration": "PT1H30M"}))  # fmt: skip


def test_the_api_refuses_an_invalid_statement_with_400_and_stores_nothing_of_the_batch(lrs: Lrs) -> None:
    """Data 2.2 / Communication 2.1.2: one invalid statement rejects the batch with 400; nothing is stored."""
    good = statement(id="6b0b4c9e-3f34-4c6a-9b2f-0f5b0d0c0a01")
    response = lrs.post("app1", [good, statement({"mbox": "mailto:a@example.com", "openid": "http://x.example/"})])
    error = assert_error(response, 400, "xapi_invalid")
    assert error["details"]["where"] == "statement[1].actor"
    assert_error(lrs.get("app1", statementId=good["id"]), 404)


def test_a_body_that_is_not_json_or_not_application_json_is_refused(lrs: Lrs) -> None:
    """Communication 1.5: statements are sent as application/json; anything else is a 400 naming what is allowed."""
    headers = {**lrs.auth("app1"), "Content-Type": "application/json"}
    assert_error(lrs.client.post("/xAPI/statements", content=b"{not json", headers=headers), 400, "xapi_invalid")
    plain = {**lrs.auth("app1"), "Content-Type": "text/plain"}
    assert_error(lrs.client.post("/xAPI/statements", content=b"{}", headers=plain), 400, "xapi_invalid")


def test_an_attachment_without_file_url_in_a_json_request_is_refused(lrs: Lrs) -> None:
    """Communication 1.5.2: the LRS MUST reject attachments with neither a fileUrl nor a matching multipart part."""
    attachment = {"usageType": "http://a.example/u", "display": {"en": "x"}, "contentType": "text/plain", "length": 1, "sha2": "ab" * 32}  # fmt: skip
    error = assert_error(lrs.post("app1", statement(attachments=[attachment])), 400, "xapi_invalid")
    assert error["details"]["where"] == "statement.attachments[0].fileUrl"
