"""Credit-bank tables (SQLAlchemy 2): learners, deposits, evidence, events, decisions, status lists, credentials.

Created by migration ``0008``. A learner is linked to K-12 records only by the platform's keyed pseudonym of the
student number (:mod:`edubrain.governance.pseudonyms`); an adult without a K-12 record has none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from edubrain.store.models import Base, utcnow


class CreditBankLearner(Base):
    """A lifelong learner's account (学习者账户); ``principal`` is the user who signs in as the learner."""

    __tablename__ = "credit_bank_learners"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    principal: Mapped[str | None] = mapped_column(String(128), nullable=True, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    k12_pseudonym: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    k12_key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    programme: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(128))


class CreditBankDeposit(Base):
    """One learning outcome deposited (存入) and addressed to one institution for recognition."""

    __tablename__ = "credit_bank_deposits"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("credit_bank_learners.id"), index=True)
    institution_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    formality: Mapped[str] = mapped_column(String(16))
    setting: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    credits_claimed: Mapped[float] = mapped_column(Float)
    completed_on: Mapped[dt.date] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CreditBankEvidence(Base):
    """One evidence file of a deposit (the bytes are sealed under the home, named by their SHA-256)."""

    __tablename__ = "credit_bank_evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    deposit_id: Mapped[str] = mapped_column(ForeignKey("credit_bank_deposits.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(32))
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CreditBankEvent(Base):
    """One workflow step of a deposit (never changed or deleted)."""

    __tablename__ = "credit_bank_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deposit_id: Mapped[str] = mapped_column(ForeignKey("credit_bank_deposits.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CreditBankDecision(Base):
    """An institution's recognition decision (认定) with the rule engine's decision and trail."""

    __tablename__ = "credit_bank_decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    deposit_id: Mapped[str] = mapped_column(ForeignKey("credit_bank_deposits.id"), index=True)
    institution_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    outcome: Mapped[str] = mapped_column(String(16))
    credits_recognised: Mapped[float] = mapped_column(Float)
    category: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ruleset_id: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(32))
    engine_decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    trail: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CreditBankStatusList(Base):
    """A Bitstring Status List the platform publishes; ``credential`` is the signed list credential (JSON)."""

    __tablename__ = "credit_bank_status_lists"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str] = mapped_column(String(255))
    credential: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CreditBankCredential(Base):
    """An issued Open Badges 3.0 credential, its status-list entry and its revocation."""

    __tablename__ = "credit_bank_credentials"
    __table_args__ = (UniqueConstraint("status_list_id", "status_index", name="uq_credit_bank_status_entry"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("credit_bank_learners.id"), index=True)
    deposit_id: Mapped[str | None] = mapped_column(ForeignKey("credit_bank_deposits.id"), nullable=True, index=True)
    decision_id: Mapped[str | None] = mapped_column(ForeignKey("credit_bank_decisions.id"), nullable=True)
    institution_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    type: Mapped[str] = mapped_column(String(64))
    status_list_id: Mapped[str] = mapped_column(ForeignKey("credit_bank_status_lists.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    proof_suite: Mapped[str] = mapped_column(String(32))
    document: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(String(1000), nullable=True)
