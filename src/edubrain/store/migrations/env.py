"""Alembic environment for EduBrain's operational database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import edubrain.governance.audit  # noqa: F401  (registers the audit tables on Base)
import edubrain.governance.credit_bank_models  # noqa: F401  (the credit-bank tables)
import edubrain.governance.models  # noqa: F401
import edubrain.governance.public_service_models  # noqa: F401  (the public-service cases)
import edubrain.governance.smart_campus_models  # noqa: F401
import edubrain.lrs.models  # noqa: F401  (the LRS tables)
from edubrain.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations online against the configured URL."""
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
