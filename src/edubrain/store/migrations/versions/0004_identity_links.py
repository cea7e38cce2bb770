"""Identity resolution: candidate pairs of student records and the merges decided on them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the identity resolution tables."""
    op.create_table(
        "identity_candidates",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("left_id", sa.String(32), nullable=False, index=True),
        sa.Column("right_id", sa.String(32), nullable=False, index=True),
        sa.Column("left_school", sa.String(16), nullable=False, index=True),
        sa.Column("right_school", sa.String(16), nullable=False, index=True),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("match_weight", sa.Float, nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("found_by", sa.String(128), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.UniqueConstraint("left_id", "right_id", name="uq_identity_candidates_pair"),
    )
    op.create_table(
        "identity_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_id", sa.String(32), sa.ForeignKey("identity_candidates.id"), nullable=True, index=True),
        sa.Column("student_id", sa.String(32), nullable=False, index=True),
        sa.Column("canonical_id", sa.String(32), nullable=False, index=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.String(128), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(128), nullable=True),
    )


def downgrade() -> None:
    """Drop the identity resolution tables."""
    for table in ("identity_merges", "identity_candidates"):
        op.drop_table(table)
