"""Attachment data at rest: one sealed file per school and SHA-2, under the platform home.

``<home>/lrs_attachments/<school code>/<sha2>``: the attachment's bytes encrypted with AES-256-GCM (NIST SP 800-38D)
under a key derived by HKDF-SHA256 (RFC 5869) from the pseudonym key (info ``edubrain lrs attachment v1``, apart
from the statements' key), with ``<school>|<sha2>`` as associated data: a file copied into another school's
folder or renamed does not open. Files are 0600 in folders 0700 (:mod:`edubrain.store.private`).

A file is written to a temporary name in its folder, flushed to disk and renamed (atomic on POSIX) before the
statements' database transaction commits, so a crash never leaves a half-written attachment under its name; if
the transaction fails, the files it created are removed (:func:`discard`). The folder is per school: a school
can only ever read attachments that its own requests delivered, whatever another school stored under one hash.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from edubrain.governance.pseudonyms import PseudonymKey, PseudonymKeyError
from edubrain.lrs.attachments import AttachmentData
from edubrain.store.private import private_dir, write_private_atomic

FOLDER = "lrs_attachments"
_INFO = b"edubrain lrs attachment v1"
_MAGIC = b"EBLA1\n"
_NONCE = 12
_NAME = re.compile(r"^[0-9a-f]{56,128}$")
_ORG = re.compile(r"^[0-9A-Za-z_-]{1,32}$")


def _cipher(key: PseudonymKey) -> AESGCM:
    material = key.secret.get_secret_value().encode("utf-8")
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material))


def path_of(home: Path, org_code: str, sha2: str) -> Path:
    """Where the attachment ``sha2`` of school ``org_code`` is kept (both checked: no path tricks)."""
    if not _ORG.match(org_code) or not _NAME.match(sha2):
        raise ValueError(f"not an organisation code and SHA-2: {org_code!r}, {sha2!r}")
    return home / FOLDER / org_code / sha2


def _key_id(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_MAGIC) + 64)
    except FileNotFoundError:
        return None
    return head[len(_MAGIC) :].split(b"\n", 1)[0].decode("ascii", "replace") if head.startswith(_MAGIC) else None


def save(home: Path, key: PseudonymKey, org_code: str, items: Iterable[AttachmentData]) -> list[Path]:
    """Write each attachment for ``org_code`` (sealed, atomically); returns the files this call created.

    A file already there under the current key holds the same bytes (its name is their hash) and is kept.
    """
    created: list[Path] = []
    try:
        for item in items:
            path = path_of(home, org_code, item.sha2)
            existing = _key_id(path)
            if existing == key.key_id:
                continue
            private_dir(path.parent)
            nonce = os.urandom(_NONCE)
            sealed = _cipher(key).encrypt(nonce, item.data, f"{org_code}|{item.sha2}".encode())
            write_private_atomic(path, _MAGIC + key.key_id.encode("ascii") + b"\n" + nonce + sealed)
            if existing is None:
                created.append(path)
    except BaseException:
        discard(created)
        raise
    return created


def discard(paths: Iterable[Path]) -> None:
    """Remove files :func:`save` created, when the statements they belong to were not stored."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def load(home: Path, key: PseudonymKey, org_code: str, sha2: str) -> bytes | None:
    """The data of attachment ``sha2`` stored for ``org_code``; None when this school holds none (fileUrl only).

    Raises:
        PseudonymKeyError: the file was sealed under another key, or does not open (altered or moved).
    """
    path = path_of(home, org_code, sha2)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    key_id, _, body = raw[len(_MAGIC) :].partition(b"\n")
    if not raw.startswith(_MAGIC) or key_id.decode("ascii", "replace") != key.key_id:
        raise PseudonymKeyError(
            f"附件 {sha2[:12]}… 由其他密钥加密（当前密钥 {key.key_id}）",
            f"Attachment {sha2[:12]}… was sealed under another key (the current key is {key.key_id})",
        )
    try:
        return _cipher(key).decrypt(body[:_NONCE], body[_NONCE:], f"{org_code}|{sha2}".encode())
    except Exception as exc:  # InvalidTag
        raise PseudonymKeyError(
            f"附件 {sha2[:12]}… 的密文无法解开（被改动或被移动）",
            f"The sealed data of attachment {sha2[:12]}… does not open (altered, or moved)",
        ) from exc
