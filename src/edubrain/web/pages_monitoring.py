"""The 信息化监测 pages: the seven goals' indicator tree with progress, and one page per indicator.

Both read through the governed facade :mod:`edubrain.monitoring` (row scope on
``monitoring_indicators``): a school sees its own values, a district its own and
its schools', the city all. ``/monitoring`` shows the tree for an organisation
(default the user's own) and a school year (default the newest); each
indicator links to ``/monitoring/indicators/{id}``: its definition, formula in
words, target, direction, period, owner and the plan's sentence, the trend
chart with the target line (ECharts, ``monitoring.js``), and the values of the
districts (for the city) or schools (for a district) of the year, each a link
one level down.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.errors import CatalogError, EduBrainError
from edubrain.monitoring import IndicatorDetail, detail, no_such_org, tree
from edubrain.monitoring.cockpit import cockpit, school_card
from edubrain.web.messages import pick
from edubrain.web.monitoring_cockpit import chart_data, schools_worst_first
from edubrain.web.navigation import may_view_monitoring
from edubrain.web.render import NotFound, Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)


def _opened(request: Request) -> Page | Response:
    """The page, or the answer for a visitor who may not use it (login, or 403)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_monitoring(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


@router.get("/monitoring")
def monitoring_page(request: Request, org: str | None = None, year: int | None = None) -> Response:
    """信息化监测: the seven goals and their indicators' progress for an organisation in a school year."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = tree(page.home, page.principal, org, year)
    except EduBrainError as exc:
        return page.error(exc)
    return page.render("monitoring.html", tree=found)


@router.get("/monitoring/indicators/{indicator_id}")
def indicator_page(request: Request, indicator_id: str, org: str | None = None, year: int | None = None) -> Response:
    """One indicator: its metadata, its trend with the target line, and the values one level down."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = detail(page.home, page.principal, indicator_id, org, year)
    except CatalogError:
        return page.error(NotFound(f"没有监测指标 {indicator_id}", f"No monitoring indicator {indicator_id}"), 404)
    except EduBrainError as exc:
        return page.error(exc)
    return page.render("monitoring_indicator.html", d=found, chart=_chart(page, found))


@router.get("/monitoring/cockpit")
def cockpit_page(
    request: Request,
    indicator: str | None = None,
    year: int | None = None,
    district: str | None = None,
    school: str | None = None,
) -> Response:
    """监测驾驶舱: the district map of one indicator against its target, the trends, a district's schools, a school."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        found = cockpit(page.home, page.principal, indicator, year)
        district = district or (found.org_code if found.org_level == "district" else None)  # own by default
        school = school or (found.org_code if found.org_level == "school" else None)
        schools = None
        if district:
            schools = detail(page.home, page.principal, found.indicator.id, district, found.school_year)
            if schools.org_level != "district":
                raise no_such_org(district)
        card = school_card(page.home, page.principal, school, found.school_year) if school else None
    except CatalogError:
        return page.error(NotFound(f"没有监测指标 {indicator}", f"No monitoring indicator {indicator}"), 404)
    except EduBrainError as exc:
        return page.error(exc)
    return page.render(
        "monitoring_cockpit.html", c=found, schools=schools, ranked=schools_worst_first(schools) if schools else [],
        card=card, chart=chart_data(page, found, card),
    )  # fmt: skip


def _chart(page: Page, d: IndicatorDetail) -> dict[str, Any]:
    """What ``monitoring.js`` draws: the organisation's value each year and the target line."""
    info = d.indicator
    return {
        "name": pick(page.lang, d.name_zh, d.name_en),
        "indicator": pick(page.lang, info.name_zh, info.name_en),
        "unit": pick(page.lang, info.unit_zh, info.unit_en),
        "percent": info.percent,
        "years": [f"{v.school_year}–{v.school_year + 1}" for v in d.trend],
        "values": [v.value for v in d.trend],
        "target": info.target,
        "target_label": page.t("m1_target_line"),
    }
