"""Settings, read from the environment with the ``EDUBRAIN_`` prefix.

With nothing set, EduBrain runs embedded: the operational database is
SQLite and the lake is a folder of Delta tables, both under
``EDUBRAIN_HOME`` (default ``./var``).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """EduBrain settings.

    Attributes:
        home: Folder holding the embedded database and the lake.
        database_url: SQLAlchemy URL of the operational database; defaults
            to SQLite inside ``home``. For PostgreSQL use
            ``postgresql+psycopg://user@host:5432/db``.
        lake_uri: Folder (or object-store URI) of the lake; defaults to
            ``home/lake``.
        engine: Engine that runs the lake transforms.
        lang: Language of CLI messages, ``zh`` or ``en``.
    """

    model_config = SettingsConfigDict(env_prefix="EDUBRAIN_", env_nested_delimiter="__")

    home: Path = Path("var")
    database_url: str | None = None
    lake_uri: str | None = None
    engine: Literal["duckdb"] = "duckdb"
    lang: Literal["zh", "en"] = "zh"

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL, with the embedded SQLite default filled in."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'edubrain.db').resolve()}"

    @cached_property
    def resolved_lake_uri(self) -> str:
        """The lake location, with the embedded default filled in."""
        if self.lake_uri:
            return self.lake_uri
        return str((self.home / "lake").resolve())
