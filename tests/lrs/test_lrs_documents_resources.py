"""The Document resources' MUSTs: store, fetch, merge, list, delete, parameters (xAPI 1.0.3 Communication §2.2–§2.7,
IEEE 9274.1.1 §4.1.6.2, §4.1.6.5, §4.1.6.6). Each test cites its section; each runs on every resource it concerns."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import pytest

from tests.api.conftest import assert_error
from tests.lrs.conftest import V1, V2, Lrs, new_id
from tests.lrs.document_helpers import KINDS, doc, fresh_agent, get, ids, put, send


@pytest.mark.parametrize("kind", KINDS)
def test_put_then_get_returns_the_bytes_and_content_type_with_a_sha1_etag(lrs: Lrs, kind: str) -> None:
    """Communication 2.2 (documents are arbitrary bytes of any content type, 1.5.b1), 2.3.s3/2.6.s3/2.7.s3 (PUT 204,
    GET 200 the document), 3.1.s4.b1–b4 (GET carries an ETag: quoted lowercase hex SHA-1 of the contents)."""
    target = doc(kind)
    content = "进度：第 3 页".encode() + b"\x00\xff"
    stored = put(lrs, "app1", target, content, **{"Content-Type": "application/octet-stream"})
    assert stored.status_code == 204 and stored.content == b""
    fetched = get(lrs, "app1", target)
    assert fetched.status_code == 200
    assert fetched.content == content
    assert fetched.headers["content-type"] == "application/octet-stream"
    assert fetched.headers["etag"] == f'"{hashlib.sha1(content).hexdigest()}"'


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize("kind", KINDS)
def test_get_carries_last_modified(lrs: Lrs, kind: str, version: dict[str, str]) -> None:
    """Communication 2.2.s6.b1 (SHOULD*) and IEEE 9274.1.1 4.1.6.2/4.1.6.5 (shall): a single document's GET carries
    ``Last-Modified``; a list carries the latest (2.2.s6.b2)."""
    target = doc(kind)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert put(lrs, "app1", target, {"a": 1}, version=version).status_code == 204
    modified = dt.datetime.strptime(get(lrs, "app1", target, version=version).headers["last-modified"], "%a, %d %b %Y %H:%M:%S GMT")  # fmt: skip
    assert before <= modified.replace(tzinfo=dt.UTC) <= dt.datetime.now(dt.UTC)
    listing = send(lrs, "app1", "GET", target, params=target.context, version=version)
    assert "last-modified" in listing.headers and "etag" in listing.headers


@pytest.mark.parametrize("kind", KINDS)
def test_post_merges_top_level_properties_of_json_objects(lrs: Lrs, kind: str) -> None:
    """Communication 2.2.s7 (merge: each top-level property of the posted object replaces the stored one, nested
    objects replaced whole) and 2.2.s8.b2 (204); a POST to a missing document stores it as a PUT would."""
    target = doc(kind)
    assert send(lrs, "app1", "POST", target, {"x": "foo", "y": "bar", "n": {"a": 1, "b": 2}}).status_code == 204
    assert send(lrs, "app1", "POST", target, {"x": "bash", "z": "faz", "n": {"c": 3}}).status_code == 204
    merged = get(lrs, "app1", target)
    assert merged.json() == {"x": "bash", "y": "bar", "z": "faz", "n": {"c": 3}}
    assert merged.headers["content-type"] == "application/json"
    assert merged.headers["etag"] == f'"{hashlib.sha1(merged.content).hexdigest()}"'


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", ["stored text", "posted text", "stored array", "posted array"])
def test_post_that_cannot_merge_is_400_and_changes_nothing(lrs: Lrs, kind: str, case: str) -> None:
    """Communication 2.2.s8.b1: a POST over an existing document where either is not an application/json object is
    400 Bad Request and the document is not updated."""
    target = doc(kind)
    first: object = b"plain words" if case == "stored text" else ([1, 2] if case == "stored array" else {"k": 1})
    headers = {"Content-Type": "text/plain"} if case == "stored text" else {}
    assert put(lrs, "app1", target, first, **headers).status_code == 204
    before = get(lrs, "app1", target).content
    posted: object = b"more words" if case == "posted text" else ([3] if case == "posted array" else {"k": 2})
    headers = {"Content-Type": "text/plain"} if case == "posted text" else {}
    error = assert_error(send(lrs, "app1", "POST", target, posted, **headers), 400, "xapi_invalid")
    assert "JSON" in error["message_en"] and "JSON" in error["message_zh"]
    assert get(lrs, "app1", target).content == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_document_is_404(lrs: Lrs, kind: str) -> None:
    """IEEE 9274.1.1 4.1.5 (404 for a request targeting a specific document that does not exist)."""
    assert_error(get(lrs, "app1", doc(kind)), 404, "not_found")


@pytest.mark.parametrize("kind", KINDS)
def test_list_returns_the_ids_of_the_context_and_since_is_exclusive(lrs: Lrs, kind: str) -> None:
    """Communication 2.3.s4 / 2.6.s4 / 2.7 multiple GET: an array of the ids in the context; ``since`` keeps only
    documents stored or updated after it (exclusive)."""
    first = doc(kind, fresh_agent())
    second = doc(kind)
    second.context = first.context
    assert put(lrs, "app1", first, {"n": 1}).status_code == 204
    time.sleep(0.01)
    assert put(lrs, "app1", second, {"n": 2}).status_code == 204
    assert ids(lrs, "app1", first) == sorted([first.doc_id, second.doc_id])
    modified = get(lrs, "app1", first)
    assert modified.status_code == 200
    listed_after = ids(lrs, "app1", first, since="2000-01-01T00:00:00Z")
    assert listed_after == sorted([first.doc_id, second.doc_id])
    assert ids(lrs, "app1", first, since=dt.datetime.now(dt.UTC).isoformat()) == []
    between = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    assert send(lrs, "app1", "POST", first, {"n": 3}).status_code == 204
    assert ids(lrs, "app1", first, since=between.isoformat()) == [first.doc_id]
    assert ids(lrs, "app1", doc(kind, fresh_agent())) == []


@pytest.mark.parametrize("kind", KINDS)
def test_delete_one_document(lrs: Lrs, kind: str) -> None:
    """Communication 2.3.s3 / 2.6.s3 / 2.7.s3 DELETE: 204, the document is gone; deleting it again is 204 too."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    assert send(lrs, "app1", "DELETE", target).status_code == 204
    assert_error(get(lrs, "app1", target), 404)
    assert send(lrs, "app1", "DELETE", target).status_code == 204


def test_state_registration_separates_documents_and_delete_all_clears_the_context(lrs: Lrs) -> None:
    """Communication 2.3.s3 (a state lives in Activity + Agent + registration), 2.3.s4 (list, filtered by
    registration when given) and 2.3.s5 (DELETE without stateId deletes all state of the context)."""
    plain = doc("state")
    registration = new_id()
    registered = doc("state", registration=registration)
    registered.context = {**plain.context, "registration": registration}
    registered.doc_id = plain.doc_id
    assert put(lrs, "app1", plain, {"where": "none"}).status_code == 204
    assert put(lrs, "app1", registered, {"where": "registered"}).status_code == 204
    assert get(lrs, "app1", plain).json() == {"where": "none"}
    assert get(lrs, "app1", registered).json() == {"where": "registered"}
    assert ids(lrs, "app1", registered) == [plain.doc_id]
    kept = doc("state")
    kept.context = {**plain.context, "activityId": "https://edubrain.example/activities/kept"}
    assert put(lrs, "app1", kept, {"k": 1}).status_code == 204
    assert send(lrs, "app1", "DELETE", registered, params=registered.context).status_code == 204
    assert_error(get(lrs, "app1", registered), 404)
    assert get(lrs, "app1", plain).status_code == 200
    assert send(lrs, "app1", "DELETE", plain, params=plain.context).status_code == 204
    assert_error(get(lrs, "app1", plain), 404)
    assert get(lrs, "app1", kept).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_head_answers_as_get_without_a_body(lrs: Lrs, kind: str) -> None:
    """Communication 1.1.s3.b1: HEAD answers as GET (same headers: ETag, Last-Modified) with no message-body."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    head = send(lrs, "app1", "HEAD", target)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get(lrs, "app1", target).headers["etag"]


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_documents_of_unknown_activities_and_agents_are_accepted(lrs: Lrs, kind: str) -> None:
    """Communication 2.2.s4.b2: the LRS must not reject documents for Activities or Agents it does not know."""
    target = doc(kind, fresh_agent())
    assert put(lrs, "app1", target, b"x", **{"Content-Type": "text/plain"}).status_code == 204


BAD = [
    ("state", {"stateid": "s"}, "stateid"),
    ("state", {"activityId": "not an iri"}, "activityId"),
    ("state", {"agent": "{not json"}, "agent"),
    ("state", {"agent": json.dumps({"objectType": "Group", "mbox": "mailto:g@example.org"})}, "agent"),
    ("state", {"agent": json.dumps({"mbox": "g@example.org"})}, "agent.mbox"),
    ("state", {"registration": "nope"}, "registration"),
    ("state", {"since": "2026-01-01T00:00:00Z"}, "since"),
    ("agent_profile", {"activityId": "https://edubrain.example/a"}, "activityId"),
    ("agent_profile", {"profileId": ""}, "profileId"),
    ("activity_profile", {"agent": json.dumps({"mbox": "mailto:a@example.org"})}, "agent"),
    ("activity_profile", {"registration": new_id()}, "registration"),
    ("activity_profile", {"profileId": "p" * 256}, "profileId"),
]


@pytest.mark.parametrize(("kind", "change", "named"), BAD)
def test_every_parameter_is_validated_with_a_message_naming_it(lrs: Lrs, kind: str, change: dict[str, str], named: str) -> None:  # fmt: skip
    """Communication 3.2 / IEEE 9274.1.1 4.1.5–4.1.6 (400 for unknown parameters, names in another case, malformed
    values, a Group as ``agent``, ``since`` with a document id); the message names the parameter in both languages."""
    target = doc(kind)
    params = {**target.params, **change}
    error = assert_error(send(lrs, "app1", "PUT", target, {"a": 1}, params=params), 400, "xapi_invalid")
    assert error["message_en"].startswith(named) and error["message_zh"].startswith(named)


@pytest.mark.parametrize("kind", KINDS)
def test_required_parameters_and_a_repeated_one_are_refused(lrs: Lrs, kind: str) -> None:
    """Communication 2.3.s3 / 2.6.s3 / 2.7.s3: every Required parameter must be present (400 naming it); a parameter
    given twice is ambiguous and refused; nothing is stored."""
    target = doc(kind)
    for name in target.params:
        params = {k: v for k, v in target.params.items() if k != name}
        error = assert_error(send(lrs, "app1", "PUT", target, {"a": 1}, params=params), 400, "xapi_invalid")
        assert error["message_en"].startswith(name)
    twice = lrs.client.put(target.path, params=[*target.params.items(), (next(iter(target.params)), "x")], json={"a": 1}, headers=lrs.auth("app1"))  # fmt: skip
    assert_error(twice, 400, "xapi_invalid")
    assert_error(get(lrs, "app1", target), 404)


def test_a_json_body_that_is_not_json_is_refused(lrs: Lrs) -> None:
    """IEEE 9274.1.1 4.1.5 (400 covers malformed JSON): a document declared application/json must parse."""
    target = doc("activity_profile")
    assert_error(put(lrs, "app1", target, b"{oops", **{"Content-Type": "application/json"}), 400, "xapi_invalid")
    assert_error(get(lrs, "app1", target), 404)


@pytest.mark.parametrize("kind", KINDS)
def test_the_version_header_and_error_body_are_those_of_the_statement_resource(lrs: Lrs, kind: str) -> None:
    """Communication 3.3 / IEEE 9274.1.1 4.1.3: a request without a supported version is 400; every response names
    the version served, in the platform's one error shape."""
    target = doc(kind)
    headers = {k: v for k, v in lrs.auth("app1").items() if k != "X-Experience-API-Version"}
    missing = lrs.client.get(target.path, params=target.params, headers=headers)
    assert_error(missing, 400, "xapi_invalid")
    assert missing.headers["X-Experience-API-Version"] == "2.0.0"
    old = lrs.client.get(target.path, params=target.params, headers={**headers, "X-Experience-API-Version": "0.95"})
    assert_error(old, 400, "xapi_invalid")
    assert get(lrs, "app1", target, version=V2).headers["X-Experience-API-Version"] == "2.0.0"
    assert get(lrs, "app1", target, version=V1).headers["X-Experience-API-Version"] == "1.0.3"


def test_a_document_over_the_size_limit_is_413(lrs: Lrs) -> None:
    """IEEE 9274.1.1 4.1.5: a document larger than the LRS allows is refused with 413; nothing is stored."""
    from edubrain.api.routers.xapi_documents import MAX_DOCUMENT

    target = doc("activity_profile")
    response = put(lrs, "app1", target, b"x" * (MAX_DOCUMENT + 1), **{"Content-Type": "text/plain"})
    assert_error(response, 413, "payload_too_large")
    assert_error(get(lrs, "app1", target), 404)
