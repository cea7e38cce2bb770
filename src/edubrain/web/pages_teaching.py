"""The teaching-quality pages: item analysis (``/teaching/items``) and school value-added (``/teaching/value-added``).

- ``/teaching/items`` lists the exams in the reader's scope (a school its own, a district its schools', the city
  all); ``/teaching/items/{exam_id}`` shows the exam's reliability and items table with the flagged items and their
  reasons, and ``?item=N`` the distractor table of an objective item. Another school's exam id answers 404 like an
  id that does not exist.
- ``/teaching/value-added`` shows the schools' effects in a year and subject as a caterpillar plot (inline SVG) and
  a table, always with the warning against ranking schools whose intervals overlap.

Everything goes through the governed facade :mod:`edubrain.teaching`; the routes ask the rules the navigation asks.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain import teaching
from edubrain.errors import EduBrainError
from edubrain.reports.value_added_chart import caterpillar
from edubrain.web.messages import pick
from edubrain.web.navigation import may_view_teaching_items, may_view_value_added
from edubrain.web.render import Page, open_page, out_of_scope
from edubrain.web.teaching_labels import LABELS

router = APIRouter(include_in_schema=False)
PAGE_ROWS = 300
"""Exams listed on the page (newest first); narrow with ``?school=`` or ``?year=``, or use the API or CLI."""


def _labels(page: Page) -> dict[str, str]:
    return {k: v[0 if page.lang == "zh" else 1] for k, v in LABELS.items()}


def _opened(request: Request, rule: Any) -> Page | Response:
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not rule(page.home, page.principal):
        return page.error(out_of_scope(), 403)
    return page


def _tabs(page: Page, here: str) -> list[dict[str, Any]]:
    """The two teaching pages the reader may use, as tabs (the header links only the first)."""
    pages = (("nav_teaching_items", "/teaching/items", may_view_teaching_items),
             ("nav_value_added", "/teaching/value-added", may_view_value_added))  # fmt: skip
    return [
        {"label": page.t(label), "path": path, "on": path == here}
        for label, path, rule in pages
        if rule(page.home, page.principal)
    ]


def _code_names(page: Page, table: str) -> dict[str, str]:
    return {c.code: pick(page.lang, c.zh, c.en) for c in page.home.catalog.code_table(table).codes}


@router.get("/teaching/items")
def items_page(request: Request, school: str | None = None, year: int | None = None) -> Response:
    """试题分析: the exams in scope, newest first."""
    page = _opened(request, may_view_teaching_items)
    if isinstance(page, Response):
        return page
    try:
        found = teaching.exams(page.home, page.principal, school=school or None, year=year)
        names = teaching.school_names(page.home, page.principal, [e.school_code for e in found])
    except EduBrainError as exc:
        return page.error(exc)
    return page.render(
        "teaching_items.html", labels=_labels(page), exams=found[:PAGE_ROWS], total=len(found), names=names, teaching_tabs=_tabs(page, "/teaching/items"),
        grades=_code_names(page, "grade"), subjects=_code_names(page, "subject"),
    )  # fmt: skip


@router.get("/teaching/items/{exam_id}")
def exam_page(request: Request, exam_id: str, item: int | None = None) -> Response:
    """One exam: reliability, the items table with reasons, and an item's options."""
    page = _opened(request, may_view_teaching_items)
    if isinstance(page, Response):
        return page
    try:
        found = teaching.exam_items(page.home, page.principal, exam_id)
        options = teaching.item_options(page.home, page.principal, exam_id, item) if item else None
        names = teaching.school_names(page.home, page.principal, [found.exam.school_code])
    except EduBrainError as exc:
        return page.error(exc)
    labels = _labels(page)
    flags = {k.removeprefix("flag_"): v for k, v in labels.items() if k.startswith("flag_")}
    return page.render(
        "teaching_exam.html", labels=labels, found=found, options=options, flags=flags, names=names,
        grades=_code_names(page, "grade"), subjects=_code_names(page, "subject"),
    )  # fmt: skip


@router.get("/teaching/value-added")
def value_added_page(request: Request, year: int | None = None, subject: str | None = None) -> Response:
    """学校增值评价: the caterpillar plot and table, with the warning against ranking."""
    page = _opened(request, may_view_value_added)
    if isinstance(page, Response):
        return page
    try:
        view = teaching.school_effects(page.home, page.principal, year=year, subject=subject or None)
        names = teaching.school_names(page.home, page.principal, [s.school_code for s in view.schools])
    except EduBrainError as exc:
        return page.error(exc)
    labels = _labels(page)
    return page.render(
        "teaching_value_added.html", labels=labels, view=view, names=names, chart=caterpillar(view, names),
        teaching_tabs=_tabs(page, "/teaching/value-added"),
        subjects=_code_names(page, "subject"), warning=pick(page.lang, view.warning_zh, view.warning_en),
        overlap=None if view.overlapping_pairs is None else round(100 * view.overlapping_pairs),
    )  # fmt: skip
