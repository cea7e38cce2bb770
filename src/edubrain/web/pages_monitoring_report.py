"""``/monitoring/report``: the 年度信息化监测报告 of the city or a district as PDF or XLSX (a download).

Thin: parses the query, calls :func:`edubrain.reports.monitoring_report.monitoring_report` (scope checked there —
city staff and auditors any area, district staff their own district, everyone else 403 — the report read through
the governed facades and its download recorded in the audit trail) and sends the file. The links sit on the
``/monitoring`` page of a city or district (``monitoring.html``). Guide: ``docs/monitoring-report.md``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.errors import EduBrainError
from edubrain.reports.monitoring_report import monitoring_report
from edubrain.web.navigation import may_view_monitoring
from edubrain.web.render import open_page, out_of_scope

router = APIRouter(include_in_schema=False)


@router.get("/monitoring/report")
def report_download(request: Request, year: int, area: str, format: str = "pdf") -> Response:
    """年度信息化监测报告: ``?year=2025&area=110108&format=pdf|xlsx`` (never cached: scoped to the user)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_monitoring(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    try:
        found = monitoring_report(page.home, page.principal, year=year, area=area, fmt=format)
    except EduBrainError as exc:
        return page.error(exc)
    response = Response(found.content, media_type=found.media_type, headers=found.headers)
    return page.web.apply(response, secure=page.home.settings.env == "production")
