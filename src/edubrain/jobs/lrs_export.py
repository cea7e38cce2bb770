"""The LRS export: the learning record store's statements as the lake dataset ``learning_statements``.

Reads ``lrs_statements`` (the operational table of :mod:`edubrain.lrs`) in chunks of :data:`CHUNK` rows, only
the pseudonymous copy and the indexed columns, never the sealed exact statement: pupils reach the lake under
their keyed student pseudonym alone. Each chunk's fields are pulled out of the statement JSON in one DuckDB query
(``json_extract_string``; an ISO 8601 duration turned into seconds by pattern), and the chunks are written as one
new version of ``learning_statements`` (whole-table replace, so statements deleted under the retention policy
leave the current version). The lineage records the highest statement row read (``lrs_statements`` → its
``pk``). After the write, versions older than the new one are vacuumed away, so a deleted statement does not
live on in the table's history (the dataset keeps no time travel; docs/lrs.md says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa
from deltalake import DeltaTable
from sqlalchemy import Text, cast, func, select

from edubrain.home import Home
from edubrain.jobs.derived import write_derived
from edubrain.lrs.models import LrsStatement

JOB = "lrs_export"
DATASET = "learning_statements"
KNOWLEDGE_POINT = "https://edubrain.example/xapi/extensions/knowledge-point"
"""The activity definition extension that names a knowledge point (docs/adaptive-learning.md)."""
CHUNK = 50_000

_EXTRACT = f"""
select
    org_code as school_code,
    statement_id,
    learner_pseudonym as student_pseudonym,
    strftime(stored, '%Y-%m-%dT%H:%M:%S.%gZ') as stored,
    json_extract_string(doc, '$.timestamp') as event_time,
    try_cast(left(json_extract_string(doc, '$.timestamp'), 10) as date) as event_date,
    json_extract_string(doc, '$.verb.id') as verb_id,
    case when coalesce(json_extract_string(doc, '$.object.objectType'), 'Activity') = 'Activity'
         then json_extract_string(doc, '$.object.id') end as activity_id,
    json_extract_string(doc, '$.object.definition.type') as activity_type,
    json_extract_string(doc, '$.object.definition.extensions."{KNOWLEDGE_POINT}"') as knowledge_point,
    registration,
    try_cast(json_extract_string(doc, '$.result.success') as boolean) as success,
    try_cast(json_extract_string(doc, '$.result.completion') as boolean) as completion,
    try_cast(json_extract_string(doc, '$.result.score.scaled') as double) as score_scaled,
    try_cast(json_extract_string(doc, '$.result.score.raw') as double) as score_raw,
    case when regexp_full_match(dur, '^P(\\d+(?:\\.\\d+)?D)?(T(\\d+(?:\\.\\d+)?H)?(\\d+(?:\\.\\d+)?M)?(\\d+(?:\\.\\d+)?S)?)?$')
         then coalesce(try_cast(regexp_extract(dur, '(\\d+(?:\\.\\d+)?)D', 1) as double), 0) * 86400
            + coalesce(try_cast(regexp_extract(dur, 'T.*?(\\d+(?:\\.\\d+)?)H', 1) as double), 0) * 3600
            + coalesce(try_cast(regexp_extract(dur, 'T.*?(\\d+(?:\\.\\d+)?)M', 1) as double), 0) * 60
            + coalesce(try_cast(regexp_extract(dur, 'T.*?(\\d+(?:\\.\\d+)?)S', 1) as double), 0)
    end as duration_seconds
from (select *, json_extract_string(doc, '$.result.duration') as dur from chunk)
"""


@dataclass(frozen=True)
class LrsExportRun:
    """What an export wrote: the version and rows of ``learning_statements`` and the last statement row read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def _chunks(home: Home, last_pk: int) -> Iterator[pa.Table]:
    """The valid statements up to row ``last_pk``, ``CHUNK`` at a time, as the dataset's columns."""
    columns = (
        LrsStatement.pk,
        LrsStatement.org_code,
        LrsStatement.statement_id,
        LrsStatement.learner_pseudonym,
        LrsStatement.stored,
        LrsStatement.registration,
        cast(LrsStatement.statement, Text).label("doc"),
    )
    con = duckdb.connect()
    try:
        after = 0
        while True:
            query = (
                select(*columns)
                .where(LrsStatement.pk > after, LrsStatement.pk <= last_pk)
                .where(LrsStatement.voided.is_(False), LrsStatement.voiding.is_(False))
                .order_by(LrsStatement.pk)
                .limit(CHUNK)
            )
            with home.engine.connect() as conn:
                frame = pl.read_database(query, conn, schema_overrides={"stored": pl.Datetime("us", "UTC")})
            if frame.is_empty():
                return
            after = int(frame["pk"].max())  # type: ignore[arg-type]
            con.register("chunk", frame.to_arrow())
            yield con.sql(_EXTRACT).to_arrow_table()
            con.unregister("chunk")
    finally:
        con.close()


def run_lrs_export(home: Home) -> LrsExportRun:
    """Replace ``learning_statements`` with the valid statements stored now, and drop its older versions.

    Returns:
        The version written, its rows and the highest ``lrs_statements`` row read.
    """
    with home.engine.connect() as conn:
        last_pk = int(conn.execute(select(func.coalesce(func.max(LrsStatement.pk), 0))).scalar_one())
    fields = home.catalog.dataset(DATASET).field_names
    rows = 0

    def counted() -> Iterator[pa.Table]:
        nonlocal rows
        for table in _chunks(home, last_pk):
            rows += table.num_rows
            yield table.select(fields)

    version = write_derived(
        home, DATASET, counted(), job=JOB, inputs={"lrs_statements": last_pk}, sort_by=("school_code", "statement_id")
    )
    _forget_history(home)
    return LrsExportRun({DATASET: version}, {DATASET: rows}, {"lrs_statements": last_pk})


def _forget_history(home: Home) -> None:
    """Delete the files of every version before the current one, so removed statements leave the lake."""
    with home.write_lock():
        table = DeltaTable(str(home.lake.table_path(DATASET)))
        table.vacuum(retention_hours=0, dry_run=False, enforce_retention_duration=False)
        table.cleanup_metadata()
