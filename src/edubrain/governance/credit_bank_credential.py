"""Credentials of the credit bank: issued on recognition, read by their learner, revoked by their institution.

Each is an Open Badges 3.0 ``OpenBadgeCredential`` (1EdTech, 2024) on the W3C VC Data Model 2.0, naming the learner
only by its credential pseudonym (:func:`~edubrain.governance.credit_bank_keys.credential_pseudonym`), issued by
the platform's ``did:key`` with an ``eddsa-rdfc-2022`` proof (W3C Data Integrity EdDSA Cryptosuites v1.0) and a
``BitstringStatusListEntry`` (W3C Bitstring Status List v1.0). The recognising institution, the rule set and the
credits are in the achievement's description and criteria.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.credentials import eddsa_rdfc
from edubrain.credentials.openbadges import Achievement, IssuerProfile, open_badge
from edubrain.credentials.status_list import status_entry
from edubrain.credit_bank import RuleSet
from edubrain.governance import credit_bank as cb
from edubrain.governance import credit_bank_views as views
from edubrain.governance.credit_bank_keys import credential_pseudonym, issuer_key
from edubrain.governance.credit_bank_models import (
    CreditBankCredential,
    CreditBankDecision,
    CreditBankDeposit,
    CreditBankLearner,
    CreditBankStatusList,
)
from edubrain.governance.credit_bank_records import KINDS, CredentialRecord
from edubrain.governance.credit_bank_status import allocate, sign_list
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation

CREDENTIAL_TYPE = "OpenBadgeCredential"
ISSUER_NAME = "EduBrain 学分银行 / EduBrain Credit Bank"


def issue_credential(home: Home, session: Session, row: CreditBankDeposit, decision: CreditBankDecision,
                     learner: CreditBankLearner, ruleset: RuleSet) -> str:  # fmt: skip
    """Issue, sign and store the credential of a recognition (in the caller's transaction); returns its id."""
    key = issuer_key(home)
    list_id, url, index = allocate(home, session)
    org = session.get(Organisation, row.institution_code)
    org_zh, org_en = (org.name_zh, org.name_en) if org is not None else (row.institution_code, row.institution_code)
    credits = f"{decision.credits_recognised:g}"
    achievement = Achievement(
        id=f"urn:edubrain:credit-bank:recognition:{decision.id}",
        name=f"{row.title}（{credits} 学分 / credits）",
        description=f"{KINDS[row.kind][0]}“{row.title}”（{row.provider}）经{org_zh}认定 {credits} 学分。 / "
        f"{KINDS[row.kind][1]} '{row.title}' ({row.provider}) recognised by {org_en} for {credits} credits.",
        criteria=f"《{ruleset.name_zh}》{ruleset.version}：{decision.engine_decision.get('reason_zh', '')} / "
        f"{ruleset.name_en} {ruleset.version}: {decision.engine_decision.get('reason_en', '')}",
        achievement_type="Course" if row.kind == "course" else "Certificate",
    )
    now = eddsa_rdfc.now_xsd()
    unsigned = open_badge(IssuerProfile(key.did, ISSUER_NAME), achievement, credential_pseudonym(home, learner.id),
                          now, credential_status=status_entry(url, index))  # fmt: skip
    signed = eddsa_rdfc.add_proof(unsigned, key.private_key, key.verification_method, created=now)
    session.add(CreditBankCredential(
        id=signed["id"], learner_id=learner.id, deposit_id=row.id, decision_id=decision.id,
        institution_code=row.institution_code, type=CREDENTIAL_TYPE, status_list_id=list_id, status_index=index,
        proof_suite=eddsa_rdfc.CRYPTOSUITE, document=json.dumps(signed, ensure_ascii=False, sort_keys=True),
    ))  # fmt: skip
    session.flush()
    return str(signed["id"])


def _readable(session: Session, principal: Principal, credential_id: str) -> CreditBankCredential:
    """The credential when ``principal`` is its learner or a reviewer of its institution, else not found."""
    row = session.get(CreditBankCredential, credential_id) if isinstance(credential_id, str) else None
    if row is not None and row.institution_code in cb.institutions_of(principal):
        return row
    mine = cb.own_learner(session, principal)
    if row is None or mine is None or mine.id != row.learner_id:
        raise cb.not_found(str(credential_id)[:64])
    return row


def credential_document(home: Home, principal: Principal, credential_id: str) -> dict[str, Any]:
    """The signed credential (JSON) for its learner or its institution (audited)."""
    with session_scope(home.engine) as session:
        row = _readable(session, principal, credential_id)
        cb.record_event_read(session, principal, row.learner_id, f"credential {row.id}", row.institution_code)
        found: dict[str, Any] = json.loads(row.document)
        return found


def my_credentials(home: Home, principal: Principal) -> list[CredentialRecord]:
    """The principal's own credentials, newest first (empty without an account)."""
    with session_scope(home.engine) as session:
        mine = cb.own_learner(session, principal)
        if mine is None:
            return []
        rows = session.scalars(select(CreditBankCredential).where(CreditBankCredential.learner_id == mine.id)
                               .order_by(CreditBankCredential.issued_at.desc())).all()  # fmt: skip
        return [views.credential(r) for r in rows]


def revoke(home: Home, principal: Principal, credential_id: str, reason: str) -> CredentialRecord:
    """Revoke a credential (a reviewer of the institution that recognised it): its bit is set, the list re-signed.

    The deposit's state becomes ``revoked`` and its credits stop counting.

    Raises:
        CreditBankNotFound: unknown, or not issued by one of the principal's institutions.
        CreditBankError: no reason, or revoked already.
    """
    reason = (reason or "").strip()[:1000]
    with session_scope(home.engine) as session:
        row = session.get(CreditBankCredential, credential_id) if isinstance(credential_id, str) else None
        if row is None or row.institution_code not in cb.institutions_of(principal):
            raise cb.not_found(str(credential_id)[:64])
        if not reason:
            raise cb.CreditBankError("撤销时必须填写理由", "A revocation needs a reason", field="reason")
        if row.revoked_at is not None:
            raise cb.CreditBankError("该证书已撤销", "This credential is revoked already", credential=row.id)
        row.revoked_at, row.revoked_by, row.revocation_reason = dt.datetime.now(dt.UTC), principal.id, reason
        session.flush()
        status = session.get(CreditBankStatusList, row.status_list_id)
        assert status is not None
        sign_list(home, session, status)
        deposit = session.get(CreditBankDeposit, row.deposit_id) if row.deposit_id else None
        if deposit is not None:
            before, deposit.state = deposit.state, "revoked"
            cb.record(session, principal, deposit, "revoke", before, reason, credential=row.id,
                      status_list=row.status_list_id)  # fmt: skip
        return views.credential(row)
