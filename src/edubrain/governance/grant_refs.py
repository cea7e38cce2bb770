"""Which references of a role grant lie outside its organisation.

A teacher's grant names classes, a student's or parent's grant names
students. Each must be a stored row (in the lake's newest version) of a
school inside the grant's organisation: the school itself, a district's
schools, or any school for the city.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from edubrain.store.delta_append import parquet_list

if TYPE_CHECKING:
    from edubrain.home import Home

REFERENCED = {"class": "classes", "self": "students", "children": "students"}
"""The dataset whose keys the references of a role of each scope kind name."""


def refs_outside(home: Home, scope_kind: str, org_code: str, org_level: str, refs: list[str]) -> list[str]:
    """The references (in the order given) that are not stored rows of a school inside the organisation.

    Args:
        home: The installation (its lake is read, nothing is written).
        scope_kind: The role's scope kind (``class``, ``self``, ``children``;
            other kinds take no references and have none outside).
        org_code: The organisation the role is granted in.
        org_level: Its level (``city``, ``district`` or ``school``).
        refs: Class ids or student numbers.
    """
    if scope_kind not in REFERENCED or not refs:
        return []
    dataset = home.catalog.dataset(REFERENCED[scope_kind])
    files = home.lake.files(dataset.id)
    if not files:
        return list(refs)
    key, org_field = dataset.primary_key[0], dataset.org_field
    con = duckdb.connect()
    try:
        con.register("wanted", pa.table({"ref": pa.array(refs, pa.string())}))
        sql = f'select distinct "{key}" as ref from read_parquet({parquet_list(files)}) where "{key}" in (select ref from wanted)'
        if org_level != "city":
            con.register("inside", pa.table({"code": pa.array(_schools(home, org_code, org_level), pa.string())}))
            sql += f' and "{org_field}" in (select code from inside)'
        found = set(con.sql(sql).to_arrow_table().column("ref").to_pylist())
    finally:
        con.close()
    return [r for r in refs if r not in found]


def _schools(home: Home, org_code: str, org_level: str) -> list[str]:
    """The school codes inside a school or district organisation (from the stored schools table)."""
    if org_level == "school":
        return [org_code]
    files = home.lake.files("schools")
    if not files:
        return []
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"select school_code from read_parquet({parquet_list(files)}) where district_code = ?", [org_code]
        ).fetchall()
    finally:
        con.close()
    return [str(r[0]) for r in rows]
