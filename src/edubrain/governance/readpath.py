"""The one read path: row scope, field masking by classification, purpose-bound unmasking, audit.

Every reader of personal data (library, CLI, API, exports) calls
:func:`read_dataset`. Nothing else reads the lake for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from edubrain.catalog.models import Dataset
from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.identity import Principal
from edubrain.governance.masking import mask_column
from edubrain.governance.scope import grant_predicate
from edubrain.home import Home
from edubrain.store.lake import lake_schema, parquet_list

CLEARANCE = "__clearance"
PERSONAL_RANK = 3  # L3 and above is personal information


class AccessDenied(EduBrainError):
    """The principal may not read this dataset, field or purpose."""

    exit_code = 3
    code = "access_denied"


@dataclass(frozen=True)
class ReadResult:
    """What a principal got: the rows (masked as needed) and what was masked, withheld or unmasked."""

    table: pa.Table
    total: int
    masked: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    unmasked_personal: list[str] = field(default_factory=list)
    purpose: str | None = None


def level_rank(home: Home, level: str) -> int:
    """The rank of a classification level (L1 = 1 …)."""
    return home.catalog.levels[level].rank


def grant_rank(home: Home, role_id: str, purpose: str | None) -> int:
    """The clearance of a grant: its role's level, raised to L4 for a declared purpose if the role allows it."""
    r = policy.role(role_id)
    if purpose is not None and r.purpose_unmask:
        return level_rank(home, policy.SENSITIVE_LEVEL)
    return level_rank(home, r.clearance)


def read_dataset(
    home: Home,
    principal: Principal,
    dataset_id: str,
    *,
    filters: dict[str, Any] | None = None,
    limit: int | None = None,
    offset: int = 0,
    purpose: str | None = None,
    version: int | None = None,
    audit: bool = True,
) -> ReadResult:
    """Read the rows of ``dataset_id`` that ``principal`` may see, masked to its clearance.

    Args:
        home: The installation.
        principal: Who reads.
        dataset_id: The catalog dataset.
        filters: Equality filters ``{field: value}`` (a list means any of).
        limit: Page size (None for all rows).
        offset: Rows to skip (rows are ordered by primary key).
        purpose: A declared purpose (id or Chinese title); needed to see
            sensitive personal information (L4) unmasked.
        version: Lake version to read (default the newest).
        audit: Record unmasked reads of personal information (always on
            outside tests of the read path itself).

    Raises:
        AccessDenied: no grant of the principal can see any row of the dataset,
            or the purpose is given by a principal whose roles cannot use one.
    """
    dataset = home.catalog.dataset(dataset_id)
    purpose_id = _check_purpose(principal, purpose)
    ranks = [grant_rank(home, g.role, purpose_id) for g in principal.grants]
    predicates = [grant_predicate(dataset, g, _schools_lookup(home), _students_lookup(home)) for g in principal.grants]
    if not principal.grants or all(p == "FALSE" for p in predicates):
        raise AccessDenied(
            f"{principal.name} 无权读取数据集 {dataset.title_zh}",
            f"{principal.name} may not read dataset {dataset.title_en}",
            dataset=dataset.id,
        )
    frame, total = _scoped_rows(home, dataset, predicates, ranks, filters or {}, limit, offset, version)
    frame, masked, withheld, unmasked = _mask(home, dataset, frame, min(ranks) if ranks else 0)
    if audit and unmasked and frame.height:
        _audit_unmasked(home, principal, dataset, unmasked, frame.height, purpose_id)
    return ReadResult(frame.to_arrow(), total, masked, withheld, unmasked, purpose_id)


def _check_purpose(principal: Principal, purpose: str | None) -> str | None:
    if purpose is None:
        return None
    found = policy.purpose(purpose)
    if not any(r.purpose_unmask for r in principal.roles()):
        raise AccessDenied(
            f"{principal.name} 的角色不能以用途解除脱敏", f"{principal.name}'s roles cannot unmask for a purpose"
        )
    return found.id


def _schools_lookup(home: Home):  # type: ignore[no-untyped-def]
    def schools_of(district: str) -> list[str]:
        schools = home.lake.read(home.catalog.dataset("schools"), columns=["school_code", "district_code"])
        return [
            s
            for s, d in zip(*(schools.column(c).to_pylist() for c in schools.column_names), strict=True)
            if d == district
        ]

    return schools_of


def _students_lookup(home: Home):  # type: ignore[no-untyped-def]
    def students_of(class_ids: str) -> list[str]:
        files = home.lake.files("students")
        wanted = [c for c in class_ids.split(",") if c]
        if not files or not wanted:
            return []
        con = duckdb.connect()
        try:
            rows = con.sql(
                f"select student_id from read_parquet({parquet_list(files)}) where class_id in (select unnest(?))",
                params=[wanted],
            ).fetchall()
        finally:
            con.close()
        return [r[0] for r in rows]

    return students_of


def _scoped_rows(
    home: Home,
    dataset: Dataset,
    predicates: list[str],
    ranks: list[int],
    filters: dict[str, Any],
    limit: int | None,
    offset: int,
    version: int | None,
) -> tuple[pl.DataFrame, int]:
    """Rows inside any grant's scope, each with the highest clearance of the grants that cover it."""
    files = home.lake.files(dataset.id, version)
    schema = lake_schema(dataset)
    con = duckdb.connect()
    try:
        if files:
            con.execute(f"create view t as select * from read_parquet({parquet_list(files)})")
        else:
            con.register("t_empty", schema.empty_table())
            con.execute("create view t as select * from t_empty")
        clearance = (
            "greatest("
            + ", ".join(f"case when {p} then {r} else 0 end" for p, r in zip(predicates, ranks, strict=True))
            + ", 0)"
        )
        where, params = _filter_sql(dataset, filters)
        order = ", ".join(f'"{k}"' for k in dataset.primary_key)
        page = f" limit {int(limit)} offset {int(offset)}" if limit is not None else ""
        sql = (
            f"select * exclude (__any), count(*) over () as __total from "
            f"(select *, {clearance} as {CLEARANCE}, ({' or '.join(predicates)}) as __any from t) "
            f"where __any {where} order by {order}{page}"
        )
        frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    finally:
        con.close()
    assert isinstance(frame, pl.DataFrame)
    total = int(frame.get_column("__total")[0]) if frame.height else 0
    return frame.drop("__total"), total


def _filter_sql(dataset: Dataset, filters: dict[str, Any]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for name, value in filters.items():
        if name not in dataset.field_names:
            raise AccessDenied(f"数据集 {dataset.id} 没有字段 {name}", f"Dataset {dataset.id} has no field {name}")
        if isinstance(value, (list, tuple)):
            parts.append(f'"{name}" in (select unnest(?))')
            params.append([str(v) for v in value])
        else:
            parts.append(f'cast("{name}" as varchar) = ?')
            params.append(str(value))
    return ("".join(f" and {p}" for p in parts), params)


def _mask(
    home: Home, dataset: Dataset, frame: pl.DataFrame, lowest: int
) -> tuple[pl.DataFrame, list[str], list[str], list[str]]:
    """Mask or withhold, row by row (vectorised), each field above that row's clearance."""
    masked, withheld, unmasked, exprs = [], [], [], []
    clearance = pl.col(CLEARANCE)
    for spec in dataset.fields:
        rank = level_rank(home, spec.classification)
        col = pl.col(spec.name)
        if rank <= lowest:
            exprs.append(col)
        elif spec.pii is not None and lowest >= 2:
            exprs.append(
                pl.when(clearance >= rank)
                .then(col.cast(pl.String))
                .otherwise(mask_column(col, spec.pii))
                .alias(spec.name)
            )
            masked.append(spec.name)
        else:
            exprs.append(pl.when(clearance >= rank).then(col).otherwise(None).alias(spec.name))
            withheld.append(spec.name)
        if rank >= PERSONAL_RANK and frame.height and frame.filter(clearance >= rank).height:
            unmasked.append(spec.name)
    lineage = [c for c in frame.columns if c.startswith("_") and c != CLEARANCE and not c.startswith("__")]
    out = frame.select(*exprs, *[pl.col(c) for c in lineage])
    if lowest <= 1:  # the public sees no column above L1 at all
        out = out.drop([s.name for s in dataset.fields if level_rank(home, s.classification) > 1] + lineage)
    return out, masked, withheld, unmasked


def _audit_unmasked(
    home: Home, principal: Principal, dataset: Dataset, fields: list[str], rows: int, purpose: str | None
) -> None:
    from edubrain.governance.audit import record_event
    from edubrain.store.db import session_scope

    minors = "student_id" in dataset.field_names
    grant = principal.grants[0]
    if purpose is None:
        own = all(policy.role(g.role).scope in ("self", "children") for g in principal.grants)
        purpose = "self_access" if own else "routine_duty"
    with session_scope(home.engine) as session:
        record_event(
            session,
            actor=principal.id,
            actor_role=",".join(sorted({g.role for g in principal.grants})),
            org_code=grant.org_code,
            action="read_unmasked",
            dataset=dataset.id,
            fields=fields,
            row_count=rows,
            purpose=purpose,
            minors=minors,
        )
