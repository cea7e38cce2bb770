"""Evidence files of credit-bank deposits (佐证材料): governed upload and download, sealed at rest.

An upload is checked before anything is kept: the deposit must be the uploader's own (its learner) or addressed to
the uploader's institution, and still awaiting a decision; the file at most :data:`MAX_MB` MB and a PDF, JPEG or
PNG by its first bytes (the name and the declared type are not trusted, as for smart-campus evidence). The bytes
are sealed under the home (:func:`~edubrain.governance.credit_bank_keys.seal_evidence`) and the record, the
workflow event and the audit event committed together; if the transaction fails, a file it created is removed.

A download is answered to the deposit's learner and its institution's reviewers and audited
(``credit_bank_evidence_read``); any other id, guessed or real, answers ``not_found``.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from edubrain.errors import InputFileError
from edubrain.governance import credit_bank as cb
from edubrain.governance.audit import record_event
from edubrain.governance.credit_bank_keys import open_evidence, seal_evidence
from edubrain.governance.credit_bank_models import CreditBankDeposit, CreditBankEvidence
from edubrain.governance.identity import Principal
from edubrain.governance.smart_campus_evidence import MAGIC
from edubrain.home import Home
from edubrain.store.db import session_scope

MAX_MB = 10
TYPES = ("pdf", "jpeg", "png")


@dataclass(frozen=True)
class EvidenceFile:
    """The bytes of one evidence file and how to serve them."""

    file_name: str
    content_type: str
    data: bytes


def content_type_of(data: bytes) -> str:
    """The content type of ``data`` by its magic number (PDF, JPEG or PNG).

    Raises:
        InputFileError: empty, larger than :data:`MAX_MB`, or not one of the allowed kinds.
    """
    if not data:
        raise InputFileError("佐证材料为空文件", "The evidence file is empty", size=0)
    if len(data) > MAX_MB * 1024 * 1024:
        raise InputFileError(f"佐证材料过大：{len(data) / 1048576:.1f} MB，上限 {MAX_MB} MB",
                             f"The evidence file is too large: {len(data) / 1048576:.1f} MB, the limit is {MAX_MB} MB",
                             size=len(data), limit_mb=MAX_MB)  # fmt: skip
    for kind in TYPES:
        magic, content_type = MAGIC[kind]
        if data.startswith(magic):
            return content_type
    raise InputFileError("佐证材料的文件内容不是 PDF、JPEG 或 PNG：按文件头判断，与文件名无关",
                         "The evidence file is not a PDF, JPEG or PNG, judged by its first bytes, not its name",
                         allowed=list(TYPES))  # fmt: skip


def add_evidence(home: Home, principal: Principal, deposit_id: str, file_name: str, data: bytes) -> str:
    """Keep one evidence file of a deposit awaiting a decision; returns the evidence id."""
    content_type = content_type_of(data)
    digest = hashlib.sha256(data).hexdigest()
    name = (Path(file_name or "evidence").name.strip() or "evidence")[-200:]
    created: Path | None = None
    try:
        with session_scope(home.engine) as session:
            row = cb.load_deposit(session, principal, deposit_id)
            if row.state != "deposited":
                raise cb.CreditBankError("已认定的成果不能再添加佐证", "Evidence cannot be added after the decision")
            created, key_id = seal_evidence(home, row.learner_id, digest, data)
            evidence = CreditBankEvidence(id=uuid.uuid4().hex, deposit_id=row.id, file_name=name,
                                          content_type=content_type, size=len(data), sha256=digest, key_id=key_id,
                                          uploaded_by=principal.id)  # fmt: skip
            session.add(evidence)
            session.flush()
            cb.record(session, principal, row, "evidence", row.state, None, evidence=evidence.id, sha256=digest)
            return evidence.id
    except BaseException:
        if created is not None:
            with contextlib.suppress(FileNotFoundError):
                created.unlink()
        raise


def read_evidence(home: Home, principal: Principal, evidence_id: str) -> EvidenceFile:
    """The bytes of one evidence file, for the deposit's learner or its institution (audited)."""
    with session_scope(home.engine) as session:
        found = session.get(CreditBankEvidence, evidence_id) if isinstance(evidence_id, str) else None
        row = session.get(CreditBankDeposit, found.deposit_id) if found is not None else None
        if found is None or row is None or not cb.may_read_deposit(session, principal, row):
            raise cb.not_found(str(evidence_id)[:64])
        record_event(session, actor=principal.id, action="credit_bank_evidence_read",
                     actor_role=cb.roles_text(principal), org_code=row.institution_code,
                     detail={"deposit": row.id, "evidence": found.id, "sha256": found.sha256})  # fmt: skip
        data = open_evidence(home, row.learner_id, found.sha256)
        return EvidenceFile(found.file_name, found.content_type, data)
