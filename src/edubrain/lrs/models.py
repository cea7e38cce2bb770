"""The LRS's operational tables (SQLAlchemy 2), created by migration ``0006``; these models must match it.

One row per stored statement in ``lrs_statements``: the columns the query filters need (hashed IRIs, pseudonyms,
registration, stored time, StatementRef target, voided flag), the pseudonymous copy in clear and the exact
statement sealed (:mod:`edubrain.lrs.sealing`). ``lrs_statement_refs`` lists the agents (pseudonyms) and
activities (SHA-256 of the IRI) of each statement for the ``agent`` and ``activity`` filters.

Statement ids are unique per organisation (the school whose credential stored them): one school can neither
overwrite nor detect another school's statement by reusing its id. ``lrs_documents`` (migration ``0007``) holds the
State, Activity Profile and Agent Profile documents, keyed the same way per organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from edubrain.governance.audit import UTCDateTime
from edubrain.store.models import Base


class LrsStatement(Base):
    """One stored xAPI statement."""

    __tablename__ = "lrs_statements"
    __table_args__ = (
        UniqueConstraint("org_code", "statement_id", name="uq_lrs_statements_org_id"),
        Index("ix_lrs_statements_org_stored", "org_code", "stored", "pk"),
        Index("ix_lrs_statements_learner_stored", "learner_pseudonym", "stored"),
        Index("ix_lrs_statements_target_org", "object_statement_id", "org_code"),  # migration 0007
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statement_id: Mapped[str] = mapped_column(String(36), index=True)
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    stored: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    verb_hash: Mapped[str] = mapped_column(String(64), index=True)
    registration: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    learner_pseudonym: Mapped[str | None] = mapped_column(String(32), nullable=True)
    object_statement_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    voiding: Mapped[bool] = mapped_column(Boolean, default=False)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    sealed: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(32))
    writer: Mapped[str] = mapped_column(String(128))


class LrsStatementRef(Base):
    """An agent (``agent``: pseudonym) or activity (``activity``: SHA-256 of its id) a statement mentions."""

    __tablename__ = "lrs_statement_refs"
    __table_args__ = (Index("ix_lrs_statement_refs_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statement_pk: Mapped[int] = mapped_column(ForeignKey("lrs_statements.pk"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(64))
    is_primary: Mapped[bool] = mapped_column(Boolean)


DOCUMENT_KEY = ("org_code", "kind", "activity_hash", "agent_pseudonym", "registration", "document_id")
"""The columns of a document's address, unique together."""


class LrsDocument(Base):
    """One State, Activity Profile or Agent Profile document (xAPI 1.0.3 Communication §2.2, 9274.1.1 §4.1.6).

    The key is (``org_code``, ``kind``, ``activity_hash``, ``agent_pseudonym``, ``registration``, ``document_id``);
    a part a resource does not use is the empty string, never NULL, so the key is unique on SQLite and PostgreSQL
    alike. ``content`` is sealed (:func:`edubrain.lrs.sealing.seal_bytes`); ``etag`` is the SHA-1 of the plain bytes.
    """

    __tablename__ = "lrs_documents"
    __table_args__ = (
        UniqueConstraint(*DOCUMENT_KEY, name="uq_lrs_documents_key"),
        Index("ix_lrs_documents_learner", "learner_pseudonym"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    activity_hash: Mapped[str] = mapped_column(String(64))
    agent_pseudonym: Mapped[str] = mapped_column(String(32))
    learner_pseudonym: Mapped[str | None] = mapped_column(String(32), nullable=True)
    registration: Mapped[str] = mapped_column(String(36))
    document_id: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(32))
    etag: Mapped[str] = mapped_column(String(40))
    updated: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    writer: Mapped[str] = mapped_column(String(128))
