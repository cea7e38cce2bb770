"""SM2 signatures with the SM3 digest (Chinese commercial cryptography), as an option.

- SM3: GB/T 32905-2016 (ISO/IEC 10118-3:2018), 256-bit hash.
- SM2 signature: GB/T 32918.2-2016, with the recommended curve of GB/T 32918.5-2017
  and the signer identity digest ``Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)``;
  the default ID is ``1234567812345678`` (GB/T 35276-2017, section 10).

The curve arithmetic is the pure-Python ``gmssl`` package. Two of its habits are
avoided here: its ``sign_with_sm3`` draws the nonce from ``random`` (not a CSPRNG),
so this module draws ``k`` with ``secrets``; and its verifier skips the range check
``1 <= r, s <= n-1``, which is done here.

An SM2 Data Integrity proof uses the non-standard cryptosuite name
``edubrain-sm2sm3-rdfc`` (no W3C or GM/T cryptosuite exists yet): RDFC-1.0 like
``eddsa-rdfc-2022``, SM3 instead of SHA-256, and the SM2 signature ``r ‖ s``
(64 bytes) as multibase base58-btc.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from gmssl import func
from gmssl import sm3 as _sm3
from gmssl.sm2 import CryptSM2

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.errors import KeyFormatError
from edubrain.credentials.multikey import multibase_decode, multibase_encode

DEFAULT_ID = b"1234567812345678"
SM2_CRYPTOSUITE = "edubrain-sm2sm3-rdfc"


@dataclass(frozen=True)
class SM2Curve:
    """Parameters of a prime-field curve ``y^2 = x^3 + ax + b`` (upper-case hex, 64 digits each)."""

    p: str
    a: str
    b: str
    n: str
    gx: str
    gy: str

    def table(self) -> dict[str, str]:
        """The parameter table in gmssl's form."""
        return {"p": self.p, "a": self.a, "b": self.b, "n": self.n, "g": self.gx + self.gy}


# GB/T 32918.5-2017, the recommended 256-bit curve.
RECOMMENDED = SM2Curve(
    p="FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",
    a="FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
    b="28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
    n="FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123",
    gx="32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7",
    gy="BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0",
)


def sm3(data: bytes) -> bytes:
    """The SM3 digest of ``data`` (32 bytes)."""
    return bytes.fromhex(_sm3.sm3_hash(func.bytes_to_list(data)))


def identity_digest(public_key: str, user_id: bytes = DEFAULT_ID, curve: SM2Curve = RECOMMENDED) -> bytes:
    """``Z``: the SM3 digest binding the signer's ID, the curve and the public key.

    Args:
        public_key: ``x ‖ y`` as 128 hex digits (no ``04`` prefix).
        user_id: The signer's distinguishing identifier.
        curve: The curve parameters.
    """
    key = _check_public(public_key)
    if len(user_id) >= 8192:
        raise KeyFormatError("SM2 用户标识过长。", "The SM2 user ID is too long.", length=len(user_id))
    entl = (len(user_id) * 8).to_bytes(2, "big")
    params = bytes.fromhex(curve.a + curve.b + curve.gx + curve.gy + key)
    return sm3(entl + user_id + params)


def _check_public(public_key: str) -> str:
    key = public_key.upper().removeprefix("04") if len(public_key) == 130 else public_key.upper()
    if len(key) != 128 or any(c not in "0123456789ABCDEF" for c in key):
        raise KeyFormatError(
            "SM2 公钥必须是 128 位十六进制（x‖y，可带 04 前缀）。",
            "An SM2 public key must be 128 hex digits (x‖y, optionally prefixed 04).",
        )
    return key


def _engine(private_key: str, public_key: str, curve: SM2Curve) -> CryptSM2:
    engine = CryptSM2(private_key=private_key, public_key="00", ecc_table=curve.table())
    engine.public_key = public_key  # set directly: gmssl strips a leading "04" with lstrip, which eats key digits
    return engine


def generate_key(curve: SM2Curve = RECOMMENDED) -> tuple[str, str]:
    """A new key pair ``(private hex, public x‖y hex)`` drawn with ``secrets``."""
    n = int(curve.n, 16)
    d = secrets.randbelow(n - 2) + 1
    private = f"{d:064X}"
    public = _engine(private, "0" * 128, curve)._kg(d, curve.gx + curve.gy)
    return private, public.upper()


def sign(
    message: bytes,
    private_key: str,
    public_key: str,
    *,
    user_id: bytes = DEFAULT_ID,
    curve: SM2Curve = RECOMMENDED,
    k: str | None = None,
) -> bytes:
    """The SM2 signature ``r ‖ s`` (64 bytes) of ``SM3(Z ‖ message)``.

    Args:
        message: The bytes to sign.
        private_key: ``d`` as hex.
        public_key: The matching ``x ‖ y`` hex (enters ``Z``).
        user_id: The signer's ID (default ``1234567812345678``).
        curve: The curve parameters.
        k: A fixed nonce, only for reproducing published test vectors; drawn with ``secrets`` otherwise.
    """
    key = _check_public(public_key)
    e = sm3(identity_digest(key, user_id, curve) + message)
    engine = _engine(private_key, key, curve)
    n = int(curve.n, 16)
    while True:
        nonce = k or f"{secrets.randbelow(n - 1) + 1:064X}"
        signature = engine.sign(e, nonce)
        if signature is not None:
            return bytes.fromhex(signature)
        if k is not None:
            raise KeyFormatError("给定的 k 无法产生有效签名。", "The given k yields no valid signature.")


def verify(
    signature: bytes,
    message: bytes,
    public_key: str,
    *,
    user_id: bytes = DEFAULT_ID,
    curve: SM2Curve = RECOMMENDED,
) -> bool:
    """Whether ``signature`` (``r ‖ s``, 64 bytes) is a valid SM2 signature of ``message``."""
    key = _check_public(public_key)
    n = int(curve.n, 16)
    if len(signature) != 64:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < n and 1 <= s < n):
        return False
    e = sm3(identity_digest(key, user_id, curve) + message)
    return bool(_engine("00", key, curve).verify(signature.hex().upper(), e))


def add_sm2_proof(
    document: dict[str, Any], private_key: str, public_key: str, verification_method: str, *, created: str | None = None
) -> dict[str, Any]:
    """A copy of ``document`` with an ``edubrain-sm2sm3-rdfc`` Data Integrity proof."""
    options = {
        "type": eddsa_rdfc.PROOF_TYPE,
        "cryptosuite": SM2_CRYPTOSUITE,
        "created": created or eddsa_rdfc.now_xsd(),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    data = eddsa_rdfc.hash_data(document, options, cryptosuite=SM2_CRYPTOSUITE, digest=sm3)
    secured = {key: value for key, value in document.items() if key != "proof"}
    secured["proof"] = {**options, "proofValue": multibase_encode(sign(data.combined, private_key, public_key))}
    return secured


def verify_sm2_proof(document: dict[str, Any], public_key: str) -> bool:
    """Whether the document's ``edubrain-sm2sm3-rdfc`` proof verifies with ``public_key``."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return False
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    data = eddsa_rdfc.hash_data(document, options, cryptosuite=SM2_CRYPTOSUITE, digest=sm3)
    return verify(multibase_decode(str(proof.get("proofValue", ""))), data.combined, public_key)
