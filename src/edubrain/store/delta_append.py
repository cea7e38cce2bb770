"""Writing a batch to a Delta table with pyarrow's Parquet writer.

delta-rs writes Parquet through DataFusion; for a plain append, pyarrow's
writer is about twice as fast, and writing two files on two threads halves
that again. The files are made visible by one Delta log entry of their
``add`` actions (with per-file statistics), as delta-rs would write it, so
the atomicity of a commit is unchanged: until the log entry is written the
files are invisible orphans. The entry is written here rather than through
a delta-rs transaction, which needs the table's snapshot (replaying the log,
tens of milliseconds a batch); the writer holds the lake's lock, reads the
newest version from the log's file names and creates the entry only if that
version is still free.

A batch that replaces or retires stored rows is written the same way
(:func:`rewrite`): only the files that hold one of its keys are read, their
other rows are written again with the batch's rows, and one commit removes
the old files and adds the new ones. delta-rs's merge would scan the whole
table for every batch instead.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import CommitProperties, DeltaTable, Schema
from deltalake.transaction import AddAction, create_table_with_add_actions

from edubrain.errors import LakeError

ROWS_PER_FILE = 500_000
_STAT_TEXT_LIMIT = 32


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def file_stats(metadata: pq.FileMetaData, schema: pa.Schema) -> dict[str, Any]:
    """Delta ``add`` statistics (numRecords, nullCount, minValues, maxValues) from Parquet metadata."""
    nulls: dict[str, int] = {}
    lows: dict[str, Any] = {}
    highs: dict[str, Any] = {}
    for col in range(metadata.num_columns):
        name = schema.field(col).name
        nulls[name] = 0
        bounds: list[tuple[Any, Any]] = []
        for group in range(metadata.num_row_groups):
            stats = metadata.row_group(group).column(col).statistics
            if stats is None or not stats.has_null_count:
                nulls.pop(name, None)
                bounds = []
                break
            nulls[name] += stats.null_count
            if stats.has_min_max:
                bounds.append((stats.min, stats.max))
        values = [(_json_value(lo), _json_value(hi)) for lo, hi in bounds]
        if values and all(lo is not None and hi is not None for lo, hi in values):
            low, high = min(v[0] for v in values), max(v[1] for v in values)
            if not (isinstance(high, str) and (len(high) > _STAT_TEXT_LIMIT or len(low) > _STAT_TEXT_LIMIT)):
                lows[name], highs[name] = low, high
    return {"numRecords": metadata.num_rows, "nullCount": nulls, "minValues": lows, "maxValues": highs}


def _write_part(folder: Path, part: pa.Table) -> AddAction:
    name = f"part-{uuid.uuid4().hex}.snappy.parquet"
    path = folder / name
    pq.write_table(part, path, compression="snappy")
    metadata = pq.read_metadata(path)
    return AddAction(
        path=name,
        size=path.stat().st_size,
        partition_values={},
        modification_time=int(time.time() * 1000),
        data_change=True,
        stats=json.dumps(file_stats(metadata, part.schema)),
    )


def latest_version(table_path: Path) -> int | None:
    """The newest committed version of a table, read from its log's file names (None: no table yet).

    Listing the log costs far less than opening the table (which replays the
    log into a snapshot); a writer holding the lake's lock needs only this.
    """
    try:
        names = os.listdir(table_path / "_delta_log")
    except FileNotFoundError:
        return None
    versions = [int(n[:20]) for n in names if len(n) == 25 and n.endswith(".json") and n[:20].isdigit()]
    return max(versions) if versions else None


def append(
    table_path: Path,
    version: int | None,
    data: pa.Table,
    metadata: dict[str, str],
    removes: list[dict[str, Any]] | None = None,
) -> int:
    """Write ``data`` as new Parquet files and commit them as one Delta version; returns that version.

    Args:
        table_path: The table's folder.
        version: The table's newest version, or None to create the table with this commit.
        data: The rows, in the table's schema.
        metadata: Commit metadata (EduBrain's), kept in the commit's ``commitInfo``.
        removes: ``remove`` actions of stored files the same commit drops
            (their rows are replaced by ``data``); needs an existing table.
    """
    table_path.mkdir(parents=True, exist_ok=True)
    parts = max(1, min(os.cpu_count() or 1, math.ceil(data.num_rows / ROWS_PER_FILE)))
    size = math.ceil(data.num_rows / parts) if data.num_rows else 0
    slices = [data.slice(i * size, size) for i in range(parts)] if size else [data]
    if not data.num_rows and removes:
        slices = []  # every stored row of the removed files is retired
    with ThreadPoolExecutor(max(1, len(slices))) as pool:
        adds = list(pool.map(lambda part: _write_part(table_path, part), slices))
    if version is None:
        props = CommitProperties(custom_metadata=metadata)
        schema = Schema.from_arrow(data.schema)
        create_table_with_add_actions(str(table_path), schema, adds, mode="append", commit_properties=props)
        return 0
    actions = [{"add": _add_entry(a)} for a in adds] + [{"remove": r} for r in removes or []]
    _commit(table_path, version + 1, actions, metadata)
    return version + 1


def _add_entry(action: AddAction) -> dict[str, Any]:
    return {
        "path": action.path,
        "partitionValues": {},
        "size": action.size,
        "modificationTime": action.modification_time,
        "dataChange": True,
        "stats": action.stats,
    }


def _commit(table_path: Path, version: int, actions: list[dict[str, Any]], metadata: dict[str, str]) -> None:
    """Write the log entry of ``version``: atomic, and refused if that version exists (put-if-absent).

    The entry is what delta-rs writes for an append (``WRITE``, mode
    ``Append``, EduBrain's metadata in ``commitInfo``); the temporary file is
    linked to its final name, so a reader sees all of it or nothing.
    """
    info = {
        "timestamp": int(time.time() * 1000),
        "operation": "WRITE",
        "operationParameters": {"mode": "Append", "partitionBy": "[]"},
        **metadata,
        "clientVersion": "edubrain",
    }
    log = table_path / "_delta_log"
    text = "\n".join(json.dumps(line) for line in [{"commitInfo": info}, *actions]) + "\n"
    staged = log / f"_commit_{uuid.uuid4().hex}.json.tmp"
    staged.write_text(text, encoding="utf-8")
    try:
        os.link(staged, log / f"{version:020d}.json")
    except FileExistsError as exc:
        raise LakeError(
            f"{table_path.name} 的版本 {version} 已由其他写入进程提交",
            f"Version {version} of {table_path.name} was committed by another writer",
            dataset=table_path.name,
            version=version,
        ) from exc
    finally:
        staged.unlink()


def rewrite(table_path: Path, upserts: pa.Table, gone: pa.Table, metadata: dict[str, str]) -> int:
    """Commit ``upserts`` in place of the stored rows with the same key, and drop the rows keyed in ``gone``.

    Args:
        table_path: The table's folder (an existing table).
        upserts: Full rows, in the table's schema.
        gone: Key columns of the stored rows to replace or retire (the
            upserted keys that are stored, and the retired ones).
        metadata: Commit metadata (EduBrain's).

    Returns:
        The committed version.
    """
    table = DeltaTable(str(table_path))
    key = gone.column_names
    stored = {str(table_path / Path(uri).name): Path(uri).name for uri in table.file_uris()}  # no partitions
    on = " and ".join(f'f."{k}" = g."{k}"' for k in key)
    con = duckdb.connect()
    try:
        con.register("gone", gone)
        cols = ", ".join(f'"{k}"' for k in key)
        touched = [
            str(name)
            for (name,) in con.sql(
                f"""select distinct f.filename from
                    (select {cols}, filename from read_parquet({parquet_list(stored)}, filename=true)) f
                    where exists (select 1 from gone g where {on})"""
            ).fetchall()
        ]
        kept = upserts.schema.empty_table()
        if touched:
            names = ", ".join(f'f."{c}"' for c in upserts.column_names)
            kept = con.sql(
                f"select {names} from read_parquet({parquet_list(touched)}) f "
                f"where not exists (select 1 from gone g where {on})"
            ).to_arrow_table()
    finally:
        con.close()
    now = int(time.time() * 1000)
    removes: list[dict[str, Any]] = [
        {"path": stored[f], "deletionTimestamp": now, "dataChange": True, "extendedFileMetadata": False}
        for f in touched
    ]
    data = pa.concat_tables([kept.cast(upserts.schema), upserts])
    return append(table_path, table.version(), data, metadata, removes)


def parquet_list(files: Iterable[str]) -> str:
    """A DuckDB list literal of file paths, for ``read_parquet``."""
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
