"""The alternate request syntax of the Statement resource (xAPI 1.0.3 Communication §1.3; removed in xAPI 2.0)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.conftest import assert_error
from tests.lrs.conftest import PUPILS, Lrs, new_id, pupil, statement


def form(lrs: Lrs, method: str, fields: dict[str, str], who: str = "app1", **extra_query: str) -> httpx.Response:
    """A cross-domain style request: POST with ``method`` in the query, headers and parameters in the form."""
    auth = lrs.auth(who)
    fields = {"Authorization": auth["Authorization"], "X-Experience-API-Version": "1.0.3", **fields}
    return lrs.client.post(
        "/xAPI/statements",
        params={"method": method, **extra_query},
        data=fields,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def content(value: Any) -> dict[str, str]:
    return {"content": json.dumps(value, ensure_ascii=False), "Content-Type": "application/json"}


def test_post_put_and_get_through_form_parameters(lrs: Lrs) -> None:
    """Communication 1.3.s3.b1–b15: the method in the query, the Authorization and version header parameters, the
    query parameters and the content in the form; the LRS MUST support the syntax."""
    posted = form(lrs, "POST", content(statement(pupil(PUPILS[0], "表单提交"))))
    assert posted.status_code == 200, posted.text
    [posted_id] = posted.json()
    statement_id = new_id()
    put = form(lrs, "PUT", {"statementId": statement_id, **content(statement())})
    assert put.status_code == 204, put.text
    got = form(lrs, "GET", {"statementId": posted_id})
    assert got.status_code == 200 and got.json()["actor"]["name"] == "表单提交"
    assert got.headers["X-Experience-API-Version"] == "1.0.3"
    assert form(lrs, "GET", {"statementId": statement_id}).json()["id"] == statement_id


def test_a_form_get_is_scoped_like_any_read(lrs: Lrs) -> None:
    """Governance is the same door: another school's key reading through the form gets 404, as for an unknown id."""
    [theirs] = form(lrs, "POST", content(statement())).json()
    assert_error(form(lrs, "GET", {"statementId": theirs}, who="app2"), 404, "not_found")
    assert_error(form(lrs, "POST", content(statement()), who="teacher"), 403, "access_denied")


def test_other_query_parameters_are_refused(lrs: Lrs) -> None:
    """Communication 1.3.s3.b3 and b13: query parameters other than method MUST be form parameters instead."""
    response = form(lrs, "GET", {}, statementId=new_id())
    assert "statementId" in assert_error(response, 400, "xapi_invalid")["message_en"]


def test_credentials_and_version_in_the_form_are_required_like_headers(lrs: Lrs) -> None:
    """Communication 1.3.s3.b7: the form's header parameters are treated as headers: without them, 401 or 400."""
    no_auth = lrs.client.post("/xAPI/statements", params={"method": "GET"}, data={"X-Experience-API-Version": "1.0.3"})  # fmt: skip
    assert_error(no_auth, 401, "auth_error")
    auth = lrs.auth("app1")["Authorization"]
    no_version = lrs.client.post("/xAPI/statements", params={"method": "GET"}, data={"Authorization": auth})
    assert_error(no_version, 400, "xapi_invalid")


def test_the_syntax_is_refused_for_xapi_2(lrs: Lrs) -> None:
    """IEEE 9274.1.1 (xAPI 2.0) removed the alternate request syntax: a 2.0 form request is a 400."""
    response = form(lrs, "GET", {"X-Experience-API-Version": "2.0.0"})
    assert "2.0" in assert_error(response, 400, "xapi_invalid")["message_en"]


def test_binary_content_and_unknown_methods_are_refused(lrs: Lrs) -> None:
    """Communication 1.3.s3.b5: the content is a UTF-8 string; storing binary data is not supported this way."""
    assert_error(form(lrs, "POST", {"content": "x", "Content-Type": "multipart/mixed"}), 400, "xapi_invalid")
    assert_error(form(lrs, "DELETE", {}), 400, "xapi_invalid")
    assert_error(form(lrs, "POST", {}), 400, "xapi_invalid")
