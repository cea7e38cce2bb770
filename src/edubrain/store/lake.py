"""The lake: one Delta table per dataset, one table version per committed batch.

Tables are written with ``deltalake`` (delta-rs): a commit is atomic (the
data files are written first, then one log entry makes them visible), so a
process killed mid-commit leaves the previous version. Reads go through
pyarrow over the files of the chosen version; DuckDB's own ``delta``
extension is not used because it is downloaded at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from edubrain.catalog.models import Dataset, FieldSpec
from edubrain.errors import LakeError
from edubrain.store import delta_append
from edubrain.store.delta_append import parquet_list

LINEAGE_FIELDS: list[pa.Field] = [
    pa.field("_batch_id", pa.string()),
    pa.field("_org", pa.string()),
    pa.field("_ingested_at", pa.timestamp("us", tz="UTC")),
    pa.field("_source_sha256", pa.string()),
]
"""Columns every stored row carries: which batch, organisation, time and file brought it."""

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "code": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}
CHECKPOINT_EVERY = 50


def arrow_type(spec: FieldSpec) -> pa.DataType:
    """The lake column type of a catalog field."""
    return _ARROW_TYPES[spec.type]


def lake_schema(dataset: Dataset) -> pa.Schema:
    """The lake table schema of ``dataset``: its fields, then the lineage columns."""
    fields = [pa.field(f.name, arrow_type(f)) for f in dataset.fields]
    return pa.schema([*fields, *LINEAGE_FIELDS])


class Lake:
    """A folder of versioned dataset tables.

    Args:
        root: The lake folder (``EDUBRAIN_HOME/lake`` by default).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def table_path(self, dataset_id: str) -> Path:
        """Where the table of ``dataset_id`` lives."""
        return self.root / dataset_id

    def _table(self, dataset_id: str, version: int | None = None) -> DeltaTable | None:
        try:
            return DeltaTable(str(self.table_path(dataset_id)), version=version)
        except TableNotFoundError:
            return None
        except Exception as exc:  # delta-rs reports a missing version as a generic error
            if version is not None:
                raise LakeError(
                    f"数据集 {dataset_id} 没有版本 {version}",
                    f"Dataset {dataset_id} has no version {version}",
                    dataset=dataset_id,
                    version=version,
                ) from exc
            raise

    def version(self, dataset_id: str) -> int | None:
        """The newest version of the table, or None if nothing was ever committed."""
        table = self._table(dataset_id)
        return None if table is None else table.version()

    def files(self, dataset_id: str, version: int | None = None) -> list[str]:
        """The data files that make up the table at ``version`` (default the newest); empty if none.

        EduBrain's tables have no partitions, deletion vectors or column
        mapping, so these files are exactly the rows of that version.
        """
        table = self._table(dataset_id, version)
        return [] if table is None else list(table.file_uris())

    def read(self, dataset: Dataset, version: int | None = None, columns: list[str] | None = None) -> pa.Table:
        """The table as of ``version`` (default the newest), in the lake schema.

        A dataset with no committed version reads as an empty table.
        """
        schema = lake_schema(dataset)
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        files = self.files(dataset.id, version)
        if not files:
            return schema.empty_table()
        con = duckdb.connect()
        try:
            cols = ", ".join(f'"{c}"' for c in schema.names)
            return con.sql(f"select {cols} from read_parquet({parquet_list(files)})").to_arrow_table().cast(schema)
        finally:
            con.close()

    def count(self, dataset_id: str, version: int | None = None) -> int:
        """Number of rows of the table at ``version``."""
        files = self.files(dataset_id, version)
        return sum(pq.ParquetFile(f).metadata.num_rows for f in files)

    def history(self, dataset_id: str) -> list[dict[str, Any]]:
        """Commit entries of the table, newest first (delta-rs commit info plus EduBrain's metadata)."""
        table = self._table(dataset_id)
        return [] if table is None else table.history()

    def commit(
        self,
        dataset: Dataset,
        upserts: pa.Table,
        delete_keys: pa.Table,
        metadata: dict[str, str],
        *,
        replaces_stored: bool,
    ) -> int:
        """Write one batch as one new table version and return that version.

        Args:
            dataset: The catalog dataset.
            upserts: Full rows (lake schema) to insert, or to replace the
                stored rows with the same primary key.
            delete_keys: Primary-key columns of stored rows to retire.
            metadata: Commit metadata (batch id, organisation, counts);
                kept in the table's log, so a commit can be recognised
                after a crash.
            replaces_stored: Whether some upsert has the key of a stored
                row. When not, and nothing is retired, the batch is a plain
                append, which does not rewrite any stored file.
        """
        path = self.table_path(dataset.id)
        latest = delta_append.latest_version(path)  # writers hold the lake's lock
        upserts = upserts.cast(lake_schema(dataset))
        if latest is None or (delete_keys.num_rows == 0 and not replaces_stored):
            version = delta_append.append(path, latest, upserts, metadata)
        else:
            key = dataset.primary_key
            gone = pa.concat_tables([upserts.select(key), delete_keys.select(key).cast(upserts.select(key).schema)])
            version = delta_append.rewrite(path, upserts, gone, metadata)
        if version and version % CHECKPOINT_EVERY == 0:
            DeltaTable(str(path)).create_checkpoint()
        return version
