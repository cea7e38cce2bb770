from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.errors import StatusListError
from edubrain.credentials.status_list import (
    MIN_BITS,
    BitstringStatusList,
    status_entry,
    status_list_credential,
)
from edubrain.credentials.verify import verify

LIST_URL = "https://edubrain.example/status/1"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_status_list_round_trips_and_keeps_bit_order() -> None:
    status = BitstringStatusList()
    indices = np.array([0, 7, 8, 94_567, MIN_BITS - 1])
    status.set(indices)
    encoded = status.encode()
    assert encoded.startswith("u") and "=" not in encoded
    decoded = BitstringStatusList.decode(encoded)
    assert len(decoded) == MIN_BITS
    assert np.array_equal(np.flatnonzero(decoded.bits), indices)
    packed = np.packbits(decoded.bits)
    assert packed[0] == 0b1000_0001 and packed[1] == 0b1000_0000  # bit 0 is the left-most bit
    decoded.clear([7, 94_567])
    assert decoded.is_set(0) and not decoded.is_set(7) and not decoded.is_set(94_567)


def test_an_empty_list_is_a_small_fixed_encoding() -> None:
    assert BitstringStatusList().encode() == BitstringStatusList().encode()
    assert len(BitstringStatusList().encode()) < 200


@pytest.mark.parametrize("bad", [lambda s: s.set(MIN_BITS), lambda s: s.set([-1]), lambda s: BitstringStatusList(1024)])
def test_out_of_range_and_short_lists_are_refused(bad: Any) -> None:
    with pytest.raises(StatusListError):
        bad(BitstringStatusList())


def test_short_encoded_list_is_refused() -> None:
    import base64
    import gzip

    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(1024))).decode().rstrip("=")
    with pytest.raises(StatusListError) as caught:
        BitstringStatusList.decode(short)
    assert "131072" in caught.value.en


def _secured_list(status: BitstringStatusList, issuer: str, key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    return eddsa_rdfc.add_proof(status_list_credential(LIST_URL, issuer, status, "2026-01-01T00:00:00Z"), key, method)


def test_revoking_a_badge_makes_verification_fail_and_reinstating_restores_it(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    badge["credentialStatus"] = status_entry(LIST_URL, 42)
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    issuer = badge["issuer"]["id"]
    status = BitstringStatusList()
    assert verify(
        secured, status_lists={LIST_URL: _secured_list(status, issuer, issuer_key, issuer_method)}, now=NOW
    ).valid
    status.set(42)
    revoked = verify(
        secured, status_lists={LIST_URL: _secured_list(status, issuer, issuer_key, issuer_method)}, now=NOW
    )
    assert not revoked.valid and revoked.reason_zh == "凭证已被撤销。" and revoked.checks[-1].name == "status"
    status.clear(42)
    assert verify(
        secured, status_lists={LIST_URL: _secured_list(status, issuer, issuer_key, issuer_method)}, now=NOW
    ).valid


def test_status_cannot_be_faked_by_a_missing_forged_or_foreign_list(
    badge: dict[str, Any], issuer_key: Ed25519PrivateKey, issuer_method: str
) -> None:
    badge["credentialStatus"] = status_entry(LIST_URL, 42)
    secured = eddsa_rdfc.add_proof(badge, issuer_key, issuer_method)
    issuer = badge["issuer"]["id"]
    assert not verify(secured, now=NOW).valid  # no list supplied: not silently accepted
    revoked = BitstringStatusList()
    revoked.set(42)
    forged = _secured_list(revoked, issuer, issuer_key, issuer_method)
    forged["credentialSubject"]["encodedList"] = BitstringStatusList().encode()  # un-revoke without re-signing
    assert not verify(secured, status_lists={LIST_URL: forged}, now=NOW).valid
    stranger = Ed25519PrivateKey.from_private_bytes(bytes([9] * 32))
    from edubrain.credentials.multikey import did_key, did_key_verification_method

    foreign = _secured_list(
        BitstringStatusList(),
        did_key(stranger.public_key()),
        stranger,
        did_key_verification_method(stranger.public_key()),
    )
    result = verify(secured, status_lists={LIST_URL: foreign}, now=NOW)
    assert not result.valid and "issuer" in result.reason_en
