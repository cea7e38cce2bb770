"""Optimistic concurrency of the Document resources (xAPI 1.0.3 Communication §3.1, IEEE 9274.1.1 §4.1.4):
ETags, If-Match, If-None-Match, 412 and 409 — and that a refused request changes nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error
from tests.lrs.conftest import V1, V2, Lrs
from tests.lrs.document_helpers import KINDS, PROFILES, doc, get, put, send


def _etag(lrs: Lrs, target) -> str:  # type: ignore[no-untyped-def]
    response = get(lrs, "app1", target)
    assert response.status_code == 200, response.text
    return str(response.headers["etag"])


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize("kind", KINDS)
def test_put_with_the_current_etag_in_if_match_replaces(lrs: Lrs, kind: str, version: dict[str, str]) -> None:
    """Communication 3.1.s4.b5 / 9274.1.1 4.1.4: If-Match holding the current ETag lets the PUT through (204)."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"v": 1}, version=version).status_code == 204
    etag = _etag(lrs, target)
    assert put(lrs, "app1", target, {"v": 2}, version=version, **{"If-Match": etag}).status_code == 204
    assert get(lrs, "app1", target).json() == {"v": 2}
    assert put(lrs, "app1", target, {"v": 3}, version=version, **{"If-Match": "*"}).status_code == 204
    assert get(lrs, "app1", target).json() == {"v": 3}


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_stale_if_match_is_412_and_changes_nothing(lrs: Lrs, kind: str, method: str, version: dict[str, str]) -> None:  # fmt: skip
    """Communication 3.1.s4.b5, b7, b9–b12 and 9274.1.1 4.1.4 (PUT, POST and DELETE shall handle If-Match; a failed
    precondition is 412 Precondition Failed and the resource is not modified). A weak ETag never matches."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"v": 1}).status_code == 204
    etag = _etag(lrs, target)
    for stale in ('"1111111111111111111111111111111111111111"', f"W/{etag}"):
        response = send(lrs, "app1", method, target, {"v": 2} if method != "DELETE" else None, version=version, **{"If-Match": stale})  # fmt: skip
        error = assert_error(response, 412, "xapi_precondition_failed")
        assert "If-Match" in error["message_en"] and "If-Match" in error["message_zh"]
        assert response.headers["X-Experience-API-Version"] == ("2.0.0" if version is V2 else "1.0.3")
    assert get(lrs, "app1", target).json() == {"v": 1}


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
@pytest.mark.parametrize("kind", KINDS)
def test_if_match_on_a_missing_document_is_412(lrs: Lrs, kind: str, method: str) -> None:
    """RFC 7232 §3.1 as Communication 3.1.s4.b5 requires: If-Match fails when there is no current document; 412."""
    target = doc(kind)
    response = send(lrs, "app1", method, target, {"v": 1} if method != "DELETE" else None, **{"If-Match": "*"})
    assert_error(response, 412, "xapi_precondition_failed")
    assert_error(get(lrs, "app1", target), 404)


@pytest.mark.parametrize("method", ["PUT", "POST"])
@pytest.mark.parametrize("kind", KINDS)
def test_if_none_match_star_creates_only(lrs: Lrs, kind: str, method: str) -> None:
    """Communication 3.1.s4.b6, b8: If-None-Match ``*`` stores a new document, and over an existing one is 412
    with nothing changed (3.1.s4.b9–b12)."""
    target = doc(kind)
    assert send(lrs, "app1", method, target, {"v": 1}, **{"If-None-Match": "*"}).status_code == 204
    error = assert_error(send(lrs, "app1", method, target, {"v": 2}, **{"If-None-Match": "*"}), 412)
    assert "If-None-Match" in error["message_en"]
    assert get(lrs, "app1", target).json() == {"v": 1}


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize("kind", PROFILES)
def test_put_without_headers_over_an_existing_profile_is_409(lrs: Lrs, kind: str, version: dict[str, str]) -> None:
    """Communication 3.1.s4.b13–b15 (1.0.3) and 9274.1.1 4.1.4 (2.0): a PUT with neither If-Match nor If-None-Match
    over an existing document is 409 Conflict, explains to fetch the document and send If-Match with its ETag, and
    changes nothing. A first PUT without headers is fine (nothing exists to conflict with)."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"v": 1}, version=version).status_code == 204
    error = assert_error(put(lrs, "app1", target, {"v": 2}, version=version), 409, "xapi_conflict")
    assert "If-Match" in error["message_en"] and "ETag" in error["message_en"] and "If-Match" in error["message_zh"]
    assert get(lrs, "app1", target).json() == {"v": 1}


def test_state_allows_headerless_put_in_1_0_3_but_not_in_2_0(lrs: Lrs) -> None:
    """Communication 3.1.s3 (1.0.3: "The State Resource will permit PUT, POST and DELETE requests without
    concurrency headers"); IEEE 9274.1.1 4.1.4 lists the State resource under the 409 rule with no exception."""
    target = doc("state")
    assert put(lrs, "app1", target, {"v": 1}, version=V1).status_code == 204
    assert put(lrs, "app1", target, {"v": 2}, version=V1).status_code == 204
    assert get(lrs, "app1", target).json() == {"v": 2}
    assert_error(put(lrs, "app1", target, {"v": 3}, version=V2), 409, "xapi_conflict")
    assert get(lrs, "app1", target).json() == {"v": 2}


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize("kind", KINDS)
def test_post_and_delete_without_headers_are_allowed(lrs: Lrs, kind: str, version: dict[str, str]) -> None:
    """Communication 3.1.s3.b2–b3 (for POST and DELETE the headers are SHOULD* for clients, and the 409 rule names
    PUT only, in 1.0.3 and in 9274.1.1 4.1.4): a headerless POST merges and a headerless DELETE deletes."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"a": 1}, version=version).status_code == 204
    assert send(lrs, "app1", "POST", target, {"b": 2}, version=version).status_code == 204
    assert get(lrs, "app1", target).json() == {"a": 1, "b": 2}
    assert send(lrs, "app1", "DELETE", target, version=version).status_code == 204
    assert_error(get(lrs, "app1", target), 404)


@pytest.mark.parametrize("kind", KINDS)
def test_post_and_delete_with_the_current_etag_go_through(lrs: Lrs, kind: str) -> None:
    """Communication 3.1.s4.b7: POST and DELETE evaluate If-Match: the current ETag lets them through."""
    target = doc(kind)
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    assert send(lrs, "app1", "POST", target, {"b": 2}, **{"If-Match": _etag(lrs, target)}).status_code == 204
    assert send(lrs, "app1", "DELETE", target, **{"If-Match": _etag(lrs, target)}).status_code == 204
    assert_error(get(lrs, "app1", target), 404)


def test_the_etag_changes_with_the_content_and_lists_carry_one(lrs: Lrs) -> None:
    """Communication 3.1.s4.b1–b2: every GET (a list included) carries an ETag; it is the SHA-1 of the contents, so
    it changes when they change and an old one no longer matches."""
    target = doc("activity_profile")
    assert put(lrs, "app1", target, {"a": 1}).status_code == 204
    first = _etag(lrs, target)
    assert put(lrs, "app1", target, {"a": 2}, **{"If-Match": first}).status_code == 204
    assert _etag(lrs, target) != first
    assert_error(put(lrs, "app1", target, {"a": 3}, **{"If-Match": first}), 412)
    listing = send(lrs, "app1", "GET", target, params=target.context)
    assert listing.headers["etag"].startswith('"') and listing.json() == [target.doc_id]
