"""The submission page: drop a file, see the report inline with the file's bad cells marked, resubmit.

Also the organisation's submission history, one submission's report, and
(for a district) the submission status of each of its schools.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select

from edubrain.catalog.models import Dataset
from edubrain.errors import EduBrainError, InputFileError
from edubrain.exchange.ingest import Exchange
from edubrain.exchange.readers import read_source
from edubrain.exchange.report import SubmissionReport
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation, SubmissionBatch
from edubrain.store.orgs import _LEVEL_RANK
from edubrain.web.cockpit import viewpoint
from edubrain.web.messages import t
from edubrain.web.pages_cockpit import status_context
from edubrain.web.preview import file_preview
from edubrain.web.render import NotFound, Page, indicator_cache, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
HISTORY_ROWS = 50


def submitting_orgs(page: Page) -> list[Organisation]:
    """The organisations the principal may submit for: those of its grants whose role may submit."""
    codes = [g.org_code for g in page.principal.grants if role(g.role).may_submit]
    if not codes:
        return []
    with session_scope(page.home.engine) as db:
        found = {o.code: o for o in db.scalars(select(Organisation).where(Organisation.code.in_(codes)))}
    return [found[c] for c in dict.fromkeys(codes) if c in found]


def submittable(page: Page, org_level: str) -> list[Dataset]:
    """Datasets an organisation at ``org_level`` submits (owned at its level or below; not derived)."""
    rank = _LEVEL_RANK[org_level]
    return [
        d
        for d in sorted(page.home.catalog.datasets.values(), key=lambda d: d.id)
        if not d.derived_from and rank <= _LEVEL_RANK[d.owner_level]
    ]


def history(page: Page, org_code: str) -> list[SubmissionBatch]:
    """The newest submissions of an organisation."""
    with session_scope(page.home.engine) as db:
        query = (
            select(SubmissionBatch)
            .where(SubmissionBatch.org_code == org_code)
            .order_by(SubmissionBatch.created_at.desc())
            .limit(HISTORY_ROWS)
        )
        return list(db.scalars(query))


def _form_context(page: Page, org_code: str | None) -> dict[str, Any]:
    orgs = submitting_orgs(page)
    org = next((o for o in orgs if o.code == org_code), orgs[0] if orgs else None)
    context: dict[str, Any] = {"orgs": orgs, "org": org, "datasets": submittable(page, org.level) if org else []}
    context["history"] = history(page, org.code) if org else []
    view = viewpoint(page.principal)
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
    return page.render("submit.html", chosen=dataset, **_form_context(page, org))


def _save_upload(upload: UploadFile, folder: Path) -> Path:
    name = Path(upload.filename or "upload.csv").name or "upload.csv"
    path = folder / name
    with open(path, "wb") as out:
        shutil.copyfileobj(upload.file, out, length=1024 * 1024)
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise InputFileError(
            f"文件过大（超过 {MAX_UPLOAD_BYTES // 2**20} MB）：请分批报送",
            f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB: split it into several submissions",
        )
    return path


def _check_org(principal: Principal, orgs: list[Organisation], org_code: str) -> Organisation:
    for org in orgs:
        if org.code == org_code:
            return org
    raise NotFound(
        f"{principal.name} 不能以单位 {org_code} 的身份报送", f"{principal.name} may not submit for {org_code}"
    )


@router.post("/submit")
def submit_file(
    request: Request,
    file: Annotated[UploadFile, File()],
    dataset: Annotated[str, Form()],
    org: Annotated[str, Form()],
    mode: Annotated[str, Form()] = "upsert",
) -> Response:
    """Validate and submit an uploaded file; answer with the report and the marked preview."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    partial = bool(request.headers.get("HX-Request"))
    try:
        chosen = _check_org(page.principal, submitting_orgs(page), org)
        if mode not in ("upsert", "replace-scope"):
            raise InputFileError(f"未知的报送方式 {mode}", f"Unknown mode {mode}")
        with tempfile.TemporaryDirectory(prefix="edubrain-upload-") as folder:
            source = read_source(_save_upload(file, Path(folder)))
            with Exchange(page.home) as exchange:
                result = exchange.submit(source, dataset, chosen.code, mode=mode)  # type: ignore[arg-type]
    except EduBrainError as exc:
        return page.error(exc, 400 if not isinstance(exc, NotFound) else 403, partial=partial)
    preview = file_preview(source, result.problems, page.lang)
    context: dict[str, Any] = {"report": result.report, "preview": preview, "org": chosen}
    if partial:
        response = page.render("_report.html", **context)
        response.headers["HX-Trigger"] = "submitted"
        return response
    return page.render("submit.html", chosen=dataset, **{**_form_context(page, chosen.code), **context})


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
    with session_scope(page.home.engine) as db:
        batch = db.get(SubmissionBatch, batch_id)
        owner = db.get(Organisation, batch.org_code) if batch is not None else None
        parent = owner.parent_code if owner is not None else None
    view = viewpoint(page.principal)
    visible = batch is not None and (
        view.level == "city"
        or batch.org_code == view.org_code
        or (view.level == "district" and parent == view.org_code)
        or batch.org_code in {o.code for o in submitting_orgs(page)}
    )
    if batch is None or not visible:
        return page.error(NotFound(t("not_found", "zh"), t("not_found", "en")), 404)
    report = SubmissionReport.model_validate(batch.report) if batch.report else None
    return page.render("batch.html", batch=batch, report=report)
