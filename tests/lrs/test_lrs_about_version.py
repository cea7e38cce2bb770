"""The About resource, the version header and the error format (xAPI 1.0.3 Part Three §2.8, §3.3; IEEE 9274.1.1)."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error
from tests.lrs.conftest import V1, V2, Lrs, statement


def test_about_lists_the_versions_without_authentication_or_version_header(lrs: Lrs) -> None:
    """Communication 2.8: the About resource returns ``version``, an array of the xAPI versions supported."""
    response = lrs.client.get("/xAPI/about")
    assert response.status_code == 200
    assert response.json()["version"] == ["1.0.3", "2.0.0"]


@pytest.mark.parametrize("path", ["/xAPI/about", "/xAPI/statements"])
def test_every_response_carries_the_version_header(lrs: Lrs, path: str) -> None:
    """Communication 3.3: the LRS MUST include the X-Experience-API-Version header in every response."""
    response = lrs.client.get(path, headers=lrs.auth("app1"))
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_a_request_without_the_version_header_is_refused_with_400_and_the_header(lrs: Lrs) -> None:
    """Communication 3.3: the LRS MUST reject requests without X-Experience-API-Version (except About) with 400."""
    headers = {k: v for k, v in lrs.auth("app1").items() if k != "X-Experience-API-Version"}
    response = lrs.client.post("/xAPI/statements", json=statement(), headers=headers)
    error = assert_error(response, 400, "xapi_invalid")
    assert "X-Experience-API-Version" in error["message_en"] and "1.0.x" in error["message_zh"]
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


@pytest.mark.parametrize("version", ["0.95", "0.9", "1.1.0", "3.0.0", "1.0.x", "latest"])
def test_an_unsupported_version_is_refused_with_400(lrs: Lrs, version: str) -> None:
    """Communication 3.3: requests in a version the LRS does not support (before 1.0.0, or 1.1+) MUST be rejected (400)."""
    response = lrs.post("app1", statement(), {"X-Experience-API-Version": version})
    assert_error(response, 400, "xapi_invalid")


@pytest.mark.parametrize(("sent", "answered"), [("1.0.0", "1.0.3"), ("1.0.3", "1.0.3"), ("1.0.9", "1.0.3"), ("2.0.0", "2.0.0"), ("2.0", "2.0.0")])  # fmt: skip
def test_any_patch_version_of_1_0_and_2_0_is_accepted(lrs: Lrs, sent: str, answered: str) -> None:
    """Communication 3.3 (1.0.3) and IEEE 9274.1.1 4.1.3: the LRS MUST accept 1.0.x patch versions; 2.0 is accepted as 2.0.0."""
    response = lrs.post("app1", statement(), {"X-Experience-API-Version": sent})
    assert response.status_code == 200, response.text
    assert response.headers["X-Experience-API-Version"] == answered


def test_the_statement_version_defaults_to_the_request_version(lrs: Lrs) -> None:
    """Data 2.4.10: an LRS MUST set ``version`` to 1.0.0 when absent (IEEE 9274.1.1: 2.0.0 for a 2.0 request)."""
    for headers, expected in ((V1, "1.0.0"), (V2, "2.0.0")):
        [statement_id] = lrs.post("app1", statement(), headers).json()
        got = lrs.get("app1", headers, statementId=statement_id).json()
        assert got["version"] == expected


def test_errors_have_the_platform_error_shape_and_unknown_paths_are_json(lrs: Lrs) -> None:
    """Every error is the one JSON shape (docs/api.md), also for a path the LRS does not serve."""
    assert_error(lrs.client.get("/xAPI/activities/unknown", headers=lrs.auth("app1")), 404)
    assert_error(lrs.client.delete("/xAPI/statements", headers=lrs.auth("app1")), 405)
