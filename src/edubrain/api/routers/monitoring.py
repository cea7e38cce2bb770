"""``/api/v1/monitoring``: the plan's monitoring indicators (信息化监测) and their values, inside the caller's scope.

Thin adapters over the governed facade :mod:`edubrain.monitoring`: values are
read through the read path, so a school gets its own rows, a district its own
and its schools', the city every row; the public, students and parents are
refused. The indicator list is the declaration (no value), shown to anyone
signed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.files import file_content
from edubrain.monitoring import GoalInfo, IndicatorInfo, ValuesPage, goals, indicator_values
from edubrain.reports.monitoring_report import MEDIA_TYPES, monitoring_report

router = APIRouter(prefix="/monitoring", tags=["monitoring"])
ERRORS = error_responses(401, 403, 404)
IndicatorId = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="指标编号 / indicator id")]


@dataclass(frozen=True)
class IndicatorList:
    """Every indicator with its target (``data``), their number, and the seven goals they hang from."""

    data: tuple[IndicatorInfo, ...]
    count: int
    goals: tuple[GoalInfo, ...]


@router.get("/indicators", response_model=IndicatorList, responses=ERRORS)
def indicators(home: HomeDep, principal: CurrentPrincipal) -> IndicatorList:
    """监测指标及目标 / the monitoring indicators: definition, formula in words, target, owner, plan sentence."""
    tree = goals(home)
    data = tuple(i for g in tree for i in g.indicators)
    return IndicatorList(data, len(data), tree)


@router.get("/indicators/{indicator_id}/values", response_model=ValuesPage, responses=ERRORS)
def values(
    indicator_id: IndicatorId,
    home: HomeDep,
    principal: CurrentPrincipal,
    org_level: Annotated[Literal["city", "district", "school"] | None, Query(description="层级 / level")] = None,
    school_year: Annotated[int | None, Query(ge=2000, le=2100, description="学年 / school year")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ValuesPage:
    """指标在各单位、各学年的值（按权限范围）/ an indicator's values per organisation and year, inside your scope."""
    return indicator_values(
        home, principal, indicator_id, org_level=org_level, school_year=school_year, limit=limit, offset=offset
    )


@router.get(
    "/report",
    response_class=Response,
    responses={
        **error_responses(401, 403, 404),
        200: {
            "description": "年度信息化监测报告（PDF 或 XLSX）/ the annual monitoring report as a file",
            "content": {**file_content(MEDIA_TYPES["pdf"]), **file_content(MEDIA_TYPES["xlsx"])},
        },
    },
)
def report(
    home: HomeDep,
    principal: CurrentPrincipal,
    year: Annotated[int, Query(ge=2000, le=2100, description="学年（开始年份）/ school year (its first year)")],
    area: Annotated[str, Query(pattern=r"^[0-9]{6}$", description="110000 或区划代码 / 110000 or a district code")],
    format: Annotated[Literal["pdf", "xlsx"], Query(description="pdf 或 xlsx")] = "pdf",
) -> Response:
    """年度信息化监测报告 / the annual monitoring report of the city or a district, as PDF or XLSX.

    City staff and auditors may have any area, district staff their own district; the download is audited.
    """
    found = monitoring_report(home, principal, year=year, area=area, fmt=format)
    return Response(found.content, media_type=found.media_type, headers=found.headers)
