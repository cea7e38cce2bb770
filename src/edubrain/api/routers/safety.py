"""``/api/v1/safety``: campus safety (校园安全) — a school's incidents, suppressed aggregates, warnings.

Thin adapters over :mod:`edubrain.campus_safety`: school staff read their own incidents; districts and the city
read aggregates with counts of 1 … k−1 hidden; a school or district outside the scope answers 403 like an unknown.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.campus_safety import SafetyOverview, SchoolIncidents, overview, school_incidents

router = APIRouter(prefix="/safety", tags=["safety"])
ERRORS = error_responses(400, 401, 403)
District = Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="区划代码 / district code")]
School = Annotated[str | None, Query(pattern=r"^[0-9]{10}$", description="学校标识码 / school code")]
Term = Annotated[str | None, Query(pattern=r"^[0-9]{4}-[12]$", description="学期，如 2025-1 / term")]


@router.get("/incidents", response_model=SchoolIncidents, responses=ERRORS)
def incidents(home: HomeDep, principal: CurrentPrincipal, school: School = None) -> SchoolIncidents:
    """本校安全事件明细（仅学校）/ the reader's own school's incidents (school staff only)."""
    return school_incidents(home, principal, school)


@router.get("/overview", response_model=SafetyOverview, responses=ERRORS)
def safety_overview(
    home: HomeDep, principal: CurrentPrincipal, district: District = None, term: Term = None
) -> SafetyOverview:
    """发生率、类别分布与预警（小格抑制）/ rates, patterns and warnings, small cells hidden."""
    return overview(home, principal, district=district, term=term)
