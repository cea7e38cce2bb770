"""The xAPI Learning Record Store: statements and the agents and activities they mention.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the LRS tables and the indexes of the statement query's filters."""
    op.create_table(
        "lrs_statements",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.String(36), nullable=False, index=True),
        sa.Column("org_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verb_hash", sa.String(64), nullable=False, index=True),
        sa.Column("registration", sa.String(36), nullable=True, index=True),
        sa.Column("learner_pseudonym", sa.String(32), nullable=True),
        sa.Column("object_statement_id", sa.String(36), nullable=True, index=True),
        sa.Column("voiding", sa.Boolean, nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("statement", sa.JSON, nullable=False),
        sa.Column("sealed", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("writer", sa.String(128), nullable=False),
        sa.UniqueConstraint("org_code", "statement_id", name="uq_lrs_statements_org_id"),
    )
    op.create_index("ix_lrs_statements_org_stored", "lrs_statements", ["org_code", "stored", "pk"])
    op.create_index("ix_lrs_statements_learner_stored", "lrs_statements", ["learner_pseudonym", "stored"])
    op.create_table(
        "lrs_statement_refs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_pk", sa.Integer, sa.ForeignKey("lrs_statements.pk"), nullable=False, index=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("is_primary", sa.Boolean, nullable=False),
    )
    op.create_index("ix_lrs_statement_refs_kind_value", "lrs_statement_refs", ["kind", "value"])


def downgrade() -> None:
    """Drop the LRS tables."""
    op.drop_table("lrs_statement_refs")
    op.drop_table("lrs_statements")
