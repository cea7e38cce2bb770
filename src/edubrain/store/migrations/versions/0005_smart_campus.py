"""Smart-campus evaluation (智慧校园达标评定): self-assessments, their workflow events and evidence files.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the smart-campus evaluation tables."""
    op.create_table(
        "smart_campus_assessments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("school_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False, index=True),
        sa.Column("district_code", sa.String(16), nullable=False, index=True),
        sa.Column("school_year", sa.Integer, nullable=False, index=True),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("school_code", "school_year", name="uq_smart_campus_school_year"),
    )
    op.create_table(
        "smart_campus_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id", sa.String(32), sa.ForeignKey("smart_campus_assessments.id"), nullable=False, index=True
        ),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("actor_level", sa.String(16), nullable=False),
        sa.Column("comment", sa.String(1000), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "smart_campus_evidence",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "assessment_id", sa.String(32), sa.ForeignKey("smart_campus_assessments.id"), nullable=False, index=True
        ),
        sa.Column("indicator_id", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(128), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the smart-campus evaluation tables."""
    for table in ("smart_campus_evidence", "smart_campus_events", "smart_campus_assessments"):
        op.drop_table(table)
