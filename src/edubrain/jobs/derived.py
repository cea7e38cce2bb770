"""Writing a derived dataset (fitness scores, forecasts, indicators) as one new lake version.

A derived dataset is declared in the catalog like any other, with
``derived_from`` naming its inputs. Each run of the job that computes it
replaces the whole table in one atomic commit, so a reader sees either the
previous run's rows or this run's, never a mix. The commit metadata records
the job and the version of every input it read: that is the dataset's
lineage, answerable from the table's history alone. A dataset read one
subject at a time (the profiles) is written in key order, in small row groups
(:mod:`edubrain.jobs.sorted_write`), so such a read skips the rest by statistics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyarrow as pa
from deltalake import CommitProperties, WriterProperties, write_deltalake

from edubrain.errors import CatalogError
from edubrain.home import Home
from edubrain.jobs.sorted_write import ROW_GROUP_ROWS, sorted_batches, sorted_table
from edubrain.store.lake import lake_schema

CITY = "110000"


def write_derived(
    home: Home,
    dataset_id: str,
    rows: pa.Table | Iterable[pa.Table],
    *,
    job: str,
    inputs: Mapping[str, int | None],
    org: str = CITY,
    sort_by: Sequence[str] = (),
) -> int:
    """Replace the derived dataset ``dataset_id`` with ``rows`` and return the new table version.

    Args:
        home: The EduBrain home.
        dataset_id: A catalog dataset with ``derived_from`` set.
        rows: The dataset's fields (extra columns are an error; lineage columns are added here), as one table
            or as an iterable of chunks, which is written streaming: only one chunk is in memory at a time.
        job: The job's name, kept in the commit metadata.
        inputs: Version read of each input dataset (``None`` when it had no version).
        org: The organisation the rows are attributed to (the city by default).
        sort_by: Columns to write the rows in order of (e.g. the primary key), in row groups of
            :data:`~edubrain.jobs.sorted_write.ROW_GROUP_ROWS`; chunks are then sorted out of core before the
            write (:func:`~edubrain.jobs.sorted_write.sorted_batches`). Empty: as given, default row groups.

    Returns:
        The lake version written.
    """
    dataset = home.catalog.dataset(dataset_id)
    if not dataset.derived_from and not dataset.exported_from:
        raise CatalogError(
            f"数据集 {dataset_id} 不是派生数据集（目录中未声明 derived_from 或 exported_from）",
            f"dataset {dataset_id} is not a derived dataset (no derived_from or exported_from in the catalog)",
        )
    lineage = json.dumps({"job": job, "inputs": dict(sorted(inputs.items()))}, sort_keys=True)
    batch_id = uuid.uuid4().hex
    source = hashlib.sha256(lineage.encode()).hexdigest()
    now = dt.datetime.now(dt.UTC)
    schema = lake_schema(dataset)
    unknown = sorted(set(sort_by) - set(dataset.field_names))
    if unknown:
        raise CatalogError(
            f"派生数据集 {dataset_id} 没有排序列 {unknown}",
            f"derived dataset {dataset_id} has no sort columns {unknown}",
            dataset=dataset_id,
        )
    if isinstance(rows, pa.Table):
        _check_columns(dataset_id, dataset.field_names, rows.column_names)
        if sort_by:
            rows = sorted_table(rows, sort_by)
    chunks = [rows] if isinstance(rows, pa.Table) else rows

    def tables() -> Iterator[pa.Table]:
        for chunk in chunks:
            _check_columns(dataset_id, dataset.field_names, chunk.column_names)
            n = chunk.num_rows
            table = chunk.select(dataset.field_names)
            table = table.append_column("_batch_id", pa.array([batch_id] * n, pa.string()))
            table = table.append_column("_org", pa.array([org] * n, pa.string()))
            table = table.append_column("_ingested_at", pa.array([now] * n, pa.timestamp("us", tz="UTC")))
            table = table.append_column("_source_sha256", pa.array([source] * n, pa.string()))
            yield table.cast(schema)

    metadata = {"edubrain.batch_id": batch_id, "edubrain.job": job, "edubrain.lineage": lineage, "edubrain.org": org}
    path = home.lake.table_path(dataset_id)
    ordered: Iterator[pa.RecordBatch] = (batch for table in tables() for batch in table.to_batches())
    if sort_by and not isinstance(rows, pa.Table):  # chunks: sorted out of core (a table was sorted above)
        ordered = sorted_batches(tables(), schema, sort_by, home.settings.home)
    # Snappy as the writer's default (properties given without a codec would leave the file uncompressed).
    properties = WriterProperties(compression="SNAPPY", max_row_group_size=ROW_GROUP_ROWS if sort_by else None)
    with home.write_lock():
        write_deltalake(
            str(path),
            pa.RecordBatchReader.from_batches(schema, ordered),
            mode="overwrite",
            schema_mode="overwrite",
            commit_properties=CommitProperties(custom_metadata=metadata),
            writer_properties=properties,
        )
        version = home.lake.version(dataset_id)
    assert version is not None
    return version


def _check_columns(dataset_id: str, expected: list[str], given: list[str]) -> None:
    unknown = sorted(set(given) - set(expected))
    missing = sorted(set(expected) - set(given))
    if unknown or missing:
        raise CatalogError(
            f"派生数据集 {dataset_id} 的列与目录不符：多余 {unknown}，缺少 {missing}",
            f"derived dataset {dataset_id} columns do not match the catalog: extra {unknown}, missing {missing}",
            dataset=dataset_id,
        )


def computed_from(home: Home, dataset_id: str) -> dict[str, int | None] | None:
    """The input versions recorded in the lineage of the current version of ``dataset_id`` (``None`` if never written).

    The newest commit with lineage (:func:`write_derived` records it) names what the dataset was computed from.
    """
    if home.lake.version(dataset_id) is None:
        return None
    for entry in home.lake.history(dataset_id):
        lineage = entry.get("edubrain.lineage")
        if lineage:
            recorded = json.loads(lineage).get("inputs", {})
            return {k: None if v is None else int(v) for k, v in recorded.items()}
    return None
