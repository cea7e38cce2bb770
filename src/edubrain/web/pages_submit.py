"""The submission page: drop a file, see the report inline with the file's bad cells marked, resubmit.

Also the organisation's submission history, one submission's report, and
(for a district) the submission status of each of its schools.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from edubrain.api.errors import ApiError
from edubrain.api.uploads import ReceivedUpload, WebSubmissionForm, read_upload, received_upload
from edubrain.catalog.models import Dataset
from edubrain.errors import EduBrainError, InputFileError
from edubrain.exchange.report import SubmissionReport
from edubrain.governance import submissions
from edubrain.governance.identity import Principal
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.governance.submissions import BatchRecord, OrgRecord
from edubrain.web.csrf import CsrfRefused
from edubrain.web.messages import t
from edubrain.web.navigation import may_submit
from edubrain.web.pages_cockpit import status_context
from edubrain.web.preview import file_preview
from edubrain.web.render import NotFound, Page, indicator_cache, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
HISTORY_ROWS = 50


def submitting_orgs(page: Page) -> list[OrgRecord]:
    """The organisations the principal may submit for: those of its grants whose role may submit."""
    return submissions.submitting_organisations(page.home, page.principal)


def submittable(page: Page, org_level: str) -> list[Dataset]:
    """Datasets an organisation at ``org_level`` submits (owned at its level or below; not derived)."""
    return submissions.submittable(page.home, org_level)


def history(page: Page, org_code: str) -> list[BatchRecord]:
    """The newest submissions of an organisation (inside the principal's scope)."""
    return submissions.batches(page.home, page.principal, org=org_code, limit=HISTORY_ROWS)[0]


def _form_context(page: Page, org_code: str | None) -> dict[str, Any]:
    orgs = submitting_orgs(page)
    org = next((o for o in orgs if o.code == org_code), orgs[0] if orgs else None)
    context: dict[str, Any] = {"orgs": orgs, "org": org, "datasets": submittable(page, org.level) if org else []}
    context["history"] = history(page, org.code) if org else []
    view = Scope.of(page.home, page.principal).viewpoint()
    if view.level == "district" and view.org_code:
        snap = indicator_cache(page.request).get(page.home)
        context.update(status_context(page, snap, view.org_code, "students"))
    return context


@router.get("/submit")
def submit_page(request: Request, org: str | None = None, dataset: str | None = None) -> Response:
    """The submission form, the organisation's history and, for a district, its schools' status."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_submit(page.home, page.principal):
        return page.error(AccessDenied(t("may_not_submit", "zh"), t("may_not_submit", "en")), 403)
    return page.render("submit.html", chosen=dataset, **_form_context(page, org))


def _check_org(principal: Principal, orgs: list[OrgRecord], org_code: str) -> OrgRecord:
    for org in orgs:
        if org.code == org_code:
            return org
    raise NotFound(
        f"{principal.name} 不能以单位 {org_code} 的身份报送", f"{principal.name} may not submit for {org_code}"
    )


@router.post("/submit")
async def submit_file(request: Request) -> Response:
    """Validate and submit an uploaded file; answer with the report and the marked preview.

    The visitor is identified before the body is read, and the body goes through the API's one
    upload path (:func:`edubrain.api.uploads.received_upload`: refused as it arrives once over
    ``EDUBRAIN_MAX_UPLOAD_MB``; rows, columns and XLSX inflation capped when read).
    """
    page = await run_in_threadpool(open_page, request)
    if page.web.principal is None:
        return page.login_redirect()
    partial = bool(request.headers.get("HX-Request"))
    try:
        async with received_upload(request, page.home.settings) as upload:
            return await run_in_threadpool(_submit_upload, page, upload, partial)
    except EduBrainError as exc:
        if isinstance(exc, ApiError):
            status = exc.status
        else:
            status = 403 if isinstance(exc, (NotFound, CsrfRefused)) else 400
        return await run_in_threadpool(page.error, exc, status, partial)


def _submit_upload(page: Page, upload: ReceivedUpload, partial: bool) -> Response:
    form = upload.form(WebSubmissionForm)
    chosen = _check_org(page.principal, submitting_orgs(page), form.org)
    if form.mode not in ("upsert", "replace-scope"):
        raise InputFileError(f"未知的报送方式 {form.mode}", f"Unknown mode {form.mode}")
    source = read_upload(page.home, upload)
    result = submissions.submit_source(
        page.home,
        page.principal,
        source,
        form.dataset,
        chosen.code,
        mode=form.mode,  # type: ignore[arg-type]
    )
    preview = file_preview(source, result.problems, page.lang)
    context: dict[str, Any] = {"report": result.report, "preview": preview, "org": chosen}
    if partial:
        response = page.render("_report.html", **context)
        response.headers["HX-Trigger"] = "submitted"
        return response
    return page.render("submit.html", chosen=form.dataset, **{**_form_context(page, chosen.code), **context})


@router.get("/submit/history")
def history_fragment(request: Request, org: str) -> Response:
    """The organisation's submissions (an HTMX fragment, refreshed after each submission)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    orgs = submitting_orgs(page)
    if org not in {o.code for o in orgs}:
        return page.error(out_of_scope(), 403, partial=True)
    return page.render("_history.html", history=history(page, org))


@router.get("/submit/batches/{batch_id}")
def batch_page(request: Request, batch_id: str) -> Response:
    """One submission's stored report (the organisation's own, or inside the user's scope)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    batch = submissions.batch(page.home, page.principal, batch_id)  # None when absent or out of scope
    if batch is None:
        return page.error(NotFound(t("not_found", "zh"), t("not_found", "en")), 404)
    report = SubmissionReport.model_validate(batch.report) if batch.report else None
    return page.render("batch.html", batch=batch, report=report)
