"""The 智慧校园达标评定 pages: the city or district overview and one page per school and year.

``/monitoring/smart-campus`` shows 达标率 against 85 %, states and the explained shortlist;
``/monitoring/smart-campus/{school}/{year}`` the scores per dimension and indicator, radar, evidence, the viewer's
workflow actions and the history.

Everything goes through the governed facade :mod:`edubrain.smart_campus` (scope, audit); the routes ask
:func:`~edubrain.web.navigation.may_view_smart_campus`, the rule the navigation asks too. Forms carry the CSRF token
(the evidence upload, a multipart form, is checked in its body); an action redirects back to the school page (303).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from edubrain import smart_campus as sc
from edubrain.analytics.smart_campus import load_framework
from edubrain.api.uploads import received_upload
from edubrain.errors import EduBrainError
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_smart_campus
from edubrain.web.render import Page, indicator_cache, open_page, out_of_scope
from edubrain.web.smart_campus_labels import LABELS

router = APIRouter(include_in_schema=False)
BASE = "/monitoring/smart-campus"
ACTIONS = ("submit", "recommend", "return", "approve", "designate", "revoke")


def _opened(request: Request) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_smart_campus(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _labels(page: Page) -> dict[str, str]:
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def _names(page: Page) -> dict[str, str]:
    table = indicator_cache(page.request).get(page.home).table
    return {r["org_code"]: pick(page.lang, r["name_zh"], r["name_en"]) for r in table.iter_rows(named=True)}


def _state(page: Page, state: str) -> str:
    return pick(page.lang, *sc.STATE_NAMES.get(state, (state, state)))


@router.get(BASE)
def smart_campus_page(request: Request, year: int | None = None) -> Response:
    """达标率 of the viewer's areas against the plan's 85 %, states counted, and the ranked, explained shortlist."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = sc.overview(page.home, page.principal, year)
    except EduBrainError as exc:
        return page.error(exc)
    names = _names(page)
    labels = _labels(page)
    chart = {
        "areas": [names.get(r.district_code, r.district_code) for r in found.rates],
        "rates": [r.rate for r in found.rates], "target": found.target,
        "target_label": labels["target_line"], "rate_label": labels["rate"],
    }  # fmt: skip
    states = [(s, _state(page, s), found.states.get(s, 0)) for s in ("none", *sc.STATES) if found.states.get(s)]
    return page.render(
        "smart_campus.html", page_title=labels["title"], labels=labels, o=found, names=names, chart=chart,
        states=states, base=BASE, may_designate=sc.may_designate(page.principal),
        action_names={a: pick(page.lang, *sc.ACTION_NAMES[a]) for a in ACTIONS},
        designated_note=labels["designated_count"].format(n=found.designated, target=found.demonstration_schools),
    )  # fmt: skip


@router.get(BASE + "/evidence/{evidence_id}")
def smart_campus_evidence_download(request: Request, evidence_id: str) -> Response:
    """Download one evidence file (audited; out of scope answers 404)."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = sc.evidence_file(page.home, page.principal, evidence_id)
    except EduBrainError as exc:
        return page.error(exc)
    disposition = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
    return Response(found.data, media_type=found.content_type, headers={"Content-Disposition": disposition})


@router.get(BASE + "/{school}/{year}")
def smart_campus_school(request: Request, school: str, year: int) -> Response:
    """One school-year: scores per dimension (radar) and indicator, evidence, history and the viewer's actions."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = sc.school_scores(page.home, page.principal, school, year)
    except EduBrainError as exc:
        return page.error(exc)
    labels = _labels(page)
    radar = {
        "dimensions": [{"name": pick(page.lang, d["name_zh"], d["name_en"]), "max": d["max"]} for d in found.dimensions],
        "points": [d["points"] for d in found.dimensions], "floor": [d["floor"] for d in found.dimensions],
        "points_label": labels["points"], "floor_label": labels["floor"],
    }  # fmt: skip
    events = [(e, pick(page.lang, *sc.ACTION_NAMES.get(e.action, (e.action, e.action)))) for e in found.assessment.events] if found.assessment else []  # fmt: skip
    return page.render(
        "smart_campus_school.html", page_title=labels["school_title"], labels=labels, s=found, radar=radar,
        school_name=_names(page).get(school, school), state_name=_state(page, found.state), events=events,
        indicators_self=[i for i in found.indicators if i.source == "self"], base=BASE,
        action_names={a: pick(page.lang, *sc.ACTION_NAMES[a]) for a in ACTIONS},
        max_mb=load_framework().evidence.max_mb,
    )  # fmt: skip


def _back(page: Page, school: str, year: int) -> Response:
    return page.redirect(f"{BASE}/{quote(school)}/{year}")


@router.post(BASE + "/{school}/{year}/draft")
def smart_campus_draft(request: Request, school: str, year: int) -> Response:
    """Draft the school's self-assessment for the year (its own school administrator)."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        sc.create(page.home, page.principal, school, year)
    except EduBrainError as exc:
        return page.error(exc)
    return _back(page, school, year)


@router.post(BASE + "/{school}/{year}/scores")
async def smart_campus_scores(request: Request, school: str, year: int) -> Response:
    """Save the self-assessment scores of the form (one field ``score_<indicator>`` per self-assessed indicator)."""
    page = await run_in_threadpool(_opened, request)
    if isinstance(page, Response):
        return page
    form = await request.form()
    scores: dict[str, Any] = {
        k.removeprefix("score_"): v for k, v in form.items() if k.startswith("score_") and str(v).strip() != ""
    }
    return await run_in_threadpool(_save, page, school, year, scores)


def _save(page: Page, school: str, year: int, scores: dict[str, Any]) -> Response:
    try:
        found = sc.school_scores(page.home, page.principal, school, year).assessment
        if found is None:
            raise out_of_scope()
        sc.save_scores(page.home, page.principal, found.id, scores)
    except EduBrainError as exc:
        return page.error(exc)
    return _back(page, school, year)


@router.post(BASE + "/{school}/{year}/evidence")
async def smart_campus_evidence(request: Request, school: str, year: int) -> Response:
    """Upload one evidence file (the multipart form's ``file`` and ``indicator``)."""
    page = await run_in_threadpool(_opened, request)
    if isinstance(page, Response):
        return page
    try:
        async with received_upload(request, page.home.settings) as upload:
            data = await run_in_threadpool(upload.path.read_bytes)
            indicator = upload.fields.get("indicator", "")
            found = await run_in_threadpool(sc.school_scores, page.home, page.principal, school, year)
            if found.assessment is None:
                raise out_of_scope()
            await run_in_threadpool(
                sc.add_evidence, page.home, page.principal, found.assessment.id, indicator, upload.name, data
            )
    except EduBrainError as exc:
        return page.error(exc)
    return _back(page, school, year)


@router.post(BASE + "/{school}/{year}/{action}")
def smart_campus_step(
    request: Request, school: str, year: int, action: str, comment: str = Form(""), back: str = Form("")
) -> Response:
    """Submit, recommend, return (with a comment), approve, designate or revoke (with a reason).

    Back to the school page, or to the overview of the year when the form came from the shortlist (``back=list``).
    """
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = sc.school_scores(page.home, page.principal, school, year).assessment
        if found is None or action not in ACTIONS:
            raise out_of_scope()
        sc.act(page.home, page.principal, found.id, action, comment)
    except EduBrainError as exc:
        return page.error(exc)
    return page.redirect(f"{BASE}?year={year}") if back == "list" else _back(page, school, year)
