"""Exam item analysis read through governance: the exams in scope, an exam's items table, an item's options.

Rules (docs/item-analysis.md):

- ``exam_item_statistics`` and ``exam_item_options`` are scoped by school (:class:`~edubrain.governance.scope.Scope`):
  a school sees its own exams, a district its schools', the city all; teachers, students, parents and the public
  see none (their grants have no school-wide scope);
- an exam id outside the reader's scope gets the same answer as an id that does not exist (:class:`ExamNotFound`),
  so an id cannot be probed; the item-level responses (``exam_item_results``, personal) are never read here.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.analytics.items.exams import FLAG_REASONS
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, reads_rows
from edubrain.home import Home
from edubrain.teaching.models import ExamItems, ExamNotFound, ExamSummary, ItemOptions, ItemRow, OptionRow

DATASET = "exam_item_statistics"
OPTIONS = "exam_item_options"


def may_read_items(home: Home, principal: Principal) -> bool:
    """Whether ``principal`` has a dashboard and a row scope on ``exam_item_statistics`` (school staff and above)."""
    return reads_rows(home, principal, DATASET)


def _require(home: Home, principal: Principal) -> None:
    if not may_read_items(home, principal):
        raise AccessDenied(
            f"{principal.name} 不能查看试题分析：仅市、区、学校的管理与分析人员可查看",
            f"{principal.name} may not read item analysis: city, district and school staff only",
        )


def _not_found(exam_id: str, item_no: int | None = None) -> ExamNotFound:
    what = exam_id if item_no is None else f"{exam_id} 第 {item_no} 题"
    what_en = exam_id if item_no is None else f"{exam_id} item {item_no}"
    return ExamNotFound(
        f"考试 {what} 不存在或不在您的权限范围内；请从试题分析页的考试列表中选择。",
        f"Exam {what_en} does not exist or is outside your scope; choose one from the item analysis exam list.",
        exam_id=exam_id,
    )


def _frame(table: Any) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _summary(row: dict[str, Any], flagged: int) -> ExamSummary:
    alpha = row.get("exam_alpha")
    return ExamSummary(
        exam_id=str(row["exam_id"]), school_code=str(row["school_code"]), district_code=row.get("district_code"),
        school_year=row.get("school_year"), grade=row.get("grade"), subject=row.get("subject"),
        persons=int(row.get("persons") or 0), items=int(row.get("exam_items") or 0),
        alpha=None if alpha is None else float(alpha), flagged=flagged,
    )  # fmt: skip


def exams(
    home: Home, principal: Principal, *, school: str | None = None, year: int | None = None
) -> tuple[ExamSummary, ...]:
    """The exams in the reader's scope (or of ``school`` / ``year`` in it), newest first, with flagged item counts.

    Raises:
        AccessDenied: the reader may not read item analysis at all.
    """
    _require(home, principal)
    filters: dict[str, Any] = {}
    if school:
        filters["school_code"] = school
    if year:
        filters["school_year"] = year
    frame = _frame(read_dataset(home, principal, DATASET, filters=filters).table)
    if not frame.height:
        return ()
    per_exam = (
        frame.group_by("exam_id")
        .agg(pl.all().first(), pl.col("flags").is_not_null().sum().alias("_flagged"))
        .sort(["school_year", "school_code", "exam_id"], descending=[True, False, False])
    )
    return tuple(_summary(r, int(r["_flagged"])) for r in per_exam.to_dicts())


def _item(row: dict[str, Any]) -> ItemRow:
    codes = tuple(c for c in str(row.get("flags") or "").split(";") if c)
    floats = {
        k: None if row.get(k) is None else float(row[k])
        for k in (
            "max_score",
            "difficulty",
            "discrimination",
            "point_biserial",
            "corrected_item_total",
            "alpha_if_deleted",
        )
    }
    return ItemRow(
        item_no=int(row["item_no"]), item_type=row.get("item_type"), key=row.get("key"), flags=codes,
        reasons_zh=tuple(FLAG_REASONS[c][0] for c in codes if c in FLAG_REASONS),
        reasons_en=tuple(FLAG_REASONS[c][1] for c in codes if c in FLAG_REASONS), **floats,
    )  # fmt: skip


def exam_items(home: Home, principal: Principal, exam_id: str) -> ExamItems:
    """One exam's items table with its reliability.

    Raises:
        AccessDenied: the reader may not read item analysis at all.
        ExamNotFound: no such exam in the reader's scope (whether it exists elsewhere or not).
    """
    _require(home, principal)
    frame = _frame(read_dataset(home, principal, DATASET, filters={"exam_id": exam_id}, sort=["item_no"]).table)
    if not frame.height:
        raise _not_found(exam_id)
    rows = frame.to_dicts()
    head = rows[0]
    items = tuple(_item(r) for r in rows)

    def number(name: str) -> float | None:
        return None if head.get(name) is None else float(head[name])

    return ExamItems(
        exam=_summary(head, sum(1 for i in items if i.flags)),
        alpha_lower=number("exam_alpha_lower"),
        alpha_upper=number("exam_alpha_upper"),
        kr20=number("exam_kr20"),
        items=items,
    )


def item_options(home: Home, principal: Principal, exam_id: str, item_no: int) -> ItemOptions:
    """The distractor table of one objective item (options, who chose them in the upper and lower 27 %).

    Raises:
        AccessDenied: the reader may not read item analysis at all.
        ExamNotFound: no such exam or objective item in the reader's scope.
    """
    _require(home, principal)
    filters = {"exam_id": exam_id, "item_no": item_no}
    frame = _frame(read_dataset(home, principal, OPTIONS, filters=filters, sort=["option"]).table)
    if not frame.height:
        raise _not_found(exam_id, item_no)
    options = tuple(
        OptionRow(
            option=str(r["option"]),
            is_key=bool(r["is_key"]),
            rate=float(r["rate"]),
            rate_upper=float(r["rate_upper"]),
            rate_lower=float(r["rate_lower"]),
            discrimination=float(r["discrimination"]),
            flag=r.get("flag") or None,
        )  # fmt: skip
        for r in frame.to_dicts()
    )
    return ItemOptions(exam_id, item_no, options)
