from __future__ import annotations

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from edubrain.credentials.errors import KeyFormatError
from edubrain.credentials.multikey import (
    did_key_verification_method,
    private_key_from_multibase,
    public_key_from_multibase,
    public_key_multibase,
    resolve_did_key,
    secret_key_multibase,
)
from edubrain.credentials.status_list import MIN_BITS, BitstringStatusList


def test_multikey_round_trips_and_refuses_the_other_kind() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public, secret = public_key_multibase(key.public_key()), secret_key_multibase(key)
    assert public.startswith("z6Mk") and secret.startswith("z3u2")
    assert public_key_multibase(public_key_from_multibase(public)) == public
    assert secret_key_multibase(private_key_from_multibase(secret)) == secret
    with pytest.raises(KeyFormatError):
        public_key_from_multibase(secret)  # a secret key is never accepted where a public key is expected
    with pytest.raises(KeyFormatError):
        private_key_from_multibase(public)
    with pytest.raises(KeyFormatError):
        public_key_from_multibase("f" + public[1:])  # not base58-btc


def test_did_key_resolves_offline_and_refuses_other_methods() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key()
    method = did_key_verification_method(key)
    assert public_key_multibase(resolve_did_key(method)) == public_key_multibase(key)
    other = public_key_multibase(Ed25519PrivateKey.from_private_bytes(bytes(32)).public_key())
    for bad in ["https://example.edu/keys/1", method.split("#")[0] + "#" + other, "did:web:example.edu#key-1"]:
        with pytest.raises(KeyFormatError):
            resolve_did_key(bad)


@settings(max_examples=15, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=MIN_BITS - 1), max_size=200))
def test_status_list_encoding_round_trips_any_set_of_indices(indices: set[int]) -> None:
    status = BitstringStatusList()
    status.set(np.fromiter(indices, dtype=np.int64, count=len(indices)))
    decoded = BitstringStatusList.decode(status.encode())
    assert set(np.flatnonzero(decoded.bits).tolist()) == indices
