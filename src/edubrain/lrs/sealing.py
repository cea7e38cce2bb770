"""The exact statement as received, encrypted at rest (AES-256-GCM under a key derived from the pseudonym key).

The LRS must return a statement in the ``exact`` format (xAPI 1.0.3 Communication §2.1.3), names and mailboxes
included, but the operational database must not hold learners' identifiers in clear. So the stored row holds
the pseudonymous copy (:func:`edubrain.lrs.agents.pseudonymous`) in clear and the exact statement only sealed:
AES-256-GCM (NIST SP 800-38D) under a key derived by HKDF-SHA256 (RFC 5869) from the platform's pseudonym key,
with the row's organisation and statement id as associated data (a sealed body copied to another row does not
open). A database copy without the key reveals no identifier; the key's id is stored with each row.
"""

from __future__ import annotations

import base64
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from edubrain.governance.pseudonyms import PseudonymKey, PseudonymKeyError

_INFO = b"edubrain lrs statement v1"
_DOCUMENT_INFO = b"edubrain lrs document v1"
_NONCE = 12


def _cipher(key: PseudonymKey, info: bytes = _INFO) -> AESGCM:
    return AESGCM(_derived(key.secret.get_secret_value().encode("utf-8"), info))


@lru_cache(maxsize=16)
def _derived(material: bytes, info: bytes) -> bytes:
    """The AES key HKDF derives from the pseudonym key for ``info`` (once per key and use, not per statement)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def seal(statement: dict[str, Any], key: PseudonymKey, *, org_code: str, statement_id: str) -> str:
    """The statement as compact JSON, encrypted; returned as base64 text (nonce + ciphertext + tag)."""
    nonce = os.urandom(_NONCE)
    plain = json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sealed = _cipher(key).encrypt(nonce, plain, f"{org_code}|{statement_id}".encode())
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(text: str, key: PseudonymKey, *, key_id: str, org_code: str, statement_id: str) -> dict[str, Any]:
    """The statement sealed by :func:`seal`.

    Raises:
        PseudonymKeyError: the row was sealed under another key (``key_id``), or it does not open (tampered).
    """
    value: dict[str, Any] = json.loads(unseal_json(text, key, key_id=key_id, org_code=org_code, statement_id=statement_id))  # fmt: skip
    return value


def unseal_json(text: str, key: PseudonymKey, *, key_id: str, org_code: str, statement_id: str) -> bytes:
    """The statement sealed by :func:`seal` as the compact UTF-8 JSON it was sealed as (not parsed).

    Raises:
        PseudonymKeyError: the row was sealed under another key (``key_id``), or it does not open (tampered).
    """
    if key_id != key.key_id:
        raise PseudonymKeyError(
            f"语句 {statement_id} 由密钥 {key_id} 加密，当前密钥为 {key.key_id}",
            f"Statement {statement_id} was sealed under key {key_id}, the current key is {key.key_id}",
        )
    raw = base64.b64decode(text)
    try:
        return _cipher(key).decrypt(raw[:_NONCE], raw[_NONCE:], f"{org_code}|{statement_id}".encode())
    except Exception as exc:  # InvalidTag: altered ciphertext or moved to another row
        raise PseudonymKeyError(
            f"语句 {statement_id} 的密文无法解开（被改动或被移到其他记录）",
            f"The sealed body of statement {statement_id} does not open (altered, or moved to another row)",
        ) from exc


def seal_bytes(plain: bytes, key: PseudonymKey, *, associated: str) -> str:
    """A document's bytes encrypted like a statement, under its own derived key (HKDF info ``…document v1``).

    ``associated`` binds the ciphertext to its row (the document's organisation and key): moved, it does not open.
    """
    nonce = os.urandom(_NONCE)
    sealed = _cipher(key, _DOCUMENT_INFO).encrypt(nonce, plain, associated.encode("utf-8"))
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal_bytes(text: str, key: PseudonymKey, *, key_id: str, associated: str) -> bytes:
    """The bytes sealed by :func:`seal_bytes`.

    Raises:
        PseudonymKeyError: sealed under another key (``key_id``), or it does not open (altered or moved).
    """
    if key_id != key.key_id:
        raise PseudonymKeyError(
            f"文档由密钥 {key_id} 加密，当前密钥为 {key.key_id}",
            f"The document was sealed under key {key_id}, the current key is {key.key_id}",
        )
    raw = base64.b64decode(text)
    try:
        return _cipher(key, _DOCUMENT_INFO).decrypt(raw[:_NONCE], raw[_NONCE:], associated.encode("utf-8"))
    except Exception as exc:  # InvalidTag: altered ciphertext or moved to another row
        raise PseudonymKeyError(
            "文档密文无法解开（被改动或被移到其他记录）",
            "The sealed document does not open (altered, or moved to another row)",
        ) from exc
