"""Bitstring Status List v1.0: revocation and suspension of credentials.

W3C Recommendation "Bitstring Status List v1.0" (2025): a status list credential
carries a bitstring of at least 131,072 bits (16 KiB, so that one credential hides
among many), GZIP-compressed and encoded as multibase base64url without padding
(prefix ``u``). Bit 0 is the left-most bit of the first byte. A credential points
at its bit with a ``BitstringStatusListEntry`` in ``credentialStatus``.

Bits are held in a numpy boolean array; setting, clearing and encoding work on
whole index arrays at once (no per-bit Python loop).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from edubrain.credentials.errors import StatusListError
from edubrain.credentials.loader import VC_V2

MIN_BITS = 131_072
PURPOSES = ("revocation", "suspension")


class BitstringStatusList:
    """A status bitstring (one bit per credential, status size 1).

    Args:
        length: Number of bits; at least 131,072 and a multiple of 8.
        purpose: ``revocation`` or ``suspension``.
    """

    def __init__(self, length: int = MIN_BITS, purpose: str = "revocation") -> None:
        if length < MIN_BITS or length % 8:
            raise StatusListError(
                f"状态列表长度必须至少 {MIN_BITS} 位且为 8 的倍数，收到 {length}。",
                f"A status list needs at least {MIN_BITS} bits and a multiple of 8; got {length}.",
                length=length,
            )
        _check_purpose(purpose)
        self.purpose = purpose
        self.bits: npt.NDArray[np.bool_] = np.zeros(length, dtype=np.bool_)

    def __len__(self) -> int:
        return int(self.bits.size)

    def _indices(self, indices: int | Iterable[int]) -> npt.NDArray[np.int64]:
        if isinstance(indices, int | np.integer | list | tuple | np.ndarray):
            array = np.atleast_1d(np.asarray(indices, dtype=np.int64))
        else:
            array = np.fromiter(indices, dtype=np.int64)
        if array.size and (array.min() < 0 or array.max() >= self.bits.size):
            raise StatusListError(
                f"状态索引超出范围：允许 0 到 {self.bits.size - 1}。",
                f"Status index out of range: allowed 0 to {self.bits.size - 1}.",
                smallest=int(array.min()),
                largest=int(array.max()),
            )
        return array

    def set(self, indices: int | Iterable[int]) -> None:
        """Set the bits (revoke or suspend) at ``indices``."""
        self.bits[self._indices(indices)] = True

    def clear(self, indices: int | Iterable[int]) -> None:
        """Clear the bits (reinstate) at ``indices``."""
        self.bits[self._indices(indices)] = False

    def is_set(self, index: int) -> bool:
        """Whether the bit at ``index`` is set."""
        return bool(self.bits[self._indices(index)[0]])

    def encode(self) -> str:
        """The ``encodedList``: multibase base64url (no padding) of the GZIP of the bitstring."""
        packed = np.packbits(self.bits, bitorder="big").tobytes()
        compressed = gzip.compress(packed, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, encoded: str, purpose: str = "revocation") -> BitstringStatusList:
        """The status list an ``encodedList`` value holds.

        Raises:
            StatusListError: not multibase base64url, not GZIP, or shorter than 131,072 bits.
        """
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListError(
                "encodedList 必须是以 'u' 开头的多基 base64url 值。",
                "encodedList must be a multibase base64url value starting with 'u'.",
            )
        body = encoded[1:]
        try:
            packed = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (binascii.Error, OSError, EOFError, zlib.error) as exc:
            raise StatusListError(
                "encodedList 不是 GZIP 压缩的 base64url 数据。",
                "encodedList is not GZIP-compressed base64url data.",
            ) from exc
        bits = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), bitorder="big").astype(np.bool_)
        if bits.size < MIN_BITS:
            raise StatusListError(
                f"状态列表只有 {bits.size} 位，少于规范要求的 {MIN_BITS} 位。",
                f"The status list has {bits.size} bits, fewer than the required {MIN_BITS}.",
                length=int(bits.size),
            )
        status_list = cls(int(bits.size), purpose)
        status_list.bits = bits
        return status_list


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise StatusListError(
            f"statusPurpose 只能是 {', '.join(PURPOSES)}，收到 {purpose!r}。",
            f"statusPurpose must be one of {', '.join(PURPOSES)}; got {purpose!r}.",
            purpose=purpose,
        )


def status_list_credential(url: str, issuer: str, status_list: BitstringStatusList, valid_from: str) -> dict[str, Any]:
    """An unsecured ``BitstringStatusListCredential`` publishing ``status_list`` at ``url``."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": status_list.encode(),
        },
    }


def status_entry(list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    """The ``credentialStatus`` entry pointing at bit ``index`` of the list at ``list_url``."""
    _check_purpose(purpose)
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def entry_is_set(entry: dict[str, Any], list_credential: dict[str, Any]) -> bool:
    """Whether the bit a ``credentialStatus`` entry points at is set in ``list_credential``.

    The caller verifies the list credential's own proof first (``verify.verify`` does).

    Raises:
        StatusListError: wrong entry type, a list for another URL or purpose, or a bad index.
    """
    if entry.get("type") != "BitstringStatusListEntry":
        raise StatusListError(
            "credentialStatus 的类型必须是 BitstringStatusListEntry。",
            "credentialStatus must be of type BitstringStatusListEntry.",
            type=entry.get("type"),
        )
    subject = list_credential.get("credentialSubject", {})
    if list_credential.get("id") != entry.get("statusListCredential"):
        raise StatusListError(
            "状态列表凭证的 id 与 statusListCredential 不一致。",
            "The status list credential's id does not match statusListCredential.",
            expected=entry.get("statusListCredential"),
            actual=list_credential.get("id"),
        )
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise StatusListError(
            "状态列表的用途与 credentialStatus 的 statusPurpose 不一致。",
            "The status list's purpose does not match the entry's statusPurpose.",
        )
    index_text = str(entry.get("statusListIndex", ""))
    if not index_text.isdigit():
        raise StatusListError(
            "statusListIndex 必须是非负整数的字符串。",
            "statusListIndex must be a string holding a non-negative integer.",
            index=index_text[:20],
        )
    status_list = BitstringStatusList.decode(subject.get("encodedList", ""), subject.get("statusPurpose", "revocation"))
    return status_list.is_set(int(index_text))
