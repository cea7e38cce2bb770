"""Counts of rows through the governance door: row scope applied, only counts returned.

Dashboards (the cockpit's students, teachers and classes per school, the
rows each school has stored) need counts, not rows. :func:`count_rows`
gives them without any value of a person leaving the lake:

- the principal's row scope is applied first (the same predicates as
  :func:`~edubrain.governance.readpath.read_dataset`, from
  :mod:`edubrain.governance.scope`), so a count never covers a row the
  principal could not read;
- every field named to group by or to filter on must not identify a person
  (no ``pii`` kind), must be below sensitive personal information (L4),
  and must be within the principal's clearance: the principal could see
  these values unmasked row by row, so their counts reveal nothing more;
- the result is counts only, one row per group; with ``min_count`` a group
  counted 1 … ``min_count - 1`` is suppressed (its count is null), for
  counts shown to people beyond the principal;
- counts are not personal information and are not audited; they are kept
  per lake state (:meth:`~edubrain.store.snapshots.Snapshots.memo`), so a
  dashboard costs one ``group by`` per table version and scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from edubrain.catalog.models import Dataset
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import (
    AccessDenied,
    connection,
    drop_connection,
    filter_sql,
    grant_rank,
    level_rank,
    register_view,
    scope_predicates,
)
from edubrain.governance.suppression import null_small
from edubrain.home import Home
from edubrain.store.snapshots import snapshots

SENSITIVE_RANK = 4
"""L4, sensitive personal information: never a group or a filter of a count."""
COUNT = "rows"
"""The column of the counts."""


def check_countable(home: Home, dataset: Dataset, names: Sequence[str], clearance: int) -> None:
    """Refuse a field that identifies a person, is sensitive (L4) or lies above ``clearance`` (a level's rank).

    Raises:
        AccessDenied: naming the field and why.
    """
    for name in names:
        if name not in dataset.field_names:
            raise AccessDenied(
                f"数据集 {dataset.id} 没有字段 {name}", f"Dataset {dataset.id} has no field {name}", field=name
            )
        spec = dataset.field(name)
        rank = level_rank(home, spec.classification)
        if spec.pii is not None or rank >= SENSITIVE_RANK:
            raise AccessDenied(
                f"字段 {dataset.id}.{name} 可识别个人或属于敏感个人信息，不能用于分组统计",
                f"Field {dataset.id}.{name} identifies a person or is sensitive: it cannot be counted by",
                field=name,
            )
        if rank > clearance:
            raise AccessDenied(
                f"字段 {name} 高于您的密级，不能用于分组统计或筛选",
                f"Field {name} is above your clearance: it cannot be counted by or filtered on",
                field=name,
            )


def count_rows(
    home: Home,
    principal: Principal,
    dataset_id: str,
    by: Sequence[str] = (),
    filters: dict[str, Any] | None = None,
    *,
    min_count: int = 0,
    version: int | None = None,
) -> pl.DataFrame:
    """Rows of ``dataset_id`` inside ``principal``'s scope, counted per group of ``by``.

    Args:
        home: The installation.
        principal: Who counts; its row scope applies and its lowest clearance
            bounds the fields that may be named.
        dataset_id: The catalog dataset.
        by: Fields to group by (none: one row, the total).
        filters: Equality filters ``{field: value}`` (a list means any of).
        min_count: Suppress small cells: a group counted below this (and
            above 0) has a null count. 0 (the default) keeps every count.
        version: Lake version to count (default the newest).

    Returns:
        The ``by`` columns (sorted by them) and ``rows`` (Int64). Groups with
        no rows are absent; with no ``by``, one row even when the count is 0.

    Raises:
        AccessDenied: the principal may not read the dataset, or a field is
            unknown, identifying, sensitive or above its clearance.
    """
    dataset = home.catalog.dataset(dataset_id)
    predicates = scope_predicates(home, principal, dataset)
    clearance = min(grant_rank(home, g.role, None) for g in principal.grants)
    check_countable(home, dataset, [*by, *(filters or {})], clearance)
    snaps = snapshots(home.lake)
    snap = snaps.current(dataset.id) if version is None else snaps.at(dataset.id, version)
    where, params = filter_sql(dataset, filters or {})
    groups = ", ".join(f'"{b}"' for b in by)
    sql = (
        f"select {groups + ', ' if by else ''}count(*)::bigint as {COUNT} from counted "
        f"where ({' or '.join(predicates)}) {where}" + (f" group by {groups} order by {groups}" if by else "")
    )

    def count() -> pl.DataFrame:
        con = connection()
        try:
            register_view(con, "counted", dataset, snap.files)
            frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
        except Exception:
            drop_connection()
            raise
        assert isinstance(frame, pl.DataFrame)
        return frame

    counts = snaps.memo((dataset.id,), ("count_rows", snap.version, sql, tuple(map(str, params))), count)
    if min_count > 0:  # the same rule as the small cells of aggregate datasets (governance.suppression)
        counts = counts.with_columns(null_small(COUNT, min_count))
    return counts
