"""Open Badges 3.0 ``OpenBadgeCredential`` builder.

1EdTech "Open Badges Specification v3.0" (2024), section 4 and appendix B: an
``OpenBadgeCredential`` is a VC 2.0 credential whose ``credentialSubject`` is an
``AchievementSubject`` naming an ``Achievement``; the issuer is a ``Profile``.

The learner is named only by a pseudonym: the governance layer's keyed pseudonym
(``P`` + 20 base32 characters, see ``governance/pseudonyms.py``) as
``urn:edubrain:pseudonym:P…``, or a ``did:key`` the learner holds. A student
number, national ID or name is refused: a badge travels outside the platform.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from edubrain.credentials.errors import PseudonymRequiredError
from edubrain.credentials.loader import OB_V3P0, VC_V2

PSEUDONYM_URN = "urn:edubrain:pseudonym:"
_PSEUDONYM = re.compile(r"P[A-Z2-7]{20}")
_DID_KEY = re.compile(r"did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}")


@dataclass(frozen=True)
class IssuerProfile:
    """The issuing organisation (OB 3.0 ``Profile``).

    Attributes:
        id: A URI for the issuer, e.g. its ``did:key`` or web address.
        name: Display name, e.g. "北京市某区教育委员会".
        url: Optional home page.
    """

    id: str
    name: str
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``Profile`` object."""
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        return profile


@dataclass(frozen=True)
class Achievement:
    """What was achieved (OB 3.0 ``Achievement``).

    Attributes:
        id: A URI for the achievement definition.
        name: Its name, e.g. "国家学生体质健康标准 优秀".
        description: What it means.
        criteria: How it is earned (the ``criteria.narrative``).
        achievement_type: Optional OB 3.0 vocabulary term, e.g. ``Competency``, ``Award``.
    """

    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``Achievement`` object."""
        achievement: dict[str, Any] = {
            "id": self.id,
            "type": ["Achievement"],
            "name": self.name,
            "description": self.description,
            "criteria": {"narrative": self.criteria},
        }
        if self.achievement_type:
            achievement["achievementType"] = self.achievement_type
        return achievement


def subject_id(pseudonym_or_did: str) -> str:
    """The ``credentialSubject.id`` for a learner pseudonym or ``did:key``.

    Raises:
        PseudonymRequiredError: the value is not a governance pseudonym or a ``did:key``
            (for example a student number).
    """
    value = pseudonym_or_did.strip()
    if _PSEUDONYM.fullmatch(value):
        return PSEUDONYM_URN + value
    if value.startswith(PSEUDONYM_URN) and _PSEUDONYM.fullmatch(value.removeprefix(PSEUDONYM_URN)):
        return value
    if _DID_KEY.fullmatch(value):
        return value
    raise PseudonymRequiredError(
        "学习者只能用假名（P 加 20 位 base32，由治理层生成）或 did:key 标识，不能用学籍号、身份证号或姓名。",
        "A learner is identified only by a pseudonym (P + 20 base32 characters, from governance) or a did:key, "
        "never by a student number, ID number or name.",
        value_length=len(value),
    )


def open_badge(
    issuer: IssuerProfile,
    achievement: Achievement,
    learner: str,
    valid_from: str,
    *,
    valid_until: str | None = None,
    credential_id: str | None = None,
    credential_status: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An unsecured ``OpenBadgeCredential``; secure it with ``eddsa_rdfc.add_proof`` or ``vcjwt.issue_jwt``.

    Args:
        issuer: The issuing organisation.
        achievement: What was achieved.
        learner: The learner's pseudonym or ``did:key`` (see :func:`subject_id`).
        valid_from: XML Schema dateTime from which the badge is valid.
        valid_until: Optional end of validity.
        credential_id: The credential's URI; a new ``urn:uuid`` when omitted.
        credential_status: Optional ``BitstringStatusListEntry`` (see ``status_list.status_entry``).
    """
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3P0],
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": issuer.to_json(),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": subject_id(learner),
            "type": ["AchievementSubject"],
            "achievement": achievement.to_json(),
        },
    }
    if valid_until:
        credential["validUntil"] = valid_until
    if credential_status:
        credential["credentialStatus"] = credential_status
    return credential
