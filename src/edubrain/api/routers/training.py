"""``/api/v1/training``: training coverage per organisation and the action list of people behind the target.

Thin adapters over the governed facade :mod:`edubrain.training`: rows are scoped there (a school its staff, a
district its schools, the city all; teachers, students, parents and the public nothing), names masked below
the clearance for personal information and unmasked reads audited. A district or school outside the caller's
scope gets the same 403 whether it exists or not.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.files import MEDIA_TYPES, file_content, file_response, table_bytes
from edubrain.training import ActionList, CoverageSummary, action_list, coverage_summary, list_frame

router = APIRouter(prefix="/training", tags=["training"])
ERRORS = error_responses(400, 401, 403)
Year = Annotated[
    int | None, Query(ge=2000, le=2100, description="培训年度（默认最新）/ training year (default newest)")
]
District = Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="区划代码 / district code")]
School = Annotated[str | None, Query(pattern=r"^[0-9]{10}$", description="学校标识码 / school code")]


@router.get("/coverage", response_model=CoverageSummary, responses=ERRORS)
def coverage(
    home: HomeDep, principal: CurrentPrincipal, year: Year = None, district: District = None, school: School = None
) -> CoverageSummary:
    """培训覆盖：各单位达标、三年覆盖与有风险人数占比 / coverage per city, district and school, with the targets."""
    return coverage_summary(home, principal, year=year, district=district, school=school)


@router.get(
    "/at-risk",
    response_model=ActionList,
    responses={
        **ERRORS,
        200: {
            "description": "行动清单（JSON，或 format=csv|xlsx 下载）/ the list, as JSON or a file",
            "content": {**file_content(MEDIA_TYPES["csv"]), **file_content(MEDIA_TYPES["xlsx"])},
        },
    },
)
def at_risk(
    home: HomeDep,
    principal: CurrentPrincipal,
    year: Year = None,
    district: District = None,
    school: School = None,
    format: Annotated[Literal["json", "csv", "xlsx"], Query(description="json, csv 或 xlsx")] = "json",
) -> ActionList | Response:
    """行动清单：预计或已未达标的校长、教师（姓名按密级脱敏，审计）/ people behind the target, school by school."""
    fmt = None if format == "json" else format
    found = action_list(home, principal, year=year, district=district, school=school, export_format=fmt)
    if fmt is None:
        return found
    table = list_frame(found)
    name = f"training-at-risk-{district or school or 'scope'}-{found.year or 'none'}.{fmt}"
    return file_response(table_bytes(table.to_arrow(), fmt), fmt, name, {"Cache-Control": "no-store"})
