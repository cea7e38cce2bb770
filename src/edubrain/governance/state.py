"""What has changed: the state of lake tables and of the submission records, for caches in front of governance.

Caches (the cockpit's indicators, derived values the pages compute, kept
pages) keep a value while the tables it came from are unchanged. They ask
here rather than opening the lake's log or the operational database
themselves. A cached value is always one that governance produced.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select

from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch
from edubrain.store.orgs import CITY_CODE
from edubrain.store.snapshots import snapshots, table_stamp

__all__ = ["CITY_CODE", "lake_state", "memo", "records_state", "version_of"]
T = TypeVar("T")


def lake_state(home: Home, dataset_ids: tuple[str, ...] | list[str]) -> tuple[Any, ...]:
    """A value that changes whenever any of the tables changes (their Delta log stamps)."""
    return (str(home.lake.root), *(table_stamp(home.lake, d) for d in dataset_ids))


def records_state(home: Home) -> tuple[int, str]:
    """A value that changes whenever a submission batch is recorded or finished."""
    with session_scope(home.engine) as db:
        count, last = db.execute(select(func.count(SubmissionBatch.id), func.max(SubmissionBatch.finished_at))).one()
    return int(count), str(last)


def version_of(home: Home, dataset_id: str) -> int | None:
    """The newest version of a table (None when it has none)."""
    return snapshots(home.lake).current(dataset_id).version


def memo(
    home: Home,
    tables: tuple[str, ...],
    key: Hashable,
    compute: Callable[[], T],
    keep: Callable[[T], bool] = lambda _: True,
) -> T:
    """``compute()`` kept for ``key`` while ``tables`` are unchanged (and ``keep(value)`` holds)."""
    return snapshots(home.lake).memo(tables, key, compute, keep)
