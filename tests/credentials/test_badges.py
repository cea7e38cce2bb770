from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edubrain.credentials import eddsa_rdfc, vcjwt
from edubrain.credentials.errors import PseudonymRequiredError
from edubrain.credentials.loader import OB_V3P0
from edubrain.credentials.multikey import did_key_verification_method
from edubrain.credentials.openbadges import subject_id
from edubrain.credentials.verify import verify

from .conftest import WEB_ISSUER

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_open_badge_is_issued_and_verifies(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    assert badge["@context"][1] == OB_V3P0
    assert badge["credentialSubject"]["id"] == "urn:edubrain:pseudonym:PABCDEFGHIJKLMNOPQRST"
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    result = verify(secured, now=NOW)
    assert result.valid, result.reason_en
    assert [check.name for check in result.checks] == [
        "format:data-integrity",
        "contexts",
        "shape",
        "key",
        "signature",
        "validity",
    ]


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c["credentialSubject"]["achievement"].__setitem__("name", "国家学生体质健康标准 满分"),
        lambda c: c["credentialSubject"].__setitem__("id", "urn:edubrain:pseudonym:PZZZZZZZZZZZZZZZZZZZZ"),
        lambda c: c.__setitem__("validFrom", "2026-08-01T00:00:00Z"),
    ],
)
def test_tampering_one_field_fails_verification(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str, edit: Any
) -> None:
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    tampered = copy.deepcopy(secured)
    edit(tampered)
    result = verify(tampered, now=NOW)
    assert not result.valid
    assert result.checks[-1].name == "signature" and "签名无效" in result.reason_zh


def test_wrong_key_fails(badge: dict[str, Any], web_badge: dict[str, Any], issuer_method: str) -> None:
    intruder = Ed25519PrivateKey.from_private_bytes(bytes(32))
    forged = eddsa_rdfc.add_proof(badge, intruder, issuer_method)  # claims the issuer's did:key
    assert not verify(forged, now=NOW).valid
    method = WEB_ISSUER + "#key-1"
    signed = eddsa_rdfc.add_proof(web_badge, intruder, method)
    other = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32)).public_key()
    assert not verify(signed, public_keys={method: other}, now=NOW).valid
    assert verify(signed, public_keys={method: intruder.public_key()}, now=NOW).valid


def test_a_key_of_someone_else_cannot_sign_for_the_issuer(badge: dict[str, Any], issuer_key: Ed25519PrivateKey) -> None:
    intruder = Ed25519PrivateKey.from_private_bytes(bytes([5] * 32))
    own_method = did_key_verification_method(intruder.public_key())  # a valid signature, by the wrong party
    result = verify(eddsa_rdfc.add_proof(badge, intruder, own_method), now=NOW)
    assert not result.valid and result.checks[-1].name == "key" and "签发者" in result.reason_zh
    token = vcjwt.issue_jwt(badge, intruder, own_method)
    assert not verify(token, now=NOW).valid


def test_expired_and_not_yet_valid_badges_fail(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    assert not verify(secured, now=datetime(2026, 8, 1, tzinfo=UTC)).valid
    badge["validUntil"] = "2026-10-01T00:00:00Z"
    expired = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    result = verify(expired, now=NOW)
    assert not result.valid and result.checks[-1].name == "validity"


@pytest.mark.parametrize(
    "learner",
    ["G110108201503151234", "110108201503151234", "张三", "P123", "urn:edubrain:pseudonym:G110108201503151234"],
)
def test_student_numbers_and_names_are_refused_as_subject(learner: str) -> None:
    with pytest.raises(PseudonymRequiredError):
        subject_id(learner)


def test_unknown_context_in_a_credential_fails_offline(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    secured["@context"] = [*secured["@context"], "https://attacker.example/ctx"]
    result = verify(secured, now=NOW)
    assert not result.valid and "not pinned" in result.reason_en


def test_vc_jwt_eddsa_issues_and_verifies(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    token = vcjwt.issue_jwt(badge, issuer_key, issuer_method)
    assert vcjwt.jwt_header(token) == {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": issuer_method}
    result = verify(token, now=NOW)
    assert result.valid and result.credential == badge


def test_vc_jwt_es256_issues_and_verifies_with_the_issuers_key(web_badge: dict[str, Any]) -> None:
    p256 = generate_private_key(SECP256R1())
    method = WEB_ISSUER + "#p256"
    es_token = vcjwt.issue_jwt(web_badge, p256, method)
    assert vcjwt.jwt_header(es_token)["alg"] == "ES256"
    assert verify(es_token, public_keys={method: p256.public_key()}, now=NOW).valid
    other = generate_private_key(SECP256R1()).public_key()
    assert not verify(es_token, public_keys={method: other}, now=NOW).valid


def test_vc_jwt_with_a_changed_payload_fails(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    import base64
    import json

    header, payload, signature = vcjwt.issue_jwt(badge, issuer_key, issuer_method).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "满分"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    result = verify(f"{header}.{forged_payload}.{signature}", now=NOW)
    assert not result.valid and "VC-JWT" in result.reason_en


def test_a_plain_jwt_or_the_wrong_algorithm_is_not_a_vc_jwt(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    import jwt

    plain = jwt.encode(badge, issuer_key, algorithm="EdDSA", headers={"kid": issuer_method})  # typ JWT
    result = verify(plain, now=NOW)
    assert not result.valid and "typ" in result.reason_en
    p256 = generate_private_key(SECP256R1())
    es_token = vcjwt.issue_jwt(badge, p256, issuer_method)  # ES256 token, but the did:key is Ed25519
    assert not verify(es_token, now=NOW).valid


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c.__setitem__("credentialStatus", "nonsense"),
        lambda c: c["proof"].__setitem__("proofValue", 12345),
        lambda c: c["proof"].__setitem__("verificationMethod", None),
        lambda c: c.__setitem__("validFrom", "yesterday"),
        lambda c: c.__setitem__("@context", "https://www.w3.org/ns/credentials/v2"),
        lambda c: c.__setitem__("proof", [c["proof"], c["proof"]]),
    ],
)
def test_malformed_credentials_are_invalid_not_errors(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str, edit: Any
) -> None:
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    edit(secured)
    result = verify(secured, now=NOW)
    assert not result.valid and result.reason_zh and result.reason_en


@pytest.mark.parametrize("token", ["", "a.b", "not-a-jwt.at.all", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_tokens_are_invalid_not_errors(token: str) -> None:
    result = verify(token, now=NOW)
    assert not result.valid and result.reason_en
