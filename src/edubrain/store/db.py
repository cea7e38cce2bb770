"""The operational database: engine, sessions and migrations.

SQLite by default (inside ``EDUBRAIN_HOME``); PostgreSQL or any SQLAlchemy
URL through ``EDUBRAIN_DATABASE_URL``. Nothing connects at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from edubrain.store.private import private_file, private_umask

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout.

    An SQLite file is created (or tightened) with mode 0600 before the first
    connection, so its journal files, which SQLite makes with the file's
    mode, are private too.

    For a server database the connection pool holds ``pool_size``
    connections plus up to ``max_overflow`` more under load; connections
    are checked before use and recycled hourly, so a database restart or a
    proxy's idle timeout does not surface as an error.
    """
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=3600)


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite database file of ``url`` with mode 0600 (or tighten it); nothing for in-memory ones."""
    database = make_url(url).database
    if database not in (None, "", ":memory:") and not str(database).startswith("file:"):
        private_file(Path(str(database)))


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the packaged migrations and ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest migration (creating an SQLite file private to its owner)."""
    if make_url(url).get_backend_name() == "sqlite":
        _private_sqlite_file(url)
    with private_umask():
        command.upgrade(alembic_config(url), "head")


def is_current(engine: Engine) -> bool:
    """True when the database has every migration applied."""
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
