"""The catalog browser: datasets, fields, code tables, classification, sharing, templates."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.background import BackgroundTask
from starlette.responses import FileResponse

from edubrain.catalog.export_dcat import SHARING_EN
from edubrain.catalog.labels import FREQUENCY_ZH, level_label, range_text, rule_text, type_label
from edubrain.catalog.models import OWNER_LEVEL_ZH, SHARING_ZH
from edubrain.catalog.template_xlsx import write_template
from edubrain.errors import CatalogError, EduBrainError
from edubrain.web.render import open_page

router = APIRouter(include_in_schema=False)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain(markdown: str) -> str:
    """A catalog sentence without its Markdown (links keep their text, code marks go)."""
    return _MD_LINK.sub(r"\1", markdown).replace("`", "")


def _labels(lang: str) -> dict[str, dict[str, str]]:
    owner = OWNER_LEVEL_ZH if lang == "zh" else {k: k for k in OWNER_LEVEL_ZH}
    frequency = FREQUENCY_ZH if lang == "zh" else {k: k for k in FREQUENCY_ZH}
    return {"owner": owner, "sharing": SHARING_ZH if lang == "zh" else SHARING_EN, "frequency": frequency}


@router.get("/catalog")
def catalog_index(request: Request) -> Response:
    """The catalog: datasets, code tables and the classification scale."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    catalog = page.home.catalog
    ranks = {lv.id: lv.rank for lv in catalog.levels.values()}
    top = {
        d.id: max((f.classification for f in d.fields), key=lambda c: ranks.get(c, 0))
        for d in catalog.datasets.values()
    }
    return page.render(
        "catalog.html",
        datasets=sorted(catalog.datasets.values(), key=lambda d: d.id),
        top={k: level_label(catalog, v, page.lang) for k, v in top.items()},
        code_tables=sorted(catalog.code_tables.values(), key=lambda c: c.id),
        levels=sorted(catalog.levels.values(), key=lambda lv: lv.rank),
        labels=_labels(page.lang),
    )


@router.get("/catalog/code-tables/{table_id}")
def code_table_page(request: Request, table_id: str) -> Response:
    """One code table with its standard and codes."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    try:
        table = page.home.catalog.code_table(table_id)
    except CatalogError as exc:
        return page.error(exc, 404)
    return page.render("code_table.html", table=table)


@router.get("/catalog/{dataset_id}")
def dataset_page(request: Request, dataset_id: str) -> Response:
    """One dataset: fields, classification, sharing rule, validation rules, template link."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    catalog = page.home.catalog
    try:
        dataset = catalog.dataset(dataset_id)
    except EduBrainError as exc:
        return page.error(exc, 404)
    fields = [
        {
            "spec": f,
            "type": type_label(f.type, page.lang),
            "range": range_text(f),
            "level": level_label(catalog, f.classification, page.lang),
            "table": catalog.code_tables.get(f.code_table) if f.code_table else None,
        }
        for f in dataset.fields
    ]
    rules = [plain(rule_text(r, dataset, catalog, page.lang)) for r in dataset.rules]
    return page.render("catalog_dataset.html", dataset=dataset, fields=fields, rules=rules, labels=_labels(page.lang))


@router.get("/catalog/{dataset_id}/template.xlsx")
def template_download(request: Request, dataset_id: str) -> Response:
    """The dataset's Excel template (Chinese or English headers, drop-downs)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    try:
        dataset = page.home.catalog.dataset(dataset_id)
    except EduBrainError as exc:
        return page.error(exc, 404)
    folder = tempfile.TemporaryDirectory(prefix="edubrain-template-")
    title = dataset.title_zh if page.lang == "zh" else dataset.title_en
    path = write_template(dataset, page.home.catalog, Path(folder.name) / f"{dataset.id}.xlsx", page.lang)
    return FileResponse(
        path,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"{title}-{dataset.id}.xlsx",
        background=BackgroundTask(folder.cleanup),
    )
