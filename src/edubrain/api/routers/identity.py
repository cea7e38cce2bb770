"""``/api/v1/identity``: duplicate student records (学籍身份合并) — find, list, merge, reject, undo.

A thin shell over :mod:`edubrain.governance.identity_merge`, which checks the scope (a decision needs a submitting
grant holding both records' schools; a candidate outside it reads as absent), masks, and audits.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.routers.datasets import PURPOSES
from edubrain.api.schemas import Text
from edubrain.governance import identity_merge as im

router = APIRouter(prefix="/identity", tags=["identity"])
CandidateId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Opaque candidate id")]


class FindBody(BaseModel):
    """The purpose of the unmasked roster read (学籍管理 by default) and the decision threshold."""

    purpose: Text = Field(default=im.DEFAULT_PURPOSE, max_length=64, json_schema_extra={"enum": list(PURPOSES)})
    threshold: float = Field(default=im.MATCH_THRESHOLD, gt=0, le=1)


class DecisionBody(BaseModel):
    """A decision's reason (audited)."""

    reason: Text = Field(default="", max_length=500)


class MergeBody(DecisionBody):
    """A merge: the record kept (``left`` or ``right``) and the reason."""

    canonical: Literal["left", "right"]


@router.post("/find", status_code=status.HTTP_201_CREATED, responses=error_responses(401, 403))
def find(body: FindBody, home: HomeDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """查找疑似重复学籍（审计） / score the rosters in scope and store likely duplicates as open candidates."""
    found = im.find_candidates(home, principal, purpose=body.purpose, threshold=body.threshold)
    return {"records": found.records, "pairs": found.pairs, "new": found.new, "updated": found.updated,
            "threshold": found.threshold}  # fmt: skip


@router.get("/candidates", responses=error_responses(401, 403))
def candidates(
    home: HomeDep,
    principal: CurrentPrincipal,
    status_: Annotated[Literal["open", "merged", "rejected", "all"], Query(alias="status")] = "open",
    purpose: Annotated[Text | None, Query(max_length=64, json_schema_extra={"enum": PURPOSES})] = None,
    limit: Annotated[int, Query(ge=1, le=im.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=im.MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """疑似重复学籍列表（按权限脱敏） / candidates whose two records are both in scope, masked to the clearance."""
    page = im.list_candidates(
        home, principal, status=None if status_ == "all" else status_, purpose=purpose, limit=limit, offset=offset
    )
    return {"total": page.total, "masked": page.masked, "items": [c.to_dict() for c in page.items]}


@router.post("/candidates/{candidate_id}/merge", responses=error_responses(400, 401, 403))
def merge(candidate_id: CandidateId, body: MergeBody, home: HomeDep, principal: CurrentPrincipal) -> dict[str, str]:
    """合并两条记录（审计） / merge the pair into the record named ``canonical``."""
    return {"status": im.merge(home, principal, candidate_id, body.canonical, reason=body.reason)}


@router.post("/candidates/{candidate_id}/reject", responses=error_responses(400, 401, 403))
def reject(candidate_id: CandidateId, body: DecisionBody, home: HomeDep, principal: CurrentPrincipal) -> dict[str, str]:
    """驳回：不是同一学生（审计） / mark the pair as two different children."""
    return {"status": im.reject(home, principal, candidate_id, reason=body.reason)}


@router.post("/candidates/{candidate_id}/undo", responses=error_responses(400, 401, 403))
def undo(candidate_id: CandidateId, body: DecisionBody, home: HomeDep, principal: CurrentPrincipal) -> dict[str, str]:
    """撤销合并或驳回（审计） / undo the decision; the candidate is open again."""
    return {"status": im.undo(home, principal, candidate_id, reason=body.reason)}
