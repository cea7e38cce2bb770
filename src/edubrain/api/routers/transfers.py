"""``/api/v1/transfers``: move stored rows to another organisation (转学 / 学籍异动; a school to another district)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.routers.submissions import submission_result
from edubrain.api.schemas import SubmissionResult, Text
from edubrain.governance.transfers import MAX_KEYS, TransferRequest, transfer_rows

router = APIRouter(prefix="/transfers", tags=["transfers"])
Key = Annotated[Text, Field(min_length=1, max_length=64)]


class TransferBody(BaseModel):
    """Rows to move, by primary key, to another organisation, with the reason."""

    dataset: Text = Field(max_length=64, examples=["students"])
    keys: list[Key] = Field(min_length=1, max_length=MAX_KEYS, description="Primary keys of the rows to move")
    to_org: Text = Field(max_length=16, description="The receiving organisation (a school, or a district)")
    class_id: Text | None = Field(default=None, max_length=64, description="The receiving class, for pupils")
    reason: Text = Field(min_length=1, max_length=500, examples=["转学：随父母工作调动"])


@router.post(
    "", response_model=SubmissionResult, status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 422),
)  # fmt: skip
def transfer(body: TransferBody, home: HomeDep, principal: CurrentPrincipal) -> SubmissionResult:
    """转移：把行移交给另一单位（审计） / move rows to another organisation, as one audited batch.

    Only a caller whose submitting scope holds both the present owner and the receiving organisation may move rows:
    a district bureau within its district, the city across districts. The moved rows are validated like a
    submission; ``report.status`` is ``committed`` or ``rejected`` (nothing moved).
    """
    request = TransferRequest(body.dataset, body.keys, body.to_org, body.reason, body.class_id)
    return submission_result(transfer_rows(home, principal, request))
