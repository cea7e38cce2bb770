"""Rows of the credit-bank tables turned into what a reader gets (:mod:`edubrain.governance.credit_bank_records`).

Called only by the governance functions that have already decided the reader may see the row.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.governance.credit_bank_models import (
    CreditBankCredential,
    CreditBankDecision,
    CreditBankDeposit,
    CreditBankEvent,
    CreditBankEvidence,
    CreditBankLearner,
)
from edubrain.governance.credit_bank_records import (
    Account,
    CredentialRecord,
    Decision,
    Deposit,
    Event,
    EvidenceRecord,
)


def account(row: CreditBankLearner) -> Account:
    """The learner's account (never its K-12 pseudonym: only whether there is a link)."""
    return Account(row.id, row.name, row.programme or "", row.k12_pseudonym is not None, row.created_at)


def credential(row: CreditBankCredential) -> CredentialRecord:
    """An issued credential's record."""
    return CredentialRecord(row.id, row.type, row.status_list_id, row.status_index, row.proof_suite, row.issued_at,
                            row.revoked_at, row.revocation_reason)  # fmt: skip


def decision(row: CreditBankDecision) -> Decision:
    """A stored decision."""
    return Decision(row.outcome, row.credits_recognised, row.category, row.ruleset_id, row.ruleset_version,
                    dict(row.engine_decision or {}), list(row.trail or []), row.reason, row.decided_by, row.decided_at)  # fmt: skip


def deposit_view(session: Session, row: CreditBankDeposit, learner_name: str | None = None) -> Deposit:
    """A deposit with its events, evidence, latest decision and credential."""
    if learner_name is None:
        learner = session.get(CreditBankLearner, row.learner_id)
        learner_name = learner.name if learner is not None else ""
    events = session.scalars(select(CreditBankEvent).where(CreditBankEvent.deposit_id == row.id)
                             .order_by(CreditBankEvent.id)).all()  # fmt: skip
    files = session.scalars(select(CreditBankEvidence).where(CreditBankEvidence.deposit_id == row.id)
                            .order_by(CreditBankEvidence.uploaded_at, CreditBankEvidence.id)).all()  # fmt: skip
    made = session.scalars(select(CreditBankDecision).where(CreditBankDecision.deposit_id == row.id)
                           .order_by(CreditBankDecision.decided_at.desc())).first()  # fmt: skip
    issued = session.scalars(select(CreditBankCredential).where(CreditBankCredential.deposit_id == row.id)
                             .order_by(CreditBankCredential.issued_at.desc())).first()  # fmt: skip
    details = row.details or {}
    return Deposit(
        row.id, row.learner_id, learner_name, row.institution_code, row.kind, row.formality, row.setting, row.title,
        row.provider, details.get("code"), details.get("category"), row.credits_claimed, row.completed_on, row.state,
        row.created_at,
        events=[Event(e.action, e.from_state, e.to_state, e.actor, e.comment, e.at) for e in events],
        evidence=[EvidenceRecord(f.id, f.file_name, f.content_type, f.size, f.sha256, f.uploaded_at) for f in files],
        decision=None if made is None else decision(made),
        credential=None if issued is None else credential(issued),
    )  # fmt: skip
