"""``/api/v1/submissions``: upload a file for validation and commit; history per organisation; one batch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from starlette.concurrency import run_in_threadpool

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import ApiError, error_responses
from edubrain.api.schemas import MAX_INT, MAX_PROBLEMS, BatchDetail, BatchPage, BatchSummary, SubmissionResult, Text
from edubrain.api.uploads import SubmissionForm, multipart_body, received_upload, submit_upload
from edubrain.exchange.report import Problem
from edubrain.governance import submissions
from edubrain.governance.submissions import IngestResult

router = APIRouter(prefix="/submissions", tags=["submissions"])


def submission_result(result: IngestResult) -> SubmissionResult:
    """The API view of an ingest result (the first problems one by one, all of them grouped in the report)."""
    return SubmissionResult(
        report=result.report,
        problems=[Problem(**p) for p in result.problems.head(MAX_PROBLEMS).to_dicts()],
        problems_total=result.problems.height,
        warnings=[Problem(**p) for p in result.warnings.head(MAX_PROBLEMS).to_dicts()],
    )


@router.post(
    "", response_model=SubmissionResult, status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 413, 503), openapi_extra=multipart_body(SubmissionForm),
)  # fmt: skip
async def submit(request: Request, home: HomeDep, principal: CurrentPrincipal) -> SubmissionResult:
    """报送一个文件：校验、按单位范围检查、整批提交；返回校验报告 / submit a file and get its validation report.

    A multipart form: the part ``file`` and the fields of :class:`~edubrain.api.uploads.SubmissionForm`.
    The caller is authenticated before the body is read, and the body is refused (413) as soon as it
    is over ``EDUBRAIN_MAX_UPLOAD_MB`` (see :mod:`edubrain.api.uploads`).
    The batch is recorded whatever happens: ``report.status`` is ``committed``,
    ``unchanged`` or ``rejected`` (nothing stored; see ``report.groups`` and ``problems``).
    """
    async with received_upload(request, home.settings) as upload:
        form = upload.form(SubmissionForm)
        result = await run_in_threadpool(
            submit_upload, home, principal, upload, form.dataset, form.org,
            mode=form.mode, accept_valid=form.accept_valid, sheet=form.sheet,
        )  # fmt: skip
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
    rows, count = submissions.batches(
        home, principal, org=org, dataset=dataset, status=batch_status, limit=limit, offset=offset
    )
    data = [BatchSummary.model_validate(b.summary) for b in rows]
    return BatchPage(data=data, count=count)


@router.get("/{batch_id}", response_model=BatchDetail, responses=error_responses(401, 404))
def details(
    batch_id: Annotated[str, Path(pattern="^[0-9A-Za-z_-]{1,64}$")], home: HomeDep, principal: CurrentPrincipal
) -> BatchDetail:
    """一个批次及其校验报告（按密级脱敏，读取留痕） / one batch with its validation report (masked, audited)."""
    found = submissions.batch(home, principal, batch_id)
    if found is None:
        raise ApiError(404, "not_found", f"没有可见的批次 {batch_id}", f"No visible batch {batch_id}", batch=batch_id)
    return BatchDetail.model_validate({**found.summary, "report": found.report})
