"""The 信用分级分类监管 pages: the officers' board (``/supervision``), one provider's explanation, the public list.

Reads through :mod:`edubrain.supervision`: a district's officers see their district's providers, the city all; a
provider outside the scope answers as unknown (404, the same page as a code that does not exist). The public list
(``/supervision/public``) shows grades only and opens to everyone signed in, the public included.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.errors import EduBrainError
from edubrain.governance.scope import AccessDenied, viewpoint
from edubrain.supervision import grade_board, provider_detail, public_list
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_supervision
from edubrain.web.pages_supervision_labels import LABELS
from edubrain.web.render import Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
BASE = "/supervision"


def _labels(page: Page) -> dict[str, str]:
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def _opened(request: Request, officers: bool = True) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if officers and not may_view_supervision(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _codes(page: Page, table: str) -> dict[str, str]:
    return {c.code: pick(page.lang, c.zh, c.en) for c in page.home.catalog.code_table(table).codes}


@router.get(BASE)
def supervision_page(request: Request, district: str | None = None, grade: str | None = None) -> Response:
    """The providers supervised: grade counts, the rules, and the list soonest inspection first."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        board = grade_board(page.home, page.principal, district=district or None, grade=grade or None)
    except EduBrainError as exc:
        return page.error(exc)
    districts = _codes(page, "district")
    counts: dict[str, dict[str, int]] = {}
    for c in board.counts:
        counts.setdefault(c.district_code, {})[c.grade] = c.providers
    return page.render(
        "supervision.html", labels=_labels(page), board=board, counts=counts, districts=districts,
        types=_codes(page, "provider_type"), city_view=viewpoint(page.principal).level == "city", base=BASE,
    )  # fmt: skip


@router.get(BASE + "/providers/{code}")
def provider_page(request: Request, code: str) -> Response:
    """One provider's grade and every item of its score (404 for one unknown or outside the scope)."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = provider_detail(page.home, page.principal, code)
    except AccessDenied:
        return page.error(out_of_scope(), 404)
    return page.render(
        "supervision_provider.html", labels=_labels(page), found=found, districts=_codes(page, "district"),
        severities=_codes(page, "finding_severity"), base=BASE,
    )  # fmt: skip


@router.get(BASE + "/public")
def public_page(request: Request, district: str | None = None, grade: str | None = None) -> Response:
    """The public grade list: name, code, district, type and grade, no score."""
    page = _opened(request, officers=False)
    if isinstance(page, Response):
        return page
    found = public_list(page.home, page.principal, district=district or None, grade=grade or None)
    return page.render(
        "supervision_public.html", labels=_labels(page), found=found, districts=_codes(page, "district"),
        types=_codes(page, "provider_type"), base=BASE,
    )  # fmt: skip
