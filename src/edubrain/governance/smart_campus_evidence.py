"""Evidence files of smart-campus self-assessments (佐证材料): governed upload and download.

An upload is checked before anything is kept: the assessment must be the uploader's own school's and still
editable, the indicator self-assessed, the size within ``evidence.max_mb`` of the framework, and the content a PDF,
JPEG or PNG by its first bytes (magic numbers; the name and the declared type are not trusted). The bytes are kept
under the home (``<home>/smart-campus-evidence/<sha256[:2]>/<sha256>``, folders 0700, files 0600) and the record,
the workflow event and the audit event are committed together; a refusal stores nothing.

A download is answered to whoever may read the assessment (the school, its district, the city, auditors) and is
audited (``smart_campus_evidence_read``); any other id, guessed or real, answers ``not_found``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from edubrain.analytics.smart_campus import load_framework
from edubrain.analytics.smart_campus.framework import EvidenceRules
from edubrain.errors import InputFileError
from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.scope import Scope
from edubrain.governance.smart_campus import (
    AssessmentNotFound,
    WorkflowError,
    _editable,
    _load,
    _record,
    _refuse_level,
    _roles,
    acting_levels,
    may_read,
)
from edubrain.governance.smart_campus_models import SmartCampusAssessment, SmartCampusEvidence
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.private import private_dir, private_umask

FOLDER = "smart-campus-evidence"
MAGIC: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}
"""Kind -> (the bytes a file of the kind starts with, its content type)."""


@dataclass(frozen=True)
class EvidenceFile:
    """A downloaded evidence file."""

    file_name: str
    content_type: str
    data: bytes


def evidence_rules() -> EvidenceRules:
    """The framework's evidence rules (size limit, allowed kinds)."""
    return load_framework().evidence


def evidence_path(home: Home, sha256: str) -> Path:
    """Where the bytes of a file with this SHA-256 are kept."""
    return home.settings.home / FOLDER / sha256[:2] / sha256


def content_type_of(data: bytes) -> str:
    """The content type of ``data`` by its magic number, among the framework's allowed kinds.

    Raises:
        InputFileError: not a PDF, JPEG or PNG (or a kind the framework does not allow).
    """
    for kind in evidence_rules().types:
        magic, content_type = MAGIC[kind]
        if data.startswith(magic):
            return content_type
    kinds = "、".join(k.upper() for k in evidence_rules().types)
    raise InputFileError(
        f"佐证材料的文件内容不是允许的类型（{kinds}）：按文件头判断，与文件名无关",
        f"The evidence file is not an allowed kind ({', '.join(evidence_rules().types)}), judged by its "
        "first bytes, not its name", allowed=list(evidence_rules().types),
    )  # fmt: skip


def _check_size(size: int) -> None:
    limit = evidence_rules().max_mb
    if size > limit * 1024 * 1024:
        raise InputFileError(
            f"佐证材料过大：{size / 1048576:.1f} MB，上限 {limit:g} MB",
            f"The evidence file is too large: {size / 1048576:.1f} MB, the limit is {limit:g} MB",
            size=size, limit_mb=limit,
        )  # fmt: skip
    if size == 0:
        raise InputFileError("佐证材料为空文件", "The evidence file is empty", size=0)


def _safe_name(name: str) -> str:
    base = Path(name or "evidence").name.strip() or "evidence"
    return base[-200:]


def add_evidence(
    home: Home, principal: Principal, assessment_id: str, indicator_id: str, file_name: str, data: bytes
) -> str:
    """Keep one evidence file for a self-assessed indicator of an editable assessment; return the evidence id.

    Raises:
        AssessmentNotFound: unknown, or outside the principal's read scope.
        AccessDenied: not the school's own administrator.
        WorkflowError: the assessment is frozen (submitted, recommended, approved) or the indicator is not self-assessed.
        InputFileError: too large, empty, or not a PDF/JPEG/PNG by its first bytes. Nothing is stored.
    """
    framework = load_framework()
    if indicator_id not in {i.id for i in framework.self_indicators()}:
        raise WorkflowError(
            f"指标 {indicator_id} 不是自评指标，不能上传佐证材料", f"Indicator {indicator_id} is not self-assessed",
            indicator=indicator_id,
        )  # fmt: skip
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        row = _load(session, scope, assessment_id)
        if "school" not in acting_levels(scope, row.school_code):
            raise _refuse_level(principal, "school", "上传佐证材料", "upload evidence")
        _editable(row)
        _check_size(len(data))
        content_type = content_type_of(data)
        digest = hashlib.sha256(data).hexdigest()
        evidence = SmartCampusEvidence(
            id=uuid.uuid4().hex, assessment_id=row.id, indicator_id=indicator_id, file_name=_safe_name(file_name),
            content_type=content_type, size=len(data), sha256=digest, uploaded_by=principal.id,
            uploaded_at=dt.datetime.now(dt.UTC),
        )  # fmt: skip
        session.add(evidence)
        _record(session, principal, row, "evidence", row.state, "school", evidence=evidence.id, sha256=digest)
        _write(home, digest, data)  # last: a failure above leaves no file; a failure here rolls the records back
        return evidence.id


def _write(home: Home, digest: str, data: bytes) -> None:
    path = evidence_path(home, digest)
    if path.exists():
        return
    private_dir(path.parent)
    temp = path.with_suffix(f".{uuid.uuid4().hex}.part")
    with private_umask():
        temp.write_bytes(data)
    temp.replace(path)


def read_evidence(home: Home, principal: Principal, evidence_id: str) -> EvidenceFile:
    """The bytes of one evidence file for a principal who may read its assessment (audited).

    Raises:
        AssessmentNotFound: no such evidence, or its assessment is outside the principal's scope.
    """
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        evidence = session.get(SmartCampusEvidence, evidence_id)
        row = session.get(SmartCampusAssessment, evidence.assessment_id) if evidence is not None else None
        if evidence is None or row is None or not may_read(scope, row.school_code):
            raise AssessmentNotFound(
                f"没有佐证材料 {evidence_id}（或您无权查看）", f"No evidence file {evidence_id} (or you may not see it)",
                evidence=evidence_id,
            )  # fmt: skip
        path = evidence_path(home, evidence.sha256)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != evidence.sha256:
            raise InputFileError("佐证材料已损坏（哈希不符）", "The evidence file is damaged (hash mismatch)")
        record_event(
            session, actor=principal.id, action="smart_campus_evidence_read", actor_role=_roles(principal),
            org_code=row.school_code, detail={"evidence": evidence.id, "assessment": row.id, "sha256": evidence.sha256},
        )  # fmt: skip
        return EvidenceFile(evidence.file_name, evidence.content_type, data)
