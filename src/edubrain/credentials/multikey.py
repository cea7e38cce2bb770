"""Multibase, Multikey and ``did:key`` for Ed25519 keys.

- Multibase base58-btc: the character ``z`` followed by base58 (Bitcoin alphabet).
- Multikey (W3C Controlled Identifiers 1.0): an Ed25519 public key is the
  multicodec prefix ``0xed 0x01`` followed by the 32 key bytes; a secret key is
  ``0x80 0x26`` followed by the 32 seed bytes. Both are multibase base58-btc, so a
  public key starts ``z6Mk``.
- ``did:key`` (W3C CCG did:key method): ``did:key:<multikey>#<multikey>`` names the
  key itself, so it resolves without any network lookup.
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from edubrain.credentials.errors import KeyFormatError

ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"


def multibase_encode(data: bytes) -> str:
    """Multibase base58-btc of ``data`` (``z`` prefix)."""
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    """Bytes of a multibase base58-btc value.

    Raises:
        KeyFormatError: the value is not ``z`` + base58.
    """
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise KeyFormatError(
            "多基编码值必须以 'z'（base58-btc）开头。",
            "A multibase value must start with 'z' (base58-btc).",
            value=str(value)[:20],
        )
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(
            "多基编码值含有 base58 字母表以外的字符。",
            "The multibase value has characters outside the base58 alphabet.",
            value=value[:20],
        ) from exc


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """The Multikey ``publicKeyMultibase`` of an Ed25519 public key (``z6Mk…``)."""
    return multibase_encode(ED25519_PUB_PREFIX + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def secret_key_multibase(key: Ed25519PrivateKey) -> str:
    """The Multikey ``secretKeyMultibase`` of an Ed25519 private key (``z3u2…``)."""
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return multibase_encode(ED25519_PRIV_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 public key in a ``publicKeyMultibase`` value.

    Raises:
        KeyFormatError: wrong multicodec prefix or length (only ``0xed01`` + 32 bytes is accepted).
    """
    data = multibase_decode(value)
    if len(data) != 34 or data[:2] != ED25519_PUB_PREFIX:
        raise KeyFormatError(
            "公钥不是 Ed25519 Multikey（需要前缀 0xed01 加 32 字节）。",
            "The public key is not an Ed25519 Multikey (needs prefix 0xed01 and 32 bytes).",
            value=value[:20],
        )
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in a ``secretKeyMultibase`` value.

    Raises:
        KeyFormatError: wrong multicodec prefix or length (only ``0x8026`` + 32 bytes is accepted).
    """
    data = multibase_decode(value)
    if len(data) != 34 or data[:2] != ED25519_PRIV_PREFIX:
        raise KeyFormatError(
            "私钥不是 Ed25519 Multikey（需要前缀 0x8026 加 32 字节）。",
            "The secret key is not an Ed25519 Multikey (needs prefix 0x8026 and 32 bytes).",
        )
    return Ed25519PrivateKey.from_private_bytes(data[2:])


def did_key(key: Ed25519PublicKey) -> str:
    """The ``did:key`` DID of an Ed25519 public key."""
    return "did:key:" + public_key_multibase(key)


def did_key_verification_method(key: Ed25519PublicKey) -> str:
    """The ``did:key`` verification method URL (``did:key:z6Mk…#z6Mk…``)."""
    multikey = public_key_multibase(key)
    return f"did:key:{multikey}#{multikey}"


def resolve_did_key(verification_method: str) -> Ed25519PublicKey:
    """The public key a ``did:key`` verification method names, resolved offline.

    Raises:
        KeyFormatError: not a ``did:key`` URL, or the fragment names another key.
    """
    if not isinstance(verification_method, str) or not verification_method.startswith("did:key:z"):
        raise KeyFormatError(
            "验证方法必须是 did:key（离线可解析）；其他方法需要调用方提供公钥。",
            "The verification method must be did:key (resolvable offline); others need a key from the caller.",
            verification_method=str(verification_method)[:80],
        )
    did, _, fragment = verification_method.partition("#")
    multikey = did.removeprefix("did:key:")
    if fragment and fragment != multikey:
        raise KeyFormatError(
            "did:key 的片段必须与公钥相同。",
            "A did:key fragment must equal the key itself.",
            verification_method=verification_method[:80],
        )
    return public_key_from_multibase(multikey)
