"""The cockpit's numbers: computed once per lake version and kept until the lake or the batches change.

The counts come through the governance door,
:func:`edubrain.governance.aggregates.count_rows`, as the platform's own
principal :data:`COCKPIT` (the city's node role: city scope, clearance L3,
never unmasks): grouped only by school codes, school years and registration
status codes (it refuses identifying and L4 fields), and nothing but counts
leaves the lake. What a user is shown is then filtered by the user's scope
(:func:`edubrain.analytics.indicators.in_scope`). Reading rows of people is
done only by :func:`edubrain.governance.readpath.read_dataset`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from edubrain.analytics import indicators
from edubrain.governance.aggregates import COUNT, check_countable, count_rows
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.readpath import AccessDenied, ReadResult, grant_rank, level_rank, read_dataset
from edubrain.governance.scope import Viewpoint, viewpoint
from edubrain.governance.state import CITY_CODE, lake_state, memo, records_state, version_of
from edubrain.governance.submissions import batch_table
from edubrain.home import Home

SOURCES = {
    "schools": ["school_code", "name", "district_code"],
    "students": ["school_code", "school_year", "status"],
    "teachers": ["school_code"],
    "classes": ["school_code", "school_year"],
}
"""The lake columns the indicators count by: none identifies a person (checked by :func:`count_rows`)."""
COCKPIT = Principal(id="system:cockpit", name="驾驶舱 cockpit", grants=(Grant("node", CITY_CODE, "city"),), kind="node")
"""The platform's own principal for the cockpit's counts: the city's node (city scope, clearance L3, no unmasking)."""
T = TypeVar("T")
__all__ = ["Viewpoint", "viewpoint"]


@dataclass(frozen=True)
class Snapshot:
    """Indicators of every organisation and the submission batches, as of one lake state."""

    table: pl.DataFrame
    batches: pl.DataFrame
    versions: dict[str, int | None]
    computed_at: float
    stored: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Rows stored per school, per dataset, filled on first use (see :meth:`IndicatorCache.stored`)."""
    by_year: dict[int, pl.DataFrame] = field(default_factory=dict)
    """The indicators of each school year on record (``table`` is the newest's)."""

    @property
    def years(self) -> list[int]:
        """The school years the cockpit can show, oldest first."""
        return sorted(self.by_year)

    def of_year(self, year: int | None) -> tuple[int | None, pl.DataFrame]:
        """The school year shown and its indicators: ``year`` if on record, else the newest (``table``)."""
        if year is not None and year in self.by_year:
            return year, self.by_year[year]
        return (self.years[-1] if self.by_year else None), self.table


class IndicatorCache:
    """Holds the newest :class:`Snapshot`; recomputes when a lake table or the batch table has changed.

    Args:
        recheck_seconds: How long a snapshot is trusted before the lake and
            the database are checked for changes again (the check itself is
            cheap: a ``stat`` per table log and one count query).
    """

    def __init__(self, recheck_seconds: float = 1.0) -> None:
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._snapshot: Snapshot | None = None
        self._checked = 0.0

    def get(self, home: Home) -> Snapshot:
        """The snapshot of ``home``'s current state."""
        now = time.monotonic()
        snap = self._snapshot
        if snap is not None and now - self._checked < self.recheck_seconds:
            return snap
        with self._lock:
            if self._snapshot is not None and time.monotonic() - self._checked < self.recheck_seconds:
                return self._snapshot  # another request has just checked
            key = _state_key(home)
            if self._snapshot is None or key != self._key:
                self._snapshot = compute_snapshot(home)
                self._key = key
            self._checked = time.monotonic()
            return self._snapshot

    def stored(self, home: Home, snapshot: Snapshot, dataset_id: str) -> pl.DataFrame:
        """``school_code``, ``rows``: rows of a school-level dataset stored per school, as of ``snapshot``."""
        found = snapshot.stored.get(dataset_id)
        if found is None:
            with self._lock:
                found = snapshot.stored.get(dataset_id)
                if found is None:
                    found = stored_rows(home, dataset_id, snapshot.versions.get(dataset_id))
                    snapshot.stored[dataset_id] = found
        return found


def stored_rows(home: Home, dataset_id: str, version: int | None = None) -> pl.DataFrame:
    """``school_code``, ``rows``: rows of ``dataset_id`` per school, counted through governance."""
    return count_rows(home, COCKPIT, dataset_id, ["school_code"], version=version)


def unit_rows(counts: pl.DataFrame) -> pl.DataFrame:
    """One row per counted row (the ``rows`` column expanded), so functions that count rows apply to counts."""
    columns = [c for c in counts.columns if c != COUNT]
    return counts.select(pl.col(columns).repeat_by(pl.col(COUNT))).explode(columns)


def watched(home: Home) -> list[str]:
    """Datasets whose changes renew the snapshot: the indicator sources and every school-level dataset."""
    school_level = [d.id for d in home.catalog.datasets.values() if status_dataset(d.id, home)]
    return list(dict.fromkeys([*SOURCES, *school_level]))


def status_dataset(dataset_id: str, home: Home) -> bool:
    """Whether schools submit ``dataset_id`` (so the submission status of each school means something)."""
    dataset = home.catalog.datasets.get(dataset_id)
    return (
        dataset is not None
        and not dataset.derived
        and dataset.owner_level == "school"
        and "school_code" in dataset.field_names
    )


def _state_key(home: Home) -> tuple[Any, ...]:
    return (*lake_state(home, watched(home)), *records_state(home))


def aggregate_only(home: Home, dataset_id: str, columns: list[str]) -> None:
    """Refuse to count over a column that identifies a person (``pii`` set) or is sensitive (L4).

    The rule of :func:`~edubrain.governance.aggregates.check_countable` at the cockpit's clearance.
    """
    clearance = grant_rank(home, COCKPIT.grants[0].role, None)
    try:
        check_countable(home, home.catalog.dataset(dataset_id), columns, clearance)
    except AccessDenied as exc:
        raise ValueError(f"{exc.en}: read it through read_dataset") from exc


def compute_snapshot(home: Home) -> Snapshot:
    """Count the rows per school through governance, read the batches, and compute every organisation's indicators."""
    schools = pl.from_arrow(read_dataset(home, COCKPIT, "schools").table.select(SOURCES["schools"]))
    assert isinstance(schools, pl.DataFrame)
    counted = {d: unit_rows(count_rows(home, COCKPIT, d, by)) for d, by in SOURCES.items() if d != "schools"}
    batches = read_batches(home)
    districts = pl.DataFrame(
        [
            {"district_code": c.code, "name_zh": c.zh, "name_en": c.en}
            for c in home.catalog.code_table("district").codes
            if not c.legacy
        ]
    )
    activity = indicators.open_error_counts(batches)

    def table_of(year: int | None) -> pl.DataFrame:
        counts = indicators.school_counts(
            schools, counted["students"], counted["teachers"], counted["classes"], school_year=year
        )
        return indicators.indicator_table(counts, activity, districts, CITY_CODE)

    by_year = {y: table_of(y) for y in indicators.school_years(counted["students"], counted["classes"])}
    versions = {d: version_of(home, d) for d in watched(home)}
    return Snapshot(table=table_of(None), batches=batches, versions=versions, computed_at=time.time(), by_year=by_year)


def read_batches(home: Home) -> pl.DataFrame:
    """Every submission batch (organisation, dataset, status, times, number of problems), read as the cockpit."""
    return batch_table(home, COCKPIT)


class DerivedCache:
    """Values computed from lake tables (derived datasets, forecast inputs), kept while those tables are unchanged.

    A thin front on the lake's :meth:`edubrain.store.snapshots.Snapshots.memo`: each value is keyed by the
    caller's key and the Delta log state of the tables it was computed from, so a new version of any of them
    computes it anew. ``namespace`` keeps one app's values apart from another's on the same lake.
    """

    def __init__(self) -> None:
        self.namespace = object()

    def get(
        self,
        home: Home,
        tables: tuple[str, ...],
        key: tuple[Any, ...],
        compute: Callable[[], T],
        keep: Callable[[T], bool] = lambda _: True,
    ) -> T:
        """The value of ``compute()`` for ``key`` as of the current state of ``tables`` (kept if ``keep(value)``)."""
        return memo(home, tables, ("web", id(self.namespace), key), compute, keep)


def shared_read(
    cache: DerivedCache, home: Home, principal: Principal, dataset_id: str, filters: dict[str, Any] | None = None
) -> ReadResult:
    """Read ``dataset_id`` through :func:`read_dataset` once per lake version and kept for the principals it fits.

    For a dataset shared unconditionally (无条件共享) the rows do not depend on
    the reader, only the masking does: on the lowest and highest clearance
    of the reader's grants, capped at the dataset's highest field level. The
    result is therefore kept per (capped clearances, filters, version) and
    served to every principal with the same clearances. For any other
    dataset the grants themselves are part of the key. A read that showed
    personal information unmasked is never kept (it is read, and audited, anew).
    """
    dataset = home.catalog.dataset(dataset_id)
    tables: tuple[str, ...] = (dataset_id,)
    if dataset.sharing == "unconditional" and dataset.aggregate is None:  # an aggregate's small cells depend on scope
        top = max(level_rank(home, f.classification) for f in dataset.fields)
        ranks = [min(grant_rank(home, g.role, None), top) for g in principal.grants]
        who: tuple[Any, ...] = (min(ranks, default=0), max(ranks, default=0))
    else:
        who = tuple(sorted((g.role, g.org_code, g.org_level, g.refs) for g in principal.grants))
        tables = (dataset_id, "schools", "students")  # the row scope reads a district's schools, a class's pupils
    key = ("read", dataset_id, who, tuple(sorted((filters or {}).items())))
    return cache.get(
        home,
        tables,
        key,
        lambda: read_dataset(home, principal, dataset_id, filters=filters),
        keep=lambda result: not result.unmasked_personal,
    )


def derived_cache(state: Any) -> DerivedCache:
    """The app's :class:`DerivedCache` (one per app, in ``app.state``)."""
    if getattr(state, "web_derived", None) is None:
        state.web_derived = DerivedCache()
    return state.web_derived  # type: ignore[no-any-return]
