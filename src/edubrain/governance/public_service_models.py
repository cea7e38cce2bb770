"""Public-service case tables (接诉即办): cases and their events; migration ``0009``.

A case's text and the complainant's name and phone are personal information: they are stored sealed (AES-256-GCM,
:mod:`edubrain.governance.public_service_sealing`); lists read only ``text_masked`` (phone numbers, ID numbers and
names masked). The citizen's check code is kept only as a salted SHA-256.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from edubrain.governance.audit import UTCDateTime
from edubrain.store.models import Base, utcnow


class PublicServiceCase(Base):
    """One request or complaint, where it was routed, its deadline, response and rating."""

    __tablename__ = "public_service_cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    check_salt: Mapped[str] = mapped_column(String(32))
    check_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    category: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    text_masked: Mapped[str] = mapped_column(Text)
    sealed: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(64))
    district_code: Mapped[str] = mapped_column(String(16), index=True)
    school_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    office: Mapped[str] = mapped_column(String(32), index=True)
    sla_due: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), index=True)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)
    intake_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PublicServiceEvent(Base):
    """One step of a case (intake, route, reroute, respond, close, rate); never changed or deleted."""

    __tablename__ = "public_service_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("public_service_cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    office: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
