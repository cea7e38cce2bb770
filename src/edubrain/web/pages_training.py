"""The 培训覆盖监测 page (``/monitoring/training``): coverage by district and school, and the action list.

Reads through the governed facade :mod:`edubrain.training`: the shares per organisation come from counts in the
reader's row scope (a school its own staff, a district its schools, the city all), the action list row by row
with names masked per clearance (unmasked reads audited by the read path). The chart (``training.js``) shows the
principals' yearly target met and their three-year coverage per organisation against the plan's 100 %. Both
tables download as CSV or XLSX (``/download/training/{coverage|at-risk}.{fmt}``, the same rows; a list download
is recorded as an export).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.errors import EduBrainError
from edubrain.governance.scope import viewpoint
from edubrain.training import ActionList, CoverageSummary, OrgCoverage, action_list, coverage_summary, list_frame
from edubrain.web.downloads import download, labelled, unknown_format
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_training
from edubrain.web.render import NotFound, Page, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
PAGE_ROWS = 300
"""People shown on the page (the download holds the whole list)."""
SHARES = ("people", "met_share", "covered_share", "trained_share", "behind")
LIST_HEADINGS = {
    "school_code": "col_code", "school_name": "school", "teacher_id": "m2_teacher_id", "name": "m2_name",
    "role": "m2_role", "status": "m2_status", "target_hours": "m2_target_hours", "hours": "m2_hours",
    "hours_needed": "m2_hours_needed", "projected_hours": "m2_projected", "trained_3y": "m2_trained_share",
    "met_3y": "m2_covered_share", "window_at_risk": "m2_window_risk",
}  # fmt: skip


def _opened(request: Request) -> Page | Response:
    """The page, or the answer for a visitor who may not use it (login, or 403)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_training(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


@router.get("/monitoring/training")
def training_page(
    request: Request, year: int | None = None, district: str | None = None, school: str | None = None
) -> Response:
    """培训覆盖监测: targets, headline shares, the chart and table by organisation, the action list."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    try:
        summary = coverage_summary(
            page.home, page.principal, year=year, district=district or None, school=school or None
        )
        found = action_list(
            page.home, page.principal, year=summary.year, district=district or None, school=school or None
        )
    except EduBrainError as exc:
        return page.error(exc)
    return page.render("training.html", **_context(page, summary, found))


def by_org(rows: tuple[OrgCoverage, ...], level: str) -> list[dict[str, Any]]:
    """One line per organisation of ``level``: its names and, per role, the people and shares."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.level != level or r.role == "all":
            continue
        line = out.setdefault(r.org_code, {"org_code": r.org_code, "name_zh": r.name_zh, "name_en": r.name_en})
        line.update({f"{r.role}_{k}": getattr(r, k) for k in SHARES})
    return list(out.values())


def _context(page: Page, summary: CoverageSummary, found: ActionList) -> dict[str, Any]:
    levels = [lv for lv in ("city", "district", "school") if any(r.level == lv for r in summary.rows)]
    top = levels[0] if levels else None
    below = levels[1] if len(levels) > 1 else top
    head = [r for r in summary.rows if r.level == top]
    lines = by_org(summary.rows, below) if below else []
    query = {
        k: v
        for k, v in (("year", summary.year), ("district", summary.district_code), ("school", summary.school_code))
        if v
    }
    return {
        "summary": summary,
        "found": found,
        "people": found.people[:PAGE_ROWS],
        "page_rows": PAGE_ROWS,
        "headline": {r.role: r for r in head},
        "top_name": pick(page.lang, head[0].name_zh, head[0].name_en) if head else "",
        "lines": lines,
        "below": below,
        "targets": {t.name: t for t in summary.targets},
        "districts": [(c.code, pick(page.lang, c.zh, c.en)) for c in page.home.catalog.code_table("district").codes],
        "city_view": viewpoint(page.principal).level == "city",
        "chart": _chart(page, lines),
        "download_query": urlencode(query),
    }


def _chart(page: Page, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """What ``training.js`` draws: per organisation, principals' yearly met share and three-year coverage (%)."""

    def pct(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    return {
        "names": [pick(page.lang, r["name_zh"], r["name_en"]) for r in lines],
        "series": [
            {"name": page.t(role) + " · " + page.t(label), "data": [pct(r.get(key)) for r in lines]}
            for role, label, key in (
                ("m2_principals", "m2_met_share", "principal_met_share"),
                ("m2_principals", "m2_covered_share", "principal_covered_share"),
                ("m2_teachers", "m2_met_share", "teacher_met_share"),
            )
        ],
        "target": 100,
        "target_label": page.t("m2_target_line"),
    }


@router.get("/download/training/{part}.{fmt}")
def training_download(
    request: Request,
    part: str,
    fmt: str,
    year: int | None = None,
    district: str | None = None,
    school: str | None = None,
) -> Response:
    """The rows of the page's table by organisation (``coverage``) or of its action list (``at-risk``)."""
    page = _opened(request)
    if isinstance(page, Response):
        return page
    if part not in ("coverage", "at-risk"):
        return page.error(NotFound(f"没有可下载的 {part}", f"Nothing to download called {part}"), 404)
    if fmt not in ("csv", "xlsx"):
        return page.error(unknown_format(fmt), 404)
    district, school = district or None, school or None
    try:
        if part == "coverage":
            summary = coverage_summary(page.home, page.principal, year=year, district=district, school=school)
            frame = _coverage_frame(page, summary)
            stem = f"training-coverage-{district or school or 'scope'}-{summary.year}"
        else:
            found = action_list(
                page.home, page.principal, year=year, district=district, school=school, export_format=fmt
            )
            frame = _list_frame(page, found)
            stem = f"training-at-risk-{district or school or 'scope'}-{found.year}"
    except EduBrainError as exc:
        return page.error(exc)
    return download(page, frame, fmt, stem)


def _coverage_frame(page: Page, summary: CoverageSummary) -> pl.DataFrame:
    roles = {"principal": page.t("m2_role_principal"), "teacher": page.t("m2_role_teacher"), "all": "*"}
    rows = [
        {**r.__dict__, "level": page.t(f"lvl_{r.level}"), "name": pick(page.lang, r.name_zh, r.name_en),
         "role": roles[r.role]}
        for r in summary.rows
    ]  # fmt: skip
    columns = {
        "level": "m2_level", "org_code": "col_code", "name": "col_name", "role": "m2_role", "people": "m2_people",
        "met_share": "m2_met_share", "covered_share": "m2_covered_share", "trained_share": "m2_trained_share",
        "behind": "m2_behind", "at_risk": "m2_status_at_risk", "missed": "m2_status_missed",
    }  # fmt: skip
    return labelled(page, rows, columns)


def _list_frame(page: Page, found: ActionList) -> pl.DataFrame:
    frame = list_frame(found).with_columns(
        pl.col("role").replace_strict({"principal": page.t("m2_role_principal"), "teacher": page.t("m2_role_teacher")}),
        pl.col("status").replace_strict(
            {s: page.t(f"m2_status_{s}") for s in ("at_risk", "missed", "met", "on_track")}
        ),
    )
    return frame.select([pl.col(c).alias(page.t(key)) for c, key in LIST_HEADINGS.items()])
