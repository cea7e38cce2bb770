"""The dataset viewer: paged, filtered, and scoped and masked for the user by the one read path."""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from edubrain.errors import EduBrainError
from edubrain.governance import policy
from edubrain.governance.readpath import read_dataset
from edubrain.web.labels import reference_labels
from edubrain.web.messages import pick
from edubrain.web.navigation import readable_datasets
from edubrain.web.readcache import PageCache
from edubrain.web.render import indicator_cache, open_page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE = 1_000_000
"""The last page number a link may ask for (50 million rows); a larger one is a 422, not a database overflow."""
RESERVED = {"page", "lang", "purpose"}


def page_cache(request: Request) -> PageCache:
    """The app's cache of masked dataset pages (see :mod:`edubrain.web.readcache`)."""
    state = request.app.state
    if getattr(state, "web_pages", None) is None:
        state.web_pages = PageCache()
    return state.web_pages  # type: ignore[no-any-return]


@router.get("/data")
def data_index(request: Request) -> Response:
    """The datasets a user can open in the viewer: those the scope lets it read (the others would be a 403)."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    return page.render("data_index.html", datasets=readable_datasets(page.home, page.principal))


@router.get("/data/{dataset_id}")
def data_page(
    request: Request, dataset_id: str, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1, purpose: str | None = None
) -> Response:
    """One page of a dataset, scoped and masked for the user by ``read_dataset``."""
    view = open_page(request)
    if view.web.principal is None:
        return view.login_redirect()
    try:
        dataset = view.home.catalog.dataset(dataset_id)
    except EduBrainError as exc:
        return view.error(exc, 404)
    filters = {k: v for k, v in request.query_params.items() if k not in RESERVED and v != ""}
    number = max(page, 1)
    try:
        offset = (number - 1) * PAGE_SIZE
        if purpose:
            result = read_dataset(
                view.home, view.principal, dataset.id, filters=filters, limit=PAGE_SIZE, offset=offset, purpose=purpose
            )
        else:
            result = page_cache(request).read(view.home, view.principal, dataset.id, filters, PAGE_SIZE, offset)
    except EduBrainError as exc:
        return view.error(exc)
    columns = [f for f in dataset.fields if f.name in result.table.column_names]
    catalog, lang = view.home.catalog, view.lang
    titles = {f.name: pick(lang, f.title_zh, f.title_en) for f in dataset.fields}
    code_labels = {
        f.name: {c.code: pick(lang, c.zh, c.en) for c in catalog.code_table(f.code_table).codes}
        for f in columns
        if f.code_table
    }
    unmask = any(r.purpose_unmask for r in view.principal.roles())
    rows = result.table.select([c.name for c in columns]).to_pylist()
    cache, pages = indicator_cache(request), page_cache(request)
    refs = reference_labels(cache, pages, view.home, view.principal, dataset, rows, lang)
    return view.render(
        "data.html",
        dataset=dataset,
        columns=columns,
        titles=titles,
        code_labels=code_labels,
        rows=rows,
        ref_labels=refs,
        result=result,
        filters=filters,
        page=number,
        pages=max(1, math.ceil(result.total / PAGE_SIZE)),
        purpose=purpose or "",
        purposes=[p for p in policy.purposes().values() if not p.automatic] if unmask else [],
        base_query=urlencode({**filters, **({"purpose": purpose} if purpose else {})}),
    )
