"""``POST /api/v1/credentials/verify`` and the ``/verify`` page through the ASGI client (SQLite and PostgreSQL).

No login is needed; the answer names every check; tampering, revocation and expiry fail the right one; a
status list of this platform is read through the resolver, any other is "cannot be checked offline"; garbage,
oversized and too frequent requests get 4xx with a Chinese and an English message.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.api.credential_verification import RateLimiter, platform_status_list
from edubrain.credentials import eddsa_rdfc, vcjwt
from edubrain.credentials.errors import StatusListError
from edubrain.credentials.multikey import did_key, did_key_verification_method
from edubrain.credentials.openbadges import Achievement, IssuerProfile, open_badge
from edubrain.credentials.status_list import BitstringStatusList, status_entry, status_list_credential
from edubrain.home import Home
from tests.web.conftest import make_app

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
METHOD = did_key_verification_method(KEY.public_key())
PLATFORM_LIST = "http://127.0.0.1:8000/credentials/status/list1"
URL = "/api/v1/credentials/verify"


def credit_credential(status_url: str | None = None, valid_until: str = "2099-08-31T23:59:59Z") -> dict[str, Any]:
    """An unsigned credit-bank badge: 2 credits for 高等数学（上）, learner by pseudonym."""
    badge = open_badge(
        IssuerProfile(id=did_key(KEY.public_key()), name="北京市学分银行"),
        Achievement(
            id="https://edubrain.example/credit-bank/outcomes/math-1",
            name="高等数学（上）",
            description="学分银行认定的学习成果。",
            criteria="课程考核合格。",
        ),
        "PABCDEFGHIJKLMNOPQRST",
        "2026-09-01T00:00:00Z",
        valid_until=valid_until,
        credential_status=status_entry(status_url, 7) if status_url else None,
    )
    badge["credentialSubject"]["creditsEarned"] = 2.0
    badge["credentialSubject"]["achievement"]["creditsAvailable"] = 2.0
    return badge


def signed(document: dict[str, Any]) -> dict[str, Any]:
    return eddsa_rdfc.add_proof(document, KEY, METHOD)


def status_vc(revoked: bool) -> dict[str, Any]:
    bits = BitstringStatusList()
    if revoked:
        bits.set(7)
    return signed(status_list_credential(PLATFORM_LIST, did_key(KEY.public_key()), bits, "2026-09-01T00:00:00Z"))


@pytest.fixture()
def app(home: Home) -> FastAPI:
    return make_app(home)


@pytest.fixture()
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def _post(client: TestClient, body: dict[str, Any] | str) -> Any:
    if isinstance(body, str):
        return client.post(URL, content=body, headers={"Content-Type": "application/vc+jwt"})
    return client.post(URL, json=body)


def _failed(answer: dict[str, Any]) -> list[str]:
    return [c["name"] for c in answer["checks"] if c["state"] == "failed"]


def test_a_credential_issued_here_verifies_without_login(client: TestClient) -> None:
    response = _post(client, signed(credit_credential()))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["verdict"] == "valid" and answer["valid"] is True
    assert [c["name"] for c in answer["checks"]] == ["format", "contexts", "issuer", "proof", "validity", "status"]
    assert answer["summary"]["credits_earned"] == 2.0 and answer["summary"]["achievement"] == "高等数学（上）"
    jwt_answer = _post(client, vcjwt.issue_jwt(credit_credential(), KEY, METHOD)).json()
    assert jwt_answer["verdict"] == "valid" and jwt_answer["format"] == "vc+jwt"


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.__setitem__("name", "高等数学（下）"),
        lambda c: c["credentialSubject"].__setitem__("creditsEarned", 12.0),
        lambda c: c.__setitem__("validFrom", "2025-01-01T00:00:00Z"),
    ],
    ids=["name", "credit", "issuance-date"],
)
def test_a_tampered_credential_fails_the_proof(client: TestClient, change: Any) -> None:
    tampered = copy.deepcopy(signed(credit_credential()))
    change(tampered)
    answer = _post(client, tampered).json()
    assert answer["verdict"] == "invalid" and _failed(answer) == ["proof"]


def test_an_expired_credential_fails_validity(client: TestClient) -> None:
    answer = _post(client, signed(credit_credential(valid_until="2026-10-01T00:00:00Z"))).json()
    assert answer["verdict"] == "invalid" and _failed(answer) == ["validity"]


@pytest.mark.parametrize("revoked", [False, True])
def test_a_platform_status_list_is_resolved_by_the_injected_resolver(app: FastAPI, revoked: bool) -> None:
    asked: list[str] = []

    def resolver(home: Home, url: str) -> dict[str, Any] | None:
        asked.append(url)
        return status_vc(revoked) if url == PLATFORM_LIST else None

    app.state.credential_status_resolver = resolver
    answer = _post(TestClient(app), signed(credit_credential(PLATFORM_LIST))).json()
    assert asked == [PLATFORM_LIST]
    if revoked:
        assert answer["verdict"] == "invalid" and _failed(answer) == ["status"]
        status = next(c for c in answer["checks"] if c["name"] == "status")
        assert "撤销" in status["zh"] and "revoked" in status["en"]
    else:
        assert answer["verdict"] == "valid"


def test_another_sites_status_list_cannot_be_checked_offline(client: TestClient) -> None:
    answer = _post(client, signed(credit_credential("https://elsewhere.example/status/1"))).json()
    status = next(c for c in answer["checks"] if c["name"] == "status")
    assert answer["verdict"] == "incomplete" and answer["valid"] is False and status["state"] == "unchecked"
    assert "无法离线检查" in status["zh"] and "cannot be checked offline" in status["en"]


def test_the_platform_resolver_matches_only_this_platforms_status_path(home: Home) -> None:
    assert platform_status_list(home, "https://elsewhere.example/credentials/status/list1") is None
    assert platform_status_list(home, "http://127.0.0.1:8000/other/list1") is None
    with pytest.raises(StatusListError) as unknown:
        platform_status_list(home, "http://127.0.0.1:8000/credentials/status/no-such-list")
    assert "本平台没有状态列表" in unknown.value.zh and "no status list" in unknown.value.en
    with pytest.raises(StatusListError):
        platform_status_list(home, "http://127.0.0.1:8000/credentials/status/../../etc")


@pytest.mark.parametrize(
    ("body", "content_type", "zh", "en"),
    [
        (b'{"type": [}', "application/json", "JSON 格式错误：第 1 行第 11 列", "Invalid JSON at line 1, column 11"),
        (b"", "application/json", "没有收到凭证", "No credential received"),
        (b"hello", "text/plain", "既不是 JSON 凭证", "Neither a JSON credential"),
        (b"[1]", "application/json", "顶层必须是凭证对象", "must be a credential object"),
        (b"\xff\xfe", "text/plain", "不是 UTF-8", "not UTF-8"),
    ],
)
def test_garbage_gets_400_with_a_bilingual_message(
    client: TestClient, body: bytes, content_type: str, zh: str, en: str
) -> None:
    response = client.post(URL, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "credential_input_error"
    assert zh in error["message_zh"] and en in error["message_en"]


def test_an_oversized_body_gets_413_before_it_is_parsed(client: TestClient) -> None:
    response = client.post(URL, content=b"{" + b" " * 300_000 + b"}", headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    error = response.json()["error"]
    assert "256 KiB" in error["message_zh"] and "256 KiB" in error["message_en"]


def test_too_many_verifications_from_one_address_get_429(app: FastAPI) -> None:
    app.state.credential_rate_limiter = RateLimiter(limit=2, window=60)
    client = TestClient(app)
    credential = signed(credit_credential())
    assert [_post(client, credential).status_code for _ in range(3)] == [200, 200, 429]
    error = _post(client, credential).json()["error"]
    assert error["code"] == "rate_limited" and "过于频繁" in error["message_zh"] and "Too many" in error["message_en"]
    page = client.post("/verify", data={"credential": json.dumps(credential)})
    assert page.status_code == 429 and "过于频繁" in page.text


def test_the_limiter_forgets_old_events() -> None:
    limiter = RateLimiter(limit=1, window=10)
    assert limiter.allow("a", now=0) and not limiter.allow("a", now=5) and limiter.allow("b", now=5)
    assert limiter.allow("a", now=10.5)


def test_the_page_shows_a_readable_verdict_without_login(client: TestClient) -> None:
    empty = client.get("/verify")
    assert (
        empty.status_code == 200 and "验证学分凭证" in empty.text and "/login" not in empty.headers.get("location", "")
    )
    good = client.post("/verify", data={"credential": json.dumps(signed(credit_credential()), ensure_ascii=False)})
    assert good.status_code == 200 and "有效 / Valid" in good.text
    assert 'data-check="proof" data-state="passed"' in good.text and "高等数学（上）" in good.text
    assert "style=" not in good.text  # the CSP forbids inline style; the page uses verify.css
    tampered = signed(credit_credential())
    tampered["credentialSubject"]["creditsEarned"] = 12.0
    bad = client.post("/verify", data={"credential": json.dumps(tampered)})
    assert "无效 / Invalid" in bad.text and 'data-check="proof" data-state="failed"' in bad.text
    english = client.post("/verify?lang=en", data={"credential": json.dumps(tampered)})
    assert "Invalid / 无效" in english.text and "Invalid signature" in english.text


def test_the_page_explains_bad_json_in_both_languages(client: TestClient) -> None:
    response = client.post("/verify", data={"credential": '{"name": "x",\n "type": }'})
    assert response.status_code == 400
    assert "JSON 格式错误：第 2 行第 10 列" in response.text and "Invalid JSON at line 2, column 10" in response.text
    assert "&#34;name&#34;" in response.text or "&quot;name&quot;" in response.text  # the text is kept to fix


def test_the_page_escapes_what_the_credential_says(client: TestClient) -> None:
    hostile = credit_credential()
    hostile["name"] = '<script>alert("x")</script>'
    hostile["issuer"]["name"] = '<img src=x onerror="alert(1)">'
    response = client.post("/verify", data={"credential": json.dumps(signed(hostile))})
    assert response.status_code == 200 and "有效 / Valid" in response.text
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert" in response.text
