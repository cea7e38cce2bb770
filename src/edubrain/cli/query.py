"""``edubrain query``: read-only SQL over the current or an earlier snapshot."""

from __future__ import annotations

import typer

from edubrain.cli.common import home, print_arrow
from edubrain.store.query import resolve_as_of, run_query


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("query")(query)


def query(
    sql: str = typer.Argument(..., help="只读 SQL；数据集 id 即表名 / read-only SQL; dataset ids are table names."),
    as_of: list[str] = typer.Option([], "--as-of", help="版本：N 或 数据集=N，可重复 / version: N or DATASET=N."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
    limit: int = typer.Option(100, "--limit", help="表格最多显示行数 / rows shown as a table."),
) -> None:
    """在湖表快照上执行只读 SQL / run read-only SQL over the lake's snapshots.

    Example: ``edubrain query "select grade, count(*) from students group by grade" --as-of 3``
    """
    h = home()
    versions = resolve_as_of(sql, h.catalog, as_of)
    table = run_query(h.lake, h.catalog, sql, versions)
    print_arrow(table, fmt if fmt in ("csv", "json") else "table", limit=limit)
