"""One verifier for every credential format the core issues.

``verify(credential)`` runs the checks in order and stops at the first failure:
format, pinned contexts, credential shape, key, signature (``eddsa-rdfc-2022``,
``edubrain-sm2sm3-rdfc`` or VC-JWT), validity period and, when the credential has a
``credentialStatus``, the Bitstring Status List (whose own proof is verified too).
The result says which checks ran, and why it failed in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from edubrain.credentials import eddsa_rdfc, sm2, status_list, vcjwt
from edubrain.credentials.errors import CredentialError, KeyFormatError
from edubrain.credentials.loader import VC_V2, context_urls, require_pinned
from edubrain.credentials.multikey import resolve_did_key

PublicKey = Ed25519PublicKey | EllipticCurvePublicKey | str


@dataclass(frozen=True)
class Check:
    """One check and its outcome."""

    name: str
    passed: bool
    zh: str = ""
    en: str = ""


@dataclass
class VerificationResult:
    """The outcome of :func:`verify`.

    Attributes:
        valid: True only when every check passed.
        checks: The checks performed, in order (the last one failed when ``valid`` is False).
        reason_zh: Why it is invalid (Chinese); empty when valid.
        reason_en: Why it is invalid (English); empty when valid.
        credential: The credential that was checked (the JWT payload for VC-JWT).
    """

    valid: bool = True
    checks: list[Check] = field(default_factory=list)
    reason_zh: str = ""
    reason_en: str = ""
    credential: dict[str, Any] = field(default_factory=dict)

    def ok(self, name: str) -> None:
        """Record a passed check."""
        self.checks.append(Check(name, True))

    def fail(self, name: str, zh: str, en: str) -> VerificationResult:
        """Record a failed check and mark the result invalid."""
        self.checks.append(Check(name, False, zh, en))
        self.valid, self.reason_zh, self.reason_en = False, zh, en
        return self


def verify(
    credential: dict[str, Any] | str,
    *,
    public_keys: Mapping[str, PublicKey] | None = None,
    status_lists: Mapping[str, dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """Verify a credential secured with a Data Integrity proof or as a VC-JWT.

    Args:
        credential: A secured credential (dict) or a VC-JWT (compact JWS string).
        public_keys: Keys by verification method / ``kid``; ``did:key`` methods resolve without it.
            SM2 keys are ``x‖y`` hex strings.
        status_lists: Status list credentials by URL, fetched by the caller (nothing is downloaded here).
        now: The time to check validity against; the current UTC time when omitted.
    """
    result = VerificationResult()
    keys = public_keys or {}
    try:
        if isinstance(credential, str):
            document = _verify_jwt(credential, keys, result)
        else:
            document = _verify_data_integrity(credential, keys, result)
        if document is None:
            return result
        result.credential = document
        if not _check_validity(document, now or datetime.now(UTC), result):
            return result
        _check_status(document, keys, status_lists or {}, now, result)
    except CredentialError as exc:
        return result.fail("error", exc.zh, exc.en)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # A credential comes from outside: a malformed one must yield "invalid", never an unhandled error.
        return result.fail(
            "error",
            f"凭证结构错误，无法验证（{type(exc).__name__}）。",
            f"The credential is malformed and cannot be verified ({type(exc).__name__}).",
        )
    return result


def _resolve(method: str, keys: Mapping[str, PublicKey]) -> PublicKey:
    if method in keys:
        return keys[method]
    return resolve_did_key(method)


def _check_shape(document: dict[str, Any], result: VerificationResult) -> bool:
    for url in context_urls(document):
        require_pinned(url)
    result.ok("contexts")
    contexts = document.get("@context")
    types = document.get("type", [])
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC_V2:
        result.fail("shape", f"@context 的第一项必须是 {VC_V2}。", f"The first @context must be {VC_V2}.")
        return False
    if "VerifiableCredential" not in (types if isinstance(types, list) else [types]):
        result.fail("shape", "type 必须包含 VerifiableCredential。", "type must include VerifiableCredential.")
        return False
    result.ok("shape")
    return True


def _verify_data_integrity(
    document: dict[str, Any], keys: Mapping[str, PublicKey], result: VerificationResult
) -> dict[str, Any] | None:
    result.ok("format:data-integrity")
    if not _check_shape(document, result):
        return None
    proof = document.get("proof")
    if not isinstance(proof, dict):
        result.fail("proof", "凭证缺少单个 proof 对象。", "The credential lacks a single proof object.")
        return None
    suite = proof.get("cryptosuite")
    checkers: dict[str, Callable[[dict[str, Any], Any], bool]] = {
        eddsa_rdfc.CRYPTOSUITE: eddsa_rdfc.verify_proof,
        sm2.SM2_CRYPTOSUITE: sm2.verify_sm2_proof,
    }
    if suite not in checkers:
        result.fail(
            "proof",
            f"不支持的密码套件 {suite!r}；支持：{', '.join(checkers)}。",
            f"Unsupported cryptosuite {suite!r}; supported: {', '.join(checkers)}.",
        )
        return None
    if proof.get("proofPurpose") != "assertionMethod":
        result.fail("proof", "证明用途必须是 assertionMethod。", "The proof purpose must be assertionMethod.")
        return None
    method = str(proof.get("verificationMethod", ""))
    if not _bound_to_issuer(document, method, result):
        return None
    key = _resolve(method, keys)
    if (suite == sm2.SM2_CRYPTOSUITE) != isinstance(key, str):
        raise KeyFormatError("密钥类型与密码套件不符。", "The key type does not match the cryptosuite.")
    if not checkers[suite](document, key):
        result.fail(
            "signature",
            "签名无效：凭证被改动或密钥不对。",
            "Invalid signature: the credential was changed or the key is wrong.",
        )
        return None
    result.ok("signature")
    return document


def _verify_jwt(token: str, keys: Mapping[str, PublicKey], result: VerificationResult) -> dict[str, Any] | None:
    result.ok("format:vc+jwt")
    kid = str(vcjwt.jwt_header(token).get("kid", ""))
    key = _resolve(kid, keys)
    if isinstance(key, str):
        raise KeyFormatError("VC-JWT 不支持 SM2 密钥。", "VC-JWT does not take SM2 keys.")
    payload = vcjwt.verify_jwt(token, key)
    if not _bound_to_issuer(payload, kid, result):
        return None
    result.ok("signature")
    return payload if _check_shape(payload, result) else None


def _bound_to_issuer(document: dict[str, Any], method: str, result: VerificationResult) -> bool:
    """The key must belong to the issuer: the method URL without its fragment is the issuer's id.

    Without this, anyone could sign with a key of their own and name a school or bureau as the issuer.
    """
    if method.split("#", 1)[0] != _issuer_id(document):
        result.fail(
            "key",
            "签名密钥不属于凭证的签发者（验证方法必须是“签发者 id#密钥”）。",
            "The signing key does not belong to the credential's issuer (the method must be issuer-id#key).",
        )
        return False
    result.ok("key")
    return True


def _parse(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise CredentialError(
            f"日期时间格式错误：{str(value)[:40]}（应为 2026-01-01T00:00:00Z）。",
            f"Bad dateTime: {str(value)[:40]} (expected e.g. 2026-01-01T00:00:00Z).",
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _check_validity(document: dict[str, Any], now: datetime, result: VerificationResult) -> bool:
    if "validFrom" in document and now < _parse(document["validFrom"]):
        result.fail(
            "validity",
            "凭证尚未生效（validFrom 在未来）。",
            "The credential is not valid yet (validFrom is in the future).",
        )
        return False
    if "validUntil" in document and now > _parse(document["validUntil"]):
        result.fail(
            "validity", "凭证已过期（validUntil 已过）。", "The credential has expired (validUntil has passed)."
        )
        return False
    result.ok("validity")
    return True


def _check_status(
    document: dict[str, Any],
    keys: Mapping[str, PublicKey],
    status_lists: Mapping[str, dict[str, Any]],
    now: datetime | None,
    result: VerificationResult,
) -> None:
    entries = document.get("credentialStatus")
    if entries is None:
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        url = str(entry.get("statusListCredential", ""))
        if url not in status_lists:
            result.fail(
                "status",
                f"无法检查状态：未提供状态列表凭证 {url}（离线，不下载）。",
                f"Status cannot be checked: the status list credential {url} was not supplied (offline, no download).",
            )
            return
        list_check = verify(status_lists[url], public_keys=keys, now=now)
        if not list_check.valid:
            result.fail(
                "status",
                "状态列表凭证无效：" + list_check.reason_zh,
                "The status list credential is invalid: " + list_check.reason_en,
            )
            return
        if _issuer_id(list_check.credential) != _issuer_id(document):
            result.fail(
                "status",
                "状态列表不是由凭证的签发者签发的。",
                "The status list was not issued by the credential's issuer.",
            )
            return
        if status_list.entry_is_set(entry, list_check.credential):
            purpose = entry.get("statusPurpose")
            zh = "凭证已被撤销。" if purpose == "revocation" else "凭证已被暂停。"
            en = "The credential has been revoked." if purpose == "revocation" else "The credential is suspended."
            result.fail("status", zh, en)
            return
    result.ok("status")


def _issuer_id(document: dict[str, Any]) -> Any:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer
