"""The rows of ``lrs_documents``: find, write (sealed), delete, list ids; no access decisions (see ``documents``).

Writes address only the writer's school (``org_code``); reads take the reader's scope as a SQL condition
(:func:`edubrain.lrs.access.read_scope` on this table's columns). A document's bytes are sealed with
:func:`edubrain.lrs.sealing.seal_bytes`, bound to the organisation and the document's key, so a sealed body copied
to another row does not open.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.orm import Session

from edubrain.governance.pseudonyms import PseudonymKey
from edubrain.lrs import sealing
from edubrain.lrs.concurrency import etag_of
from edubrain.lrs.document_params import DocumentRequest
from edubrain.lrs.models import LrsDocument


def _context(request: DocumentRequest, *, single: bool) -> list[ColumnElement[bool]]:
    """The conditions of the request's context (and document id when ``single``)."""
    where = [
        LrsDocument.kind == request.kind,
        LrsDocument.activity_hash == request.activity_hash,
        LrsDocument.agent_pseudonym == request.agent_pseudonym,
    ]
    if single or request.registration is not None:
        where.append(LrsDocument.registration == (request.registration or ""))
    if single:
        assert request.document_id is not None
        where.append(LrsDocument.document_id == request.document_id)
    return where


def _associated(row: LrsDocument) -> str:
    """The associated data of a row's seal: its organisation and full key (the id hashed to a fixed width)."""
    document = hashlib.sha256(row.document_id.encode("utf-8")).hexdigest()
    return f"document|{row.org_code}|{row.kind}|{row.activity_hash}|{row.agent_pseudonym}|{row.registration}|{document}"


def own(session: Session, org_code: str, request: DocumentRequest) -> LrsDocument | None:
    """The writer's school's document the request names, locked for the rest of the transaction (PostgreSQL)."""
    query = select(LrsDocument).where(LrsDocument.org_code == org_code, *_context(request, single=True))
    return session.scalars(query.with_for_update()).one_or_none()


def write(
    session: Session,
    key: PseudonymKey,
    *,
    org_code: str,
    request: DocumentRequest,
    row: LrsDocument | None,
    content: bytes,
    content_type: str,
    writer: str,
) -> LrsDocument:
    """Store ``content`` as the document (``row``: the one already stored, replaced in place); flushed."""
    if row is None:
        assert request.document_id is not None
        row = LrsDocument(
            kind=request.kind,
            org_code=org_code,
            activity_hash=request.activity_hash,
            agent_pseudonym=request.agent_pseudonym,
            registration=request.registration or "",
            document_id=request.document_id,
        )
        session.add(row)
    moment = dt.datetime.now(dt.UTC)
    row.learner_pseudonym = request.learner_pseudonym
    row.updated = moment.replace(microsecond=moment.microsecond // 1000 * 1000)  # to the millisecond, as shown
    row.content_type = content_type
    row.etag = etag_of(content)
    row.key_id = key.key_id
    row.writer = writer
    row.content = sealing.seal_bytes(content, key, associated=_associated(row))
    session.flush()
    return row


def plain(row: LrsDocument, key: PseudonymKey) -> bytes:
    """The document's bytes, unsealed.

    Raises:
        PseudonymKeyError: sealed under another key, or altered or moved.
    """
    return sealing.unseal_bytes(row.content, key, key_id=row.key_id, associated=_associated(row))


def remove(session: Session, org_code: str, request: DocumentRequest) -> list[str | None]:
    """Delete the writer's school's document(s) the request names; the learner pseudonyms of those deleted."""
    where = [LrsDocument.org_code == org_code, *_context(request, single=request.document_id is not None)]
    gone = list(session.scalars(select(LrsDocument.learner_pseudonym).where(*where)))
    if gone:
        session.execute(delete(LrsDocument).where(*where))
    return gone


def readable(session: Session, scope: ColumnElement[bool], request: DocumentRequest) -> LrsDocument | None:
    """The document the request names inside ``scope`` (the most recently updated if several schools hold one)."""
    query = select(LrsDocument).where(scope, *_context(request, single=True))
    return session.scalars(query.order_by(LrsDocument.updated.desc(), LrsDocument.pk.desc()).limit(1)).first()


def listed(
    session: Session, scope: ColumnElement[bool], request: DocumentRequest
) -> tuple[list[str], dt.datetime | None, list[str | None]]:
    """The ids of the documents in the request's context and ``scope`` updated after ``since`` (exclusive).

    Returns:
        The ids (sorted, each once), the latest ``updated`` among them, and their learner pseudonyms (for audit).
    """
    where = [scope, *_context(request, single=False)]
    if request.since is not None:
        where.append(LrsDocument.updated > request.since)
    query = (
        select(LrsDocument.document_id, func.max(LrsDocument.updated), func.max(LrsDocument.learner_pseudonym))
        .where(and_(*where))
        .group_by(LrsDocument.document_id)
        .order_by(LrsDocument.document_id)
    )
    rows = session.execute(query).all()
    latest = max((r[1] for r in rows), default=None)
    return [r[0] for r in rows], latest, [r[2] for r in rows]
