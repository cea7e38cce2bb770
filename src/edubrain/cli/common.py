"""What the CLI commands share: options state, the home, output helpers."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import typer
from rich.console import Console
from rich.table import Table

from edubrain.governance.identity import Principal
from edubrain.home import Home


@dataclass
class CliState:
    """Global options of one invocation."""

    lang: str = "zh"
    debug: bool = False


state = CliState()
console = Console()


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


def print_json(data: Any) -> None:
    """Print ``data`` as JSON (UTF-8, not escaped)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_arrow(table: pa.Table, fmt: str, title: str | None = None, limit: int | None = None) -> None:
    """Print an Arrow table as a Rich table, CSV or JSON."""
    if fmt == "csv":
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink)
        sys.stdout.write(sink.getvalue().to_pybytes().decode("utf-8"))
    elif fmt == "json":
        print_json(table.to_pylist())
    else:
        shown = table.slice(0, limit) if limit else table
        view = Table(title=title, show_lines=False)
        for name in shown.column_names:
            view.add_column(name, overflow="fold")
        for row in shown.to_pylist():
            view.add_row(*("" if v is None else str(v) for v in row.values()))
        console.print(view)
        if limit and table.num_rows > limit:
            console.print(
                t(f"（共 {table.num_rows} 行，仅显示前 {limit} 行）", f"({table.num_rows} rows, first {limit} shown)")
            )
