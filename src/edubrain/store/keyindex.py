"""The key index: the current keys of every dataset, in a DuckDB file beside the lake.

Validation and batch commits need the stored keys (is this student already
stored? does this school exist? which rows does this school own?). Reading
them from the lake for every batch would cost a scan of the whole table per
submission; the index answers in milliseconds. It is a cache, never the
truth: each table records the lake version it reflects and is rebuilt from
the lake whenever that version lags (after a crash between the lake commit
and the index update, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from types import TracebackType

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

from edubrain.catalog.models import Dataset, ReferenceRule
from edubrain.catalog.registry import Catalog
from edubrain.store.lake import Lake

_STATUS = pa.array(["new", "changed", "same"], pa.string())


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def index_columns(dataset: Dataset, catalog: Catalog) -> list[str]:
    """Columns kept for ``dataset``: its key, its organisation field and every field a reference rule points at."""
    cols = [*dataset.primary_key, dataset.org_field]
    for other in catalog.datasets.values():
        for rule in other.rules:
            if isinstance(rule, ReferenceRule) and rule.dataset == dataset.id:
                cols += rule.to
    if dataset.id == "schools":
        cols += ["district_code", "name"]  # scope (a district's schools) and the organisation tree
    return list(dict.fromkeys(cols))


def row_hashes(table: pa.Table, fields: Sequence[str]) -> pa.Array:
    """A 64-bit hash of each row's field values (DuckDB's ``hash``), in row order.

    The hash only has to agree with itself within one installation: the index
    stores the hash of a probe row, and rebuilds itself from the lake when a
    new DuckDB version hashes the probe differently.
    """
    cursor = _hashing_connection().cursor()
    try:
        cursor.register("incoming", table)
        args = ", ".join(_q(f) for f in fields)
        hashed = cursor.sql(f"select hash({args}) as h from incoming").to_arrow_table()
        return hashed.column("h").combine_chunks()
    finally:
        cursor.close()


@lru_cache(maxsize=1)
def _hashing_connection() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process for hashing (made on first use; a cursor per call)."""
    return duckdb.connect()


@lru_cache(maxsize=1)
def _probe_hash() -> str:
    probe = pa.table({"s": ["探针"], "i": [1], "f": [1.5], "d": pa.array([19000], pa.date32()), "n": [None]})
    return str(row_hashes(probe, ["s", "i", "f", "d", "n"])[0].as_py())


class KeyIndex:
    """Open the key index of a lake.

    Args:
        path: The DuckDB file.
        lake: The lake it mirrors.
        catalog: The catalog (which columns to keep).
    """

    def __init__(self, path: Path, lake: Lake, catalog: Catalog) -> None:
        self.path = path
        self.lake = lake
        self.catalog = catalog
        self._known: dict[str, int | None] = {}
        self._stored: dict[str, int | None] = {}
        self.con = duckdb.connect(str(path))
        self.con.execute("create table if not exists _versions (dataset varchar primary key, version bigint)")
        self.con.execute("create table if not exists _meta (key varchar primary key, value varchar)")
        probe = _probe_hash()
        stored = self.con.execute("select value from _meta where key = 'hash_probe'").fetchall()
        if not stored or stored[0][0] != probe:
            self.con.execute("delete from _versions")  # hashes changed: every table is rebuilt on first use
            self.con.execute("insert or replace into _meta values ('hash_probe', ?)", [probe])

    def __enter__(self) -> KeyIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()

    def _stored_version(self, dataset_id: str) -> int | None:
        if dataset_id not in self._stored:
            rows = self.con.execute("select version from _versions where dataset = ?", [dataset_id]).fetchall()
            self._stored[dataset_id] = int(rows[0][0]) if rows else None
        return self._stored[dataset_id]

    def version(self, dataset: Dataset) -> int | None:
        """The lake version of ``dataset`` (read once per session: writers hold the lake's lock)."""
        if dataset.id not in self._known:
            self._known[dataset.id] = self.lake.version(dataset.id)
        return self._known[dataset.id]

    def sync(self, dataset: Dataset) -> None:
        """Rebuild the index of ``dataset`` from the lake if it does not reflect the newest version."""
        version = self.version(dataset)
        if version == self._stored_version(dataset.id):
            return
        cols = index_columns(dataset, self.catalog)
        rows = self.lake.read(dataset, columns=dataset.field_names)
        snapshot = rows.select(cols).append_column("_row_hash", row_hashes(rows, dataset.field_names))
        self.con.execute("begin")
        self.con.register("snap", snapshot)
        self.con.execute(f"create or replace table {_q(dataset.id)} as select * from snap")
        self.con.unregister("snap")
        self._set_version(dataset.id, version)
        self.con.execute("commit")

    def _set_version(self, dataset_id: str, version: int | None) -> None:
        self._stored.pop(dataset_id, None)  # read back after the transaction commits
        self.con.execute("delete from _versions where dataset = ?", [dataset_id])
        if version is not None:
            self.con.execute("insert into _versions values (?, ?)", [dataset_id, version])

    def keys(self, dataset_id: str, fields: Sequence[str]) -> pl.DataFrame | None:
        """Distinct stored values of ``fields``, or None if the dataset has no rows."""
        dataset = self.catalog.dataset(dataset_id)
        self.sync(dataset)
        if self._stored_version(dataset_id) is None:
            return None
        cols = ", ".join(_q(f) for f in fields)
        return pl.from_arrow(self.con.sql(f"select distinct {cols} from {_q(dataset_id)}").to_arrow_table())  # type: ignore[return-value]

    def unmatched(self, dataset_id: str, fields: Sequence[str], candidates: pl.DataFrame) -> pl.DataFrame:
        """The rows of ``candidates`` (columns named as ``fields``) that match no stored row of the dataset.

        The anti-join runs inside DuckDB against the index table, so a batch
        costs a hash join over its own values and only the misses (usually
        none) come back, however large the stored dataset is. Values are
        compared as text, as a submitted file states them.
        """
        dataset = self.catalog.dataset(dataset_id)
        self.sync(dataset)
        if self._stored_version(dataset_id) is None or candidates.is_empty():
            return candidates
        on = " and ".join(f"cast(c.{_q(f)} as varchar) = cast(s.{_q(f)} as varchar)" for f in fields)
        self.con.register("candidates", candidates.select(list(fields)).to_arrow())
        try:
            missing = self.con.sql(
                f"select c.* from candidates c where not exists (select 1 from {_q(dataset_id)} s where {on})"
            ).to_arrow_table()
        finally:
            self.con.unregister("candidates")
        return pl.DataFrame(pl.from_arrow(missing)).cast(candidates.select(list(fields)).schema)

    def owned_elsewhere(self, dataset: Dataset, candidates: pl.DataFrame, owners: Sequence[str]) -> pl.DataFrame:
        """The rows of ``candidates`` (primary key columns) whose stored row's owner is not one of ``owners``.

        The owner is the stored row's organisation field (``school_code``,
        ``district_code``); a stored row without one counts as owned elsewhere.
        Runs inside DuckDB, like :meth:`unmatched`: only the conflicts come back.
        """
        self.sync(dataset)
        key = dataset.primary_key
        if self._stored_version(dataset.id) is None or candidates.is_empty():
            return candidates.clear()
        on = " and ".join(f"cast(c.{_q(k)} as varchar) = cast(s.{_q(k)} as varchar)" for k in key)
        owner = f"s.{_q(dataset.org_field)}"
        self.con.register("candidates", candidates.select(key).to_arrow())
        try:
            found = self.con.sql(
                f"""select c.* from candidates c join {_q(dataset.id)} s on {on}
                    where {owner} is null or cast({owner} as varchar) not in (select unnest(?))""",
                params=[list(owners)],
            ).to_arrow_table()
        finally:
            self.con.unregister("candidates")
        return pl.DataFrame(pl.from_arrow(found)).cast(candidates.select(key).schema)

    def schools_of(self, district_code: str) -> list[str]:
        """School codes of the stored schools of a district."""
        dataset = self.catalog.dataset("schools")
        self.sync(dataset)
        if self._stored_version(dataset.id) is None:
            return []
        rows = self.con.execute(
            f"select school_code from {_q(dataset.id)} where district_code = ? order by school_code", [district_code]
        ).fetchall()
        return [str(code) for (code,) in rows]

    def diff(
        self, dataset: Dataset, incoming: pa.Table, retire_scope: Sequence[str] | None, retire: bool
    ) -> tuple[pa.Array, pa.Table]:
        """Compare incoming rows with the stored ones.

        Args:
            dataset: The catalog dataset (already synced).
            incoming: Primary key columns and ``_row_hash`` of the rows to store.
            retire_scope: Organisation-field values whose rows the submitter
                owns (None: all rows), for ``retire``.
            retire: Whether stored rows of the scope that are not incoming are retired.

        Returns:
            A status per incoming row (``new``, ``changed`` or ``same``) and the
            primary keys of the stored rows to retire.
        """
        self.sync(dataset)
        key = dataset.primary_key
        on = " and ".join(f"i.{_q(k)} = s.{_q(k)}" for k in key)
        exists = self._stored_version(dataset.id) is not None
        n = incoming.num_rows
        self.con.register("inc", incoming.append_column("__i", pa.array(np.arange(n, dtype=np.int64))))
        try:
            if not exists:
                return _STATUS.take(pa.array(np.zeros(n, dtype=np.int8))), pa.table(
                    {k: pa.array([], incoming.schema.field(k).type) for k in key}
                )
            # only the stored keys come back (none for a batch of new rows): no sort, no per-row result
            matched = self.con.sql(
                f"select i.__i, s._row_hash = i._row_hash as same from inc i join {_q(dataset.id)} s on {on}"
            ).to_arrow_table()
            codes = np.zeros(n, dtype=np.int8)  # 0 new, 1 changed, 2 same
            codes[matched.column("__i").to_numpy()] = np.where(matched.column("same").to_numpy(), 2, 1)
            status = _STATUS.take(pa.array(codes))
            if not retire:
                return status, pa.table({k: pa.array([], incoming.schema.field(k).type) for k in key})
            scope = "" if retire_scope is None else f"and s.{_q(dataset.org_field)} in (select unnest(?))"
            params = [] if retire_scope is None else [list(retire_scope)]
            cols = ", ".join(f"s.{_q(k)}" for k in key)
            retired = self.con.sql(
                f"""select {cols} from {_q(dataset.id)} s
                    where not exists (select 1 from inc i where {on}) {scope}""",
                params=params,
            ).to_arrow_table()
            return status, retired
        finally:
            self.con.unregister("inc")

    def apply(
        self, dataset: Dataset, upserts: pa.Table, retired: pa.Table, version: int, *, replaces: bool = True
    ) -> None:
        """Record a committed batch: replace upserted keys, drop retired ones, note the version.

        ``upserts`` must carry the index columns and ``_row_hash``; ``replaces``
        False says none of them is stored yet, which skips looking for them.
        """
        key = dataset.primary_key
        cols = [*index_columns(dataset, self.catalog), "_row_hash"]
        on = " and ".join(f"t.{_q(k)} = x.{_q(k)}" for k in key)
        self.con.execute("begin")
        try:
            if self._stored_version(dataset.id) is None:
                self.con.register("up", upserts.select(cols))
                self.con.execute(f"create or replace table {_q(dataset.id)} as select * from up")
            else:
                self.con.register("up", upserts.select(cols))
                self.con.register("gone", retired.select(key))
                if replaces:
                    self.con.execute(f"delete from {_q(dataset.id)} t where exists (select 1 from up x where {on})")
                if retired.num_rows:
                    self.con.execute(f"delete from {_q(dataset.id)} t where exists (select 1 from gone x where {on})")
                self.con.execute(f"insert into {_q(dataset.id)} select * from up")
            self._set_version(dataset.id, version)
            self.con.execute("commit")
            self._known[dataset.id] = version
        except BaseException:
            self.con.execute("rollback")
            self._stored.pop(dataset.id, None)
            raise
        finally:
            for name in ("up", "gone"):
                try:
                    self.con.unregister(name)
                except duckdb.Error:
                    pass
