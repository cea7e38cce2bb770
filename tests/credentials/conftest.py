from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edubrain.credentials.multikey import did_key, did_key_verification_method
from edubrain.credentials.openbadges import Achievement, IssuerProfile, open_badge

LEARNER = "PABCDEFGHIJKLMNOPQRST"  # the shape of a governance pseudonym: P + 20 base32 characters


@pytest.fixture(scope="session")
def issuer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


@pytest.fixture(scope="session")
def issuer_method(issuer_key: Ed25519PrivateKey) -> str:
    return did_key_verification_method(issuer_key.public_key())


@pytest.fixture()
def badge(issuer_key: Ed25519PrivateKey) -> dict[str, Any]:
    issuer = IssuerProfile(id=did_key(issuer_key.public_key()), name="北京市示例区教育委员会")
    achievement = Achievement(
        id="https://edubrain.example/achievements/fitness-excellent",
        name="国家学生体质健康标准 优秀",
        description="学年体质健康测试总分达到优秀等级（≥90 分）。",
        criteria="按《国家学生体质健康标准（2014年修订）》评定总分不低于 90 分。",
        achievement_type="Award",
    )
    return open_badge(
        issuer,
        achievement,
        LEARNER,
        "2026-09-01T00:00:00Z",
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000001",
    )


WEB_ISSUER = "https://edubrain.example/issuers/district-01"


@pytest.fixture()
def web_badge() -> dict[str, Any]:
    """A badge whose issuer is a web identifier; its keys come from the caller's key map."""
    issuer = IssuerProfile(id=WEB_ISSUER, name="北京市示例区教育委员会", url="https://edubrain.example")
    achievement = Achievement(
        id="https://edubrain.example/achievements/reading-100",
        name="阅读之星",
        description="一学年读完 100 本书。",
        criteria="教师确认的阅读记录达到 100 本。",
    )
    return open_badge(issuer, achievement, LEARNER, "2026-09-01T00:00:00Z")
