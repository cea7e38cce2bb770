"""Reading submitted files into string columns.

Every value is read as text, exactly as the submitter wrote it, so that the
validation report can quote it and nothing (a leading zero, an ``X`` check
character) is lost to type guessing. Typing happens in validation.

Supported: CSV in UTF-8 (with or without BOM) and GBK / GB18030 (detected,
not declared), XLSX (first sheet or a named one), JSON Lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from edubrain.errors import InputFileError
from edubrain.exchange.limits import ReadLimits

ROW_COLUMN = "__row"
"""Name of the column holding each row's number as the user sees it in the file."""
MAX_JSON_INTEGER_DIGITS = 38
"""Most digits of a JSON Lines integer: the widest integer a table column holds (128 bits)."""


@dataclass(frozen=True)
class SourceTable:
    """A submitted file read into memory.

    Attributes:
        frame: One string column per file column (named ``c0``, ``c1`` ...)
            plus ``__row``, the row number as shown by a spreadsheet or editor.
        headers: The headers as written in the file, in file order.
        file_format: ``csv``, ``xlsx`` or ``jsonl``.
        encoding: The detected text encoding (``utf-8``, ``utf-8-sig``, ``gb18030``) or ``binary``.
        sha256: Hash of the file's bytes.
        name: The file name.
    """

    frame: pl.DataFrame
    headers: list[str]
    file_format: str
    encoding: str
    sha256: str
    name: str


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Decode ``data``, detecting UTF-8 (with or without BOM) or GB18030.

    GB18030 is a superset of GBK and GB2312, so GBK files decode with it.

    Returns:
        The encoding name and the decoded text.

    Raises:
        InputFileError: the bytes are neither UTF-8 nor GB18030.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return "utf-8-sig", data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"文件以 UTF-8 BOM 开头，但第 {exc.start + 3} 字节附近不是 UTF-8",
                f"The file starts with a UTF-8 BOM but is not UTF-8 near byte {exc.start + 3}",
                byte=exc.start + 3,
            ) from exc
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "gb18030", data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"无法识别文件编码：第 {exc.start} 字节附近既不是 UTF-8 也不是 GBK/GB18030",
            f"Unrecognised text encoding: near byte {exc.start} the file is neither UTF-8 nor GBK/GB18030",
            byte=exc.start,
        ) from exc


def read_source(path: Path, sheet: str | None = None, limits: ReadLimits | None = None) -> SourceTable:
    """Read a CSV, XLSX or JSON Lines file as text columns.

    Args:
        path: The file. Its suffix chooses the reader (``.csv``, ``.txt``,
            ``.xlsx``, ``.jsonl``, ``.ndjson``).
        sheet: For XLSX, the sheet to read; default the first.
        limits: Caps on columns, rows and (XLSX) inflated size, checked
            before the table is built. None for none: only for files the
            platform wrote itself (the synthetic city's loader); every
            submission (:func:`~edubrain.exchange.ingest.ingest_file`, the API,
            the web form) passes the configured ones.

    Raises:
        InputFileError: the file is missing, empty, of an unknown format,
            unreadable, or over a cap (:class:`~edubrain.exchange.limits.FileTooLargeError`
            for a size cap).
    """
    if not path.is_file():
        raise InputFileError(f"文件不存在：{path}", f"File not found: {path}", file=str(path))
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        encoding, headers, frame = _read_csv(data, path, limits)
    elif suffix == ".xlsx":
        encoding = "binary"
        if limits is not None:
            limits.check_zip(data, path)
        headers, frame = _read_xlsx(data, path, sheet, limits)
    elif suffix in {".jsonl", ".ndjson"}:
        encoding, text = detect_encoding(data)
        headers, frame = _read_jsonl(text, path, limits)
    else:
        raise InputFileError(
            f"不支持的文件格式 {suffix or '（无后缀）'}：支持 .csv、.xlsx、.jsonl",
            f"Unsupported file format {suffix or '(no suffix)'}: use .csv, .xlsx or .jsonl",
            file=str(path),
        )
    if not headers:
        raise InputFileError(f"文件 {path.name} 没有表头", f"File {path.name} has no header row", file=str(path))
    file_format = {".txt": "csv", ".ndjson": "jsonl"}.get(suffix, suffix.lstrip("."))
    return SourceTable(frame, headers, file_format, encoding, sha, path.name)


def _read_csv(data: bytes, path: Path, limits: ReadLimits | None) -> tuple[str, list[str], pl.DataFrame]:
    """Read CSV bytes: UTF-8 (BOM or not) is parsed as it is; anything else is decoded as GB18030 first.

    Polars checks that every field is valid UTF-8 while parsing, so a UTF-8
    file is never decoded twice; only a file that fails that check is
    decoded by :func:`detect_encoding`.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        detect_encoding(data)  # a BOM followed by bytes that are not UTF-8 is an error
        encoding, utf8 = "utf-8-sig", data[3:]
    else:
        encoding, utf8 = "utf-8", data
    try:
        return encoding, *_parse_csv(utf8, path, limits)
    except (pl.exceptions.ComputeError, UnicodeDecodeError):
        try:
            utf8.decode("utf-8")
        except UnicodeDecodeError:
            encoding, text = detect_encoding(data)
            return encoding, *_parse_csv(text.encode("utf-8"), path, limits)
        raise


def _parse_csv(utf8: bytes, path: Path, limits: ReadLimits | None) -> tuple[list[str], pl.DataFrame]:
    """Parse UTF-8 CSV bytes; the header's width is checked before the frame is built, its length while it is."""
    end = utf8.find(b"\n")
    first_line = (utf8 if end < 0 else utf8[:end]).decode("utf-8").rstrip("\r")
    headers = [h.strip() for h in next(csv.reader([first_line]), [])]
    if not any(headers):
        return [], pl.DataFrame()
    if limits is not None:
        limits.check_columns(len(headers), path)
    names = [f"c{i}" for i in range(len(headers))]
    try:
        frame = pl.read_csv(
            io.BytesIO(utf8),
            has_header=True,
            new_columns=names,
            infer_schema=False,
            empty_string_is_null=True,
            truncate_ragged_lines=False,
            n_rows=None if limits is None else limits.max_rows + 1,
        )
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower() or "utf8" in str(exc).lower():
            raise
        raise InputFileError(
            f"CSV 文件 {path.name} 无法解析：{exc}",
            f"CSV file {path.name} cannot be parsed: {exc}",
            file=str(path),
        ) from exc
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(
            f"CSV 文件 {path.name} 无法解析：{exc}",
            f"CSV file {path.name} cannot be parsed: {exc}",
            file=str(path),
        ) from exc
    if limits is not None:
        limits.check_rows(frame.height, path)
    return _drop_blank(*_drop_trailing_empty_columns(headers, frame.with_row_index(ROW_COLUMN, offset=2)))


def _drop_trailing_empty_columns(headers: list[str], frame: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    """Drop columns at the end with no header and no value (a spreadsheet's trailing comma)."""
    while headers and not headers[-1] and frame.get_column(f"c{len(headers) - 1}").null_count() == frame.height:
        frame = frame.drop(f"c{len(headers) - 1}")
        headers = headers[:-1]
    return headers, frame


def _drop_blank(headers: list[str], frame: pl.DataFrame) -> tuple[list[str], pl.DataFrame]:
    """Drop rows with no value at all; row numbers were taken before, so they stay as in the file."""
    values = [c for c in frame.columns if c != ROW_COLUMN]
    if not values:
        return headers, frame
    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in values)
    return headers, frame.filter(~blank)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _read_xlsx(data: bytes, path: Path, sheet: str | None, limits: ReadLimits | None) -> tuple[list[str], pl.DataFrame]:
    """Read a sheet row by row (openpyxl read-only); width and row count are checked as it streams."""
    book = _open_workbook(data, path)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputFileError(
                f"Excel 文件中没有工作表 {sheet!r}；已有：{', '.join(book.sheetnames)}",
                f"The workbook has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}",
                file=str(path),
            )
        rows = book[sheet] if sheet else book.worksheets[0]
        header_row = next(rows.iter_rows(max_row=1, values_only=True), None) or ()
        headers = [(_cell_text(h) or "") for h in header_row]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        if limits is not None:
            limits.check_columns(width, path)
        columns = _xlsx_columns(rows.iter_rows(min_row=2, max_col=max(width, 1), values_only=True), width, path, limits)
    finally:
        book.close()
    frame = pl.DataFrame({f"c{i}": pl.Series(col, dtype=pl.String) for i, col in enumerate(columns)})
    frame = frame.with_row_index(ROW_COLUMN, offset=2)
    if width:
        frame = frame.filter(~pl.all_horizontal(pl.col(f"c{i}").is_null() for i in range(width)))
    return headers, frame


def _open_workbook(data: bytes, path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputFileError(
            f"Excel 文件 {path.name} 无法打开：{exc}", f"Excel file {path.name} cannot be opened: {exc}", file=str(path)
        ) from exc


def _xlsx_columns(
    rows: Iterable[tuple[object, ...]], width: int, path: Path, limits: ReadLimits | None
) -> list[list[str | None]]:
    """The data rows as ``width`` text columns, refusing the file at its ``max_rows + 1``-th row."""
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for count, values in enumerate(rows, start=1):
        if limits is not None and count > limits.max_rows:
            limits.check_rows(count, path)
        cells = [_cell_text(v) for v in values[:width]]
        if not any(cells):
            cells = [None] * width  # keep the row number aligned; dropped by the caller
        cells += [None] * (width - len(cells))
        for col, cell in zip(columns, cells, strict=True):
            col.append(cell)
    return columns


def _read_jsonl(text: str, path: Path, limits: ReadLimits | None) -> tuple[list[str], pl.DataFrame]:
    lines = [line.rstrip("\r") for line in text.split("\n")]  # not splitlines(): U+2028 may sit inside a string
    line_numbers = [n for n, line in enumerate(lines, start=1) if line.strip()]
    if not line_numbers:
        return [], pl.DataFrame()
    if limits is not None:
        limits.check_rows(len(line_numbers), path)
    try:
        parsed = pl.read_ndjson(io.BytesIO(text.encode("utf-8")), infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        _raise_first_bad_json_line(lines, path)
        raise InputFileError(
            f"JSON Lines 文件 {path.name} 无法读取为表格：{str(exc)[:200]}",
            f"JSON Lines file {path.name} cannot be read as a table: {str(exc)[:200]}",
            file=str(path),
        ) from exc
    if parsed.height != len(line_numbers):
        _raise_first_bad_json_line(lines, path)
    headers = parsed.columns
    if limits is not None:
        limits.check_columns(len(headers), path)
    columns = [_as_text(parsed.get_column(h), path).alias(f"c{i}") for i, h in enumerate(headers)]
    frame = pl.DataFrame([pl.Series(ROW_COLUMN, line_numbers, dtype=pl.UInt32), *columns])
    return headers, frame


def _as_text(column: pl.Series, path: Path) -> pl.Series:
    if column.dtype == pl.String:
        return column.str.strip_chars().replace("", None)
    if column.dtype == pl.Boolean:
        return column.cast(pl.UInt8).cast(pl.String)
    if column.dtype.is_nested():
        raise InputFileError(
            f"JSON Lines 文件 {path.name} 的字段 {column.name!r} 含有嵌套的对象或数组；只接受平面的值",
            f"JSON Lines file {path.name}: field {column.name!r} holds nested objects or arrays; only flat values",
            file=str(path),
            column=column.name,
        )
    return column.cast(pl.String)


class _NumberTooLong(ValueError):
    """A JSON number with more digits than a table column holds."""

    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _checked_int(text: str) -> int:
    """``parse_int`` for :func:`json.loads`: refuse a number too long for a column before converting it."""
    digits = len(text.lstrip("-"))
    if digits > MAX_JSON_INTEGER_DIGITS:
        raise _NumberTooLong(digits)
    return int(text)


def _json_line(line: str, number: int, path: Path) -> object:
    """Parse one line, turning each way it can fail into an error naming the file and line."""
    where_zh, where_en = f"JSON Lines 文件 {path.name} 第 {number} 行", f"JSON Lines file {path.name} line {number}"
    try:
        return json.loads(line, parse_int=_checked_int)
    except json.JSONDecodeError as exc:
        zh, en = f"不是合法 JSON：{exc.msg}", f"is not valid JSON: {exc.msg}"
    except _NumberTooLong as exc:
        zh = f"有一个 {exc.digits} 位的整数，最多 {MAX_JSON_INTEGER_DIGITS} 位"
        en = f"has an integer of {exc.digits} digits; at most {MAX_JSON_INTEGER_DIGITS} digits are accepted"
    except RecursionError:
        zh, en = "的数组或对象嵌套过深；只接受平面的值", "is nested too deeply; only flat values are accepted"
    raise InputFileError(f"{where_zh}{zh}", f"{where_en} {en}", file=str(path), row=number)


def _raise_first_bad_json_line(lines: list[str], path: Path) -> None:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = _json_line(line, number, path)
        if isinstance(record, dict):
            nested = next((k for k, v in record.items() if isinstance(v, dict | list)), None)
            if nested is not None:
                raise InputFileError(
                    f"JSON Lines 文件 {path.name} 第 {number} 行的字段 {nested!r} 含有嵌套的对象或数组；只接受平面的值",
                    f"JSON Lines file {path.name} line {number}: field {nested!r} holds nested objects or arrays; "
                    "only flat values",
                    file=str(path),
                    row=number,
                    column=nested,
                )
        if not isinstance(record, dict):
            raise InputFileError(
                f"JSON Lines 文件 {path.name} 第 {number} 行不是对象",
                f"JSON Lines file {path.name} line {number} is not an object",
                file=str(path),
                row=number,
            )
