"""Audit trail: hash-chained audit events and the anchor of their head.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Triggers make both tables append-only for ordinary SQL (no UPDATE, DELETE
or TRUNCATE of events, no DELETE of the anchor, the anchor's head and seal
never move back).
Someone allowed to drop triggers can still tamper; ``edubrain audit verify``
is what detects it.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

REWIND = (
    "NEW.last_seq < OLD.last_seq OR NEW.sealed_seq < OLD.sealed_seq "
    "OR (NEW.sealed_seq IS NULL AND OLD.sealed_seq IS NOT NULL)"
)

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor "
    "BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot be deleted'); END",
    f"CREATE TRIGGER audit_anchor_no_rewind BEFORE UPDATE ON audit_anchor WHEN {REWIND} "
    "BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot move back'); END",
]

POSTGRESQL_TRIGGERS = [
    "CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION '% on % refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME; END $$",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON audit_anchor "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_anchor_no_rewind BEFORE UPDATE ON audit_anchor "
    f"FOR EACH ROW WHEN ({REWIND}) EXECUTE FUNCTION audit_refuse_change()",
]


def upgrade() -> None:
    """Create the audit tables, the anchor row (empty chain) and the append-only triggers."""
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(128), nullable=False, index=True),
        sa.Column("actor_role", sa.String(64), nullable=True),
        sa.Column("org_code", sa.String(16), nullable=True),
        sa.Column("action", sa.String(32), nullable=False, index=True),
        sa.Column("dataset", sa.String(64), nullable=True),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("row_count", sa.Integer, nullable=True),
        sa.Column("purpose", sa.String(64), nullable=True),
        sa.Column("minors", sa.Boolean, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    anchor = op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sealed_seq", sa.Integer, nullable=True),
        sa.Column("sealed_hash", sa.String(64), nullable=True),
        sa.Column("sealed_mac", sa.String(64), nullable=True),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(
        anchor,
        [{"id": 1, "last_seq": 0, "last_hash": "0" * 64, "updated_at": dt.datetime.now(dt.UTC)}],
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    """Drop the audit tables (and with them their triggers)."""
    op.drop_table("audit_anchor")
    op.drop_table("audit_events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_refuse_change()")
