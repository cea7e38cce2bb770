"""体质健康成绩: a student's own, or a parent's children's, fitness results and grades.

The page reads the derived dataset ``fitness_scores`` through the one read path
(:func:`~edubrain.governance.readpath.read_dataset`). A student's or a parent's
grant names the pupils (their student numbers); ``fitness_scores`` identifies
pupils only by a keyed pseudonym, so the grant's row scope is the pseudonyms of
those numbers (:class:`~edubrain.governance.scope.Scope`). The read shows
sensitive personal information unmasked to the pupil's own family, so it is
written to the audit trail like every other such read.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from fastapi import APIRouter, Request
from fastapi.responses import Response

from edubrain.analytics.fitness import load_standard
from edubrain.errors import EduBrainError
from edubrain.governance.policy import role
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied
from edubrain.web.messages import pick, t
from edubrain.web.navigation import may_view_own_fitness
from edubrain.web.render import open_page

router = APIRouter(include_in_schema=False)
DATASET = "fitness_scores"
LEVELS = {"优秀": "fit_excellent", "良好": "fit_good", "及格": "fit_pass", "不及格": "fit_fail"}
"""Stored grades (优秀 …) and the message keys of their names."""
STATUSES = {"incomplete": "fit_incomplete", "exempt": "fit_exempt", "unscored": "fit_unscored"}
"""Scoring statuses that explain a missing total."""
MAX_ROWS = 200
"""More school years than a family's children can have."""


def item_columns(lang: str) -> list[tuple[str, str, str | None]]:
    """(score column, item name, bonus column) of BMI and each scored item of the standard."""
    items: list[tuple[str, str, str | None]] = [
        ("bmi_score", pick(lang, "体重指数（BMI）", "Body mass index (BMI)"), None)
    ]
    for item in load_standard().scored_items:
        items.append((f"{item.id}_score", pick(lang, item.zh, item.en), f"{item.id}_bonus"))
    return items


def _year_rows(rows: list[dict[str, Any]], lang: str, grades: dict[str, str]) -> list[dict[str, Any]]:
    """Each school year's result, newest first, with the grade's name and the item scores that were tested."""
    items = item_columns(lang)
    out = []
    for row in sorted(rows, key=lambda r: r["school_year"], reverse=True):
        level = LEVELS.get(row.get("level") or "")
        status = STATUSES.get(row.get("status") or "")
        scored = [
            {"name": name, "score": row.get(column), "bonus": row.get(bonus) if bonus else None}
            for column, name, bonus in items
            if row.get(column) is not None
        ]
        out.append(
            {
                **row,
                "grade_name": grades.get(str(row.get("grade")), row.get("grade") or ""),
                "level_name": t(level, lang) if level else (row.get("level") or ""),
                "level_class": level or "",
                "status_note": t(status, lang) if status else "",
                "items": scored,
            }
        )
    return out


def pupils(table: pa.Table, lang: str, grades: dict[str, str]) -> list[dict[str, Any]]:
    """The results grouped by pupil (by pseudonym, in order of first appearance); ``grades`` names grade codes."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in table.to_pylist():
        grouped.setdefault(str(row.get("student_pseudonym")), []).append(row)
    return [{"years": _year_rows(rows, lang, grades)} for rows in grouped.values()]


@router.get("/fitness/mine")
def my_fitness_page(request: Request) -> Response:
    """体质健康成绩 of the student, or of the parent's children: each school year's total, grade and item scores."""
    page = open_page(request)
    if page.web.principal is None:
        return page.login_redirect()
    if not may_view_own_fitness(page.home, page.principal):
        return page.error(AccessDenied(t("page_refused", "zh"), t("page_refused", "en")), 403)
    parent = any(role(g.role).scope == "children" for g in page.principal.grants)
    title = page.t("my_fitness_children" if parent else "my_fitness_self")
    if page.home.lake.version(DATASET) is None:
        return page.render("my_fitness.html", title=title, pupils=[], dataset=page.home.catalog.dataset(DATASET))
    try:
        result = read_dataset(page.home, page.principal, DATASET, sort=["school_year"], limit=MAX_ROWS)
    except EduBrainError as exc:
        return page.error(exc)
    grades = {c.code: pick(page.lang, c.zh, c.en) for c in page.home.catalog.code_table("grade").codes}
    found = pupils(result.table, page.lang, grades)
    return page.render("my_fitness.html", title=title, pupils=found, dataset=page.home.catalog.dataset(DATASET))
