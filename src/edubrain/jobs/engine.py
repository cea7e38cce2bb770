"""The engine that runs lake transforms: DuckDB (embedded default) or Apache Spark, chosen by configuration.

Transforms in ``edubrain.analytics`` are Ibis expressions over Ibis tables;
they never name an engine. A job opens the configured :class:`LakeEngine`,
asks it for the lake tables it needs at a chosen version, builds the
expression and collects the result as Arrow, which the job writes back to
the lake as a new version of a derived dataset
(:func:`edubrain.jobs.derived.write_derived`).

Both engines read the same Parquet files of the same Delta version (the
file list comes from the Delta log), so a parity test that runs one
transform on both compares like with like.
"""

from __future__ import annotations

import abc
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

import ibis
import pyarrow as pa

from edubrain.catalog.models import Dataset
from edubrain.config import Settings
from edubrain.errors import ConfigurationError
from edubrain.store.lake import Lake, lake_schema

if TYPE_CHECKING:
    from ibis.expr.types import Table

_names = itertools.count()


class LakeEngine(Protocol):
    """What a job needs from an engine."""

    name: str

    def table(self, lake: Lake, dataset: Dataset, version: int | None = None) -> Table:
        """The lake table of ``dataset`` at ``version`` (newest when ``None``) as an Ibis table."""
        ...

    def history(self, files: list[str]) -> Table:
        """The rows of the given data files (of one dataset) with a ``_file`` column: each row's file name.

        Used for history inputs: every file that was ever part of a table, each counted once.
        """
        ...

    def arrow(self, data: pa.Table) -> Table:
        """An in-memory Arrow table (a small parameter table, a scoring table) as an Ibis table."""
        ...

    def collect(self, expr: Table) -> pa.Table:
        """Run ``expr`` and return its rows as Arrow."""
        ...

    def batches(self, expr: Table, rows: int = 500_000) -> Iterator[pa.Table]:
        """Run ``expr`` and yield its rows in chunks of at most ``rows``.

        DuckDB streams the chunks out of one query; Spark collects the result on the driver first.
        """
        ...

    def close(self) -> None:
        """Release the engine's resources."""
        ...


class _IbisEngine(abc.ABC):
    """Shared behaviour: tables from Parquet file lists, results as Arrow; each engine says how it reads Parquet."""

    name = ""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def table(self, lake: Lake, dataset: Dataset, version: int | None = None) -> Table:
        files = lake.files(dataset.id, version)
        if not files:
            return self.arrow(lake_schema(dataset).empty_table())
        return self._read_parquet(files, f"{dataset.id}_{next(_names)}", with_path=False)

    def history(self, files: list[str]) -> Table:
        table = self._read_parquet(files, f"history_{next(_names)}", with_path=True)
        return table.mutate(_file=table["_path"].re_extract(r"([^/]+)$", 1)).drop("_path")

    @abc.abstractmethod
    def _read_parquet(self, files: list[str], name: str, *, with_path: bool) -> Table:
        """The rows of ``files`` as the table ``name``; with ``with_path``, a ``_path`` column names each row's file."""

    def arrow(self, data: pa.Table) -> Table:
        return ibis.memtable(data)

    def collect(self, expr: Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)

    def batches(self, expr: Table, rows: int = 500_000) -> Iterator[pa.Table]:
        reader = self.backend.to_pyarrow_batches(expr, chunk_size=rows)
        for batch in reader:
            if batch.num_rows:
                yield pa.Table.from_batches([batch])

    def close(self) -> None:
        self.backend.disconnect()


class DuckDBEngine(_IbisEngine):
    """DuckDB in this process: the embedded default."""

    name = "duckdb"

    def __init__(self) -> None:
        super().__init__(ibis.duckdb.connect())

    def _read_parquet(self, files: list[str], name: str, *, with_path: bool) -> Table:
        if with_path:
            return self.backend.read_parquet(files, table_name=name, filename="_path")
        return self.backend.read_parquet(files, table_name=name)

    def batches(self, expr: Table, rows: int = 500_000) -> Iterator[pa.Table]:
        """The rows of one query, streamed in chunks by DuckDB's own Arrow reader.

        Ibis 12's reader calls ``fetch_record_batch``, which DuckDB 2 no longer has; the compiled query runs
        as a relation on the same connection instead (after Ibis registers the query's in-memory tables), whose
        reader streams without the extra copy a DB-API cursor makes.
        """
        backend = self.backend
        backend._run_pre_execute_hooks(expr)
        schema = expr.schema().to_pyarrow()
        for batch in backend.con.sql(backend.compile(expr)).to_arrow_reader(rows):
            if batch.num_rows:
                yield pa.Table.from_batches([batch]).cast(schema)


class SparkEngine(_IbisEngine):
    """Apache Spark through PySpark: local mode, a cluster master, or Spark Connect (``sc://``)."""

    name = "spark"

    def __init__(self, settings: Settings) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pragma: no cover - pyspark is a declared dependency
            raise ConfigurationError(
                "EDUBRAIN_ENGINE=spark 需要 PySpark：pip install 'edubrain[spark]'",
                "EDUBRAIN_ENGINE=spark needs PySpark: pip install 'edubrain[spark]'",
            ) from exc
        master = settings.spark_master
        builder = SparkSession.builder.appName("edubrain")
        if master.startswith("sc://"):
            builder = builder.remote(master)
        else:
            builder = (
                builder.master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.memory", settings.spark_driver_memory)
                .config("spark.sql.shuffle.partitions", "8")
            )
            if master.startswith("local"):
                builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config(
                    "spark.driver.host", "127.0.0.1"
                )
        # Constraint propagation (inferring filters from every join's constraints) grows with the plan's
        # expressions: on the student profile's ten joins it spent 112 s of a 247 s run optimising; off, 4.6 s.
        # It only adds filters, so results do not change.
        builder = builder.config("spark.sql.constraintPropagation.enabled", "false")
        # Arrow transfer keeps a null a null: without it pandas turns a missing number into NaN, which
        # Spark treats as a value (NaN >= x is true), while DuckDB keeps SQL null.
        session = (
            builder.config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        super().__init__(ibis.pyspark.connect(session))
        self.session = session

    def _read_parquet(self, files: list[str], name: str, *, with_path: bool) -> Table:
        from pyspark.sql import functions

        frame = self.session.read.parquet(*files)
        if with_path:
            frame = frame.withColumn("_path", functions.input_file_name())
        frame.createOrReplaceTempView(name)
        return self.backend.table(name)

    def arrow(self, data: pa.Table) -> Table:
        """An Arrow table as a Spark temporary view, straight from Arrow (no pandas round trip).

        The pandas route turns a missing number into NaN and trips on chunked string columns.
        """
        name = f"arrow_{next(_names)}"
        self.session.createDataFrame(data.combine_chunks()).createOrReplaceTempView(name)
        return self.backend.table(name)

    def close(self) -> None:
        """Keep the session: it is process-wide in local mode and costly to start again."""
        return None


def open_engine(settings: Settings) -> LakeEngine:
    """The engine named by ``settings.engine``."""
    if settings.engine == "spark":
        return SparkEngine(settings)
    return DuckDBEngine()
