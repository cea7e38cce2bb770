"""``/api/v1/facilities``: facility, usage and satisfaction indicators inside the caller's scope."""

from __future__ import annotations

from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Query
from pydantic import BaseModel

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.governance.facility_access import facility_indicators

router = APIRouter(prefix="/facilities", tags=["facilities"])


class IndicatorRow(BaseModel):
    """One indicator cell (docs/facilities.md): a ratio with its parts and the persons it describes."""

    level: str
    org_code: str
    parent_code: str | None
    month: int
    school_year: int
    indicator: str
    category: str
    app_id: str
    app_name: str | None
    value: float | None
    numerator: float | None
    denominator: float | None
    people: int | None
    suppressed: str | None


class IndicatorPage(BaseModel):
    """Indicator rows and how many there are."""

    data: list[IndicatorRow]
    count: int


@router.get("/indicators", response_model=IndicatorPage, responses=error_responses(401, 403))
def indicators(
    home: HomeDep,
    principal: CurrentPrincipal,
    org: Annotated[
        str | None, Query(pattern="^[0-9]{6}([0-9]{4})?$", description="An organisation and its children")
    ] = None,
    indicator: Annotated[str | None, Query(max_length=40)] = None,
    month: Annotated[int | None, Query(ge=200001, le=210012, description="YYYYMM")] = None,
) -> Any:
    """设施、应用使用与满意度指标（学校看本校，区看本区及所辖学校，市看全部） / indicators in the caller's scope."""
    rows = facility_indicators(home, principal, org)
    if indicator is not None:
        rows = rows.filter(pl.col("indicator") == indicator)
    if month is not None:
        rows = rows.filter(pl.col("month") == month)
    return IndicatorPage(data=[IndicatorRow(**r) for r in rows.to_dicts()], count=rows.height)
