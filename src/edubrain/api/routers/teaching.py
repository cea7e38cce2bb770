"""``/api/v1/teaching``: exam item analysis and school value-added.

Thin adapters over the governed facade :mod:`edubrain.teaching`: rows are scoped there (a school its own exams and
effect, a district its schools', the city all; teachers, students, parents and the public nothing). An exam id
outside the caller's scope gets the same 404 as an id that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.teaching import (
    ExamItems,
    ExamSummary,
    ItemOptions,
    ValueAddedView,
    exam_items,
    exams,
    item_options,
    school_effects,
)

router = APIRouter(prefix="/teaching", tags=["teaching"])
ERRORS = error_responses(400, 401, 403)
EXAM_ERRORS = error_responses(400, 401, 403, 404)
ExamId = Annotated[str, Path(pattern=r"^[0-9A-Za-z_-]{1,40}$", description="考试编号 / exam id")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="学年（默认最新）/ school year (default newest)")]


@router.get("/exams", response_model=list[ExamSummary], responses=ERRORS)
def list_exams(
    home: HomeDep,
    principal: CurrentPrincipal,
    school: Annotated[str | None, Query(pattern=r"^[0-9]{10}$", description="学校标识码 / school code")] = None,
    year: Year = None,
) -> list[ExamSummary]:
    """可查看的考试及其信度、需复核题数 / the exams in scope with alpha and the number of flagged items."""
    return list(exams(home, principal, school=school, year=year))


@router.get("/exams/{exam_id}/items", response_model=ExamItems, responses=EXAM_ERRORS)
def items(home: HomeDep, principal: CurrentPrincipal, exam_id: ExamId) -> ExamItems:
    """一次考试的各题统计（难度、区分度、点双列相关、复核原因）与整卷 α、KR-20 / items table and reliability."""
    return exam_items(home, principal, exam_id)


@router.get("/exams/{exam_id}/items/{item_no}/options", response_model=ItemOptions, responses=EXAM_ERRORS)
def options(
    home: HomeDep,
    principal: CurrentPrincipal,
    exam_id: ExamId,
    item_no: Annotated[int, Path(ge=1, le=300, description="题号 / item number")],
) -> ItemOptions:
    """客观题选项分析（全体、高分组、低分组选择率）/ the distractor table of one objective item."""
    return item_options(home, principal, exam_id, item_no)


@router.get("/value-added", response_model=ValueAddedView, responses=ERRORS)
def value_added(
    home: HomeDep,
    principal: CurrentPrincipal,
    year: Year = None,
    subject: Annotated[str | None, Query(pattern=r"^[0-9A-Z]{1,4}$", description="学科代码 / subject code")] = None,
) -> ValueAddedView:
    """学校增值效应及 95% 区间（附勿排名警示）/ school effects with 95 % intervals and the ranking warning."""
    return school_effects(home, principal, year=year, subject=subject)
