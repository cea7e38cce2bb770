"""Smart-campus evaluation tables (SQLAlchemy 2): assessments, workflow events, evidence; migration ``0005``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from edubrain.store.models import Base, utcnow


class SmartCampusAssessment(Base):
    """One school's self-assessment for one school year, and where it stands in the workflow."""

    __tablename__ = "smart_campus_assessments"
    __table_args__ = (UniqueConstraint("school_code", "school_year", name="uq_smart_campus_school_year"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    school_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"), index=True)
    district_code: Mapped[str] = mapped_column(String(16), index=True)
    school_year: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SmartCampusEvent(Base):
    """One workflow transition (never changed or deleted)."""

    __tablename__ = "smart_campus_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("smart_campus_assessments.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(128))
    actor_level: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SmartCampusEvidence(Base):
    """One evidence file of an assessment (the bytes are kept under the home, named by their SHA-256)."""

    __tablename__ = "smart_campus_evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("smart_campus_assessments.id"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
