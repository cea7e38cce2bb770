"""The credit-bank pages (学分银行): the learner's archive and the institution's recognition queue.

- ``/credit-bank`` — a learner's account, progress toward its programme (totals, per category, what is missing),
  the timeline of its outcomes with each decision's explanation, its credentials (JSON download) and a deposit form;
- ``/credit-bank/queue`` — a reviewer's queue: the deposits addressed to its institution with the rule engine's
  explained proposal, forms to recognise, recognise in part or refuse, and the decided ones (revoke).

Everything goes through :mod:`edubrain.credit_bank.service` (who may, audit); the routes ask the rules the
navigation asks (:func:`~edubrain.web.navigation.may_view_credit_bank`, ``may_review_credits``). Forms carry the
CSRF token (the evidence upload, a multipart form, in its body); an action redirects back (303).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from edubrain.api.uploads import received_upload
from edubrain.credit_bank import service as bank
from edubrain.errors import EduBrainError
from edubrain.web.messages import pick
from edubrain.web.navigation import may_review_credits, may_view_credit_bank
from edubrain.web.pages_credit_bank_labels import LABELS
from edubrain.web.render import Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
BASE = "/credit-bank"
QUEUE = BASE + "/queue"


def _opened(request: Request, rule: Any) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not rule(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _labels(page: Page) -> dict[str, str]:
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def _names(page: Page) -> dict[str, Any]:
    two = {"kinds": bank.KINDS, "formalities": bank.FORMALITIES, "settings": bank.SETTINGS,
           "states": bank.STATE_NAMES, "decisions": bank.DECISIONS}  # fmt: skip
    names: dict[str, Any] = {k: {i: pick(page.lang, *v) for i, v in d.items()} for k, d in two.items()}
    names["institutions"] = {c: pick(page.lang, zh, en) for c, zh, en in bank.authorised_institutions(page.home)}
    return names


@router.get(BASE)
def credit_bank_archive(request: Request) -> Response:
    """The learner's archive: account, progress, timeline with explanations, credentials, deposit form."""
    page = _opened(request, may_view_credit_bank)
    if isinstance(page, Response):
        return page
    try:
        account = bank.my_account(page.home, page.principal)
        deposits = bank.my_deposits(page.home, page.principal) if account else []
        progress = bank.progress(page.home, page.principal) if account else None
    except EduBrainError as exc:
        return page.error(exc)
    labels = _labels(page)
    return page.render("credit_bank.html", page_title=labels["title"], labels=labels, account=account,
                       deposits=deposits, progress=progress, names=_names(page), base=BASE)  # fmt: skip


@router.post(BASE + "/deposits")
def credit_bank_deposit(request: Request, institution: str = Form(""), kind: str = Form(""),
                        formality: str = Form(""), setting: str = Form(""), title: str = Form(""),
                        provider: str = Form(""), credits: str = Form("0"), completed_on: str = Form(""),
                        code: str = Form(""), category: str = Form("")) -> Response:  # fmt: skip
    """Deposit one outcome from the archive's form."""
    page = _opened(request, may_view_credit_bank)
    if isinstance(page, Response):
        return page
    fields = {"kind": kind, "formality": formality, "setting": setting, "title": title, "provider": provider,
              "credits": credits, "completed_on": completed_on, "code": code, "category": category}  # fmt: skip
    try:
        bank.deposit(page.home, page.principal, institution, fields)
    except EduBrainError as exc:
        return page.error(exc)
    return page.redirect(BASE)


@router.post(BASE + "/deposits/{deposit_id}/evidence")
async def credit_bank_evidence(request: Request, deposit_id: str) -> Response:
    """Upload one evidence file for a deposit awaiting a decision (its learner or its institution)."""
    page = await run_in_threadpool(_opened, request, lambda h, p: bank.may_use(p) or bank.may_review(p))
    if isinstance(page, Response):
        return page
    try:
        async with received_upload(request, page.home.settings) as upload:
            data = await run_in_threadpool(upload.path.read_bytes)
            await run_in_threadpool(bank.add_evidence, page.home, page.principal, deposit_id, upload.name, data)
    except EduBrainError as exc:
        return page.error(exc)
    return page.redirect(QUEUE if bank.may_review(page.principal) and not bank.may_use(page.principal) else BASE)


@router.get(BASE + "/evidence/{evidence_id}")
def credit_bank_evidence_download(request: Request, evidence_id: str) -> Response:
    """Download one evidence file (audited; out of reach answers 404)."""
    page = _opened(request, lambda h, p: bank.may_use(p) or bank.may_review(p))
    if isinstance(page, Response):
        return page
    try:
        found = bank.read_evidence(page.home, page.principal, evidence_id)
    except EduBrainError as exc:
        return page.error(exc)
    disposition = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
    return Response(found.data, media_type=found.content_type, headers={"Content-Disposition": disposition})


@router.get(BASE + "/credentials/{credential_id}.json")
def credit_bank_credential(request: Request, credential_id: str) -> Response:
    """Download one signed credential as JSON (its learner or its institution)."""
    page = _opened(request, lambda h, p: bank.may_use(p) or bank.may_review(p))
    if isinstance(page, Response):
        return page
    try:
        document = bank.credential_document(page.home, page.principal, credential_id)
    except EduBrainError as exc:
        return page.error(exc)
    name = quote(credential_id.rsplit(":", 1)[-1])
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return Response(body, media_type="application/vc+ld+json",
                    headers={"Content-Disposition": f'attachment; filename="credential-{name}.json"'})  # fmt: skip


@router.get(QUEUE)
def credit_bank_queue(request: Request) -> Response:
    """The institution's queue with the rule engine's explained proposal for each deposit, and decided ones."""
    page = _opened(request, may_review_credits)
    if isinstance(page, Response):
        return page
    try:
        waiting = bank.queue(page.home, page.principal)
        proposals = {d.id: bank.preview(page.home, page.principal, d.id) for d in waiting}
        decided = [d for d in bank.queue(page.home, page.principal, None) if d.state != "deposited"]
    except EduBrainError as exc:
        return page.error(exc)
    labels = _labels(page)
    return page.render("credit_bank_queue.html", page_title=labels["queue_title"], labels=labels, waiting=waiting,
                       proposals=proposals, decided=decided, names=_names(page), base=BASE)  # fmt: skip


@router.post(QUEUE + "/{deposit_id}/decision")
def credit_bank_decide(request: Request, deposit_id: str, decision: str = Form(""), credits: str = Form(""),
                       reason: str = Form("")) -> Response:  # fmt: skip
    """Recognise, recognise in part or refuse one deposit."""
    page = _opened(request, may_review_credits)
    if isinstance(page, Response):
        return page
    try:
        amount = float(credits) if credits.strip() else None
    except ValueError:
        amount = -1.0
    try:
        bank.decide(page.home, page.principal, deposit_id, decision, credits=amount, reason=reason)
    except EduBrainError as exc:
        return page.error(exc)
    return page.redirect(QUEUE)


@router.post(QUEUE + "/revoke")
def credit_bank_revoke(request: Request, credential_id: str = Form(""), reason: str = Form("")) -> Response:
    """Revoke a credential the institution issued (its bit in the status list is set)."""
    page = _opened(request, may_review_credits)
    if isinstance(page, Response):
        return page
    try:
        bank.revoke(page.home, page.principal, credential_id, reason)
    except EduBrainError as exc:
        return page.error(exc)
    return page.redirect(QUEUE)
