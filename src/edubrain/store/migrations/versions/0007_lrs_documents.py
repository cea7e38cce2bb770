"""The xAPI Learning Record Store's documents: State, Activity Profile and Agent Profile resources.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``lrs_documents``: one row per document, unique per organisation and key (no NULL in the key).

    Also index statements by their StatementRef target within a school: the query's recursive step joins on
    (``object_statement_id``, ``org_code``), which SQLite otherwise answers by scanning the school's statements.
    """
    op.create_index("ix_lrs_statements_target_org", "lrs_statements", ["object_statement_id", "org_code"])
    op.create_table(
        "lrs_documents",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("org_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False),
        sa.Column("activity_hash", sa.String(64), nullable=False),
        sa.Column("agent_pseudonym", sa.String(32), nullable=False),
        sa.Column("learner_pseudonym", sa.String(32), nullable=True),
        sa.Column("registration", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("etag", sa.String(40), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("writer", sa.String(128), nullable=False),
        sa.UniqueConstraint(
            "org_code",
            "kind",
            "activity_hash",
            "agent_pseudonym",
            "registration",
            "document_id",
            name="uq_lrs_documents_key",
        ),  # fmt: skip
    )
    op.create_index("ix_lrs_documents_learner", "lrs_documents", ["learner_pseudonym"])


def downgrade() -> None:
    """Drop ``lrs_documents`` and the statements' target index."""
    op.drop_table("lrs_documents")
    op.drop_index("ix_lrs_statements_target_org", table_name="lrs_statements")
