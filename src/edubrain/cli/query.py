"""``edubrain query``: read-only SQL over snapshots already scoped and masked for the user."""

from __future__ import annotations

import typer

from edubrain.cli.common import FORMAT_OPTION, OutputFormat, home, print_arrow, signed_in
from edubrain.governance.access import scoped_query
from edubrain.store.query import resolve_as_of


def register(app: typer.Typer) -> None:
    """Add the command to app."""
    app.command("query")(query)


def query(
    sql: str = typer.Argument(..., help="只读 SQL；数据集 id 即表名 / read-only SQL; dataset ids are table names."),
    user: str = typer.Option(None, "--user", envvar="EDUBRAIN_USER", help="以此用户身份查询 / query as this user."),
    purpose: str = typer.Option(
        None, "--purpose", help="解除敏感字段脱敏的用途 / purpose for unmasking sensitive fields."
    ),
    as_of: list[str] = typer.Option([], "--as-of", help="版本：N 或 数据集=N，可重复 / version: N or DATASET=N."),
    fmt: OutputFormat = FORMAT_OPTION,
    limit: int = typer.Option(100, "--limit", help="表格最多显示行数 / rows shown as a table."),
) -> None:
    """以用户身份在湖表快照上执行只读 SQL（按范围过滤、按密级脱敏、审计）/ run read-only SQL as a user.

    The password is read from EDUBRAIN_PASSWORD or prompted for. Only roles cleared for ad-hoc queries may run one,
    and each dataset is seen through the governance read path: rows outside the user's scope are absent and fields
    above the user's clearance are masked.

    Example: edubrain query "select grade, count(*) from students group by grade" --user analyst --as-of 3
    """
    h = home()
    principal = signed_in(h, user)
    versions = resolve_as_of(sql, h.catalog, as_of)
    table = scoped_query(h, principal, sql, purpose=purpose, versions=versions)
    print_arrow(table, fmt, limit=limit)  # CSV formulas defused (edubrain.governance.export_safety)
