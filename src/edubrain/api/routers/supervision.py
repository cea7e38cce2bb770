"""``/api/v1/supervision``: graded supervision of training providers (信用分级分类监管).

Thin adapters over :mod:`edubrain.supervision`: a district's officers read their district's providers, the city all;
a provider or district outside the caller's scope gets the same 403 as one that does not exist. The public list
(grade only) answers any signed-in caller, the public role included.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.supervision import GradeBoard, ProviderDetail, PublicList, grade_board, provider_detail, public_list

router = APIRouter(prefix="/supervision", tags=["supervision"])
ERRORS = error_responses(400, 401, 403)
District = Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="区划代码 / district code")]
GradeQ = Annotated[str | None, Query(pattern=r"^[A-D]$", description="信用等级 A–D / grade")]
Code = Annotated[str, Path(pattern=r"^[0-9A-Z]{18}$", description="统一社会信用代码 / unified social credit code")]


@router.get("/providers", response_model=GradeBoard, responses=ERRORS)
def providers(
    home: HomeDep, principal: CurrentPrincipal, district: District = None, grade: GradeQ = None
) -> GradeBoard:
    """辖区机构信用等级、分数与下次检查到期日 / the providers supervised, soonest inspection first."""
    return grade_board(home, principal, district=district, grade=grade)


@router.get("/providers/{code}", response_model=ProviderDetail, responses=ERRORS)
def provider(home: HomeDep, principal: CurrentPrincipal, code: Code) -> ProviderDetail:
    """一个机构的等级与每一项加减分（追溯到检查、投诉记录）/ one provider's grade and its items."""
    return provider_detail(home, principal, code)


@router.get("/public", response_model=PublicList, responses=error_responses(400, 401))
def public(home: HomeDep, principal: CurrentPrincipal, district: District = None, grade: GradeQ = None) -> PublicList:
    """公示名单：机构名称、代码、所在区与等级（无分数）/ the public list: grades only."""
    return public_list(home, principal, district=district, grade=grade)
