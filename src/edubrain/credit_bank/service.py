"""The governed credit-bank facade (学分银行): accounts, deposits, recognition, progress, credentials.

Adapters (REST, web pages, the CLI) call only these names; each goes through governance (who may, audit):
:mod:`edubrain.governance.credit_bank` (accounts, deposits, queue), :mod:`~edubrain.governance.credit_bank_evidence`,
:mod:`~edubrain.governance.credit_bank_recognition` (the rule engine's decisions, progress) and
:mod:`~edubrain.governance.credit_bank_credential` (Open Badges 3.0, revocation). Workflow in docs/credit-bank.md.
"""

from edubrain.governance.credit_bank import (
    DEFAULT_PROGRAMME,
    LEARNER_ROLE,
    REVIEWER_ROLE,
    CreditBankError,
    CreditBankNotFound,
    authorised_institutions,
    deposit,
    get_deposit,
    institutions_of,
    is_city_admin,
    is_learner,
    my_account,
    my_deposits,
    open_account,
    queue,
)
from edubrain.governance.credit_bank_credential import credential_document, my_credentials, revoke
from edubrain.governance.credit_bank_evidence import EvidenceFile, add_evidence, read_evidence
from edubrain.governance.credit_bank_recognition import decide, preview, progress
from edubrain.governance.credit_bank_records import (
    ACTION_NAMES,
    DECISIONS,
    FORMALITIES,
    KINDS,
    SETTINGS,
    STATE_NAMES,
    Account,
    CredentialRecord,
    Deposit,
)
from edubrain.governance.identity import Principal

__all__ = [
    "ACTION_NAMES",
    "DECISIONS",
    "DEFAULT_PROGRAMME",
    "FORMALITIES",
    "KINDS",
    "LEARNER_ROLE",
    "REVIEWER_ROLE",
    "SETTINGS",
    "STATE_NAMES",
    "Account",
    "CredentialRecord",
    "CreditBankError",
    "CreditBankNotFound",
    "Deposit",
    "EvidenceFile",
    "add_evidence",
    "authorised_institutions",
    "credential_document",
    "decide",
    "deposit",
    "get_deposit",
    "institutions_of",
    "is_city_admin",
    "is_learner",
    "may_review",
    "may_use",
    "my_account",
    "my_credentials",
    "my_deposits",
    "open_account",
    "preview",
    "progress",
    "queue",
    "read_evidence",
    "revoke",
]


def may_use(principal: Principal) -> bool:
    """Whether the learner archive opens for ``principal`` (the learner role)."""
    return is_learner(principal)


def may_review(principal: Principal) -> bool:
    """Whether the recognition queue opens for ``principal`` (a credit reviewer of some institution)."""
    return bool(institutions_of(principal))
