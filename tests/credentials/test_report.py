"""The per-check verification report: a credential issued here passes every check; each kind of tampering,
revocation, expiry or unreachable status list fails (or leaves unchecked) the right check and only that one."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edubrain.credentials import eddsa_rdfc, vcjwt
from edubrain.credentials.errors import StatusListError
from edubrain.credentials.multikey import did_key
from edubrain.credentials.report import CHECKS, verification_report
from edubrain.credentials.status_list import BitstringStatusList, status_entry, status_list_credential
from edubrain.credentials.submitted import CredentialInputError, CredentialTooLarge, parse_submitted

NOW = datetime(2026, 12, 1, tzinfo=UTC)
LIST_URL = "http://127.0.0.1:8000/credentials/status/list-1"


def _credit_badge(badge: dict[str, Any], status: dict[str, Any] | None = None) -> dict[str, Any]:
    credit = copy.deepcopy(badge)
    credit["credentialSubject"]["creditsEarned"] = 2.0
    credit["credentialSubject"]["achievement"]["creditsAvailable"] = 2.0
    credit["validUntil"] = "2030-08-31T23:59:59Z"
    if status:
        credit["credentialStatus"] = status
    return credit


def _states(report: Any) -> dict[str, str]:
    return {check.name: check.state for check in report.checks}


@pytest.fixture()
def signed(badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str) -> dict[str, Any]:
    return eddsa_rdfc.add_proof(_credit_badge(badge), issuer_key, issuer_method)


def test_a_credential_issued_here_passes_every_check(signed: dict[str, Any]) -> None:
    report = verification_report(signed, now=NOW)
    assert [c.name for c in report.checks] == list(CHECKS)
    assert report.verdict == "valid" and report.valid
    assert _states(report) == {**dict.fromkeys(CHECKS, "passed"), "status": "none"}
    body = report.to_json()
    assert body["summary"]["credits_earned"] == 2.0 and body["summary"]["issuer_name"] == "北京市示例区教育委员会"


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("name", lambda c: c.__setitem__("name", "国家学生体质健康标准 满分")),
        ("credit", lambda c: c["credentialSubject"].__setitem__("creditsEarned", 20.0)),
        ("issuance date (validFrom)", lambda c: c.__setitem__("validFrom", "2025-09-01T00:00:00Z")),
        ("learner", lambda c: c["credentialSubject"].__setitem__("id", "urn:edubrain:pseudonym:PZZZZZZZZZZZZZZZZZZZZ")),
    ],
)
def test_tampering_fails_the_proof_check_only(signed: dict[str, Any], field: str, change: Any) -> None:
    tampered = copy.deepcopy(signed)
    change(tampered)
    report = verification_report(tampered, now=NOW)
    assert report.verdict == "invalid", field
    assert _states(report)["proof"] == "failed", field
    assert [c.name for c in report.checks if c.state == "failed"] == ["proof"], field
    assert "改动" in report.check("proof").zh and "changed" in report.check("proof").en


def test_an_expired_credential_fails_validity(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    expired = _credit_badge(badge)
    expired["validUntil"] = "2026-10-01T00:00:00Z"
    report = verification_report(eddsa_rdfc.add_proof(expired, issuer_key, issuer_method), now=NOW)
    assert report.verdict == "invalid"
    assert [c.name for c in report.checks if c.state == "failed"] == ["validity"]
    assert "已过期" in report.check("validity").zh and "Expired" in report.check("validity").en


def _status_fixture(
    badge: dict[str, Any], key: Ed25519PrivateKey, method: str, revoked: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    bits = BitstringStatusList()
    if revoked:
        bits.set(42)
    issuer = did_key(key.public_key())
    status_vc = eddsa_rdfc.add_proof(
        status_list_credential(LIST_URL, issuer, bits, "2026-09-01T00:00:00Z"), key, method
    )
    credential = eddsa_rdfc.add_proof(_credit_badge(badge, status_entry(LIST_URL, 42)), key, method)
    return credential, status_vc


@pytest.mark.parametrize("revoked", [False, True])
def test_status_is_read_through_the_resolver(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str, revoked: bool
) -> None:
    credential, status_vc = _status_fixture(badge, issuer_key, issuer_method, revoked)
    asked: list[str] = []

    def resolver(url: str) -> dict[str, Any] | None:
        asked.append(url)
        return status_vc if url == LIST_URL else None

    report = verification_report(credential, resolve_status=resolver, now=NOW)
    assert asked == [LIST_URL]
    if revoked:
        assert report.verdict == "invalid" and _states(report)["status"] == "failed"
        assert "撤销" in report.check("status").zh and "revoked" in report.check("status").en
        assert [c.name for c in report.checks if c.state == "failed"] == ["status"]
    else:
        assert report.verdict == "valid" and _states(report)["status"] == "passed"


def test_a_status_list_that_cannot_be_had_offline_is_not_a_pass(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    credential, _ = _status_fixture(badge, issuer_key, issuer_method, False)
    report = verification_report(credential, resolve_status=lambda url: None, now=NOW)
    assert report.verdict == "incomplete" and not report.valid
    assert _states(report)["status"] == "unchecked"
    assert "无法离线检查" in report.check("status").zh and "cannot be checked offline" in report.check("status").en
    assert verification_report(credential, now=NOW).verdict == "incomplete"  # no resolver at all


def test_a_resolver_error_fails_the_status_check(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    credential, _ = _status_fixture(badge, issuer_key, issuer_method, False)

    def missing(url: str) -> dict[str, Any] | None:
        raise StatusListError("本平台没有状态列表 list-1。", "This platform has no status list list-1.")

    report = verification_report(credential, resolve_status=missing, now=NOW)
    assert report.verdict == "invalid" and report.check("status").zh == "本平台没有状态列表 list-1。"


def test_a_status_list_changed_after_signing_fails_status(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    credential, status_vc = _status_fixture(badge, issuer_key, issuer_method, True)
    forged = copy.deepcopy(status_vc)
    forged["credentialSubject"]["encodedList"] = BitstringStatusList().encode()  # "un-revoke" without the key
    report = verification_report(credential, resolve_status=lambda url: forged, now=NOW)
    assert report.verdict == "invalid" and "状态列表凭证无效" in report.check("status").zh


def test_an_unpinned_context_fails_contexts_and_leaves_the_proof_unchecked(signed: dict[str, Any]) -> None:
    changed = copy.deepcopy(signed)
    changed["@context"].append("https://attacker.example/context.jsonld")
    report = verification_report(changed, now=NOW)
    assert _states(report)["contexts"] == "failed" and _states(report)["proof"] == "unchecked"
    assert report.verdict == "invalid"


def test_a_key_of_someone_else_fails_the_issuer_check(badge: dict[str, Any], issuer_method: str) -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    from edubrain.credentials.multikey import did_key_verification_method

    forged = eddsa_rdfc.add_proof(_credit_badge(badge), other, did_key_verification_method(other.public_key()))
    report = verification_report(forged, now=NOW)
    assert _states(report)["issuer"] == "failed" and report.verdict == "invalid"


def test_vc_jwt_passes_and_a_changed_payload_fails_the_proof(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    token = vcjwt.issue_jwt(_credit_badge(badge), issuer_key, issuer_method)
    report = verification_report(token, now=NOW)
    assert report.format == "vc+jwt" and report.verdict == "valid", report.checks
    header, payload, signature = token.split(".")
    other = vcjwt.issue_jwt({**_credit_badge(badge), "name": "改过的名字"}, issuer_key, issuer_method).split(".")[1]
    tampered = verification_report(f"{header}.{other}.{signature}", now=NOW)
    assert tampered.verdict == "invalid" and _states(tampered)["proof"] == "failed"
    assert tampered.to_json()["summary"]["name"] == "改过的名字"  # shown, but marked as not signed


def test_submitted_text_is_parsed_or_refused_in_both_languages(signed: dict[str, Any]) -> None:
    import json

    assert parse_submitted(json.dumps(signed, ensure_ascii=False)) == signed
    assert parse_submitted("  aGVhZA.cGF5bG9hZA.c2ln \n") == "aGVhZA.cGF5bG9hZA.c2ln"
    with pytest.raises(CredentialInputError) as bad:
        parse_submitted('{"name": "x",\n "type": }')
    assert "第 2 行第 10 列" in bad.value.zh and "line 2, column 10" in bad.value.en
    with pytest.raises(CredentialInputError) as listed:
        parse_submitted("[1, 2]")
    assert "数组" in listed.value.zh and "list" in listed.value.en
    for garbage in ("", "   ", "hello world", b"\xff\xfe{"):
        with pytest.raises(CredentialInputError):
            parse_submitted(garbage)
    with pytest.raises(CredentialTooLarge):
        parse_submitted("{" + " " * 300_000 + "}")


def test_deep_or_sprawling_json_is_refused_not_crashed() -> None:
    for text in ("[" * 100_000, '{"a":' * 40 + "1" + "}" * 40):
        with pytest.raises(CredentialInputError) as deep:
            parse_submitted(text)
        assert "嵌套过深" in deep.value.zh and "nested too deeply" in deep.value.en
    sprawling = {"@context": [], "items": [{"n": i} for i in range(2_500)]}
    import json

    with pytest.raises(CredentialInputError) as wide:
        parse_submitted(json.dumps(sprawling))
    assert "过于复杂" in wide.value.zh and "too complex" in wide.value.en
    nested_ok = {"a": {"b": {"c": [1, {"d": 2}]}}}
    assert parse_submitted(json.dumps(nested_ok)) == nested_ok


def test_a_vc_jwt_with_a_deeply_nested_payload_fails_cleanly() -> None:
    import base64

    def segment(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = segment(b'{"alg":"EdDSA","typ":"vc+jwt"}')
    for payload in (b"[" * 50_000 + b"]" * 50_000, b'{"a":' * 40 + b"1" + b"}" * 40):
        report = verification_report(f"{header}.{segment(payload)}.c2ln", now=NOW)
        assert report.verdict == "invalid" and _states(report)["proof"] == "failed"
