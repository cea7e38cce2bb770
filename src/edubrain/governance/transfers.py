"""Transfers: moving stored rows from one organisation to another, the one audited way to do it.

A submission may never take over a row stored for an organisation outside
the submitter's scope (see :func:`edubrain.exchange.rules.key_ownership`).
Moving a pupil to another school (转学, a 学籍异动) or a school to another
district is a transfer: done by a principal whose submitting scope covers
both the organisation that owns the rows now and the one that receives
them (a district bureau within its district, the city across districts;
schools move between districts at city level only), with a stated reason.
The moved rows are validated like any submission (a pupil's new class must
belong to the new school), committed as one lake version in ``transfer``
mode, and recorded in the audit trail as a ``transfer`` event in the same
transaction as the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from edubrain.catalog.models import Dataset
from edubrain.exchange.ingest import Exchange, IngestResult
from edubrain.exchange.readers import ROW_COLUMN, SourceTable
from edubrain.governance.duck import connection
from edubrain.governance.identity import Principal
from edubrain.governance.reports import STORED_CLEARANCE, mask_problems, mask_report
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.keyindex import KeyIndex
from edubrain.store.lake import parquet_list
from edubrain.store.orgs import resolve_organisation, scope_values
from edubrain.store.snapshots import snapshots

MAX_KEYS = 10_000
"""Rows one transfer may move."""


class TransferError(AccessDenied):
    """A transfer that cannot be made as asked (nothing was moved)."""

    code = "transfer_refused"


@dataclass(frozen=True)
class TransferRequest:
    """What to move: rows of ``dataset`` by primary key, to organisation ``to_org``, and why.

    ``class_id`` is the receiving class, for datasets whose rows name a class (a pupil moves into a class of
    the new school).
    """

    dataset: str
    keys: Sequence[str]
    to_org: str
    reason: str
    class_id: str | None = None


def _check(dataset: Dataset, request: TransferRequest) -> str:
    if dataset.derived or len(dataset.primary_key) != 1:
        raise TransferError(
            f"数据集 {dataset.title_zh} 不能转移（派生数据集或复合主键）",
            f"Rows of {dataset.title_en} cannot be transferred (derived, or a composite key)",
            dataset=dataset.id,
        )
    if not request.reason.strip() or not request.keys or len(request.keys) > MAX_KEYS:
        raise TransferError(
            f"转移须写明原因，并列出 1 至 {MAX_KEYS} 个主键",
            f"A transfer needs a reason and 1 to {MAX_KEYS} keys",
        )
    return dataset.primary_key[0]


def _stored(home: Home, dataset: Dataset, key: str, values: Sequence[str]) -> pl.DataFrame:
    """The stored rows whose ``key`` is one of ``values`` (the dataset's fields only)."""
    files = snapshots(home.lake).current(dataset.id).files
    if not files:
        return pl.DataFrame()
    cols = ", ".join(f'"{f}"' for f in dataset.field_names)
    sql = f'select {cols} from read_parquet({parquet_list(files)}) where cast("{key}" as varchar) in (select unnest(?))'
    frame = pl.from_arrow(connection().sql(sql, params=[sorted(set(values))]).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _source(rows: pl.DataFrame, dataset: Dataset, request: TransferRequest) -> SourceTable:
    """The moved rows as a submitted table (text columns headed by field names), owner and class replaced."""
    moved = rows.with_columns(pl.lit(request.to_org).alias(dataset.org_field))
    if request.class_id is not None and "class_id" in dataset.field_names:
        moved = moved.with_columns(pl.lit(request.class_id).alias("class_id"))
    text = [
        (pl.col(n).cast(pl.UInt8) if moved.schema[n] == pl.Boolean else pl.col(n)).cast(pl.String).alias(f"c{i}")
        for i, n in enumerate(dataset.field_names)
    ]
    frame = moved.select(pl.int_range(2, moved.height + 2, dtype=pl.UInt32).alias(ROW_COLUMN), *text)
    return SourceTable(frame, list(dataset.field_names), "transfer", "utf-8", "-", f"transfer:{dataset.id}")


def _covering_org(home: Home, index: KeyIndex, scope: Scope, dataset: Dataset, owners: set[str], to: str) -> str:
    """A submitting organisation of the principal whose scope holds both the present owners and ``to``."""
    with session_scope(home.engine) as session:
        refs = [resolve_organisation(session, index, code) for code in scope.submit_orgs()]
    for ref in refs:
        allowed = scope_values(ref, dataset, index)
        if allowed is None or owners | {to} <= set(allowed):
            return ref.code
    raise TransferError(
        "转移须由同时管辖转出单位和转入单位的账户办理（区内转学由区教委，跨区由市教委）",
        "A transfer needs an account whose scope holds both the present owner and the receiving organisation "
        "(the district bureau within a district, the city across districts)",
        to=to,
    )


def transfer_rows(home: Home, principal: Principal, request: TransferRequest) -> IngestResult:
    """Move the rows of ``request.keys`` to ``request.to_org`` as one audited batch (see the module docstring).

    Raises:
        TransferError: a key is not stored inside the principal's scope (stored elsewhere reads the same as
            absent), the principal's scope does not hold both sides, or the request is malformed.
        AccessDenied: the principal may not submit at all.
    """
    dataset = home.catalog.dataset(request.dataset)
    key = _check(dataset, request)
    scope = Scope.of(home, principal)
    if not scope.submit_orgs():
        raise AccessDenied(f"{principal.name} 的角色不能报送或转移数据", f"{principal.name}'s roles may not move data")
    with Exchange(home) as exchange:
        assert exchange.index is not None
        rows = _stored(home, dataset, key, request.keys)
        owners = set(rows.get_column(dataset.org_field).cast(pl.String).to_list()) if rows.height else set()
        visible = scope.org_codes()
        if rows.height != len(set(request.keys)) or (visible is not None and not owners <= visible):
            raise TransferError(
                "有主键不在您的管辖范围内（或不存在），未转移任何数据",
                "Some keys are not stored inside your scope (or not at all); nothing was moved",
            )
        org = _covering_org(home, exchange.index, scope, dataset, owners, request.to_org)
        move = {"from": sorted(owners), "to": request.to_org, "reason": request.reason}
        source = _source(rows, dataset, request)
        result = exchange.submit(source, dataset.id, org, mode="transfer", actor=principal.id, transfer=move)
    report = result.report
    masked = mask_report(home, report, STORED_CLEARANCE)  # the mover's report, like a stored one: no L4 value
    return IngestResult(masked, mask_problems(home, dataset, result.problems, STORED_CLEARANCE), result.warnings)
