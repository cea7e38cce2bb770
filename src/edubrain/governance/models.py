"""Identity tables: users, role grants, login attempts, refresh tokens, API keys (SQLAlchemy 2).

Created by migration ``0003``; these models must match it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from edubrain.store.models import Base, utcnow


class User(Base):
    """A local account (a person, or a machine client's owner)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    external_subject: Mapped[str | None] = mapped_column(String(300), nullable=True, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RoleGrant(Base):
    """A role held by a user inside an organisation, with optional references (classes, children, self)."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    refs: Mapped[list[Any]] = mapped_column(JSON, default=list)


class LoginAttempt(Base):
    """One login attempt, kept for throttling."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class RefreshToken(Base):
    """A refresh token (only its hash is stored); revocable."""

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RevokedAccessToken(Base):
    """An access token revoked before it expired (by its id)."""

    __tablename__ = "revoked_access_tokens"

    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """An API key of a node client (only its hash is stored)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class IdentityCandidate(Base):
    """A pair of student records that may be the same child (identity resolution), and the decision on it.

    Created by migration ``0004``. ``left_id`` < ``right_id``; ``status`` is ``open``, ``merged`` or
    ``rejected``; ``rule`` says why the pair was scored (``id_number``: same 身份证号; ``model``: Splink).
    """

    __tablename__ = "identity_candidates"
    __table_args__ = (UniqueConstraint("left_id", "right_id", name="uq_identity_candidates_pair"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    left_id: Mapped[str] = mapped_column(String(32), index=True)
    right_id: Mapped[str] = mapped_column(String(32), index=True)
    left_school: Mapped[str] = mapped_column(String(16), index=True)
    right_school: Mapped[str] = mapped_column(String(16), index=True)
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")
    found_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    found_by: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(128), nullable=True)


class IdentityMerge(Base):
    """One merge: ``student_id`` was merged into ``canonical_id``; active until ``undone_at`` is set.

    Created by migration ``0004``. Rows are never deleted: an undo sets ``undone_at``, so the history of
    merges and undos stays readable (and :func:`edubrain.governance.identity_links.links_revision` counts it).
    """

    __tablename__ = "identity_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_id: Mapped[str | None] = mapped_column(ForeignKey("identity_candidates.id"), nullable=True, index=True)
    student_id: Mapped[str] = mapped_column(String(32), index=True)
    canonical_id: Mapped[str] = mapped_column(String(32), index=True)
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    merged_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(500), default="")
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    undone_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
