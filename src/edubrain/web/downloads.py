"""Downloads of the data behind a page's tables and charts, as CSV (UTF-8 with BOM, for Excel) or XLSX.

Every table and chart of the cockpit, the 体质健康 page and the dataset
viewer has a 下载数据 link beside it (the macro ``_download.html``). The
link's route computes the same rows the page shows, by the same functions
and through the same governance door (counts through
:func:`~edubrain.governance.aggregates.count_rows`, rows through
:func:`~edubrain.governance.readpath.read_dataset`, rows of people through
:func:`~edubrain.governance.exports.read_for_export`, which records the
export in the audit trail), and writes them with their column headings in
the page's language. Text that a spreadsheet would run as a formula is
defused by :mod:`edubrain.governance.export_safety` (via
:func:`edubrain.api.files.table_bytes`).

The routes: ``/download/cockpit.{csv|xlsx}``, ``/download/fitness/{part}.{csv|xlsx}``
(:mod:`edubrain.web.pages_fitness`) and ``/download/data/{dataset}.{csv|xlsx}``.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.analytics import indicators
from edubrain.api.files import file_response, table_bytes
from edubrain.errors import EduBrainError
from edubrain.governance.exports import read_for_export
from edubrain.web.cockpit import Viewpoint, viewpoint
from edubrain.web.messages import pick
from edubrain.web.render import NotFound, Page, indicator_cache, open_page, out_of_scope

router = APIRouter(include_in_schema=False)
FORMATS = ("csv", "xlsx")
RESERVED = ("page", "purpose")
"""Query parameters of the dataset viewer that are not filters."""


def unknown_format(fmt: str) -> NotFound:
    """The error for a download format other than CSV or XLSX."""
    return NotFound(f"不支持的下载格式 {fmt}（可用 csv、xlsx）", f"Unknown download format {fmt} (csv or xlsx)")


def download(page: Page, frame: pl.DataFrame, fmt: str, stem: str) -> Response:
    """``frame`` as a ``fmt`` file named ``stem.fmt`` (never cached: it may hold what only this user may see)."""
    if fmt not in FORMATS:
        return page.error(unknown_format(fmt), 404)
    safe = re.sub(r"[^0-9A-Za-z_.-]", "_", stem)[:80]
    response = file_response(table_bytes(frame.to_arrow(), fmt), fmt, f"{safe}.{fmt}", {"Cache-Control": "no-store"})  # type: ignore[arg-type]
    return page.web.apply(response, secure=page.home.settings.env == "production")


def labelled(page: Page, rows: list[dict[str, Any]], columns: dict[str, str]) -> pl.DataFrame:
    """``rows`` with only ``columns`` (name → message key), headed in the page's language."""
    frame = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame({c: [] for c in columns})
    return frame.select([pl.col(c).alias(page.t(key)) for c, key in columns.items()])


@router.get("/download/cockpit.{fmt}")
def cockpit_download(
    request: Request, fmt: str, table: str = "districts", org: str | None = None, year: int | None = None
) -> Response:
    """The cockpit's table (``districts``, ``schools``) or headline (``own``) of ``org`` (a district page's code).

    ``org`` is the user's own organisation (the cockpit) or a district the user may open (``/district/{code}``).
    """
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    view = viewpoint(page.principal)
    if view.level is None or view.org_code is None:
        return page.error(out_of_scope(), 403)
    if org is not None and org != view.org_code:
        if not (view.level == "city" and org in district_codes(page)):
            return page.error(out_of_scope(), 403)
        view = Viewpoint("district", org)
    shown, counts = indicator_cache(request).get(page.home).of_year(year)
    assert view.level is not None and view.org_code is not None
    scoped = indicators.in_scope(counts, view.level, view.org_code)  # type: ignore[arg-type]
    level = {"districts": pl.col("level") == "district", "schools": pl.col("level") == "school"}
    en = pl.coalesce(pl.col("name_en").replace("", None), pl.col("name_zh"))
    chosen = scoped.filter(level.get(table, pl.col("org_code") == view.org_code)).with_columns(
        (en if page.lang == "en" else pl.col("name_zh")).alias("name")
    )
    columns = {"org_code": "col_code", "name": "col_name", **{n: n for n in indicators.INDICATORS}}
    return download(page, labelled(page, chosen.to_dicts(), columns), fmt, f"cockpit-{table}-{view.org_code}-{shown}")


def district_codes(page: Page) -> set[str]:
    """The codes of the city's districts (from the catalog's code table)."""
    return {c.code for c in page.home.catalog.code_table("district").codes}


@router.get("/download/data/{dataset_id}.{fmt}")
def data_download(request: Request, dataset_id: str, fmt: str, purpose: str | None = None) -> Response:
    """Every row of a dataset the user may see, with the viewer's filters: masked, and audited as an export."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if fmt not in FORMATS:
        return page.error(unknown_format(fmt), 404)
    filters = {k: v for k, v in request.query_params.items() if k not in RESERVED and v != ""}
    try:
        dataset = page.home.catalog.dataset(dataset_id)
        result = read_for_export(page.home, page.principal, dataset.id, fmt, filters=filters, purpose=purpose or None)
    except EduBrainError as exc:
        return page.error(exc)
    frame = pl.from_arrow(result.table)
    assert isinstance(frame, pl.DataFrame)
    titles = {f.name: pick(page.lang, f.title_zh, f.title_en) for f in dataset.fields}
    frame = frame.select([pl.col(c).alias(titles[c]) for c in frame.columns if c in titles])
    return download(page, frame, fmt, f"{dataset.id}-v{result.version}")
