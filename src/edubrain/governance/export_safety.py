"""Exports that a spreadsheet cannot run: formula injection (CSV injection) defused in every CSV and XLSX.

A cell of exported text that starts with ``=``, ``+``, ``-`` or ``@`` (or with
a tab or a carriage return, before one of them or alone) is read by Excel,
WPS and LibreOffice as a formula: a school name ``=HYPERLINK("http://x","y")``
stored by one user would run in the spreadsheet of everyone who exports it.
Following the OWASP "CSV Injection" guidance, such a text cell is written
with a single quote ``'`` in front, and CSV writers quote every text field,
so the quote and the text stay one field. Only text cells are touched: a
number (``-3``) stays a number, and an XLSX never holds a cell of type
formula (:func:`xlsx_row` writes text as text).

Every CSV and XLSX of user data goes through here: the API's dataset exports
(:mod:`edubrain.api.files`), ``edubrain query --format csv`` and the output
of ``edubrain fitness score``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
from openpyxl.cell.cell import Cell, WriteOnlyCell

FORMULA_START = r"^[=+\-@\t\r]"
"""A text cell matching this (a regular expression) would be run as a formula."""
_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that could start a formula prefixed by ``'`` (vectorised; numbers untouched)."""
    text = [name for name, dtype in frame.schema.items() if dtype in (pl.String, pl.Categorical, pl.Enum)]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(FORMULA_START))
        .then(pl.lit(QUOTE) + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in text
    )


def safe_cell(value: Any) -> Any:
    """One cell for a spreadsheet: text that could start a formula gets a leading ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(_STARTS):
        return QUOTE + value
    return value


def safe_csv(frame: pl.DataFrame, *, bom: bool = True) -> bytes:
    """``frame`` as UTF-8 CSV (a byte-order mark for Excel by default): defused, every text field quoted."""
    return neutralise_frame(frame).write_csv(include_bom=bom, quote_style="non_numeric").encode("utf-8")


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Cell]:
    """One row of cells for ``sheet.append``: text defused and typed as a string, so no cell is a formula.

    openpyxl takes any string that starts with ``=`` for a formula; after
    :func:`safe_cell` none does, and the explicit string type pins it.

    Args:
        sheet: A write-only openpyxl worksheet (``Workbook(write_only=True)``).
        values: The row's values (text, numbers, dates, None).
    """
    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        row.append(cell)
    return row
