"""Signed statements: what the LRS must check of a JWS signature attachment (xAPI 1.0.3 Data §2.6).

A signed statement carries a JSON Web Signature (RFC 7515) as an attachment with usageType
:data:`~edubrain.lrs.validation.SIGNATURE_USAGE` and contentType ``application/octet-stream``. The LRS MUST refuse malformed signatures with
400 (§2.6.s5), and to tell it MUST: decode the JWS and load the statement from its payload; check that statement is
logically equivalent to the one received (the statement comparison rules, :func:`edubrain.lrs.storage.comparable`);
verify the signature against an X.509 certificate the JWS header carries (``x5c``); check the signature
requirements (§2.6.s4: algorithm RS256, RS384 or RS512). Decoding and verification use PyJWT; only the JWS Compact
Serialization is taken (the JSON Serialization is "strongly discouraged" by §2.6.s4 and refused here with 400).

Without ``x5c`` the signature itself cannot be checked by the LRS, only its form and payload: §2.6.s5 notes that
authenticating a signer is outside the specification, and clients MUST NOT trust a signature because an LRS took it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from edubrain.lrs.errors import invalid
from edubrain.lrs.storage import comparable

ALGORITHMS = ("RS256", "RS384", "RS512")


def _refuse(where: str, zh: str, en: str) -> Exception:
    return invalid(where, f"签名无效：{zh}", f"malformed signature: {en} (xAPI Data 2.6)")


def _certificate_key(header: dict[str, Any], where: str) -> RSAPublicKey | None:
    chain = header.get("x5c")
    if chain is None:
        return None
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except Exception:
        raise _refuse(
            where, "JWS 头的 x5c 不是 X.509 证书", "the JWS header's x5c is not an X.509 certificate"
        ) from None
    key = certificate.public_key()
    if not isinstance(key, RSAPublicKey):
        raise _refuse(where, "x5c 证书的公钥不是 RSA 公钥", "the x5c certificate's key is not an RSA key")
    return key


def verify(statement: dict[str, Any], jws: bytes, where: str) -> None:
    """Check the JWS ``jws`` of a signature attachment of ``statement`` (as received).

    Raises:
        StatementInvalid: the JWS is not compact, its algorithm is not RS256/384/512, its payload is not the
            statement, or it does not verify against its ``x5c`` certificate.
    """
    try:
        token = jws.decode("ascii").strip()
    except UnicodeDecodeError:
        raise _refuse(where, "不是 JWS 紧凑序列化文本", "not a JWS Compact Serialization") from None
    if token.count(".") != 2:
        raise _refuse(where, "须为 JWS 紧凑序列化（header.payload.signature）", "a JWS Compact Serialization (header.payload.signature) is required")  # fmt: skip
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.PyJWS().decode_complete(token, options={"verify_signature": False})["payload"]
        signed = json.loads(payload)
    except (jwt.PyJWTError, ValueError):
        raise _refuse(where, "JWS 无法解码，或其载荷不是 JSON", "the JWS cannot be decoded, or its payload is not JSON") from None  # fmt: skip
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise _refuse(where, f"算法 {algorithm!r} 不被允许，只可用 RS256、RS384、RS512", f"algorithm {algorithm!r} is not allowed; RS256, RS384 or RS512 must be used")  # fmt: skip
    if not isinstance(signed, dict) or comparable(signed) != comparable(statement):
        raise _refuse(where, "JWS 载荷与所收到的语句不一致", "the JWS payload is not the statement received")
    key = _certificate_key(header, where)
    if key is not None:
        try:
            jwt.PyJWS().decode_complete(token, key=key, algorithms=[algorithm])
        except jwt.PyJWTError:
            raise _refuse(where, "签名与 x5c 证书不符", "the signature does not verify against the x5c certificate") from None  # fmt: skip
