"""A verification report for people: every check with its outcome, in Chinese and English.

:func:`verification_report` checks a credential (Data Integrity JSON-LD or VC-JWT) and, unlike
:func:`edubrain.credentials.verify.verify`, which stops at the first failure, reports each check on its own:

- ``format``: a VC 2.0 credential (``@context`` starts with the VC 2.0 context, ``type`` has VerifiableCredential);
- ``contexts``: every ``@context`` URL is one of the pinned contexts (nothing is downloaded);
- ``issuer``: the signing key belongs to the issuer (verification method or ``kid`` = ``<issuer id>#…``) and
  resolves offline (``did:key``, or a key the caller supplies);
- ``proof``: the signature (``eddsa-rdfc-2022``, ``edubrain-sm2sm3-rdfc`` or VC-JWT EdDSA/ES256) verifies;
- ``validity``: now is within ``validFrom`` … ``validUntil``;
- ``status``: the Bitstring Status List bit is not set; the list credential comes from the caller's resolver.

A check is ``passed``, ``failed``, ``unchecked`` (could not be checked: e.g. a status list this verifier cannot
reach offline, or a signature over an unpinned context) or ``none`` (does not apply: no ``credentialStatus``).
The verdict is ``valid`` only when no check failed or was left unchecked and :func:`verify` agrees; ``invalid``
when a check failed; otherwise ``incomplete``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import jwt

from edubrain.credentials import eddsa_rdfc, sm2, status_list, vcjwt
from edubrain.credentials.errors import CredentialError
from edubrain.credentials.loader import VC_V2, context_urls, manifest
from edubrain.credentials.submitted import check_shape
from edubrain.credentials.verify import PublicKey, _issuer_id, _parse, _resolve, verify

State = Literal["passed", "failed", "unchecked", "none"]
Verdict = Literal["valid", "invalid", "incomplete"]
StatusResolver = Callable[[str], dict[str, Any] | None]
"""``statusListCredential`` URL -> the list credential, or None when it cannot be had offline.

It may raise :class:`CredentialError` (e.g. a list of this platform that does not exist): the check fails."""
CHECKS = ("format", "contexts", "issuer", "proof", "validity", "status")


@dataclass(frozen=True)
class CheckOutcome:
    """One check: its name (one of :data:`CHECKS`), state and what it found in Chinese and English."""

    name: str
    state: State
    zh: str
    en: str


@dataclass
class VerificationReport:
    """The report of :func:`verification_report`.

    Attributes:
        verdict: ``valid``, ``invalid`` or ``incomplete``.
        format: ``data-integrity`` or ``vc+jwt``.
        checks: One outcome per name of :data:`CHECKS`, in that order.
        credential: The credential checked (a VC-JWT's payload, decoded even when its signature fails).
    """

    verdict: Verdict = "valid"
    format: str = "data-integrity"
    checks: list[CheckOutcome] = field(default_factory=list)
    credential: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Whether the verdict is ``valid``."""
        return self.verdict == "valid"

    def check(self, name: str) -> CheckOutcome:
        """The outcome of check ``name``."""
        return next(c for c in self.checks if c.name == name)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON: verdict, valid, format, checks, and a summary of the credential."""
        return {
            "verdict": self.verdict,
            "valid": self.valid,
            "format": self.format,
            "checks": [asdict(c) for c in self.checks],
            "summary": summary(self.credential),
        }


def _out(name: str, state: State, zh: str, en: str) -> CheckOutcome:
    return CheckOutcome(name, state, zh, en)


def verification_report(
    credential: dict[str, Any] | str,
    *,
    resolve_status: StatusResolver | None = None,
    public_keys: Mapping[str, PublicKey] | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Check ``credential`` and report every check (see the module docstring)."""
    keys = public_keys or {}
    moment = now or datetime.now(UTC)
    report = VerificationReport(format="vc+jwt" if isinstance(credential, str) else "data-integrity")
    if isinstance(credential, str):
        document, method, proof_check = _jwt_parts(credential, keys)
    else:
        document, method, proof_check = credential, _method_of(credential), None
    report.credential = document
    fmt, contexts = _format(document), _contexts(document)
    issuer, key = _issuer(document, method, keys)
    if proof_check is None:
        proof_check = _proof(document, key, contexts.state == "passed")
    lists: dict[str, dict[str, Any]] = {}
    report.checks = [
        fmt,
        contexts,
        issuer,
        proof_check,
        _validity(document, moment),
        _status(document, resolve_status, keys, moment, lists),
    ]
    states = {c.state for c in report.checks}
    if "failed" in states:
        report.verdict = "invalid"
    elif "unchecked" in states:
        report.verdict = "incomplete"
    elif not verify(credential, public_keys=keys, status_lists=lists, now=moment).valid:
        report.verdict = "invalid"  # the two verifiers must agree; the stricter one wins
    return report


def _method_of(document: dict[str, Any]) -> str:
    proof = document.get("proof")
    return str(proof.get("verificationMethod", "")) if isinstance(proof, dict) else ""


def _jwt_parts(token: str, keys: Mapping[str, PublicKey]) -> tuple[dict[str, Any], str, CheckOutcome]:
    try:
        kid = str(vcjwt.jwt_header(token).get("kid", ""))
        payload = jwt.decode(token, options={"verify_signature": False})
        check_shape(payload)
    except CredentialError as exc:
        return {}, "", _out("proof", "failed", exc.zh, exc.en)
    except (jwt.PyJWTError, RecursionError):
        failed = _out("proof", "failed", "不是有效的 VC-JWT（紧凑 JWS）。", "Not a valid VC-JWT (compact JWS).")
        return {}, "", failed
    try:
        key = _resolve(kid, keys)
        if isinstance(key, str):
            raise CredentialError("VC-JWT 不支持 SM2 密钥。", "VC-JWT does not take SM2 keys.")
        vcjwt.verify_jwt(token, key)
    except CredentialError as exc:
        return payload, kid, _out("proof", "failed", "签名无效：" + exc.zh, "Invalid signature: " + exc.en)
    return payload, kid, _out("proof", "passed", "VC-JWT 签名有效。", "The VC-JWT signature is valid.")


def _format(document: dict[str, Any]) -> CheckOutcome:
    contexts = document.get("@context")
    types = document.get("type", [])
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC_V2:
        return _out("format", "failed", f"@context 的第一项必须是 {VC_V2}。", f"The first @context must be {VC_V2}.")
    if "VerifiableCredential" not in (types if isinstance(types, list) else [types]):
        return _out(
            "format", "failed", "type 必须包含 VerifiableCredential。", "type must include VerifiableCredential."
        )
    return _out("format", "passed", "W3C 可验证凭证 2.0 格式。", "A W3C Verifiable Credential 2.0.")


def _contexts(document: dict[str, Any]) -> CheckOutcome:
    urls = context_urls(document)
    unknown = [url for url in urls if url not in manifest()]
    if unknown:
        return _out(
            "contexts",
            "failed",
            f"含有未内置的 JSON-LD 上下文：{', '.join(unknown)[:200]}（离线验证不下载上下文）。",
            f"Unpinned JSON-LD context(s): {', '.join(unknown)[:200]} (contexts are never downloaded).",
        )
    listed = ", ".join(urls)
    return _out("contexts", "passed", f"上下文均为内置固定版本：{listed}。", f"Every context is pinned: {listed}.")


def _issuer(
    document: dict[str, Any], method: str, keys: Mapping[str, PublicKey]
) -> tuple[CheckOutcome, PublicKey | None]:
    issuer = _issuer_id(document)
    if not method or not isinstance(issuer, str) or method.split("#", 1)[0] != issuer:
        return _out(
            "issuer",
            "failed",
            f"签名密钥 {method[:80] or '（无）'} 不属于签发者 {str(issuer)[:80]}（应为“签发者 id#密钥”）。",
            f"The signing key {method[:80] or '(none)'} does not belong to the issuer {str(issuer)[:80]} "
            "(it must be issuer-id#key).",
        ), None
    try:
        key = _resolve(method, keys)
    except CredentialError as exc:
        return _out(
            "issuer",
            "unchecked",
            "无法离线取得签发者公钥：" + exc.zh,
            "The issuer's key cannot be had offline: " + exc.en,
        ), None
    name = _name(document.get("issuer"))
    return _out(
        "issuer",
        "passed",
        f"签名密钥属于签发者 {name or issuer}（{issuer[:60]}）。",
        f"The signing key belongs to the issuer {name or issuer} ({issuer[:60]}).",
    ), key


def _proof(document: dict[str, Any], key: PublicKey | None, contexts_pinned: bool) -> CheckOutcome:
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return _out(
            "proof", "failed", "凭证没有 proof（数据完整性证明）。", "The credential has no proof (Data Integrity)."
        )
    suite = proof.get("cryptosuite")
    checkers: dict[str, Callable[[dict[str, Any], Any], bool]] = {
        eddsa_rdfc.CRYPTOSUITE: eddsa_rdfc.verify_proof,
        sm2.SM2_CRYPTOSUITE: sm2.verify_sm2_proof,
    }
    if suite not in checkers:
        return _out(
            "proof", "failed", f"不支持的密码套件 {str(suite)[:40]}。", f"Unsupported cryptosuite {str(suite)[:40]}."
        )
    if proof.get("proofPurpose") != "assertionMethod":
        return _out("proof", "failed", "证明用途必须是 assertionMethod。", "The proof purpose must be assertionMethod.")
    if key is None or not contexts_pinned or (suite == sm2.SM2_CRYPTOSUITE) != isinstance(key, str):
        return _out(
            "proof",
            "unchecked",
            "没有可用的公钥或内置上下文，签名未检查。",
            "No usable key or pinned contexts: the signature was not checked.",
        )
    try:
        good = checkers[suite](document, key)
    except CredentialError as exc:
        return _out("proof", "failed", "证明无法检查：" + exc.zh, "The proof cannot be checked: " + exc.en)
    if not good:
        return _out(
            "proof",
            "failed",
            "签名无效：凭证内容在签发后被改动过，或不是用签发者的密钥签名的。",
            "Invalid signature: the credential was changed after it was issued, or not signed with the issuer's key.",
        )
    return _out(
        "proof",
        "passed",
        f"签名有效（{suite}）：内容未被改动。",
        f"The signature is valid ({suite}): nothing was changed.",
    )


def _validity(document: dict[str, Any], now: datetime) -> CheckOutcome:
    try:
        start = _parse(document["validFrom"]) if "validFrom" in document else None
        end = _parse(document["validUntil"]) if "validUntil" in document else None
    except CredentialError as exc:
        return _out("validity", "failed", exc.zh, exc.en)
    if start is not None and now < start:
        return _out(
            "validity", "failed", f"尚未生效：自 {_day(start)} 起有效。", f"Not valid yet: valid from {_day(start)}."
        )
    if end is not None and now > end:
        return _out("validity", "failed", f"已过期：有效期至 {_day(end)}。", f"Expired: valid until {_day(end)}.")
    span_zh = f"自 {_day(start)} 起" if start else "未写生效日期"
    span_en = f"from {_day(start)}" if start else "no start date"
    end_zh, end_en = (f"至 {_day(end)}", f"until {_day(end)}") if end else ("长期有效", "no end date")
    return _out(
        "validity",
        "passed",
        f"在有效期内（{span_zh}，{end_zh}）。",
        f"Within its validity period ({span_en}, {end_en}).",
    )


def _day(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _status(
    document: dict[str, Any],
    resolve_status: StatusResolver | None,
    keys: Mapping[str, PublicKey],
    now: datetime,
    lists: dict[str, dict[str, Any]],
) -> CheckOutcome:
    entries = document.get("credentialStatus")
    if entries is None:
        return _out(
            "status",
            "none",
            "凭证未声明状态列表（不可撤销）。",
            "The credential declares no status list (it cannot be revoked).",
        )
    for entry in entries if isinstance(entries, list) else [entries]:
        url = str(entry.get("statusListCredential", "")) if isinstance(entry, dict) else ""
        try:
            found = resolve_status(url) if resolve_status and url else None
        except CredentialError as exc:
            return _out("status", "failed", exc.zh, exc.en)
        if found is None:
            return _out(
                "status",
                "unchecked",
                f"无法离线检查状态：状态列表 {url[:120] or '（未写明）'} 不在本平台，本页不访问外部网络。",
                f"Status cannot be checked offline: the status list {url[:120] or '(none given)'} is not on this "
                "platform, and this page does not go out to the network.",
            )
        outcome = _status_entry(document, entry, found, keys, now)
        if outcome is not None:
            return outcome
        lists[url] = found
    return _out(
        "status",
        "passed",
        "未被撤销或暂停（状态列表已验证）。",
        "Not revoked or suspended (the status list was verified).",
    )


def _status_entry(
    document: dict[str, Any], entry: dict[str, Any], found: dict[str, Any], keys: Mapping[str, PublicKey], now: datetime
) -> CheckOutcome | None:
    checked = verify(found, public_keys=keys, now=now)
    if not checked.valid:
        return _out(
            "status",
            "failed",
            "状态列表凭证无效：" + checked.reason_zh,
            "The status list credential is invalid: " + checked.reason_en,
        )
    if _issuer_id(found) != _issuer_id(document):
        return _out(
            "status",
            "failed",
            "状态列表不是由凭证的签发者签发的。",
            "The status list was not issued by the credential's issuer.",
        )
    try:
        revoked = status_list.entry_is_set(entry, found)
    except CredentialError as exc:
        return _out("status", "failed", exc.zh, exc.en)
    if revoked:
        if entry.get("statusPurpose") == "suspension":
            return _out("status", "failed", "凭证已被暂停。", "The credential is suspended.")
        return _out("status", "failed", "凭证已被撤销。", "The credential has been revoked.")
    return None


def _name(value: Any) -> str:
    if isinstance(value, dict):
        name = value.get("name")
        return str(name) if isinstance(name, str) else ""
    return ""


def summary(document: dict[str, Any]) -> dict[str, Any]:
    """What a person reads about the credential: names, issuer, learner, credits and dates (all optional)."""
    found = document.get("credentialSubject")
    found = found[0] if isinstance(found, list) and found else found
    subject: dict[str, Any] = found if isinstance(found, dict) else {}
    achieved = subject.get("achievement")
    achievement: dict[str, Any] = achieved if isinstance(achieved, dict) else {}
    issuer = document.get("issuer")
    fields = {
        "name": document.get("name") or achievement.get("name"),
        "achievement": achievement.get("name"),
        "issuer_name": _name(issuer),
        "issuer_id": _issuer_id(document),
        "subject_id": subject.get("id"),
        "credits_earned": subject.get("creditsEarned"),
        "credits_available": achievement.get("creditsAvailable"),
        "valid_from": document.get("validFrom"),
        "valid_until": document.get("validUntil"),
        "id": document.get("id"),
    }
    return {
        k: v if isinstance(v, int | float) and not isinstance(v, bool) else str(v)[:300]
        for k, v in fields.items()
        if v not in (None, "", {})
    }
