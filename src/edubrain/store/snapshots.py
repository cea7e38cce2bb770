"""What a lake table holds at its newest version, and values computed from it, kept per Delta log state.

Opening a Delta table (delta-rs replays the log into a snapshot) costs tens
of milliseconds; a read that needs only the table's version and data files
should not pay it every time. A table's *stamp* is taken from its log folder
alone: the newest log entry's version (from the file names), that entry's
modification time and size, and the folder's inode. Every commit adds a log
entry under a new version number (put-if-absent, see
:mod:`edubrain.store.delta_append`), so a new stamp means a new state and an
unchanged stamp means the version and files read earlier are still the
table's. Taking a stamp is three ``stat`` calls (the log is listed again only
when an entry has come after the newest one seen, see :func:`table_stamp`).

:class:`Snapshots` keeps, per lake:

- the version, data files and row count of each table per stamp
  (:meth:`Snapshots.current`), and of any older version for good
  (:meth:`Snapshots.at`: a committed version never changes);
- values computed from tables (:meth:`Snapshots.memo`), kept while the
  stamps of those tables are unchanged.

It wraps :class:`~edubrain.store.lake.Lake`, which stays the one place that
opens tables.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyarrow.parquet as pq

from edubrain.store.delta_append import latest_version
from edubrain.store.lake import Lake

T = TypeVar("T")
Stamp = tuple[int, int, int, int] | None
"""(log folder inode, newest version, its entry's mtime in ns, its size), or None when the table does not exist."""


@dataclass(frozen=True)
class TableSnapshot:
    """A table as of one version: the version (None: never committed) and its data files."""

    dataset_id: str
    version: int | None
    files: tuple[str, ...]


def table_stamp(lake: Lake, dataset_id: str) -> Stamp:
    """The stamp of a table's Delta log state (see the module docstring); None when there is no table.

    The newest version is found by listing the log once per log folder; after
    that, while the folder is the same (its inode), a ``stat`` of the entry
    after the newest version seen tells whether a commit has come since (Delta
    versions are consecutive: a commit writes ``version + 1`` put-if-absent), so
    a stamp costs three ``stat`` calls and no listing until the table changes.
    """
    log = os.path.join(lake.root, dataset_id, "_delta_log")
    try:
        folder = os.stat(log)
    except FileNotFoundError:
        return None
    version = _newest_version(log, folder.st_ino, lake.table_path(dataset_id))
    if version is None:
        return None
    try:
        entry = os.stat(os.path.join(log, f"{version:020d}.json"))
    except FileNotFoundError:  # the table was replaced since the log was listed: list it again
        _NEWEST.pop(log, None)
        version = latest_version(lake.table_path(dataset_id))
        if version is None:
            return None
        try:
            entry = os.stat(os.path.join(log, f"{version:020d}.json"))
        except FileNotFoundError:
            return None
    return (folder.st_ino, version, entry.st_mtime_ns, entry.st_size)


_NEWEST: dict[str, tuple[int, int]] = {}
"""Log folder -> (its inode, the newest version seen in it), for :func:`_newest_version`."""


def _newest_version(log: str, inode: int, table: Path) -> int | None:
    """The newest version in ``log``: the one seen before when no entry follows it, else listed again."""
    known = _NEWEST.get(log)
    if known is not None and known[0] == inode:
        try:
            os.stat(os.path.join(log, f"{known[1] + 1:020d}.json"))
        except FileNotFoundError:
            return known[1]
    version = latest_version(table)
    if version is not None:
        _NEWEST[log] = (inode, version)
    return version


class Snapshots:
    """Table snapshots and derived values of one lake, cached per Delta log state.

    Args:
        lake: The lake.
        size: Values kept by :meth:`memo` (least recently used dropped first).
    """

    def __init__(self, lake: Lake, size: int = 4096) -> None:
        self.lake = lake
        self.size = size
        self._lock = threading.Lock()
        self._current: dict[str, tuple[Stamp, TableSnapshot]] = {}
        self._versions: OrderedDict[tuple[str, int, int], TableSnapshot] = OrderedDict()
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def current(self, dataset_id: str) -> TableSnapshot:
        """The table at its newest version (the log is checked on every call; the table is opened only when new)."""
        stamp = table_stamp(self.lake, dataset_id)
        found = self._current.get(dataset_id)
        if found is not None and found[0] == stamp:
            return found[1]
        if stamp is None:
            snap = TableSnapshot(dataset_id, None, ())
        else:
            snap = self.at(dataset_id, stamp[1], stamp)
        with self._lock:
            self._current[dataset_id] = (stamp, snap)
        return snap

    def at(self, dataset_id: str, version: int, stamp: Stamp = None) -> TableSnapshot:
        """The table at ``version``, an immutable state, opened once (raises LakeError if there is no such version)."""
        stamp = stamp or table_stamp(self.lake, dataset_id)
        key = (dataset_id, stamp[0] if stamp else -1, version)
        with self._lock:
            found = self._versions.get(key)
            if found is not None:
                self._versions.move_to_end(key)
                return found
        snap = TableSnapshot(dataset_id, version, tuple(self.lake.files(dataset_id, version)))
        with self._lock:
            self._versions[key] = snap
            while len(self._versions) > self.size:
                self._versions.popitem(last=False)
        return snap

    def rows(self, dataset_id: str) -> int:
        """Rows of the table at its newest version, from the Parquet footers (read once per state)."""
        snap = self.current(dataset_id)
        return self.memo(
            (dataset_id,), ("rows", snap.version), lambda: sum(pq.read_metadata(f).num_rows for f in snap.files)
        )

    def memo(
        self,
        tables: tuple[str, ...],
        key: Hashable,
        compute: Callable[[], T],
        keep: Callable[[T], bool] = lambda _: True,
    ) -> T:
        """``compute()`` for ``key``, kept while the log state of every table in ``tables`` is unchanged.

        Args:
            tables: The tables the value is computed from.
            key: What distinguishes this value from others computed from the same tables.
            compute: Computes the value (called outside the lock; two threads may both compute it once).
            keep: Whether a computed value may be kept (a value that must be recomputed each time is not).
        """
        full = (tables, key, tuple(table_stamp(self.lake, d) for d in tables))
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                self.hits += 1
                return self._values[full]  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()
        if not keep(value):
            return value
        with self._lock:
            self._values[full] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


_BY_LAKE: weakref.WeakKeyDictionary[Lake, Snapshots] = weakref.WeakKeyDictionary()
_BY_LAKE_LOCK = threading.Lock()


def snapshots(lake: Lake) -> Snapshots:
    """The :class:`Snapshots` of ``lake`` (one per lake object, dropped with it)."""
    with _BY_LAKE_LOCK:
        found = _BY_LAKE.get(lake)
        if found is None:
            found = _BY_LAKE[lake] = Snapshots(lake)
        return found
