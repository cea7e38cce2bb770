"""A preview of a submitted file with the cells that have problems marked, for the submission page."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.exchange.readers import ROW_COLUMN, SourceTable

HEAD_ROWS = 5
MAX_ROWS = 100


@dataclass(frozen=True)
class Cell:
    """One cell of the preview: its text and, when it has problems, their messages."""

    value: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilePreview:
    """The rows shown: the first few rows and the rows with problems (at most :data:`MAX_ROWS`)."""

    headers: list[Cell]
    rows: list[tuple[int, list[Cell]]]
    total_rows: int


def file_preview(source: SourceTable, problems: pl.DataFrame, lang: str = "zh") -> FilePreview:
    """The first rows of ``source`` and its rows with problems, each cell with its problems' messages.

    Args:
        source: The file as read.
        problems: The validation problems (``row``, ``column`` as written in the file, messages).
        lang: Language of the messages.
    """
    message = "message_en" if lang == "en" else "message_zh"
    located = problems.filter(pl.col("row").is_not_null())
    bad_rows = located.get_column("row").unique().sort().head(MAX_ROWS - HEAD_ROWS)
    frame = source.frame.with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    shown = frame.filter(pl.col(ROW_COLUMN).is_in(bad_rows.implode()) | (pl.int_range(pl.len()) < HEAD_ROWS)).sort(
        ROW_COLUMN
    )
    notes = (
        located.filter(pl.col("row").is_in(shown.get_column(ROW_COLUMN).implode()))
        .group_by("row", "column")
        .agg(pl.col(message))
    )
    by_cell = {(int(r), str(c)): tuple(m) for r, c, m in notes.iter_rows()}
    file_level = problems.filter(pl.col("row").is_null()).group_by("column").agg(pl.col(message))
    by_header = {str(c): tuple(m) for c, m in file_level.iter_rows()}
    headers = [Cell(h, by_header.get(h, ())) for h in source.headers]
    rows = []
    for record in shown.iter_rows(named=True):
        number = int(record[ROW_COLUMN])
        cells = [
            Cell("" if record.get(f"c{i}") is None else str(record[f"c{i}"]), by_cell.get((number, h), ()))
            for i, h in enumerate(source.headers)
        ]
        rows.append((number, cells))
    return FilePreview(headers, rows, source.frame.height)
