"""VC-JWT: credentials secured as JSON Web Tokens.

W3C Recommendation "Securing Verifiable Credentials using JOSE and COSE" (2025),
section 3.1.1: the JWS payload is the credential itself, the protected header has
``typ: vc+jwt`` (media type ``application/vc+jwt``), ``cty: vc``, the algorithm and
a ``kid``. Supported algorithms: ``EdDSA`` (Ed25519, RFC 8037) and ``ES256``
(P-256, RFC 7518). Signing and checking use PyJWT.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from edubrain.credentials.errors import CredentialError

MEDIA_TYPE = "application/vc+jwt"
TYP = "vc+jwt"
ALGORITHMS = ("EdDSA", "ES256")

PrivateKey = Ed25519PrivateKey | EllipticCurvePrivateKey
PublicKey = Ed25519PublicKey | EllipticCurvePublicKey


def _algorithm(key: PrivateKey | PublicKey) -> str:
    if isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
        return "EdDSA"
    if isinstance(key, EllipticCurvePrivateKey | EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        return "ES256"
    raise CredentialError(
        "VC-JWT 只支持 Ed25519（EdDSA）或 P-256（ES256）密钥。",
        "VC-JWT supports only Ed25519 (EdDSA) or P-256 (ES256) keys.",
        key_type=type(key).__name__,
    )


def issue_jwt(credential: dict[str, Any], private_key: PrivateKey, kid: str) -> str:
    """The credential secured as a compact JWS (``application/vc+jwt``).

    Args:
        credential: The unsecured credential (no ``proof``).
        private_key: Ed25519 or P-256 private key.
        kid: The key id the verifier resolves (e.g. a ``did:key`` verification method).
    """
    if "proof" in credential:
        raise CredentialError(
            "VC-JWT 的载荷必须是未加证明的凭证（不能含有 proof）。",
            "A VC-JWT payload must be an unsecured credential (no proof).",
        )
    headers = {"typ": TYP, "cty": "vc", "kid": kid}
    return jwt.encode(dict(credential), private_key, algorithm=_algorithm(private_key), headers=headers)


def jwt_header(token: str) -> dict[str, Any]:
    """The protected header of a VC-JWT, unverified (to find the ``kid``).

    Only the first segment is decoded (PyJWT's own helper parses the whole token).

    Raises:
        CredentialError: not a compact JWS with a JSON object header.
    """
    segment = token.split(".", 1)[0] if isinstance(token, str) and token.count(".") == 2 else ""
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise CredentialError("不是有效的紧凑 JWS。", "Not a valid compact JWS.") from exc
    if not isinstance(header, dict):
        raise CredentialError("不是有效的紧凑 JWS。", "Not a valid compact JWS.")
    return header


def verify_jwt(token: str, public_key: PublicKey) -> dict[str, Any]:
    """The credential in a VC-JWT whose signature verifies with ``public_key``.

    Raises:
        CredentialError: bad signature, wrong ``typ`` or algorithm, or a payload that is not a credential.
    """
    algorithm = _algorithm(public_key)
    try:
        decoded = jwt.decode_complete(
            token, public_key, algorithms=[algorithm], options={"verify_aud": False, "require": []}
        )
    except jwt.PyJWTError as exc:
        raise CredentialError(
            "VC-JWT 签名无效或令牌已被改动。",
            "The VC-JWT signature is invalid or the token was changed.",
            reason=str(exc)[:200],
        ) from exc
    header, payload = decoded["header"], decoded["payload"]
    if header.get("typ") != TYP:
        raise CredentialError(
            f"VC-JWT 头部的 typ 必须是 {TYP}。",
            f"The VC-JWT header's typ must be {TYP}.",
            typ=header.get("typ"),
        )
    types = payload.get("type", [])
    if "VerifiableCredential" not in (types if isinstance(types, list) else [types]):
        raise CredentialError(
            "VC-JWT 的载荷不是可验证凭证（type 缺少 VerifiableCredential）。",
            "The VC-JWT payload is not a verifiable credential (type lacks VerifiableCredential).",
            payload=json.dumps(payload, ensure_ascii=False)[:120],
        )
    return payload
