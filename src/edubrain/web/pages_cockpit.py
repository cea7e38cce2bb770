"""Log in and out; the cockpit (驾驶舱) of the city, a district or a school; a district's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from edubrain.analytics import indicators
from edubrain.exchange.status import school_status, status_summary
from edubrain.governance.identity import AuthError
from edubrain.web.cockpit import Snapshot, Viewpoint, status_dataset, viewpoint
from edubrain.web.indicator_defs import definitions_for
from edubrain.web.messages import pick
from edubrain.web.pages_public_service import cockpit_alerts
from edubrain.web.render import NotFound, Page, indicator_cache, open_page, out_of_scope
from edubrain.web.session import log_in, log_out

router = APIRouter(include_in_schema=False)
SOURCE_DATASETS = ("schools", "students", "teachers", "classes")
"""The datasets the cockpit's indicators count from (their versions are shown under the tables)."""


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after logging in."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The login form."""
    page = open_page(request)
    return page.render("login.html", next=_safe_next(next), failed=None)


@router.post("/login")
def login_submit(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    """Check the password and start a cookie session (failed logins are audited and throttled)."""
    page = open_page(request)
    try:
        log_in(page.web, page.home, username.strip(), password)
    except AuthError as exc:
        return page.render("login.html", status_code=401, next=_safe_next(next), failed=exc.message(page.lang))
    return page.redirect(_safe_next(next))


@router.post("/logout")
def logout(request: Request) -> Response:
    """Revoke the session's tokens and clear its cookies."""
    page = open_page(request)
    log_out(request, page.web, page.home)
    return page.redirect("/login")


def map_series(table: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Per indicator, the ECharts map data of the districts in ``table`` (name as in the GeoJSON, value, code)."""
    out = {}
    for name in indicators.INDICATORS:
        values = indicators.district_values(table, name)
        out[name] = [
            {"name": r["name_zh"], "value": r["value"], "code": r["org_code"]} for r in values.iter_rows(named=True)
        ]
    return out


def map_schools(table: pl.DataFrame, lang: str) -> list[dict[str, Any]]:
    """The schools of ``table`` for the district map's list: name in ``lang``, code and every indicator."""
    schools = table.filter(pl.col("level") == "school").sort("org_code")
    return [
        {
            "name": pick(lang, r["name_zh"], r["name_en"]),
            "code": r["org_code"],
            **{n: r[n] for n in indicators.INDICATORS},
        }
        for r in schools.iter_rows(named=True)
    ]


def map_context(page: Page, scoped: pl.DataFrame, view: Viewpoint, org: dict[str, Any]) -> dict[str, Any]:
    """What the map needs besides its series: the district it zooms to, that district's schools, English names.

    Schools have no coordinates in the catalog, so a district's map colours the district's own region and
    lists its schools (in the region's tooltip and beside the map) rather than placing them as points.
    """
    districts = [c for c in page.home.catalog.code_table("district").codes if not c.legacy]
    district = view.level == "district"
    return {
        "map_focus": {"name": org["name_zh"], "code": view.org_code} if district else None,
        "map_schools": map_schools(scoped, page.lang) if district else [],
        "region_names": {c.zh: c.en for c in districts} if page.lang == "en" else {},
        "map_title": page.t("map_title_district", name=pick(page.lang, org["name_zh"], org["name_en"]))
        if district
        else page.t("map_title"),
    }


def _cockpit_context(
    page: Page, snap: Snapshot, view: Viewpoint, indicator: str, year: int | None = None
) -> dict[str, Any]:
    assert view.level is not None and view.org_code is not None
    shown_year, table = snap.of_year(year)  # the period selector: one school year's indicators
    scoped = indicators.in_scope(table, view.level, view.org_code)  # type: ignore[arg-type]
    row = scoped.filter(pl.col("org_code") == view.org_code)
    org = row.row(0, named=True) if row.height else {"name_zh": view.org_code, "name_en": view.org_code}
    return {
        "view": view,
        "org": org,
        "headline": indicators.headline(scoped, view.org_code),
        "indicator": indicator if indicator in indicators.INDICATORS else "students",
        "indicators": indicators.INDICATORS,
        "series": map_series(scoped),
        "labels": {name: page.t(name) for name in indicators.INDICATORS},
        "districts": scoped.filter(pl.col("level") == "district").to_dicts(),
        "schools": [] if view.level == "city" else scoped.filter(pl.col("level") == "school").to_dicts(),
        "versions": snap.versions,
        "year": shown_year,
        "years": snap.years,
        "definitions": definitions_for(page.lang),
        "version_labels": version_labels(page, snap.versions),
        **map_context(page, scoped, view, org),
    }


def version_labels(page: Page, versions: dict[str, int | None]) -> list[str]:
    """The lake versions the cockpit counts from, as people read them: "学校基础信息 第 15 版"."""
    out = []
    for dataset_id in SOURCE_DATASETS:
        dataset = page.home.catalog.datasets.get(dataset_id)
        title = pick(page.lang, dataset.title_zh, dataset.title_en) if dataset else dataset_id
        version = versions.get(dataset_id)
        out.append(f"{title} " + (page.t("version_n", n=version) if version is not None else page.t("no_version")))
    return out


@router.get("/")
def cockpit(request: Request, indicator: str = "students", year: int | None = None) -> Response:
    """The cockpit of the user's organisation: headline indicators, the district map, a table."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    if view.level is None:
        return page.render("cockpit.html", view=view)
    snap = indicator_cache(request).get(page.home)
    context = _cockpit_context(page, snap, view, indicator, year)
    return page.render("cockpit.html", **context, **cockpit_alerts(page))


def may_see_district(view: Viewpoint, district: str) -> bool:
    """The city sees every district; a district only itself; schools and persons no district page."""
    return view.level == "city" or (view.level == "district" and view.org_code == district)


@router.get("/district/{code}")
def district_page(request: Request, code: str, dataset: str = "students", indicator: str = "students") -> Response:
    """One district: its indicators, its schools and their submission status."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    snap = indicator_cache(request).get(page.home)
    known = snap.table.filter((pl.col("org_code") == code) & (pl.col("level") == "district"))
    if known.is_empty():
        return page.error(NotFound(f"没有区 {code}", f"No district {code}"), 404)
    if not may_see_district(view, code):
        return page.error(out_of_scope(), 403)
    context = _cockpit_context(page, snap, Viewpoint("district", code), indicator)
    return page.render("district.html", **context, **status_context(page, snap, code, dataset))


def status_context(page: Page, snap: Snapshot, district: str, dataset: str) -> dict[str, Any]:
    """The submission status of each school of ``district`` for ``dataset`` (a school-level dataset)."""
    if not status_dataset(dataset, page.home):
        dataset = "students"
    schools = snap.table.filter((pl.col("level") == "school") & (pl.col("district_code") == district))
    stored = indicator_cache(page.request).stored(page.home, snap, dataset)
    status = school_status(
        schools.select(pl.col("org_code").alias("school_code"), pl.col("name_zh").alias("name")),
        snap.batches,
        stored,
        dataset,
        dt.datetime.now(dt.UTC),
    )
    choices = [d for d in page.home.catalog.datasets.values() if status_dataset(d.id, page.home)]
    return {
        "district_code": district,
        "status_dataset": dataset,
        "status_choices": choices,
        "status_rows": status.to_dicts(),
        "status_summary": status_summary(status),
    }


@router.get("/status")
def status_fragment(request: Request, district: str, dataset: str = "students") -> Response:
    """The submission status of a district's schools for one dataset (an HTMX fragment)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_see_district(viewpoint(page.principal), district):
        return page.error(out_of_scope(), 403, partial=True)
    snap = indicator_cache(request).get(page.home)
    return page.render("_school_status.html", **status_context(page, snap, district, dataset))
