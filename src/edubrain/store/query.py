"""Read-only SQL over the lake's snapshots, with DuckDB.

Each catalog dataset the query names is registered as a table (its rows at
the chosen version); the DuckDB connection then has external access switched
off for good, so a query reads only those tables: no files, no extensions, no
network, one SELECT statement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import duckdb
import pyarrow as pa

from edubrain.catalog.registry import Catalog
from edubrain.errors import QueryError
from edubrain.store.lake import Lake


def datasets_named(sql: str, catalog: Catalog) -> list[str]:
    """Catalog datasets whose id appears as a word in ``sql``."""
    return [d for d in catalog.datasets if re.search(rf"\b{re.escape(d)}\b", sql)]


def resolve_as_of(sql: str, catalog: Catalog, as_of: list[str]) -> dict[str, int]:
    """Turn ``--as-of`` values (``N`` or ``DATASET=N``) into a version per dataset.

    A bare ``N`` is allowed only when the query names exactly one dataset.
    """
    versions: dict[str, int] = {}
    for item in as_of:
        name, _, number = item.rpartition("=")
        if not re.fullmatch(r"[0-9]+", number):
            raise QueryError(
                f"--as-of 的值 {item!r} 无效：应为 版本号 或 数据集=版本号",
                f"Invalid --as-of {item!r}: use N or DATASET=N",
            )
        if not name:
            named = datasets_named(sql, catalog)
            if len(named) != 1:
                raise QueryError(
                    f"查询涉及 {len(named)} 个数据集（{', '.join(named)}），请用 数据集=版本号 指明",
                    f"The query names {len(named)} datasets ({', '.join(named)}); use DATASET=N",
                )
            name = named[0]
        catalog.dataset(name)
        versions[name] = int(number)
    return versions


def run_query(lake: Lake, catalog: Catalog, sql: str, versions: Mapping[str, int] | None = None) -> pa.Table:
    """Run one read-only SQL statement over the datasets' snapshots.

    Args:
        lake: The lake.
        catalog: The catalog (which tables exist).
        sql: A single SELECT (or WITH ... SELECT) statement.
        versions: Version per dataset; others are read at their newest version.

    Raises:
        QueryError: the statement is not a query, or DuckDB rejects it.
    """
    tables = {
        name: lake.read(catalog.dataset(name), (versions or {}).get(name)) for name in datasets_named(sql, catalog)
    }
    return query_tables(tables, sql)


def query_tables(tables: Mapping[str, pa.Table], sql: str) -> pa.Table:
    """Run one read-only SQL statement over the given tables (named as the keys), and nothing else."""
    _check_read_only(sql)
    con = duckdb.connect()
    try:
        for name, table in tables.items():
            con.register(name, table)
        return _run_locked(con, sql)
    finally:
        con.close()


def _check_read_only(sql: str) -> None:
    """Exactly one statement, and a query (SELECT, WITH … SELECT, VALUES)."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"查询失败：{exc}", f"Query failed: {exc}") from exc
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise QueryError(
            "只允许一条只读查询语句（SELECT / WITH）", "Only one read-only query statement (SELECT / WITH) is allowed"
        )


def _run_locked(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """Switch off file, extension and network access for good, then run ``sql``."""
    try:
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        result = con.sql(sql)
        if result is None:
            raise QueryError("查询没有返回结果集", "The statement returned no result set")
        return result.to_arrow_table()
    except duckdb.Error as exc:
        raise QueryError(f"查询失败：{exc}", f"Query failed: {exc}") from exc
