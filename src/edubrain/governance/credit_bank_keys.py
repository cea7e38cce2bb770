"""The credit bank's keys: the platform's credential issuer key, learners' credential pseudonyms, sealed evidence.

- **Issuer key**: one Ed25519 key whose ``did:key`` signs every credential and status list the credit bank issues
  (``eddsa-rdfc-2022``). It is kept as a Multikey secret in ``<home>/keys/credential-issuer.key`` (file 0600 in a
  folder 0700, :mod:`edubrain.store.private`), made on first use, beside the home's other keys; a deployment
  backs it up with the home and never copies it elsewhere. Losing it means new credentials under a new ``did:key``;
  credentials already issued keep verifying (the ``did:key`` holds the public key).
- **Credential pseudonym**: a credential names the learner only as ``P`` + 20 base32 characters of
  HMAC-SHA256 under the platform's pseudonym key of ``credit_bank_learner|<account id>`` — not the K-12 pseudonym,
  so a badge shown outside cannot be joined with the platform's derived datasets.
- **Evidence at rest**: each file is sealed with AES-256-GCM under a key derived by HKDF-SHA256 from the pseudonym
  key (info ``edubrain credit bank evidence v1``), with ``<learner>|<sha256>`` as associated data, as the LRS's
  attachments are (:mod:`edubrain.lrs.attachment_files`): a file moved to another learner's folder does not open.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from edubrain.credentials.multikey import (
    did_key,
    did_key_verification_method,
    private_key_from_multibase,
    secret_key_multibase,
)
from edubrain.governance.pseudonyms import PseudonymKey, PseudonymKeyError, pseudonym_key
from edubrain.home import Home
from edubrain.store.private import private_dir, write_private_atomic

ISSUER_KEY_FILE = Path("keys") / "credential-issuer.key"
EVIDENCE_FOLDER = "credit_bank_evidence"
_INFO = b"edubrain credit bank evidence v1"
_MAGIC = b"EBCB1\n"
_NONCE = 12
_ID = re.compile(r"^[0-9a-f]{32}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class IssuerKey:
    """The platform's issuing key and its ``did:key`` names."""

    private_key: Ed25519PrivateKey
    did: str
    verification_method: str


def issuer_key(home: Home) -> IssuerKey:
    """The platform's credential issuer key (made on first use, kept 0600 under the home)."""
    path = home.settings.home / ISSUER_KEY_FILE
    if not path.exists():
        private_dir(path.parent)
        secret = secret_key_multibase(Ed25519PrivateKey.generate())
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")  # 0600
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secret)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # a concurrent first use keeps the key written first
        os.unlink(temporary)
    key = private_key_from_multibase(path.read_text(encoding="ascii").strip())
    public = key.public_key()
    return IssuerKey(key, did_key(public), did_key_verification_method(public))


def credential_pseudonym(home: Home, learner_id: str) -> str:
    """The learner's pseudonym in credentials (``P`` + 20 base32 characters, see the module docstring)."""
    secret = pseudonym_key(home.settings).secret.get_secret_value().encode("utf-8")
    digest = hmac.new(secret, f"credit_bank_learner|{learner_id}".encode(), hashlib.sha256).digest()
    return "P" + base64.b32encode(digest).decode("ascii")[:20]


def _cipher(key: PseudonymKey) -> AESGCM:
    material = key.secret.get_secret_value().encode("utf-8")
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material))


def evidence_path(home: Home, learner_id: str, sha256: str) -> Path:
    """Where evidence ``sha256`` of learner ``learner_id`` is kept (both checked: no path tricks)."""
    if not _ID.match(learner_id) or not _SHA.match(sha256):
        raise ValueError(f"not a learner id and SHA-256: {learner_id!r}, {sha256!r}")
    return home.settings.home / EVIDENCE_FOLDER / learner_id / sha256


def seal_evidence(home: Home, learner_id: str, sha256: str, data: bytes) -> tuple[Path | None, str]:
    """Write the sealed file (atomically); returns the path when this call created it, and the key id."""
    key = pseudonym_key(home.settings)
    path = evidence_path(home, learner_id, sha256)
    if path.exists():
        return None, key.key_id
    private_dir(path.parent)
    nonce = os.urandom(_NONCE)
    sealed = _cipher(key).encrypt(nonce, data, f"{learner_id}|{sha256}".encode())
    write_private_atomic(path, _MAGIC + key.key_id.encode("ascii") + b"\n" + nonce + sealed)
    return path, key.key_id


def open_evidence(home: Home, learner_id: str, sha256: str) -> bytes:
    """The bytes of a sealed evidence file.

    Raises:
        PseudonymKeyError: missing, sealed under another key, altered or moved.
    """
    key = pseudonym_key(home.settings)
    try:
        raw = evidence_path(home, learner_id, sha256).read_bytes()
    except FileNotFoundError:
        raw = b""
    key_id, _, body = raw[len(_MAGIC) :].partition(b"\n")
    try:
        if not raw.startswith(_MAGIC) or key_id.decode("ascii", "replace") != key.key_id:
            raise InvalidTag
        data = _cipher(key).decrypt(body[:_NONCE], body[_NONCE:], f"{learner_id}|{sha256}".encode())
    except InvalidTag as exc:
        raise PseudonymKeyError(
            f"佐证文件 {sha256[:12]}… 无法打开（缺失、由其他密钥加密、被改动或被移动）",
            f"Evidence file {sha256[:12]}… does not open (missing, sealed under another key, altered or moved)",
        ) from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise PseudonymKeyError(f"佐证文件 {sha256[:12]}… 内容与哈希不符", f"Evidence {sha256[:12]}… fails its hash")
    return data
