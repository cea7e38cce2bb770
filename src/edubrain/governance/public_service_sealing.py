"""Personal data of public-service cases: sealed at rest, masked for lists.

The text of a case and the complainant's name and phone are sealed together as JSON with AES-256-GCM
(NIST SP 800-38D) under a key derived by HKDF-SHA256 (RFC 5869) from the platform's pseudonym key, with the case id
as associated data (a sealed body moved to another case does not open). Lists show :func:`mask_text`: mobile and
landline numbers, ID numbers, e-mail addresses and the complainant's own name (and names after 我叫/姓名) masked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from edubrain.governance.pseudonyms import PseudonymKey, PseudonymKeyError

_INFO = b"edubrain public service case v1"
_NONCE = 12
_ID = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)?\d{3,4}(\d{4})(?!\d)")
_MAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+")
_NAMED = re.compile(r"(我叫|姓名[:：]?|联系人[:：]?)([\u4e00-\u9fff])([\u4e00-\u9fff]{1,2})(?=[，,。.\s；;、]|$)")


def _cipher(key: PseudonymKey) -> AESGCM:
    material = key.secret.get_secret_value().encode("utf-8")
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material))


def seal_case(body: dict[str, Any], key: PseudonymKey, case_id: str) -> str:
    """``body`` (text, name, phone) as JSON, encrypted and bound to ``case_id``; base64 text."""
    nonce = os.urandom(_NONCE)
    plain = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(nonce + _cipher(key).encrypt(nonce, plain, case_id.encode())).decode("ascii")


def unseal_case(sealed: str, key: PseudonymKey, *, key_id: str, case_id: str) -> dict[str, Any]:
    """The body sealed by :func:`seal_case`.

    Raises:
        PseudonymKeyError: sealed under another key, or it does not open (altered or moved).
    """
    if key_id != key.key_id:
        raise PseudonymKeyError(f"诉求由密钥 {key_id} 加密，当前密钥为 {key.key_id}",
                                f"The case was sealed under key {key_id}, the current key is {key.key_id}")  # fmt: skip
    raw = base64.b64decode(sealed)
    try:
        plain = _cipher(key).decrypt(raw[:_NONCE], raw[_NONCE:], case_id.encode())
    except Exception as exc:  # InvalidTag
        raise PseudonymKeyError("诉求密文无法解开（被改动或被移到其他记录）",
                                "The sealed case does not open (altered, or moved to another case)") from exc  # fmt: skip
    value: dict[str, Any] = json.loads(plain)
    return value


def mask_name(name: str) -> str:
    """``张三`` → ``张*``, ``欧阳明华`` → ``欧***`` (empty stays empty)."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits of a phone number, mask the rest."""
    digits = re.sub(r"\D", "", phone)
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


def mask_text(text: str, name: str = "") -> str:
    """``text`` with ID numbers, phone numbers, e-mail addresses and personal names masked (idempotent)."""
    out = _ID.sub(lambda m: m[1] + "********" + m[2], text)
    out = _MOBILE.sub(lambda m: m[1] + "****" + m[2], out)
    out = _LANDLINE.sub(lambda m: (m[1] or "") + "****" + m[2], out)
    out = _MAIL.sub("***@***", out)
    out = _NAMED.sub(lambda m: m[1] + m[2] + "*" * len(m[3]), out)
    if len(name) >= 2:
        out = out.replace(name, mask_name(name))
    return out


def check_hash(salt: str, check_code: str) -> str:
    """The stored form of a check code: SHA-256 over the case's salt and the code (upper-cased)."""
    return hashlib.sha256(f"{salt}:{check_code.strip().upper()}".encode()).hexdigest()


def check_matches(salt: str, stored: str, check_code: str) -> bool:
    """Whether ``check_code`` is the case's (constant-time comparison)."""
    return hmac.compare_digest(check_hash(salt, check_code), stored)
