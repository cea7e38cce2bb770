"""A roster replacement never goes back in time.

``replace-scope`` retires the organisation's stored rows that the file no
longer carries: a roster of an older school year submitted after a newer
one (a re-run of an interrupted load, a file picked from the wrong folder)
would put last year's pupils back and retire this year's. When the dataset
has a school-year field, a file whose newest school year is older than the
newest stored inside the submitting organisation's scope is refused with a
file-level problem, and nothing is stored.
"""

from __future__ import annotations

import dataclasses

import duckdb
import polars as pl
import pyarrow as pa

from edubrain.catalog.models import Dataset
from edubrain.exchange.problems import PROBLEM_SCHEMA
from edubrain.exchange.validate import Validation
from edubrain.store.delta_append import parquet_list
from edubrain.store.lake import Lake

SCHOOL_YEAR = "school_year"
"""The catalog's name for the field holding the year a school year starts (2024 = 2024-2025)."""
RULE = "roster_older"


def refuse_older_roster(lake: Lake, dataset: Dataset, checked: Validation, allowed: list[str] | None) -> Validation:
    """``checked`` with a file-level ``roster_older`` problem if its newest school year is older than the stored one.

    Args:
        lake: The lake holding the stored rows.
        dataset: The dataset submitted to (unchecked without a ``school_year`` field).
        checked: The validated submission (``replace-scope``).
        allowed: Values of the dataset's organisation field inside the
            submitter's scope; None for the whole city.
    """
    if SCHOOL_YEAR not in dataset.field_names or SCHOOL_YEAR not in checked.rows.columns:
        return checked
    incoming = checked.accepted().get_column(SCHOOL_YEAR).max()
    if incoming is None:
        return checked
    newest = int(incoming)  # type: ignore[arg-type]
    stored = stored_newest_year(lake, dataset, allowed)
    if stored is None or newest >= stored:
        return checked
    column = checked.mapping.columns.get(SCHOOL_YEAR, (0, SCHOOL_YEAR))[1]
    problem = pl.DataFrame(
        {
            "row": [None],
            "column": [column],
            "field": [SCHOOL_YEAR],
            "value": [str(newest)],
            "rule": [RULE],
            "message_zh": [
                f"名册的最新学年 {newest} 早于已存储的学年 {stored}：整体替换不能回到过去的学年，未存储任何数据"
            ],
            "message_en": [
                f"The roster's newest school year {newest} is older than the stored {stored}: "
                "a replacement cannot go back in time; nothing was stored"
            ],
        },
        schema=PROBLEM_SCHEMA,
    )
    return dataclasses.replace(checked, problems=pl.concat([checked.problems, problem], how="vertical_relaxed"))


def stored_newest_year(lake: Lake, dataset: Dataset, allowed: list[str] | None) -> int | None:
    """The newest school year stored for ``dataset`` inside ``allowed`` (None: anywhere), or None if none."""
    files = lake.files(dataset.id)
    if not files:
        return None
    con = duckdb.connect()
    try:
        sql = f'select max("{SCHOOL_YEAR}") from read_parquet({parquet_list(files)})'
        if allowed is not None:
            con.register("inside", pa.table({"code": pa.array(allowed, pa.string())}))
            sql += f' where "{dataset.org_field}" in (select code from inside)'
        row = con.execute(sql).fetchone()
    finally:
        con.close()
    return None if row is None or row[0] is None else int(row[0])
