"""Tables as downloadable files: CSV (UTF-8 with BOM, for Excel), XLSX, Parquet and JSON Lines.

CSV and XLSX are opened by spreadsheet programs: their text cells are defused
against formula injection by :mod:`edubrain.governance.export_safety`
(Parquet and JSON Lines are data for programs and keep every value as stored).
"""

from __future__ import annotations

import io
from typing import Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from fastapi.responses import Response
from openpyxl import Workbook

from edubrain.api.errors import ApiError
from edubrain.governance.export_safety import safe_csv, xlsx_row

TableFormat = Literal["csv", "xlsx", "parquet", "jsonl"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "jsonl": "application/x-ndjson",
}
XLSX_MAX_ROWS = 1_048_575
"""Excel's limit of rows per sheet, less the header."""


def file_content(media: str) -> dict[str, dict[str, object]]:
    """The OpenAPI ``content`` of a file response of media type ``media``."""
    return {media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}}


def table_bytes(table: pa.Table, fmt: TableFormat) -> bytes:
    """``table`` written as ``fmt``.

    Raises:
        ApiError: an XLSX would have more rows than Excel can hold.
    """
    if fmt == "parquet":
        sink = io.BytesIO()
        pq.write_table(table, sink)
        return sink.getvalue()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if fmt == "csv":
        return safe_csv(frame)
    if fmt == "jsonl":
        return frame.write_ndjson().encode("utf-8")
    return _xlsx(frame)


def _xlsx(frame: pl.DataFrame) -> bytes:
    if frame.height > XLSX_MAX_ROWS:
        raise ApiError(
            400,
            "export_too_large",
            f"共 {frame.height} 行，超过 Excel 单表上限 {XLSX_MAX_ROWS} 行；请改用 CSV 或 Parquet，或加筛选条件",
            f"{frame.height} rows exceed Excel's {XLSX_MAX_ROWS} rows per sheet; use CSV or Parquet, or filter",
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(xlsx_row(sheet, frame.columns))
    for row in frame.with_columns(pl.selectors.datetime().dt.replace_time_zone(None)).iter_rows():
        sheet.append(xlsx_row(sheet, row))
    sink = io.BytesIO()
    book.save(sink)
    return sink.getvalue()


def file_response(content: bytes, fmt: TableFormat, filename: str, headers: dict[str, str] | None = None) -> Response:
    """A download of ``content`` named ``filename`` (UTF-8 file names per RFC 6266)."""
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition, **(headers or {})}
    )
