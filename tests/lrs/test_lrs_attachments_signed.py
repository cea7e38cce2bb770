"""Signed statements: the checks xAPI 1.0.3 Data §2.6 places on the LRS (JWS form, payload, algorithm, x5c)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.api.conftest import assert_error
from tests.lrs.conftest import Lrs, new_id, statement
from tests.lrs.multipart_helpers import RawPart, attachment, post_mixed, read_mixed

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def _key_and_certificate() -> tuple[rsa.RSAPrivateKey, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EduBrain test signer")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return key, base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


SIGNER, CERTIFICATE = _key_and_certificate()
OTHER_SIGNER, OTHER_CERTIFICATE = _key_and_certificate()


def jws(payload: dict[str, Any], key: Any = SIGNER, algorithm: str = "RS256", certificate: str | None = CERTIFICATE) -> bytes:  # fmt: skip
    headers = {"x5c": [certificate]} if certificate else None
    return jwt.PyJWS().encode(json.dumps(payload).encode(), key, algorithm=algorithm, headers=headers).encode()


def post_signed(lrs: Lrs, signed: dict[str, Any], token: bytes, content_type: str = "application/octet-stream"):  # type: ignore[no-untyped-def]
    """Post ``signed`` with the signature attachment of ``token`` added (the statement signed is ``signed``)."""
    sent = {**signed, "attachments": [attachment(token, content_type, usageType=SIGNATURE)]}
    return post_mixed(lrs, "app1", sent, [RawPart(token, content_type)])


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_a_well_formed_signed_statement_is_stored_with_its_signature(lrs: Lrs, algorithm: str) -> None:
    """Data 2.6.s4: a JWS (RS256/384/512) of the statement as an attachment with the signature usageType is taken,
    and the signature comes back with the statement."""
    signed = statement(id=new_id())
    token = jws(signed, algorithm=algorithm)
    response = post_signed(lrs, signed, token)
    assert response.status_code == 200, response.text
    _, parts = read_mixed(lrs.get("app1", statementId=signed["id"], attachments="true"))
    assert [data for _, data in parts.values()] == [token]


def test_a_signature_without_a_certificate_is_checked_for_form_and_payload(lrs: Lrs) -> None:
    """Data 2.6.s5.b3: without x5c the LRS checks decoding, payload and algorithm (the signer is out of scope)."""
    signed = statement()
    assert post_signed(lrs, signed, jws(signed, certificate=None)).status_code == 200


def test_a_signature_whose_payload_is_another_statement_is_refused(lrs: Lrs) -> None:
    """Data 2.6.s5.b3.b2: the JWS payload MUST be logically equivalent to the statement received, else 400."""
    signed = statement(result={"success": True})
    token = jws({**signed, "result": {"success": False}})
    error = assert_error(post_signed(lrs, signed, token), 400, "xapi_invalid")
    assert "payload" in error["message_en"]


def test_a_payload_differing_only_in_what_comparison_ignores_is_accepted(lrs: Lrs) -> None:
    """Data 2.6.s5.b3.b2 with Data 2.3.1: logical equivalence ignores case, timestamp, stored, authority, version."""
    signed = statement(timestamp="2026-09-01T08:00:00.000Z")
    payload = {**signed, "timestamp": "2026-09-02T08:00:00.000Z", "version": "1.0.0"}
    assert post_signed(lrs, signed, jws(payload)).status_code == 200


def test_an_algorithm_other_than_rs256_384_512_is_refused(lrs: Lrs) -> None:
    """Data 2.6.s4.b4 and 2.6.s5.b1: the JWS MUST use RS256, RS384 or RS512; otherwise 400."""
    signed = statement()
    token = jws(signed, key="a shared secret of thirty-two bytes!", algorithm="HS256", certificate=None)
    assert "HS256" in assert_error(post_signed(lrs, signed, token), 400, "xapi_invalid")["message_en"]


def test_a_signature_not_made_with_the_x5c_certificates_key_is_refused(lrs: Lrs) -> None:
    """Data 2.6.s5.b3.b3: if the JWS header includes an X.509 certificate, the signature MUST verify against it."""
    signed = statement()
    token = jws(signed, key=OTHER_SIGNER, certificate=CERTIFICATE)
    assert "x5c" in assert_error(post_signed(lrs, signed, token), 400, "xapi_invalid")["message_en"]
    assert post_signed(lrs, signed, jws(signed, key=OTHER_SIGNER, certificate=OTHER_CERTIFICATE)).status_code == 200


@pytest.mark.parametrize("token", [b"not a jws", b"e30.e30.e30.e30", b"@@@.@@@.@@@", b"\xff\xfe.x.y"])
def test_a_malformed_signature_is_refused(lrs: Lrs, token: bytes) -> None:
    """Data 2.6.s5.b1: the LRS MUST reject statements with malformed signatures with 400 Bad Request."""
    fresh = new_id()
    assert_error(post_signed(lrs, statement(id=fresh), token), 400, "xapi_invalid")
    assert_error(lrs.get("app1", statementId=fresh), 404)


def test_a_signature_attachment_must_be_octet_stream_and_sent_as_data(lrs: Lrs) -> None:
    """Data 2.6.s4.b1: contentType application/octet-stream; the LRS must verify it, so it must come as a part."""
    signed = statement()
    token = jws(signed)
    error = assert_error(post_signed(lrs, signed, token, "application/jose"), 400, "xapi_invalid")
    assert error["details"]["where"] == "statement.attachments[0].contentType"
    linked = {**signed, "attachments": [attachment(token, "application/octet-stream", usageType=SIGNATURE, fileUrl="https://files.example/s")]}  # fmt: skip
    assert "signature" in assert_error(lrs.post("app1", linked), 400, "xapi_invalid")["message_en"]


def test_an_x5c_that_is_not_a_certificate_is_refused(lrs: Lrs) -> None:
    """Data 2.6.s5.b3.b3: a certificate in the JWS header must be usable to check the signature, else 400."""
    signed = statement()
    token = jws(signed, certificate=base64.b64encode(b"not a certificate").decode())
    assert "x5c" in assert_error(post_signed(lrs, signed, token), 400, "xapi_invalid")["message_en"]
