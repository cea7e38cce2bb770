"""The one read path: row scope, field masking by classification, purpose-bound unmasking, audit.

Every reader of personal data (library, CLI, API, exports) calls
:func:`read_dataset`. Nothing else reads the lake for a person.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from edubrain.catalog.models import Dataset
from edubrain.errors import LakeError
from edubrain.governance import policy
from edubrain.governance.duck import connection, drop_connection
from edubrain.governance.identity import Principal
from edubrain.governance.read_filters import filter_sql, source_files
from edubrain.governance.read_masking import CLEARANCE, ROW_KEY, audit_unmasked, level_rank, mask_page, row_keys
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.governance.suppression import suppress_page
from edubrain.home import Home
from edubrain.store.lake import lake_schema, parquet_list
from edubrain.store.snapshots import Snapshots, TableSnapshot, snapshots

KEPT_PAGE_ROWS = 100
"""Pages of at most this many rows are kept per table version (before masking; see :func:`_kept_page`)."""


@dataclass(frozen=True)
class ReadResult:
    """What a principal got: the rows (masked as needed) and what was masked, withheld or unmasked."""

    table: pa.Table
    total: int
    masked: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    unmasked_personal: list[str] = field(default_factory=list)
    purpose: str | None = None
    version: int | None = None
    retired: list[str] = field(default_factory=list)


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
    sort: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    purpose: str | None = None,
    version: int | None = None,
    changed_since: int | None = None,
    row_key: bool = False,
    audit: bool = True,
) -> ReadResult:
    """Read the rows of ``dataset_id`` that ``principal`` may see, masked to its clearance.

    Args:
        home: The installation.
        principal: Who reads.
        dataset_id: The catalog dataset.
        filters: Equality filters ``{field: value}`` (a list means any of), on
            fields the principal sees unmasked only.
        sort: Fields to order by, ``-field`` for descending, on fields the
            principal sees unmasked only; the primary key breaks ties
            (default: the primary key alone).
        limit: Page size (None for all rows).
        offset: Rows to skip.
        purpose: A declared purpose (id or Chinese title); needed to see
            sensitive personal information (L4) unmasked.
        version: Lake version to read (default the newest).
        changed_since: Read only the changes after this version: the rows
            written by versions ``changed_since + 1 … version``, and in
            ``retired`` the row keys of rows that were in scope at
            ``changed_since`` and are not any more (retired, or moved out of the
            scope). Implies ``row_key``. Filters do not narrow ``retired``.
        row_key: Add the column ``_key``, a keyed pseudonym of the primary key
            (:func:`row_keys`): stable across reads, it identifies a row even
            when the key fields are masked.
        audit: Record unmasked reads of personal information (always on
            outside tests of the read path itself).

    Raises:
        AccessDenied: no grant of the principal can see any row of the dataset,
            the purpose is given by a principal whose roles cannot use one, or
            a filter or sort names a field that is unknown or above the clearance.
        LakeError: ``version`` or ``changed_since`` is not a version of the table.
    """
    dataset = home.catalog.dataset(dataset_id)
    purpose_id = _check_purpose(principal, purpose)
    ranks = [grant_rank(home, g.role, purpose_id) for g in principal.grants]
    predicates = scope_predicates(home, principal, dataset)
    lowest = min(ranks)
    _check_visible(home, dataset, [*(filters or {}), *(s.lstrip("-") for s in sort or ())], lowest)
    snaps = snapshots(home.lake)
    snap = snaps.current(dataset.id) if version is None else snaps.at(dataset.id, version)
    con = connection()
    query = _Query(predicates, ranks, filters or {}, list(sort or ()), limit, offset)
    try:
        if changed_since is None:
            source = functools.cache(lambda: _source_views(con, home, dataset, snap, None, query))
            frame = _kept_page(snaps, dataset, snap, query, lambda: _page(source(), dataset, query))
            total = _total(snaps, dataset, query, frame.height, snap, source)
            retired = []
        else:
            _source_views(con, home, dataset, snap, changed_since, query)
            frame = _page(con, dataset, query)
            total = _total(snaps, dataset, query, frame.height, None, lambda: con)
            retired = _retired(con, home, dataset, predicates)
    except duckdb.Error:
        drop_connection()
        raise
    keys = row_keys(home, dataset, frame) if row_key or changed_since is not None else None
    frame, masked, withheld, unmasked = mask_page(home, dataset, frame, lowest)
    frame = suppress_page(home, principal, dataset, frame, snap.version)  # small cells of aggregates
    if keys is not None:
        frame = frame.with_columns(keys.alias(ROW_KEY))
    if audit and unmasked and frame.height:
        audit_unmasked(home, principal, dataset, unmasked, frame.height, purpose_id)
    return ReadResult(frame.to_arrow(), total, masked, withheld, unmasked, purpose_id, snap.version, retired)


def scope_predicates(home: Home, principal: Principal, dataset: Dataset) -> list[str]:
    """The row scope of each grant of ``principal`` on ``dataset``, as SQL predicates (see :class:`Scope`).

    Raises:
        AccessDenied: no grant of the principal can see any row of the dataset.
    """
    return Scope.of(home, principal).predicates(dataset)


def _check_visible(home: Home, dataset: Dataset, names: list[str], lowest: int) -> None:
    """Filters and sorting only on known fields the principal sees unmasked (else they would leak masked values)."""
    for name in names:
        if name not in dataset.field_names:
            raise AccessDenied(
                f"数据集 {dataset.id} 没有字段 {name}", f"Dataset {dataset.id} has no field {name}", field=name
            )
        if level_rank(home, dataset.field(name).classification) > lowest:
            raise AccessDenied(
                f"字段 {name} 高于您的密级，不能用于筛选或排序",
                f"Field {name} is above your clearance: it cannot be used to filter or sort",
                field=name,
            )


@dataclass(frozen=True)
class _Query:
    """What to select from the source view ``t``."""

    predicates: list[str]
    ranks: list[int]
    filters: dict[str, Any]
    sort: list[str]
    limit: int | None
    offset: int


def register_view(con: duckdb.DuckDBPyConnection, name: str, dataset: Dataset, files: Sequence[str]) -> None:
    """Create (or replace) the view ``name`` of the rows in ``files`` (an empty table in the lake schema if none).

    The view is temporary: DuckDB keeps it per connection, and every thread reads through its own connection
    of one database (:mod:`edubrain.governance.duck`), so no other thread sees it.
    """
    if files:
        con.execute(f"create or replace temp view {name} as select * from read_parquet({parquet_list(files)})")
    else:
        con.register(f"{name}_empty", lake_schema(dataset).empty_table())  # registered objects are per connection
        con.execute(f"create or replace temp view {name} as select * from {name}_empty")


def _source_views(
    con: duckdb.DuckDBPyConnection,
    home: Home,
    dataset: Dataset,
    snap: TableSnapshot,
    since: int | None,
    query: _Query,
) -> duckdb.DuckDBPyConnection:
    """Create the view ``t`` of the rows to read, a version's rows or only those written after ``since``; return ``con``.

    A version's view is over the data files that may hold a row the query asks for (in a grant's scope, meeting
    the filters: :func:`~edubrain.governance.read_filters.source_files`); its rows are filtered as every view's.

    For changes, ``added`` and ``removed`` are the rows of the data files the
    later version has and the earlier one has not, and the reverse (Delta
    files are immutable). A row copied unchanged into a rewritten file keeps
    its ``_batch_id``, so it is dropped from ``t`` by the anti-join.
    """
    if since is None:
        register_view(con, "t", dataset, source_files(dataset, snap.files, query.predicates, query.filters))
        return con
    version = snap.version
    if version is None or since > version or since < 0:
        raise LakeError(
            f"数据集 {dataset.id} 没有版本 {since}（当前版本 {version}）",
            f"Dataset {dataset.id} has no version {since} (current version {version})",
            dataset=dataset.id,
            version=since,
        )
    old = snapshots(home.lake).at(dataset.id, since).files
    register_view(con, "added", dataset, sorted(set(snap.files) - set(old)))
    register_view(con, "removed", dataset, sorted(set(old) - set(snap.files)))
    same = " and ".join(f'a."{k}" = r."{k}"' for k in [*dataset.primary_key, "_batch_id"])
    con.execute(f"create or replace temp view t as select a.* from added a anti join removed r on {same}")
    return con


def _page(con: duckdb.DuckDBPyConnection, dataset: Dataset, query: _Query) -> pl.DataFrame:
    """The page of rows of ``t`` inside any grant's scope, each with the highest clearance of the grants covering it.

    DuckDB answers ``order by … limit`` with a top-N, so only the page's rows are sorted and handed over.
    """
    clearance = (
        "greatest("
        + ", ".join(f"case when {p} then {r} else 0 end" for p, r in zip(query.predicates, query.ranks, strict=True))
        + ", 0)"
    )
    where, params = filter_sql(dataset, query.filters)
    wanted = [(s.lstrip("-"), " desc" if s.startswith("-") else "") for s in query.sort]
    wanted += [(k, "") for k in dataset.primary_key if k not in {name for name, _ in wanted}]
    order = ", ".join(f'"{name}"{direction}' for name, direction in wanted)
    page = f" limit {int(query.limit)} offset {int(query.offset)}" if query.limit is not None else ""
    sql = (
        f"select *, {clearance} as {CLEARANCE} from t "
        f"where ({' or '.join(query.predicates)}) {where} order by {order}{page}"
    )
    frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _kept_page(
    snaps: Snapshots, dataset: Dataset, snap: TableSnapshot, query: _Query, read: Callable[[], pl.DataFrame]
) -> pl.DataFrame:
    """The page ``read()`` returns, kept per table version and query when it has at most :data:`KEPT_PAGE_ROWS` rows.

    What is kept is the scoped page before masking, keyed by everything it
    depends on (version, every grant's predicate and clearance, filters,
    sort, page), so it is served only to a read that would get exactly those
    rows; masking and the audit are done by every read, as for a fresh page.
    """
    if query.limit is None or query.limit > KEPT_PAGE_ROWS:
        return read()
    filters = tuple(
        sorted((k, tuple(map(str, v)) if isinstance(v, (list, tuple)) else str(v)) for k, v in query.filters.items())
    )
    key = (
        "page",
        snap.version,
        tuple(query.predicates),
        tuple(query.ranks),
        filters,
        tuple(query.sort),
        query.limit,
        query.offset,
    )
    return snaps.memo((dataset.id,), key, read)


def _total(
    snaps: Snapshots,
    dataset: Dataset,
    query: _Query,
    got: int,
    snap: TableSnapshot | None,
    source: Callable[[], duckdb.DuckDBPyConnection],
) -> int:
    """Rows of ``t`` in scope matching the filters, over all pages.

    Known without a query when the page was not full; from the Parquet
    footers when every row is visible and nothing is filtered; otherwise one
    ``count(*)`` over ``source()``'s ``t``, kept per table version, scope and
    filters (``snap`` None: a read of changes, counted each time).
    """
    if query.limit is None:
        return got
    if 0 < got < query.limit or (got == 0 and query.offset == 0 and query.limit > 0):
        return query.offset + got
    everything = not query.filters and all(p == "TRUE" for p in query.predicates)
    if snap is not None and everything and snap.version is not None and snap == snaps.current(dataset.id):
        return snaps.rows(dataset.id)
    where, params = filter_sql(dataset, query.filters)
    sql = f"select count(*) from t where ({' or '.join(query.predicates)}) {where}"

    def count() -> int:
        found = source().execute(sql, params).fetchall()  # to the end: fetchone() leaves the result unfinished
        return int(found[0][0]) if found else 0

    if snap is None:
        return count()
    key = ("count", snap.version, sql, tuple(map(str, params)))
    return snaps.memo((dataset.id,), key, count)


def _retired(con: duckdb.DuckDBPyConnection, home: Home, dataset: Dataset, predicates: list[str]) -> list[str]:
    """Row keys of rows in scope before the changes and not after: retired, or moved out of the scope."""
    keys = ", ".join(f'"{k}"' for k in dataset.primary_key)
    visible = " or ".join(predicates)
    frame = pl.from_arrow(
        con.sql(
            f"select {keys} from removed where {visible} except select {keys} from added where {visible}"
        ).to_arrow_table()
    )
    assert isinstance(frame, pl.DataFrame)
    return row_keys(home, dataset, frame).sort().to_list()


def _check_purpose(principal: Principal, purpose: str | None) -> str | None:
    if purpose is None:
        return None
    found = policy.purpose(purpose)
    if not any(r.purpose_unmask for r in principal.roles()):
        raise AccessDenied(
            f"{principal.name} 的角色不能以用途解除脱敏", f"{principal.name}'s roles cannot unmask for a purpose"
        )
    return found.id
