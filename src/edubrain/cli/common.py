"""What the CLI commands share: options state, the home, output helpers."""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import polars as pl
import pyarrow as pa
import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from typer.core import TyperCommand, TyperGroup

from edubrain.governance.export_safety import safe_cell, safe_csv
from edubrain.governance.identity import Principal
from edubrain.home import Home


@dataclass
class CliState:
    """Global options of one invocation."""

    lang: str = "zh"
    debug: bool = False


state = CliState()
console = Console()


def _readable_help(command: TyperCommand | TyperGroup, ctx: Any) -> None:
    """Make ``command``'s help read well: flags without a type, paragraphs without the source's line breaks.

    Typer's Rich help shows every boolean option as ``--json <bool>``, as if it took a value; an empty
    metavar shows it as the flag it is. A docstring's single line breaks are the source's wrapping, not
    the reader's: each paragraph is joined into one line and wrapped to the terminal.
    """
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    if command.help:
        paragraphs = inspect.cleandoc(command.help).split("\n\n")
        command.help = "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


class HelpCommand(TyperCommand):
    """A command whose help shows flags as flags and reflows the docstring (see :func:`_readable_help`)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Print the help."""
        _readable_help(self, ctx)
        super().format_help(ctx, formatter)


class HelpGroup(TyperGroup):
    """A command group with the help of :class:`HelpCommand`."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Print the help."""
        _readable_help(self, ctx)
        super().format_help(ctx, formatter)


class CommandGroup(typer.Typer):
    """A Typer app whose commands and groups print readable help: every ``edubrain`` group is one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=HelpGroup, **kwargs)

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        """Register a command, with :class:`HelpCommand` unless ``cls`` is given."""
        return super().command(name, cls=cls or HelpCommand, **kwargs)


def home() -> Home:
    """The EduBrain home from the environment."""
    return Home()


def signed_in(h: Home, user: str | None) -> Principal:
    """Log ``user`` in (prompted for when None) with EDUBRAIN_PASSWORD or a prompted password; audited, throttled."""
    from edubrain.governance.access import login

    h.ensure_initialised()
    if not user:
        user = typer.prompt(t("用户名", "Username"))
    password = os.environ.get("EDUBRAIN_PASSWORD") or typer.prompt(t("密码", "Password"), hide_input=True)
    return login(h, user, password)


def t(zh: str, en: str) -> str:
    """Pick the message for the current language."""
    return zh if state.lang == "zh" else en


BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing_minute(at: dt.datetime | str) -> str:
    """``YYYY-MM-DD HH:MM`` in Beijing time, for a table; a time without an offset is UTC (as stored)."""
    when = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def print_json(data: Any) -> None:
    """Print ``data`` as JSON (UTF-8, not escaped)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


class OutputFormat(StrEnum):
    """How a command prints its table: for people (``table``) or for programs (``csv``, ``json``)."""

    table = "table"
    csv = "csv"
    json = "json"


FORMAT_OPTION: Any = typer.Option(
    OutputFormat.table,
    "--format",
    help="输出格式：table 表格（适合 80 列终端），csv、json 含全部列 / table for people; csv or json, every column.",
)
"""The ``--format`` option of every command that prints a table (``fmt: OutputFormat = FORMAT_OPTION``)."""

JSON_OPTION: Any = typer.Option(False, "--json", hidden=True, help="同 --format json / same as --format json.")
"""``--json``, kept hidden for scripts written before ``--format json``."""


def chosen_format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    """``--format``, or JSON when the older ``--json`` flag was given."""
    return OutputFormat.json if as_json else fmt


@dataclass(frozen=True)
class Col:
    """One column of a printed table.

    Attributes:
        key: The row's key.
        zh: Header in Chinese.
        en: Header in English.
        kind: ``id`` (codes, ids, times: printed whole on one line), ``text`` (names, messages: cut with an
            ellipsis when the terminal is narrow) or ``num`` (right-aligned).
    """

    key: str
    zh: str
    en: str
    kind: Literal["id", "text", "num"] = "id"


MIN_TEXT_WIDTH = 6
"""Narrowest a text column is cut to, in terminal cells."""
COLUMN_GAP = 2
"""Cells between two columns of a printed table (no outer border, one rule under the header)."""


def note(message: str, fmt: OutputFormat = OutputFormat.table) -> None:
    """A line for people: to stdout with a table, to stderr otherwise, so CSV and JSON on stdout stay parseable."""
    (console if fmt is OutputFormat.table else Console(stderr=True)).print(message)


def print_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: OutputFormat,
    columns: Sequence[Col],
    *,
    title: str | None = None,
) -> None:
    """Print ``rows``: the chosen ``columns`` as a table, or every key of the rows as CSV or JSON."""
    if fmt is OutputFormat.json:
        print_json(list(rows))
    elif fmt is OutputFormat.csv:
        keys = list(dict.fromkeys(k for row in rows for k in row)) or [c.key for c in columns]
        writer = csv.writer(sys.stdout, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([_csv_cell(row.get(k)) for k in keys])
    else:
        cells = [[_cell(row.get(c.key)) for c in columns] for row in rows]
        _print_table(columns, cells, title)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return safe_cell(json.dumps(value, ensure_ascii=False, default=str))
    return "" if value is None else safe_cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _print_table(columns: Sequence[Col], cells: list[list[str]], title: str | None) -> None:
    """A Rich table that fits the terminal: ids never wrap or fold; text columns share what is left, ending in …."""
    widths = [
        max([cell_len(line) for row in cells for line in row[i].split("\n")] + [cell_len(t(c.zh, c.en))])
        for i, c in enumerate(columns)
    ]
    fixed = COLUMN_GAP * (len(columns) - 1) + sum(w for w, c in zip(widths, columns, strict=True) if c.kind != "text")
    texts = [i for i, c in enumerate(columns) if c.kind == "text"]
    caps = _share(sorted((widths[i], i) for i in texts), console.width - fixed)
    view = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for i, column in enumerate(columns):
        view.add_column(
            t(column.zh, column.en),
            justify="right" if column.kind == "num" else "left",
            no_wrap=True,
            overflow="ellipsis",
            max_width=caps.get(i),
        )
    for row in cells:
        view.add_row(*row)
    console.print(view)
    if fixed > console.width or any(widths[i] > cap for i, cap in caps.items()):
        note(
            t(
                "（终端较窄，部分内容已截断；用 --format csv 或 json 查看全部）",
                "(narrow terminal: some cells are cut; use --format csv or json for everything)",
            )
        )


def _share(wanted: list[tuple[int, int]], room: int) -> dict[int, int]:
    """Width of each text column, given as ``(width it wants, index)`` narrowest first.

    The room is shared out evenly; a column that wants less than its share leaves the rest to the others.
    No column gets less than ``MIN_TEXT_WIDTH``.
    """
    caps: dict[int, int] = {}
    for n, (width, index) in enumerate(wanted):
        share = max(MIN_TEXT_WIDTH, room // (len(wanted) - n))
        caps[index] = min(width, share)
        room -= caps[index]
    return caps


def print_arrow(table: pa.Table, fmt: OutputFormat | str, title: str | None = None, limit: int | None = None) -> None:
    """Print an Arrow table as a table (numbers right-aligned), CSV (formulas defused) or JSON."""
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.csv:
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        sys.stdout.write(safe_csv(frame, bom=False).decode("utf-8"))
        return
    shown = table.slice(0, limit) if limit and fmt is OutputFormat.table else table
    numeric = {f.name for f in table.schema if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)}
    columns = [Col(name, name, name, "num" if name in numeric else "id") for name in table.column_names]
    print_rows(shown.to_pylist(), fmt, columns, title=title)
    if shown.num_rows < table.num_rows:
        note(t(f"（共 {table.num_rows} 行，仅显示前 {limit} 行）", f"({table.num_rows} rows, first {limit} shown)"))


def print_derived_run(result: Any, fmt: OutputFormat) -> None:
    """Print what a derived-dataset job wrote (``versions``, ``rows``, ``inputs`` of its run result)."""
    if fmt is OutputFormat.json:
        print_json({"versions": result.versions, "rows": result.rows, "inputs": result.inputs})
        return
    rows = [{"dataset": d, "version": v, "rows": result.rows.get(d)} for d, v in result.versions.items()]
    columns = [Col("dataset", "派生数据集", "derived dataset"), Col("version", "新版本", "new version", "num")]
    print_rows(rows, fmt, [*columns, Col("rows", "行数", "rows", "num")], title=t("已重算", "Recomputed"))
    read = ", ".join(f"{d} v{'-' if v is None else v}" for d, v in result.inputs.items())
    note(t(f"读取的输入版本：{read}", f"inputs read: {read}"), fmt)
