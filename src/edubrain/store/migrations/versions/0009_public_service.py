"""Public service (接诉即办): cases (text and contact sealed) and their events.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the public-service tables."""
    op.create_table(
        "public_service_cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("check_salt", sa.String(32), nullable=False),
        sa.Column("check_hash", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False, index=True),
        sa.Column("external_id", sa.String(64), nullable=True, unique=True),
        sa.Column("category", sa.String(32), nullable=True, index=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("text_masked", sa.Text, nullable=False),
        sa.Column("sealed", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("district_code", sa.String(16), nullable=False, index=True),
        sa.Column("school_code", sa.String(16), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("office", sa.String(32), nullable=False, index=True),
        sa.Column("sla_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("response", sa.Text, nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("satisfaction", sa.Integer, nullable=True),
        sa.Column("intake_key", sa.String(64), nullable=True, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "public_service_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("public_service_cases.id"), nullable=False, index=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("office", sa.String(32), nullable=True),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the public-service tables."""
    op.drop_table("public_service_events")
    op.drop_table("public_service_cases")
