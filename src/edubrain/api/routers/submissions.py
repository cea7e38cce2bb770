"""``/api/v1/submissions``: upload a file for validation and commit; history per organisation; one batch."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Query, UploadFile, status
from sqlalchemy import ColumnElement, false, func, or_, select, true

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import ApiError, error_responses
from edubrain.api.schemas import MAX_INT, MAX_PROBLEMS, BatchDetail, BatchPage, BatchSummary, SubmissionResult, Text
from edubrain.api.uploads import submit_upload
from edubrain.exchange.ingest import IngestResult
from edubrain.exchange.report import Problem
from edubrain.governance import policy
from edubrain.governance.audit import as_utc
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import AccessDenied
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation, SubmissionBatch

router = APIRouter(prefix="/submissions", tags=["submissions"])


def submitting_org(principal: Principal, org: str | None) -> str:
    """The organisation ``principal`` submits as: ``org`` if one of its submitting grants is there, else its only one."""
    orgs = sorted({g.org_code for g in principal.grants if policy.role(g.role).may_submit})
    if not orgs:
        raise AccessDenied(f"{principal.name} 的角色不能报送数据", f"{principal.name}'s roles may not submit data")
    if org is None and len(orgs) == 1:
        return orgs[0]
    if org is None:
        raise ApiError(
            422,
            "org_required",
            f"请指明报送单位（org）：{', '.join(orgs)}",
            f"Name the submitting org: {', '.join(orgs)}",
        )
    if org not in orgs:
        raise AccessDenied(
            f"{principal.name} 不能以单位 {org} 报送", f"{principal.name} may not submit as {org}", org=org
        )
    return org


def submission_result(result: IngestResult) -> SubmissionResult:
    """The API view of an ingest result (the first problems one by one, all of them grouped in the report)."""
    return SubmissionResult(
        report=result.report,
        problems=[Problem(**p) for p in result.problems.head(MAX_PROBLEMS).to_dicts()],
        problems_total=result.problems.height,
        warnings=[Problem(**p) for p in result.warnings.head(MAX_PROBLEMS).to_dicts()],
    )


def visible_batches(principal: Principal) -> ColumnElement[bool]:
    """Batches of the organisations in the principal's scope: all (city), a district and its schools, a school."""
    clauses: list[ColumnElement[bool]] = []
    for g in principal.grants:
        scope = policy.role(g.role).scope
        if scope in ("class", "self", "children", "none"):
            continue
        if g.org_level == "city":
            return true()
        clauses.append(SubmissionBatch.org_code == g.org_code)
        if g.org_level == "district":
            schools = select(Organisation.code).where(Organisation.parent_code == g.org_code)
            clauses.append(SubmissionBatch.org_code.in_(schools))
    return or_(*clauses) if clauses else false()


def batch_summary(b: SubmissionBatch) -> dict[str, object]:
    """The fields of :class:`BatchSummary` from a stored batch (times as aware UTC, also from SQLite)."""
    return {
        "batch_id": b.id, "dataset": b.dataset, "org_code": b.org_code, "file": b.source_name, "mode": b.mode,
        "status": b.status, "version": b.lake_version, "rows_read": b.rows_read, "rows_accepted": b.rows_accepted,
        "rows_rejected": b.rows_rejected, "rows_added": b.rows_added, "rows_changed": b.rows_changed,
        "rows_retired": b.rows_retired, "message": b.message, "created_at": as_utc(b.created_at),
        "finished_at": None if b.finished_at is None else as_utc(b.finished_at),
    }  # fmt: skip


@router.post(
    "", response_model=SubmissionResult, status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 413, 503),
)  # fmt: skip
def submit(
    home: HomeDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File(description="CSV (UTF-8/GBK), XLSX or JSON Lines")],
    dataset: Annotated[Text, Form(max_length=64, description="Dataset id, e.g. students")],
    org: Annotated[
        Text | None, Form(max_length=16, description="Submitting organisation (default: the caller's only one)")
    ] = None,
    mode: Annotated[Literal["upsert", "replace-scope"], Form()] = "upsert",
    accept_valid: Annotated[bool, Form(description="Commit the valid rows even if others are rejected")] = False,
    sheet: Annotated[Text | None, Form(max_length=100, description="XLSX sheet")] = None,
) -> SubmissionResult:
    """报送一个文件：校验、按单位范围检查、整批提交；返回校验报告 / submit a file and get its validation report.

    The batch is recorded whatever happens: ``report.status`` is ``committed``,
    ``unchanged`` or ``rejected`` (nothing stored; see ``report.groups`` and ``problems``).
    """
    org_code = submitting_org(principal, org)
    result = submit_upload(home, file, dataset, org_code, mode=mode, accept_valid=accept_valid, sheet=sheet)
    return submission_result(result)


@router.get("", response_model=BatchPage, responses=error_responses(401))
def history(
    home: HomeDep,
    principal: CurrentPrincipal,
    org: Annotated[Text | None, Query(max_length=16, description="Only this organisation")] = None,
    dataset: Annotated[Text | None, Query(max_length=64)] = None,
    batch_status: Annotated[Text | None, Query(alias="status", max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> BatchPage:
    """报送记录（本单位及下级单位，新的在前） / submission batches in the caller's scope, newest first."""
    query = select(SubmissionBatch).where(visible_batches(principal))
    for column, value in (
        (SubmissionBatch.org_code, org),
        (SubmissionBatch.dataset, dataset),
        (SubmissionBatch.status, batch_status),
    ):
        if value is not None:
            query = query.where(column == value)
    with session_scope(home.engine) as session:
        count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(SubmissionBatch.created_at.desc(), SubmissionBatch.id).limit(limit).offset(offset)
        )
        data = [BatchSummary.model_validate(batch_summary(b)) for b in rows]
    return BatchPage(data=data, count=count)


@router.get("/{batch_id}", response_model=BatchDetail, responses=error_responses(401, 404))
def details(
    batch_id: Annotated[str, Path(pattern="^[0-9A-Za-z_-]{1,64}$")], home: HomeDep, principal: CurrentPrincipal
) -> BatchDetail:
    """一个批次及其完整校验报告 / one batch with its stored validation report."""
    with session_scope(home.engine) as session:
        batch = session.scalar(
            select(SubmissionBatch).where(SubmissionBatch.id == batch_id, visible_batches(principal))
        )
        if batch is None:
            raise ApiError(
                404, "not_found", f"没有可见的批次 {batch_id}", f"No visible batch {batch_id}", batch=batch_id
            )
        return BatchDetail.model_validate({**batch_summary(batch), "report": batch.report})
