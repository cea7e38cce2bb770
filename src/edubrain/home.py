"""The EduBrain home: settings, operational database, lake and key index together.

One ``Home`` per process or request; nothing is opened until it is used.
The home folder and the lake are private to the account running EduBrain
(folders 0700, files 0600: see :mod:`edubrain.store.private`).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, inspect

from edubrain.catalog.registry import Catalog, get_catalog
from edubrain.config import Settings
from edubrain.errors import NotInitialisedError
from edubrain.store import db
from edubrain.store.keyindex import KeyIndex
from edubrain.store.lake import Lake
from edubrain.store.private import private_dir, private_umask


class Home:
    """Access to one EduBrain installation.

    Args:
        settings: Settings; default read from the environment.
        catalog: The catalog; default the packaged one.
    """

    def __init__(self, settings: Settings | None = None, catalog: Catalog | None = None) -> None:
        self.settings = settings or Settings()
        self.catalog = catalog or get_catalog()

    @cached_property
    def engine(self) -> Engine:
        """The operational database engine (the home folder is made, or tightened to, 0700)."""
        private_dir(self.settings.home)
        return db.make_engine(
            self.settings.resolved_database_url,
            pool_size=self.settings.db_pool_size,
            max_overflow=self.settings.db_max_overflow,
        )

    @cached_property
    def lake(self) -> Lake:
        """The lake."""
        return Lake(self.settings.resolved_lake_uri)

    @property
    def index_path(self) -> Path:
        """The key index file, beside the lake."""
        return self.lake.root / "_keyindex.duckdb"

    def key_index(self) -> KeyIndex:
        """Open the key index (close it, or use it as a context manager)."""
        private_dir(self.lake.root)
        with private_umask():
            return KeyIndex(self.index_path, self.lake, self.catalog)

    def ensure_initialised(self) -> None:
        """Raise :class:`NotInitialisedError` unless ``edubrain init`` has run."""
        if not inspect(self.engine).has_table("organisations") or not db.is_current(self.engine):
            raise NotInitialisedError(
                f"EduBrain 尚未初始化（{self.settings.home}）：请先运行 edubrain init",
                f"EduBrain is not initialised ({self.settings.home}): run 'edubrain init' first",
            )

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the lake's writer lock: one writing process at a time; what it writes is private (umask 077)."""
        private_dir(self.lake.root)
        with private_umask(), open(self.lake.root / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
