"""The 体质健康 page: the district map of 优良率, the trend, the drill-down and the data-quality warnings.

The page reads two derived datasets through the governance read path
(:func:`~edubrain.governance.readpath.read_dataset`):

- ``fitness_indicators`` is shared unconditionally (无条件共享) and every field
  is L1: counts and rates per city, district, school and class, never a row
  of a person. Its small cells (fewer pupils than ``EDUBRAIN_SMALL_CELL_MIN``)
  outside the reader's scope are suppressed by ``read_dataset``
  (:mod:`edubrain.governance.suppression`; the page shows them as –), so it
  is read once per lake version and reader scope (:func:`~edubrain.web.cockpit.shared_read`)
  and then narrowed here to the user's scope: a district sees its district,
  schools and classes; a school its school and classes; a teacher its school
  (suppressed if small: the teacher's scope is its classes) and its own classes.
- ``fitness_warnings`` is shared conditionally: ``read_dataset`` scopes it
  (city all, a district its schools, a school itself; teachers see none).

The views (map, trend, drill-down) are :mod:`edubrain.analytics.fitness.views`,
run on an in-memory DuckDB (Ibis's own backend, no lake engine) over the scoped rows and kept per lake version.
A school prints a class's report cards as one PDF through
:func:`edubrain.reports.fitness_card.class_cards`, which reads the pupils'
results with a declared purpose; the read path writes the audit record.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import ibis
import polars as pl
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from edubrain.analytics.fitness import load_standard
from edubrain.analytics.fitness.aggregates import ALL
from edubrain.analytics.fitness.views import MEASURES, district_map, drill_down, trend
from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.identity import Principal
from edubrain.web.cockpit import Viewpoint, derived_cache, shared_read, viewpoint
from edubrain.web.downloads import download, labelled
from edubrain.web.indicator_defs import definitions_for
from edubrain.web.messages import pick, t
from edubrain.web.navigation import may_view_fitness
from edubrain.web.pages_data import page_cache
from edubrain.web.render import NotFound, Page, indicator_cache, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
MAP_MEASURES = ("excellent_good_rate", "pass_rate", "mean_total", "overweight_rate", "obesity_rate")
KEEP = ("level", "org_code", "parent_code", "school_year", "grade", "sex", *MEASURES)
DATASET = "fitness_indicators"


def class_refs(principal: Principal, view: Viewpoint) -> tuple[str, ...] | None:
    """The classes a school-level viewer is limited to (a teacher's), or None for the whole organisation."""
    whole = [g for g in principal.grants if policy.role(g.role).scope not in ("class", "self", "children", "none")]
    if view.level != "school" or whole:
        return None
    return tuple(sorted({ref for g in principal.grants for ref in g.refs}))


def in_scope(table: pl.DataFrame, view: Viewpoint, classes: tuple[str, ...] | None) -> pl.DataFrame:
    """The indicator rows the viewpoint may see (city all; a district or school its own and below)."""
    level, parent, org = pl.col("level"), pl.col("parent_code"), pl.col("org_code")
    if view.level == "city":
        return table
    if view.level == "district":
        schools = table.filter((level == "school") & (parent == view.org_code)).get_column("org_code").unique()
        keep = (
            ((level == "district") & (org == view.org_code))
            | ((level == "school") & (parent == view.org_code))
            | ((level == "class") & parent.is_in(schools.implode()))
        )
        return table.filter(keep)
    mine = (level == "class") & (parent == view.org_code)
    if classes is not None:
        mine = mine & org.is_in([f"{view.org_code}:{c}" for c in classes])
    return table.filter(((level == "school") & (org == view.org_code)) | mine)


def _indicators(page: Page) -> pl.DataFrame:
    """Every organisation's all-grades, both-sexes rows, read through ``read_dataset`` once per lake version."""
    result = shared_read(
        derived_cache(page.request.app.state), page.home, page.principal, DATASET, {"grade": ALL, "sex": ALL}
    )
    frame = pl.from_arrow(result.table)
    assert isinstance(frame, pl.DataFrame)
    return frame.select(KEEP)


def _views(scoped: pl.DataFrame, view: Viewpoint, org: str, year: int) -> dict[str, list[dict[str, Any]]]:
    """The map (city and district viewers), the trend of ``org`` and its children in ``year``."""
    backend = ibis.duckdb.connect()  # the rows are already read and scoped: the views run on them in memory
    try:
        t = ibis.memtable(scoped.to_arrow())
        out = {"trend": backend.to_pyarrow(trend(t, org)).to_pylist(), "children": []}
        out["children"] = backend.to_pyarrow(drill_down(t, org, year)).to_pylist()
        out["map"] = backend.to_pyarrow(district_map(t, year)).to_pylist() if view.level in ("city", "district") else []
    finally:
        backend.disconnect()
    return out


def _names(page: Page, org_level: str, school: str | None, year: int) -> dict[str, tuple[str, str]]:
    """Names of districts, schools and (of ``school``) classes in ``year``, as (zh, en)."""
    names = {c.code: (c.zh, c.en) for c in page.home.catalog.code_table("district").codes}
    table = indicator_cache(page.request).get(page.home).table.filter(pl.col("level") == "school")
    names.update({r["org_code"]: (r["name_zh"], r["name_en"] or r["name_zh"]) for r in table.iter_rows(named=True)})
    if school and org_level in ("school", "class"):
        try:
            found = page_cache(page.request).read(
                page.home, page.principal, "classes", {"school_code": school, "school_year": str(year)}, 500, 0
            )
        except EduBrainError:
            return names  # classes are shown by their id
        for row in found.table.to_pylist():
            label = row.get("class_name") or row["class_id"]
            names[f"{school}:{row['class_id']}"] = (label, label)
    return names


def _chain(scoped: pl.DataFrame, org: str, top: str) -> list[str]:
    """Organisations from the viewer's own (``top``) down to ``org`` (at most four levels)."""
    parents = dict(scoped.select("org_code", "parent_code").unique("org_code").iter_rows())
    chain = [org]
    while chain[-1] != top and parents.get(chain[-1]) and len(chain) < 5:
        chain.append(parents[chain[-1]])
    return list(reversed(chain))


def _warnings(page: Page, year: int) -> list[dict[str, Any]] | None:
    """The data-quality warnings of the user's scope in ``year`` (None when the role sees none)."""
    try:
        result = page_cache(page.request).read(
            page.home, page.principal, "fitness_warnings", {"school_year": str(year)}, 500, 0
        )
    except EduBrainError:
        return None
    items = {i.id: (i.zh, i.en) for i in load_standard().scored_items}
    rows = result.table.to_pylist()
    for row in rows:
        row["item_names"] = items.get(row["item"])
    return rows


@router.get("/fitness")
def fitness_page(
    request: Request, org: str | None = None, year: int | None = None, measure: str = MEASURES[0]
) -> Response:
    """体质健康: map, trend and drill-down inside the user's scope; warnings; report cards for a school."""
    page = open_page(request)
    found = _opened(page, org)
    if isinstance(found, Response):
        return found
    return page.render("fitness.html", **_context(page, *found, year, measure))


Opened = tuple[Viewpoint, tuple[str, ...] | None, pl.DataFrame, str]
"""The viewpoint, a teacher's classes, the indicator rows in scope and the organisation shown."""


def _opened(page: Page, org: str | None) -> Opened | Response:
    """What the page of ``org`` (default the user's own) shows from, or the answer when it shows nothing."""
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    if not may_view_fitness(page.home, page.principal) or view.org_code is None:
        return page.error(out_of_scope(), 403)
    if page.home.lake.version(DATASET) is None:
        return page.render("fitness.html", missing=True)
    classes = class_refs(page.principal, view)
    everything = _indicators(page)
    scoped = in_scope(everything, view, classes)
    if scoped.is_empty():
        return page.render("fitness.html", missing=True)
    org = org or view.org_code
    if _rows_of(scoped, org).is_empty():
        if _rows_of(everything, org).is_empty():
            return page.error(NotFound(f"没有单位 {org}", f"No organisation {org}"), 404)
        return page.error(out_of_scope(), 403)
    return view, classes, scoped, org


PARTS = {
    "trend": ("school_year", "tested", *MAP_MEASURES),
    "children": ("org_code", "name", "tested", *MAP_MEASURES, "change_excellent_good_rate"),
    "map": ("district_code", "name", *MAP_MEASURES),
    "warnings": ("school_code", "name", "check", "item", "value", "city_value", "results"),
}
"""The downloadable parts of the page and their columns (the trend chart and table share ``trend``)."""
HEADINGS = {
    "org_code": "col_code",
    "district_code": "col_code",
    "school_code": "col_code",
    "name": "col_name",
    "value": "school_value",
}


@router.get("/download/fitness/{part}.{fmt}")
def fitness_download(
    request: Request, part: str, fmt: str, org: str | None = None, year: int | None = None
) -> Response:
    """The rows behind one table or chart of the page (same scope, organisation and year) as CSV or XLSX."""
    page = open_page(request)
    found = _opened(page, org)
    if isinstance(found, Response):
        return found
    if part not in PARTS:
        return page.error(NotFound(f"没有可下载的 {part}", f"Nothing to download called {part}"), 404)
    context = _context(page, *found, year, MEASURES[0])
    names = {code: pick(page.lang, *pair) for code, pair in context["names"].items()}
    rows = context[{"map": "map_rows"}.get(part, part)]
    if rows is None:  # a role that sees no warnings
        return page.error(out_of_scope(), 403)
    rows = [
        {**r, "name": names.get(r.get("org_code") or r.get("district_code") or r.get("school_code"), "")} for r in rows
    ]
    frame = labelled(page, rows, {c: HEADINGS.get(c, c) for c in PARTS[part]})
    return download(page, frame, fmt, f"fitness-{part}-{context['org']}-{context['year']}")


def _rows_of(table: pl.DataFrame, org: str) -> pl.DataFrame:
    return table.filter(pl.col("org_code") == org)


def _context(
    page: Page,
    view: Viewpoint,
    classes: tuple[str, ...] | None,
    scoped: pl.DataFrame,
    org: str,
    year: int | None,
    measure: str,
) -> dict[str, Any]:
    """The page's context for ``org`` (inside the scope) in ``year`` (default its newest)."""
    rows = _rows_of(scoped, org)
    years = sorted(rows.get_column("school_year").unique().to_list())
    year = year if year is not None and year in years else int(years[-1])
    key = ("fitness", view, classes, org, year)
    views = derived_cache(page.request.app.state).get(
        page.home, (DATASET,), key, lambda: _views(scoped, view, org, year)
    )
    org_level = rows.get_column("level")[0]
    school = org if org_level == "school" else org.split(":")[0] if org_level == "class" else None
    names = _names(page, org_level, school, year)
    measure = measure if measure in MAP_MEASURES else MEASURES[0]
    return {
        "missing": False,
        "view": view,
        "org": org,
        "org_level": org_level,
        "chain": _chain(scoped, org, view.org_code or org),
        "year": year,
        "years": years,
        "measure": measure,
        "measures": MAP_MEASURES,
        "names": names,
        "children": views["children"],
        "trend": views["trend"],
        "warnings": _warnings(page, year),
        "may_print": view.level == "school" and any(r.purpose_unmask for r in page.principal.roles()),
        "purposes": [p for p in policy.purposes().values() if not p.automatic],
        "chart": _chart_data(page, views, names, measure),
        "map_rows": views["map"],
        "definitions": definitions_for(page.lang),
        "download_query": urlencode({"org": org, "year": year}),
    }


def _chart_data(
    page: Page, views: dict[str, list[dict[str, Any]]], names: dict[str, tuple[str, str]], measure: str
) -> dict[str, Any]:
    """What ``fitness.js`` draws: the map series per measure (GeoJSON names) and the trend lines."""
    zh = {code: pair[0] for code, pair in names.items()}
    return {
        "measure": measure,
        "labels": {m: page.t(m) for m in MAP_MEASURES},
        "map": {
            m: [
                {"name": zh.get(r["district_code"], r["district_code"]), "code": r["district_code"], "value": r[m]}
                for r in views["map"]
            ]
            for m in MAP_MEASURES
        },
        "trend": {
            "years": [r["school_year"] for r in views["trend"]],
            "series": {m: [r[m] for r in views["trend"]] for m in MAP_MEASURES},
        },
    }


@router.post("/fitness/cards")
def fitness_cards(
    request: Request, class_id: str = Form(...), year: int = Form(...), purpose: str = Form("teaching")
) -> Response:
    """One PDF of a class's report cards, for the class's school (pupils' results read with a purpose, audited)."""
    from edubrain.reports.fitness_card import class_cards, render_pdf

    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    if view.level != "school" or view.org_code is None or not any(r.purpose_unmask for r in page.principal.roles()):
        return page.error(out_of_scope(), 403)
    try:
        cards = class_cards(page.home, page.principal, view.org_code, class_id, year, purpose)
    except EduBrainError as exc:
        return page.error(exc)
    if not cards:
        return page.error(NotFound(t("no_cards", "zh"), t("no_cards", "en")), 404)
    safe = re.sub(r"[^0-9A-Za-z_-]", "_", class_id)[:32]
    response = Response(
        render_pdf(cards),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="fitness-cards-{view.org_code}-{safe}-{year}.pdf"',
            "Cache-Control": "no-store",
        },
    )
    return page.web.apply(response, secure=page.home.settings.env == "production")
