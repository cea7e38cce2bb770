"""What a reader of the credit bank gets (:mod:`edubrain.governance.credit_bank`), and the names of its terms.

Deposits with their events, evidence, decision and credential; the learner's account; Chinese and English names
of outcome kinds, states, decisions and steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = {
    "course": ("课程", "Course"),
    "certificate": ("证书", "Certificate"),
    "vocational": ("职业资格/职业技能等级证书", "Vocational qualification"),
    "non_formal": ("非正式学习成果", "Non-formal learning"),
}
"""What a learner deposits; each maps to a kind of the rule engine (:data:`ENGINE_KINDS`)."""
ENGINE_KINDS = {"course": "course", "certificate": "qualification", "vocational": "qualification",
                "non_formal": "prior_learning"}  # fmt: skip
FORMALITIES = {"formal": ("学历教育", "Formal"), "non_formal": ("非学历教育", "Non-formal")}
SETTINGS = {"in_school": ("校内", "In school"), "out_of_school": ("校外", "Out of school")}
ENGINE_PROVIDERS = {"in_school": "internal", "out_of_school": "external"}
STATE_NAMES = {
    "deposited": ("已存入，待认定", "Deposited, awaiting recognition"),
    "recognised": ("已认定", "Recognised"),
    "partial": ("部分认定", "Partly recognised"),
    "refused": ("不予认定", "Refused"),
    "revoked": ("认定已撤销", "Recognition revoked"),
}
DECISIONS = {
    "recognise": ("认定", "Recognise"),
    "partial": ("部分认定", "Recognise in part"),
    "refuse": ("不予认定", "Refuse"),
}
"""What a reviewer may decide."""
ACTION_NAMES = {
    "deposit": ("存入", "Deposited"),
    "evidence": ("上传佐证", "Evidence uploaded"),
    "recognise": ("认定", "Recognised"),
    "partial": ("部分认定", "Recognised in part"),
    "refuse": ("不予认定", "Refused"),
    "revoke": ("撤销认定与证书", "Recognition and credential revoked"),
}


@dataclass(frozen=True)
class Event:
    """One step of a deposit."""

    action: str
    from_state: str | None
    to_state: str
    actor: str
    comment: str | None
    at: dt.datetime


@dataclass(frozen=True)
class EvidenceRecord:
    """One evidence file's record (the bytes are read through :func:`~edubrain.governance.credit_bank_evidence`)."""

    id: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class Decision:
    """A stored recognition decision: the reviewer's outcome and the rule engine's explained decision."""

    outcome: str
    credits_recognised: float
    category: str | None
    ruleset_id: str
    ruleset_version: str
    engine: dict[str, Any]
    trail: list[str]
    reason: str | None
    decided_by: str
    decided_at: dt.datetime


@dataclass(frozen=True)
class CredentialRecord:
    """An issued credential (the signed JSON through :func:`edubrain.governance.credit_bank.credential_document`)."""

    id: str
    type: str
    status_list_id: str
    status_index: int
    proof_suite: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revocation_reason: str | None


@dataclass(frozen=True)
class Deposit:
    """One deposited outcome as its reader sees it."""

    id: str
    learner_id: str
    learner_name: str
    institution_code: str
    kind: str
    formality: str
    setting: str
    title: str
    provider: str
    code: str | None
    category: str | None
    credits_claimed: float
    completed_on: dt.date
    state: str
    created_at: dt.datetime
    events: list[Event] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    decision: Decision | None = None
    credential: CredentialRecord | None = None


@dataclass(frozen=True)
class Account:
    """A learner's account (学习者账户) as the learner sees it."""

    id: str
    name: str
    programme: str
    linked_to_k12: bool
    created_at: dt.datetime
