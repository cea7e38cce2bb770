"""Stored values a scope needs (a district's schools, a class's pupils), read from lake snapshots and kept per state."""

from __future__ import annotations

from edubrain.governance.duck import connection
from edubrain.governance.scope import Lookup
from edubrain.home import Home
from edubrain.store.lake import parquet_list
from edubrain.store.snapshots import snapshots


def stored_lookup(home: Home, dataset_id: str, column: str, by: str) -> Lookup:
    """``column`` of the stored rows of ``dataset_id`` whose ``by`` is one of the comma-separated values asked.

    Kept per state of the table (:meth:`~edubrain.store.snapshots.Snapshots.memo`): a district's schools and a
    teacher's pupils are looked up once per lake version, not once per read.
    """
    snaps = snapshots(home.lake)

    def lookup(values: str) -> list[str]:
        wanted = sorted({v for v in values.split(",") if v})
        files = snaps.current(dataset_id).files
        if not files or not wanted:
            return []
        sql = f'select distinct "{column}" from read_parquet({parquet_list(files)}) where "{by}" in (select unnest(?))'
        found = connection().execute(sql, [wanted]).fetchall()
        return sorted(str(r[0]) for r in found)

    return lambda values: snaps.memo((dataset_id,), ("lookup", column, by, values), lambda: lookup(values))
