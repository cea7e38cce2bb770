"""The 接诉即办 pages: the public form and lookup (no login), the office queue, one case, the SLA dashboard.

``/service`` files a case (anyone; CSRF token, size limits, rate limit per client) and shows the case code and the
check code once; ``/service/lookup`` shows a citizen's case by both codes and takes the rating. ``/service/queue``,
``/service/cases/{id}`` and ``/service/dashboard`` are for district and city staff
(:func:`~edubrain.web.navigation.may_view_public_service`, the rule the navigation asks too). Everything goes through
the facade :mod:`edubrain.public_service`; a case out of scope answers like an unknown one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from edubrain import public_service as ps
from edubrain.errors import EduBrainError
from edubrain.governance.public_service import invalid
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_public_service
from edubrain.web.public_service_labels import CHANNEL_NAMES, LABELS, STATUS_NAMES, STEP_NAMES
from edubrain.web.render import Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
BASE = "/service"


def labels(page: Page) -> dict[str, str]:
    """The page's wording in its language."""
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def names(page: Page) -> dict[str, Any]:
    """Names of statuses, steps, channels, categories, offices and districts in the page's language."""
    tax = ps.load_taxonomy()

    def lang(table: dict[str, tuple[str, str]]) -> dict[str, str]:
        return {k: pick(page.lang, *v) for k, v in table.items()}

    return {
        "status": lang(STATUS_NAMES), "step": lang(STEP_NAMES), "channel": lang(CHANNEL_NAMES),
        "category": {k: pick(page.lang, c.zh, c.en) for k, c in tax.categories.items()},
        "office": {k: pick(page.lang, o.zh, o.en) for k, o in tax.offices.items()},
        "district": {k: pick(page.lang, *v) for k, v in ps.districts(page.home).items()},
    }  # fmt: skip


def _render(page: Page, template: str, status_code: int = 200, **context: Any) -> Response:
    return page.render(template, status_code=status_code, labels=labels(page), n=names(page), base=BASE, **context)


@router.get(BASE)
def intake_form(request: Request) -> Response:
    """The public form (no login)."""
    page = open_page(request)
    return _render(page, "service_intake.html", form={})


@router.post(BASE)
def intake_post(
    request: Request, text: str = Form("", max_length=4000), district: str = Form("", max_length=16),
    school: str = Form("", max_length=16), name: str = Form("", max_length=60), phone: str = Form("", max_length=30),
) -> Response:  # fmt: skip
    """File the case; the receipt (both codes) is shown once, an error re-shows the form with what was typed."""
    page = open_page(request)
    client = request.client.host if request.client else None
    try:
        receipt = ps.file_case(page.home, text=text, district=district, school=school or None, name=name, phone=phone,
                               client=client, principal=page.web.principal)  # fmt: skip
    except EduBrainError as exc:
        form = {"text": text, "district": district, "school": school, "name": name, "phone": phone}
        status = 429 if exc.code == "rate_limited" else 422
        return _render(page, "service_intake.html", status, form=form, problem=exc.message(page.lang))
    return _render(page, "service_receipt.html", receipt=receipt)


@router.get(BASE + "/lookup")
def lookup_form(request: Request) -> Response:
    """The citizen's lookup form."""
    return _render(open_page(request), "service_lookup.html", case=None)


@router.post(BASE + "/lookup")
def lookup_post(request: Request, code: str = Form("", max_length=32), check_code: str = Form("", max_length=16),
                satisfaction: int | None = Form(None)) -> Response:  # fmt: skip
    """Show the case of a code and check code; with ``satisfaction`` also rate it."""
    page = open_page(request)
    try:
        case = (ps.rate(page.home, code, check_code, satisfaction) if satisfaction is not None
                else ps.lookup(page.home, code, check_code))  # fmt: skip
    except EduBrainError as exc:
        status = 404 if exc.code == "not_found" else 422
        return _render(page, "service_lookup.html", status, case=None, problem=exc.message(page.lang), code=code)
    return _render(page, "service_lookup.html", case=case, code=code, check_code=check_code)


def _staff(request: Request) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_public_service(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


@router.get(BASE + "/queue")
def queue(request: Request, district: str = "", office: str = "", status: str = "", category: str = "",
          overdue: bool = False, since: str = "") -> Response:  # fmt: skip
    """The work queue of the viewer's districts, filtered."""
    page = _staff(request)
    if isinstance(page, Response):
        return page
    try:
        start = dt.date.fromisoformat(since) if since else None
        found = ps.list_cases(page.home, page.principal, district=district or None, office=office or None,
                              status=status or None, category=category or None, overdue=overdue, since=start)  # fmt: skip
    except ValueError:
        return page.error(invalid("since", f"{since!r} 应为 YYYY-MM-DD", f"{since!r} must be YYYY-MM-DD"), 422)
    except EduBrainError as exc:
        return page.error(exc)
    chosen = {"district": district, "office": office, "status": status, "category": category, "overdue": overdue,
              "since": since}  # fmt: skip
    return _render(page, "service_queue.html", cases=found, chosen=chosen, statuses=ps.STATUSES)


@router.get(BASE + "/cases/{case_id}")
def case_page(request: Request, case_id: str) -> Response:
    """One case, its history and the viewer's steps."""
    page = _staff(request)
    if isinstance(page, Response):
        return page
    try:
        found = ps.case_detail(page.home, page.principal, case_id)
    except EduBrainError as exc:
        return page.error(exc)
    return _render(page, "service_case.html", c=found)


@router.post(BASE + "/cases/{case_id}/{step}")
def case_step(request: Request, case_id: str, step: str, category: str = Form(""), office: str = Form(""),
              response: str = Form("", max_length=2000), note: str = Form("", max_length=1000)) -> Response:  # fmt: skip
    """Take a step and come back to the case (303)."""
    page = _staff(request)
    if isinstance(page, Response):
        return page
    try:
        ps.act(page.home, page.principal, case_id, step, category=category or None, office=office or None,
               response=response or None, note=note or None)  # fmt: skip
    except EduBrainError as exc:
        return page.error(exc)
    return page.redirect(f"{BASE}/cases/{case_id}")


@router.get(BASE + "/dashboard")
def dashboard(request: Request, since: str = "") -> Response:
    """SLA figures per office and district, and the burst alerts with links to their cases."""
    page = _staff(request)
    if isinstance(page, Response):
        return page
    start = None
    try:
        start = dt.date.fromisoformat(since) if since else None
    except ValueError:
        start = None
    try:
        offices = ps.sla_summary(page.home, page.principal, "office", start)
        by_district = ps.sla_summary(page.home, page.principal, "district_code", start)
        alerts = ps.burst_alerts(page.home, page.principal)
    except EduBrainError as exc:
        return page.error(exc)
    return _render(page, "service_dashboard.html", offices=offices, districts=by_district, alerts=alerts,
                   since=since)  # fmt: skip


def cockpit_alerts(page: Page) -> dict[str, Any]:
    """The cockpit's 未诉先办 panel: the viewer's burst alerts with names and links (none for other roles)."""
    if not may_view_public_service(page.home, page.principal):
        return {}
    try:
        alerts = ps.burst_alerts(page.home, page.principal)
    except EduBrainError:
        return {}
    return {
        "service_alerts": alerts,
        "service_labels": labels(page),
        "service_names": names(page),
        "service_base": BASE,
    }
