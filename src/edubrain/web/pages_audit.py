"""The 审计日志 page, for auditors: search the trail, verify its hash chain, download the annual report.

Everything goes through :mod:`edubrain.governance.audit_access`, which checks
the role and records each use of the trail as an ``audit_read`` event. The
route asks :func:`~edubrain.web.navigation.may_read_audit`, the rule the
header's navigation asks too: other roles get a 403 page and no link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.audit import ACTIONS, AuditError, AuditEvent, VerifyResult
from edubrain.governance.audit_access import (
    TrailPage,
    TrailQuery,
    parse_day,
    report_archive,
    search_trail,
    trail_years,
    verify_trail,
)
from edubrain.governance.audit_report import beijing_time
from edubrain.governance.scope import AccessDenied
from edubrain.web.messages import pick, t
from edubrain.web.navigation import may_read_audit
from edubrain.web.render import Page, open_page

router = APIRouter(include_in_schema=False)
SEARCH_FIELDS = ("actor", "action", "dataset", "since", "until")
DETAIL_CHARS = 160


def _forbidden(page: Page) -> Response:
    return page.error(AccessDenied(t("audit_forbidden", "zh"), t("audit_forbidden", "en")), 403)


def _opened(request: Request) -> tuple[Page, Response | None]:
    """The page, and the answer to give instead when nobody is logged in or the user is not an auditor."""
    page = open_page(request)
    if page.web.principal is None:
        return page, page.login_redirect()
    return page, None if may_read_audit(page.home, page.principal) else _forbidden(page)


def _number(value: str | None) -> int:
    """A page number from the query ('' or nonsense: 1; huge numbers are clamped by the search)."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 1


def _query(params: dict[str, str]) -> TrailQuery:
    return TrailQuery(
        actor=params.get("actor") or None,
        action=params.get("action") or None,
        dataset=params.get("dataset") or None,
        since=parse_day(params.get("since")),
        until=parse_day(params.get("until")),
        page=_number(params.get("page")),
    )


def _titles(page: Page, role_ids: str | None) -> str:
    known = policy.roles()
    names = [
        pick(page.lang, known[r].title_zh, known[r].title_en) if r in known else r
        for r in (role_ids or "").split(",")
        if r
    ]
    return ("、" if page.lang == "zh" else ", ").join(names)


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return str(value)


def _detail(detail: dict[str, Any]) -> str:
    """The event's context as ``key: value`` pairs (nested ones as ``key.sub: value``), shortened; never JSON."""
    pairs = [
        (f"{key}.{sub}", inner) if isinstance(value, dict) else (key, value)
        for key, value in detail.items()
        for sub, inner in (value.items() if isinstance(value, dict) else [(None, value)])
    ]
    text = "; ".join(f"{key}: {_value(value)}" for key, value in pairs)
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def _row(page: Page, trail: TrailPage, e: AuditEvent) -> dict[str, Any]:
    """One event as the table shows it: names and titles beside (or instead of) identifiers."""
    datasets, purposes = page.home.catalog.datasets, policy.purposes()
    dataset = datasets.get(e.dataset or "")
    purpose = purposes.get(e.purpose or "")
    action = ACTIONS.get(e.action)
    return {
        "seq": e.seq,
        "time": beijing_time(e.at),
        "actor": trail.usernames.get(e.actor, e.actor),
        "actor_id": e.actor,
        "roles": _titles(page, e.actor_role),
        "org": " ".join(filter(None, [trail.org_names.get(e.org_code or ""), e.org_code])),
        "action": e.action,
        "action_title": pick(page.lang, *action) if action else e.action,
        "dataset": pick(page.lang, dataset.title_zh, dataset.title_en) if dataset else (e.dataset or ""),
        "rows": "" if e.row_count is None else f"{e.row_count:,}",
        "purpose": pick(page.lang, purpose.title_zh, purpose.title_en) if purpose else (e.purpose or ""),
        "minors": e.minors,
        "detail": _detail(e.detail or {}),
    }


def _render(page: Page, *, trail: TrailPage | None, params: dict[str, str], status: int = 200, **more: Any) -> Response:
    datasets = sorted(page.home.catalog.datasets.values(), key=lambda d: d.id)
    search = {k: params.get(k, "") for k in SEARCH_FIELDS}
    return page.render(
        "audit.html",
        status_code=status,
        trail=trail,
        rows=[_row(page, trail, e) for e in trail.events] if trail else [],
        search=search,
        base_query=urlencode({k: v for k, v in search.items() if v}),
        actions=[(k, pick(page.lang, *v)) for k, v in ACTIONS.items()],
        datasets=[(d.id, pick(page.lang, d.title_zh, d.title_en)) for d in datasets],
        years=trail_years(page.home, page.principal),
        **more,
    )


@router.get("/audit")
def audit_page(request: Request) -> Response:
    """Search the trail (newest first, 50 a page) with the verify button and the report download."""
    page, refused = _opened(request)
    if refused:
        return refused
    params = dict(request.query_params)
    try:
        trail = search_trail(page.home, page.principal, _query(params))
    except AuditError as exc:
        return _render(page, trail=None, params=params, status=400, error=exc, message=exc.message(page.lang))
    return _render(page, trail=trail, params=params)


@router.post("/audit/verify")
def audit_verify(request: Request) -> Response:
    """Verify the chain; HTMX gets the result alone, a plain form post the page with it."""
    page, refused = _opened(request)
    if refused:
        return refused
    result: VerifyResult = verify_trail(page.home, page.principal)
    if request.headers.get("HX-Request"):
        return page.render("_audit_verify.html", verify=result)
    return _render(page, trail=None, params={}, verify=result)


@router.get("/audit/report.zip")
def audit_report(request: Request, year: str = "") -> Response:
    """The annual minors' information report for ``year``: a zip of the HTML page and its CSV tables."""
    page, refused = _opened(request)
    if refused:
        return refused
    try:
        if not year.strip().isdigit() or len(year.strip()) != 4:
            raise AuditError(f"无法识别的年度 {year[:20]!r}", f"Unrecognised year {year[:20]!r}")
        name, content = report_archive(page.home, page.principal, int(year))
    except EduBrainError as exc:
        return page.error(exc)
    response = Response(content, media_type="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return page.web.apply(response, secure=page.home.settings.env == "production")
