"""SM3 and SM2 against the published examples of GB/T 32905-2016 and GB/T 32918.2-2016."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from edubrain.credentials import sm2
from edubrain.credentials.verify import verify

from .conftest import WEB_ISSUER

# GB/T 32918.2-2016 appendix A (= GM/T 0003.2-2012 appendix A): the 256-bit example curve over Fp.
EXAMPLE_CURVE = sm2.SM2Curve(
    p="8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3",
    a="787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498",
    b="63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A",
    n="8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7",
    gx="421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D",
    gy="0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2",
)
EXAMPLE_D = "128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263"
EXAMPLE_P = (
    "0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"
    "7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857"
)
EXAMPLE_ID = b"ALICE123@YAHOO.COM"
EXAMPLE_K = "6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F"
EXAMPLE_Z = "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A"
EXAMPLE_E = "B524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76"
EXAMPLE_RS = (
    "40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1"
    "6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7"
)


@pytest.mark.parametrize(
    ("message", "digest"),
    [
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ],
)
def test_sm3_matches_the_standard_examples(message: bytes, digest: str) -> None:
    assert sm2.sm3(message).hex() == digest


def test_sm2_example_signature_is_reproduced() -> None:
    assert sm2.identity_digest(EXAMPLE_P, EXAMPLE_ID, EXAMPLE_CURVE).hex().upper() == EXAMPLE_Z
    z = bytes.fromhex(EXAMPLE_Z)
    assert sm2.sm3(z + b"message digest").hex().upper() == EXAMPLE_E
    signature = sm2.sign(b"message digest", EXAMPLE_D, EXAMPLE_P, user_id=EXAMPLE_ID, curve=EXAMPLE_CURVE, k=EXAMPLE_K)
    assert signature.hex().upper() == EXAMPLE_RS
    assert sm2.verify(signature, b"message digest", "04" + EXAMPLE_P, user_id=EXAMPLE_ID, curve=EXAMPLE_CURVE)


def test_sm2_rejects_a_changed_message_id_or_signature() -> None:
    signature = bytes.fromhex(EXAMPLE_RS)
    kwargs: dict[str, Any] = {"user_id": EXAMPLE_ID, "curve": EXAMPLE_CURVE}
    assert not sm2.verify(signature, b"message digesT", EXAMPLE_P, **kwargs)
    assert not sm2.verify(signature, b"message digest", EXAMPLE_P, user_id=b"BOB", curve=EXAMPLE_CURVE)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not sm2.verify(flipped, b"message digest", EXAMPLE_P, **kwargs)
    assert not sm2.verify(bytes(64), b"message digest", EXAMPLE_P, **kwargs)


def test_sm2_data_integrity_proof_on_a_badge(web_badge: dict[str, Any]) -> None:
    private, public = sm2.generate_key()
    method = WEB_ISSUER + "#sm2-1"
    secured = sm2.add_sm2_proof(web_badge, private, public, method)
    assert secured["proof"]["cryptosuite"] == "edubrain-sm2sm3-rdfc"
    assert verify(secured, public_keys={method: public}).valid
    tampered = copy.deepcopy(secured)
    tampered["name"] = "国家学生体质健康标准 满分"
    assert not verify(tampered, public_keys={method: public}).valid
    _, other = sm2.generate_key()
    assert not verify(secured, public_keys={method: other}).valid
