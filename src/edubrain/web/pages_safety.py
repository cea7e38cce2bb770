"""The 校园安全 pages: a school's incidents (``/safety/school``), district and city aggregates with warnings (``/safety``).

Reads through :mod:`edubrain.campus_safety`: the school page lists the reader's own incidents; the overview shows
counts of 1 … k−1 hidden (complementary suppression too) and no incident row.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.campus_safety import overview, school_incidents
from edubrain.errors import EduBrainError
from edubrain.governance.scope import viewpoint
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_safety
from edubrain.web.pages_safety_labels import LABELS
from edubrain.web.render import Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
BASE = "/safety"


def _opened(request: Request) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_safety(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _context(page: Page) -> dict[str, Any]:
    k = page.home.settings.small_cell_min
    labels = {key: v[0 if page.lang == "zh" else 1].replace("{k}", str(k)) for key, v in LABELS.items()}
    codes = {
        name: {c.code: pick(page.lang, c.zh, c.en) for c in page.home.catalog.code_table(name).codes}
        for name in ("incident_type", "incident_place", "time_band", "incident_severity", "district")
    }
    return {"labels": labels, "codes": codes, "base": BASE}


@router.get(BASE)
def safety_page(request: Request, district: str | None = None, term: str | None = None) -> Response:
    """District (by school) or city (by district) rates, patterns and warnings; a school sees its own incidents."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    if viewpoint(page.principal).level == "school":
        return _school(page)
    try:
        found = overview(page.home, page.principal, district=district or None, term=term or None)
    except EduBrainError as exc:
        return page.error(exc)
    city = viewpoint(page.principal).level == "city"
    return page.render("safety.html", o=found, city_view=city, **_context(page))


@router.get(BASE + "/school")
def school_page(request: Request) -> Response:
    """The reader's own school's incidents (school staff only)."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    return _school(page)


def _school(page: Page) -> Response:
    try:
        found = school_incidents(page.home, page.principal)
    except EduBrainError as exc:
        return page.error(exc)
    return page.render("safety_school.html", found=found, **_context(page))
