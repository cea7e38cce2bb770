"""Rows of a derived dataset in key order, so its Parquet row groups can be skipped by their statistics.

A profile page reads one subject's rows (a pupil's pseudonym, a teacher id,
a school code). When the table is written in key order, in row groups of
:data:`ROW_GROUP_ROWS`, each row group's min/max statistics of the key cover
a narrow range and a reader (DuckDB's Parquet scan, Spark's) skips every row
group whose range cannot hold the key: one subject's read touches one row
group instead of the whole city.

A job that streams its result in chunks (:meth:`edubrain.jobs.engine.LakeEngine.batches`)
cannot always sort in its query: the student profiles get their key, the
keyed pseudonym, only after the query, chunk by chunk. :func:`sorted_batches`
therefore spills the chunks to Parquet files in a private scratch folder of
the home and reads them back through DuckDB's ``order by``, which sorts out
of core (spilling to the same folder) and streams the sorted rows; only one
batch is in this process at a time, on either engine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from edubrain.store.lake import parquet_list
from edubrain.store.private import private_dir, private_umask

ROW_GROUP_ROWS = 16_384
"""Rows per Parquet row group of a key-sorted derived dataset (a few pupils' years of a school per group)."""
SCRATCH = ".sort-scratch"
"""The folder of the home that holds the spilled chunks while they are sorted (removed after each write)."""
SORT_MEMORY = "2GB"
"""DuckDB's memory for the sort; beyond it the sort spills to the scratch folder (the job's query holds the rest)."""
_READ_ROWS = 65_536


def sorted_batches(
    chunks: Iterable[pa.Table], schema: pa.Schema, keys: Sequence[str], home: Path
) -> Iterator[pa.RecordBatch]:
    """The rows of ``chunks`` (each in ``schema``) ordered by ``keys``, as record batches in ``schema``.

    Args:
        chunks: The rows, in any order; consumed to the end before the first batch is yielded.
        schema: The schema of every chunk and of the batches yielded.
        keys: The columns to order by (ascending, nulls last), e.g. the dataset's primary key.
        home: The EduBrain home; the scratch folder is made (0700) inside it and removed afterwards.
    """
    order = ", ".join(f'"{k}"' for k in keys)
    scratch = private_dir(home / SCRATCH)
    with private_umask(), tempfile.TemporaryDirectory(dir=scratch) as folder:
        files: list[str] = []
        for chunk in chunks:
            if chunk.num_rows:
                path = str(Path(folder) / f"part-{len(files):05d}.parquet")
                pq.write_table(chunk, path, row_group_size=_READ_ROWS)
                files.append(path)
        if not files:
            return
        con = duckdb.connect(config={"temp_directory": str(Path(folder) / "duckdb"), "memory_limit": SORT_MEMORY})
        try:
            con.execute("set preserve_insertion_order = true")
            reader = con.sql(f"select * from read_parquet({parquet_list(files)}) order by {order}").to_arrow_reader(
                _READ_ROWS
            )
            for batch in reader:
                if batch.num_rows:
                    yield from pa.Table.from_batches([batch]).cast(schema).to_batches()
        finally:
            con.close()


def sorted_table(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """``table`` ordered by ``keys`` (ascending, nulls last), for a result small enough to sort in memory."""
    return table.sort_by([(k, "ascending", "at_end") for k in keys])
