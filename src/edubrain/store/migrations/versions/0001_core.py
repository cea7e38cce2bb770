"""Core: organisations and submission batches.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the organisation tree and the submission batches."""
    op.create_table(
        "organisations",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=True),
    )
    op.create_table(
        "submission_batches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("dataset", sa.String(64), nullable=False, index=True),
        sa.Column("org_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False, index=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("lake_version", sa.Integer, nullable=True),
        sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_accepted", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_retired", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", sa.JSON, nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    """Drop the core tables."""
    op.drop_table("submission_batches")
    op.drop_table("organisations")
