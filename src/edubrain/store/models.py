"""Operational state: organisations and submission batches (SQLAlchemy 2 models).

The schema is created and changed only by the Alembic migrations in
``store/migrations``; these models must match them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the operational models."""


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class Organisation(Base):
    """A node of the organisation tree: the city, a district or a school."""

    __tablename__ = "organisations"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # city | district | school
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("organisations.code"), nullable=True)


class SubmissionBatch(Base):
    """One submission of a file to a dataset by an organisation.

    ``status`` is ``pending`` while the batch is being written, then
    ``committed`` (a new lake version), ``unchanged`` (same content as
    stored: no new version), ``rejected`` (validation; nothing stored) or
    ``failed`` (the process stopped before the lake commit).
    """

    __tablename__ = "submission_batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dataset: Mapped[str] = mapped_column(String(64), index=True)
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    lake_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_retired: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
