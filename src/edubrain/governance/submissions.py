"""The write door and the submission records, for every adapter (API, web pages, node push).

Adapters never open the operational database or the exchange themselves:
they call these functions with the principal, and get back what that
principal may see, already scoped (and, for reports, masked and audited).
Each function owns its transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, false, func, select, true

from edubrain.catalog.models import Dataset
from edubrain.exchange.ingest import Exchange, IngestResult, Mode
from edubrain.exchange.readers import SourceTable
from edubrain.exchange.report import SubmissionReport
from edubrain.exchange.status import BATCH_SCHEMA
from edubrain.governance.audit import as_utc, record_event
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import grant_rank
from edubrain.governance.reports import mask_problems, mask_report
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.history import VersionEntry, dataset_history
from edubrain.store.models import Organisation, SubmissionBatch
from edubrain.store.orgs import LEVEL_RANK

__all__ = ["BatchRecord", "IngestResult", "Mode", "OrgRecord", "VersionEntry"]


@dataclass(frozen=True)
class OrgRecord:
    """An organisation as adapters show it."""

    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class BatchRecord:
    """One submission batch as a reader in scope sees it (``report`` masked to the reader's clearance)."""

    batch_id: str
    dataset: str
    org_code: str
    file: str
    mode: str
    status: str
    version: int | None
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_added: int
    rows_changed: int
    rows_retired: int
    message: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    report: dict[str, Any] | None = None

    @property
    def summary(self) -> dict[str, Any]:
        """The fields without the report."""
        return {k: v for k, v in self.__dict__.items() if k != "report"}


def _record(b: SubmissionBatch, report: dict[str, Any] | None = None) -> BatchRecord:
    return BatchRecord(
        b.id, b.dataset, b.org_code, b.source_name, b.mode, b.status, b.lake_version, b.rows_read, b.rows_accepted,
        b.rows_rejected, b.rows_added, b.rows_changed, b.rows_retired, b.message, as_utc(b.created_at),
        None if b.finished_at is None else as_utc(b.finished_at), report,
    )  # fmt: skip


def _clearance(home: Home, scope: Scope, org_code: str) -> int:
    """The highest clearance among the grants whose record scope includes ``org_code``."""
    return max((grant_rank(home, g.role, None) for g in scope.grants_over(org_code)), default=0)


def submit_source(
    home: Home,
    principal: Principal,
    source: SourceTable,
    dataset_id: str,
    org: str | None = None,
    *,
    mode: Mode = "upsert",
    accept_valid: bool = False,
) -> IngestResult:
    """Submit a file already read, as ``principal`` for ``org`` (default its only submitting organisation).

    The result's report and problems are masked to the submitter's clearance.

    Raises:
        AccessDenied: the principal may not submit, or not as ``org``.
        UnknownDatasetError, ScopeError: nothing was stored.
    """
    home.catalog.dataset(dataset_id)
    if mode == "transfer":
        raise AccessDenied("转移须通过转移功能办理", "Transfers go through the transfer function")
    scope = Scope.of(home, principal)
    org_code = scope.submitting_org(org)
    with Exchange(home) as exchange:
        result = exchange.submit(source, dataset_id, org_code, mode=mode, accept_valid=accept_valid, actor=principal.id)
    clearance = _clearance(home, scope, org_code)
    dataset = home.catalog.dataset(dataset_id)
    return IngestResult(
        mask_report(home, result.report, clearance),
        mask_problems(home, dataset, result.problems, clearance),
        result.warnings,
    )


def _visible(scope: Scope) -> ColumnElement[bool]:
    codes = scope.org_codes()
    if codes is None:
        return true()
    return SubmissionBatch.org_code.in_(sorted(codes)) if codes else false()


def batches(
    home: Home,
    principal: Principal,
    *,
    org: str | None = None,
    dataset: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[BatchRecord], int]:
    """Submission batches inside the principal's scope, newest first, and how many there are (without reports)."""
    query = select(SubmissionBatch).where(_visible(Scope.of(home, principal)))
    for column, value in ((SubmissionBatch.org_code, org), (SubmissionBatch.dataset, dataset)):
        if value is not None:
            query = query.where(column == value)
    if status is not None:
        query = query.where(SubmissionBatch.status == status)
    with session_scope(home.engine) as session:
        count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        order = (SubmissionBatch.created_at.desc(), SubmissionBatch.id)
        rows = [_record(b) for b in session.scalars(query.order_by(*order).limit(limit).offset(offset))]
    return rows, count


def batch(home: Home, principal: Principal, batch_id: str) -> BatchRecord | None:
    """One batch with its report masked to the reader's clearance, or None if absent or out of scope.

    Reading a report is recorded in the audit trail (a report quotes personal values).
    """
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        found = session.scalar(select(SubmissionBatch).where(SubmissionBatch.id == batch_id, _visible(scope)))
        if found is None:
            return None
        report = None
        if found.report:
            stored = SubmissionReport.model_validate(found.report)
            report = mask_report(home, stored, _clearance(home, scope, found.org_code)).model_dump(mode="json")
            record_event(
                session, actor=principal.id, action="report_read", org_code=found.org_code, dataset=found.dataset,
                row_count=stored.problem_count, minors=True, detail={"batch": found.id},
            )  # fmt: skip
        return _record(found, report)


def dataset_versions(home: Home, principal: Principal, dataset_id: str) -> list[VersionEntry]:
    """The versions of a dataset the principal may see: those made by organisations in scope, and the platform's.

    Raises:
        AccessDenied: the principal may not read the dataset.
    """
    scope = Scope.of(home, principal)
    scope.predicates(home.catalog.dataset(dataset_id))
    return [e for e in dataset_history(home.lake, dataset_id) if e.org is None or scope.sees_org(e.org)]


def organisations(home: Home, codes: list[str]) -> list[OrgRecord]:
    """The organisations of ``codes`` that exist, in that order (names are public)."""
    if not codes:
        return []
    with session_scope(home.engine) as session:
        found = {o.code: o for o in session.scalars(select(Organisation).where(Organisation.code.in_(codes)))}
    return [OrgRecord(o.code, o.name_zh, o.name_en, o.level, o.parent_code) for c in codes if (o := found.get(c))]


def submittable(home: Home, org_level: str) -> list[Dataset]:
    """Datasets an organisation at ``org_level`` submits (owned at its level or below; not derived)."""
    rank = LEVEL_RANK[org_level]
    datasets = sorted(home.catalog.datasets.values(), key=lambda d: d.id)
    return [d for d in datasets if not d.derived and rank <= LEVEL_RANK[d.owner_level]]


def submitting_organisations(home: Home, principal: Principal) -> list[OrgRecord]:
    """The organisations the principal may submit as."""
    return organisations(home, Scope.of(home, principal).submit_orgs())


def batch_table(home: Home, principal: Principal, dataset: str | None = None) -> pl.DataFrame:
    """Batches in scope as a table (org_code, dataset, status, times, problem count), for submission status."""
    query = select(
        SubmissionBatch.org_code, SubmissionBatch.dataset, SubmissionBatch.status, SubmissionBatch.created_at,
        SubmissionBatch.finished_at, SubmissionBatch.report,
    ).where(_visible(Scope.of(home, principal)))  # fmt: skip
    if dataset is not None:
        query = query.where(SubmissionBatch.dataset == dataset)
    with session_scope(home.engine) as session:
        rows = [
            {"org_code": o, "dataset": d, "status": s, "created_at": as_utc(c),
             "finished_at": None if f is None else as_utc(f), "problem_count": int((r or {}).get("problem_count", 0))}
            for o, d, s, c, f, r in session.execute(query)
        ]  # fmt: skip
    return pl.DataFrame(rows, schema=BATCH_SCHEMA)
