"""The credit bank (学分银行): learner accounts, deposits of outcomes, evidence, recognition decisions, credentials.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the credit-bank tables.

    A learner links to K-12 records only by the platform's keyed pseudonym of the student number (nullable: adults
    without a K-12 record). Evidence bytes are sealed under the platform home; only their SHA-256 is kept here.
    """
    op.create_table(
        "credit_bank_learners",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("principal", sa.String(128), nullable=True, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("k12_pseudonym", sa.String(32), nullable=True, unique=True),
        sa.Column("k12_key_id", sa.String(32), nullable=True),
        sa.Column("programme", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "credit_bank_deposits",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("credit_bank_learners.id"), nullable=False, index=True),
        sa.Column("institution_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("formality", sa.String(16), nullable=False),
        sa.Column("setting", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("credits_claimed", sa.Float, nullable=False),
        sa.Column("completed_on", sa.Date, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credit_bank_evidence",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("deposit_id", sa.String(32), sa.ForeignKey("credit_bank_deposits.id"), nullable=False, index=True),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("uploaded_by", sa.String(128), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credit_bank_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("deposit_id", sa.String(32), sa.ForeignKey("credit_bank_deposits.id"), nullable=False, index=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("comment", sa.String(1000), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credit_bank_decisions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("deposit_id", sa.String(32), sa.ForeignKey("credit_bank_deposits.id"), nullable=False, index=True),
        sa.Column("institution_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("credits_recognised", sa.Float, nullable=False),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("ruleset_id", sa.String(64), nullable=False),
        sa.Column("ruleset_version", sa.String(32), nullable=False),
        sa.Column("engine_decision", sa.JSON, nullable=False),
        sa.Column("trail", sa.JSON, nullable=False),
        sa.Column("reason", sa.String(1000), nullable=True),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credit_bank_status_lists",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("credential", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credit_bank_credentials",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("credit_bank_learners.id"), nullable=False, index=True),
        sa.Column("deposit_id", sa.String(32), sa.ForeignKey("credit_bank_deposits.id"), nullable=True, index=True),
        sa.Column("decision_id", sa.String(32), sa.ForeignKey("credit_bank_decisions.id"), nullable=True),
        sa.Column("institution_code", sa.String(16), sa.ForeignKey("organisations.code"), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("status_list_id", sa.String(64), sa.ForeignKey("credit_bank_status_lists.id"), nullable=False),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("proof_suite", sa.String(32), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(128), nullable=True),
        sa.Column("revocation_reason", sa.String(1000), nullable=True),
        sa.UniqueConstraint("status_list_id", "status_index", name="uq_credit_bank_status_entry"),
    )


def downgrade() -> None:
    """Drop the credit-bank tables."""
    for table in (
        "credit_bank_credentials",
        "credit_bank_status_lists",
        "credit_bank_decisions",
        "credit_bank_events",
        "credit_bank_evidence",
        "credit_bank_deposits",
        "credit_bank_learners",
    ):
        op.drop_table(table)
