"""Indicator definitions where the numbers are: on hover, and the metadata page ``/indicators`` (as DHIS2 does).

The definitions are data (:mod:`edubrain.analytics.definitions`); this module
puts them in the page's language for the templates (the macro
``_indicator_def.html`` shows one on hover or focus) and renders the page
that lists every indicator with its formula, its source datasets and their
current lake version, the definition's version and its owner.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.analytics.definitions import IndicatorDefinition, indicator_definitions
from edubrain.web.messages import pick
from edubrain.web.render import open_page

router = APIRouter(include_in_schema=False)


def _shown(d: IndicatorDefinition, lang: str) -> dict[str, Any]:
    return {
        "id": d.id,
        "page": d.page,
        "name": pick(lang, d.zh, d.en),
        "formula": pick(lang, d.formula_zh, d.formula_en),
        "other": pick(lang, d.other_zh, d.other_en),
        "sources": list(d.sources),
        "version": d.version,
        "owner": pick(lang, d.owner_zh, d.owner_en),
    }


def definitions_for(lang: str) -> dict[str, dict[str, Any]]:
    """Every indicator's definition in ``lang`` (``zh`` or ``en``), by id: name, formula, sources, version, owner."""
    return {key: _shown(d, lang) for key, d in indicator_definitions().items()}


@router.get("/indicators")
def indicators_page(request: Request) -> Response:
    """指标说明: every indicator of the dashboards, with the current lake version of each source dataset."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    catalog, lang = page.home.catalog, page.lang
    titles = {d.id: pick(lang, d.title_zh, d.title_en) for d in catalog.datasets.values()}
    used = {s for d in indicator_definitions().values() for s in d.sources}
    versions = {s: page.home.lake.version(s) for s in sorted(used)}
    rows = list(definitions_for(lang).values())
    return page.render("indicators.html", rows=rows, titles=titles, versions=versions)
