"""The 设施与应用 page (``/monitoring/facilities``): IoT devices online and faulty, energy, usage and satisfaction.

Everything shown is read through governance (:mod:`edubrain.governance.facility_access`):
the indicator rows of the levels the user may read (a school its own, a
district its own and its schools', the city all) and, for the lists of
offline and faulty devices, the device months in scope. Small cells were
withheld for every reader when the indicators were derived; the page shows
them as –. The user may drill from its own organisation down (``?org=``)
but never up or sideways: an organisation outside the rows it may read is
refused (403).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.analytics.facilities.efficiency import load_thresholds
from edubrain.errors import EduBrainError
from edubrain.governance.facility_access import device_months, facility_indicators
from edubrain.governance.scope import AccessDenied, viewpoint
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_facilities
from edubrain.web.render import NotFound, Page, indicator_cache, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
ALL = "*"
DEVICE = ("device_online_rate", "device_availability", "device_faults", "device_fault_rate")
HEADLINE = (*DEVICE, "energy_kwh_per_student")
ROLES = {"1": ("学生", "Students"), "2": ("教师", "Teachers"), "3": ("家长", "Parents"), "4": ("管理人员", "Managers"), "9": ("其他", "Others")}  # fmt: skip
KINDS = {"1": ("能耗计量", "Energy"), "2": ("环境监测", "Environment"), "3": ("安全防范", "Security")}
LIST_LIMIT = 50


@router.get("/monitoring/facilities")
def facilities_page(request: Request, org: str | None = None, month: int | None = None) -> Response:
    """设施与应用: headline, trend, lower levels, device groups, offline devices, usage and satisfaction."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    if not may_view_facilities(page.home, page.principal) or view.org_code is None:
        return page.error(out_of_scope(), 403)
    try:
        rows = facility_indicators(page.home, page.principal)
    except AccessDenied:
        return page.error(out_of_scope(), 403)
    if rows.is_empty():
        return page.render("monitoring_facilities.html", missing=True)
    org = org or view.org_code
    own = rows.filter(pl.col("org_code") == org)
    if own.is_empty():
        if org.isdigit() and len(org) in (6, 10):
            return page.error(out_of_scope(), 403)
        return page.error(NotFound(f"没有单位 {org}", f"No organisation {org}"), 404)
    return page.render("monitoring_facilities.html", **_context(page, rows, own, org, month))


def _context(page: Page, rows: pl.DataFrame, own: pl.DataFrame, org: str, wanted: int | None) -> dict[str, Any]:
    months: list[int] = sorted(int(m) for m in own.get_column("month").unique().to_list())
    month: int = wanted if wanted is not None and wanted in months else months[-1]
    level = str(own.get_column("level")[0])
    names = _names(page)
    trend = _trend(own)
    return {
        "missing": False,
        "org": org,
        "org_name": names.get(org, org),
        "level": level,
        "month": month,
        "months": months,
        "headline": _pivot(own.filter((pl.col("month") == month) & (pl.col("category") == ALL)), "org_code").get(
            org, {}
        ),
        "trend": trend,
        "children": _children(rows, org, month, names),
        "kinds": _kinds(own, month),
        "devices": _devices(page, org, level, month),
        "usage": _usage(own, month),
        "survey_month": _survey_month(own, month),
        "satisfaction": _satisfaction(own, _survey_month(own, month)),
        "chart": {"months": [_label(m) for m in trend], "series": _series(trend)},
        "roles": {code: pick(page.lang, *pair) for code, pair in ROLES.items()},
        "kind_names": {code: pick(page.lang, *pair) for code, pair in KINDS.items()},
        "k": page.home.settings.small_cell_min,
        "low_use_below": load_thresholds().low_use_below,
        "min_active": load_thresholds().min_active_users,
        "reach": _reach(own, month),
        "label": _label,
    }


def _label(month: int) -> str:
    return f"{month // 100}-{month % 100:02d}"


def _pivot(frame: pl.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    """``{key value: {indicator: value}}`` of device and energy rows (app ``*``)."""
    out: dict[str, dict[str, Any]] = {}
    for row in frame.filter(pl.col("app_id") == ALL).iter_rows(named=True):
        cell = out.setdefault(str(row[key]), {})
        cell[row["indicator"]] = row["value"]
        if row["indicator"] == "device_online_rate":
            cell["devices"] = row["denominator"]
    return out


def _trend(own: pl.DataFrame) -> dict[int, dict[str, Any]]:
    frame = own.filter((pl.col("category") == ALL) & pl.col("indicator").is_in(HEADLINE))
    return dict(sorted((int(k), v) for k, v in _pivot(frame, "month").items()))


def _series(trend: dict[int, dict[str, Any]]) -> dict[str, list[float | None]]:
    return {name: [trend[m].get(name) for m in trend] for name in ("device_online_rate", "device_fault_rate")}


def _children(rows: pl.DataFrame, org: str, month: int, names: dict[str, str]) -> list[dict[str, Any]]:
    frame = rows.filter((pl.col("parent_code") == org) & (pl.col("month") == month) & (pl.col("category") == ALL))
    cells = _pivot(frame.filter(pl.col("indicator").is_in(HEADLINE)), "org_code")
    return [{"code": code, "name": names.get(code, code), **cells[code]} for code in sorted(cells)]


def _kinds(own: pl.DataFrame, month: int) -> list[dict[str, Any]]:
    frame = own.filter((pl.col("month") == month) & pl.col("indicator").is_in(DEVICE) & (pl.col("category") != ALL))
    cells = _pivot(frame, "category")
    return [{"kind": kind, **cells[kind]} for kind in sorted(cells)]


USAGE = ("active_user_rate", "sessions_per_active_user", "weekly_active_rate", "minutes_per_active_user", "low_use")
"""The usage table's indicators (one row per application and role); ``low_use`` is the 0/1 flag."""


def _usage(own: pl.DataFrame, month: int) -> list[dict[str, Any]]:
    frame = own.filter((pl.col("month") == month) & pl.col("indicator").is_in(USAGE))
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in frame.iter_rows(named=True):
        cell = cells.setdefault((row["app_id"], row["category"]), {"app": row["app_name"] or row["app_id"]})
        cell[row["indicator"]] = row["value"]
        cell["people"] = row["people"]
        cell["suppressed"] = cell.get("suppressed") or row["suppressed"]
    return [{"app_id": a, "role": r, **cells[(a, r)]} for a, r in sorted(cells, key=lambda k: (k[0] == ALL, k))]


def _reach(own: pl.DataFrame, month: int) -> dict[str, Any]:
    """Schools where each application is in use (``app_school_reach``) and applications in use (``*`` row)."""
    frame = own.filter(
        (pl.col("month") == month) & pl.col("indicator").is_in(["app_school_reach", "apps_in_use_share"])
    )
    names = {r["app_id"]: r["app_name"] for r in own.filter(pl.col("app_name").is_not_null()).iter_rows(named=True)}
    apps = [
        {**r, "app": names.get(r["app_id"], r["app_id"])}
        for r in frame.filter(pl.col("indicator") == "app_school_reach").sort("app_id").iter_rows(named=True)
    ]
    share = frame.filter(pl.col("indicator") == "apps_in_use_share")
    return {"apps": apps, "share": share.row(0, named=True) if share.height else None}


def _survey_month(own: pl.DataFrame, month: int) -> int | None:
    """The newest month up to ``month`` with a satisfaction survey."""
    found = own.filter((pl.col("indicator") == "mean_satisfaction") & (pl.col("month") <= month))
    return None if found.is_empty() else int(found.get_column("month").max())  # type: ignore[arg-type]


def _satisfaction(own: pl.DataFrame, month: int | None) -> list[dict[str, Any]]:
    if month is None:
        return []
    frame = own.filter((pl.col("indicator") == "mean_satisfaction") & (pl.col("month") == month))
    frame = frame.sort("app_id", pl.col("category") != ALL, "category")
    return frame.select("app_id", "app_name", "category", "value", "people", "suppressed").to_dicts()


def _devices(page: Page, org: str, level: str, month: int) -> dict[str, list[dict[str, Any]]] | None:
    """Offline and faulty devices of the month under ``org`` (None when the user may not read device months)."""
    try:
        frame = device_months(page.home, page.principal, month)
    except (AccessDenied, EduBrainError):
        return None
    if frame.is_empty():
        return {"offline": [], "faulty": []}
    if level == "school":
        frame = frame.filter(pl.col("school_code") == org)
    elif level == "district":
        frame = frame.filter(pl.col("district_code") == org)
    offline = frame.filter((pl.col("expected_days") > 0) & ~pl.col("online")).sort("device_id")
    faulty = frame.filter(pl.col("fault_days") > 0).sort("fault_days", "device_id", descending=[True, False])
    keep = ("device_id", "school_code", "device_kind", "expected_days", "online_days", "fault_days")
    return {
        "offline": offline.head(LIST_LIMIT).select(keep).to_dicts(),
        "faulty": faulty.head(LIST_LIMIT).select(keep).to_dicts(),
    }


def _names(page: Page) -> dict[str, str]:
    """Names of the city, the districts and the schools in the page's language."""
    names = {c.code: pick(page.lang, c.zh, c.en) for c in page.home.catalog.code_table("district").codes}
    names["110000"] = page.t("m3_city")
    table = indicator_cache(page.request).get(page.home).table.filter(pl.col("level") == "school")
    names.update({r["org_code"]: pick(page.lang, r["name_zh"], r["name_en"]) for r in table.iter_rows(named=True)})
    return names
