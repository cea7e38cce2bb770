"""Migration 0008 (the credit bank) goes up from 0007 and back, and creates the tables the models declare."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect

from edubrain.governance import credit_bank_models as models
from edubrain.store.db import alembic_config

TABLES = {
    m.__tablename__: m
    for m in (
        models.CreditBankLearner,
        models.CreditBankDeposit,
        models.CreditBankEvidence,
        models.CreditBankEvent,
        models.CreditBankDecision,
        models.CreditBankStatusList,
        models.CreditBankCredential,
    )
}


def test_credit_bank_migration_goes_up_from_0007_with_the_models_columns_and_down_again(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0007")
    engine = create_engine(database_url)
    try:
        assert not set(TABLES) & set(inspect(engine).get_table_names())
        command.upgrade(config, "0008")
        inspector = inspect(engine)
        for name, model in TABLES.items():
            stored = {c["name"] for c in inspector.get_columns(name)}
            assert stored == {c.name for c in model.__table__.columns}, name
        learner = {c["name"]: c for c in inspector.get_columns("credit_bank_learners")}
        assert learner["k12_pseudonym"]["nullable"]  # an adult without a K-12 record
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("credit_bank_credentials")}
        assert ("status_list_id", "status_index") in uniques
        command.downgrade(config, "0007")
        assert not set(TABLES) & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
