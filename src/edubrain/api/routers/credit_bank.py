"""``/api/v1/credit-bank``: the credit bank (学分银行) — accounts, deposits, recognition, progress, credentials.

Every route calls the governed facade :mod:`edubrain.credit_bank.service`: a learner deposits its outcomes and reads
its own archive, progress and credentials; a reviewer of an authorised institution sees the deposits addressed to
it, asks the rule engine's explained decision, decides and revokes; a city administrator opens accounts. An id
outside the caller's reach answers 404 like an unknown one. ``status_router`` serves ``/credentials/status/{id}``
publicly (no login): the signed status list credential, no personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import ApiError, error_responses
from edubrain.api.uploads import received_upload
from edubrain.credit_bank import service as bank
from edubrain.credit_bank.status import status_list_credential

router = APIRouter(prefix="/credit-bank", tags=["credit-bank"])
status_router = APIRouter(tags=["credit-bank"])
Hex32 = Annotated[str, Path(pattern="^[0-9a-f]{32}$")]


class AccountIn(BaseModel):
    """A new learner account (city administrator): name, optional user, student number and programme."""

    name: str = Field(min_length=1, max_length=200)
    username: str | None = Field(None, max_length=128)
    student_number: str | None = Field(None, max_length=32)
    programme: str | None = Field(None, max_length=64, pattern="^[a-z0-9-]+$")


class DepositIn(BaseModel):
    """One learning outcome to deposit, addressed to an authorised institution."""

    institution: str = Field(pattern="^[0-9]{6,10}$")
    kind: Literal["course", "certificate", "vocational", "non_formal"]
    formality: Literal["formal", "non_formal"]
    setting: Literal["in_school", "out_of_school"]
    title: str = Field(min_length=1, max_length=200)
    provider: str = Field(min_length=1, max_length=200)
    credits: float = Field(0, ge=0, le=200)
    completed_on: dt.date
    code: str | None = Field(None, max_length=64)
    category: str | None = Field(None, max_length=64)
    learner: str | None = Field(None, pattern="^[0-9a-f]{32}$", description="Account number (reviewers only)")


class DecisionIn(BaseModel):
    """A reviewer's decision; ``partial`` needs ``credits`` and a ``reason``, ``refuse`` a ``reason``."""

    decision: Literal["recognise", "partial", "refuse"]
    credits: float | None = Field(None, gt=0, le=200)
    reason: str | None = Field(None, max_length=1000)
    category: str | None = Field(None, max_length=64)


class RevokeIn(BaseModel):
    """Why the credential is revoked."""

    reason: str = Field(min_length=1, max_length=1000)


@router.get("/institutions", responses=error_responses(401))
def institutions(home: HomeDep, principal: CurrentPrincipal) -> Any:
    """已授权的认定机构 / the authorised institutions a deposit may be addressed to."""
    found = bank.authorised_institutions(home)
    return {"data": [{"code": c, "name_zh": zh, "name_en": en} for c, zh, en in found], "count": len(found)}


@router.post("/accounts", status_code=201, responses=error_responses(401, 403))
def open_account(home: HomeDep, principal: CurrentPrincipal, body: AccountIn) -> Any:
    """开设学习者账户（市级管理员） / open a learner account (city administrator)."""
    return asdict(bank.open_account(home, principal, body.name, username=body.username,
                                    student_number=body.student_number, programme=body.programme))  # fmt: skip


@router.get("/account", responses=error_responses(401, 404))
def account(home: HomeDep, principal: CurrentPrincipal) -> Any:
    """本人的学习者账户 / the caller's own learner account."""
    found = bank.my_account(home, principal)
    if found is None:
        raise bank.CreditBankNotFound("您没有学习者账户", "You have no learner account", id="account")
    return asdict(found)


@router.get("/deposits", responses=error_responses(401))
def deposits(home: HomeDep, principal: CurrentPrincipal,
             view: Annotated[Literal["mine", "queue"], Query()] = "mine",
             state: Annotated[Literal["deposited", "recognised", "partial", "refused", "revoked", "all"], Query()] = "deposited",
             ) -> Any:  # fmt: skip
    """本人的存入成果（mine），或本机构的认定队列（queue） / own deposits, or the institution's queue."""
    if view == "queue":
        found = bank.queue(home, principal, None if state == "all" else state)
    else:
        found = bank.my_deposits(home, principal)
    return {"data": [asdict(d) for d in found], "count": len(found)}


@router.post("/deposits", status_code=201, responses=error_responses(401, 404))
def deposit(home: HomeDep, principal: CurrentPrincipal, body: DepositIn) -> Any:
    """存入一项学习成果（学习者本人，或认定机构代为存入） / deposit an outcome (the learner, or its institution)."""
    fields = body.model_dump(exclude={"institution", "learner"})
    fields["completed_on"] = body.completed_on.isoformat()
    return asdict(bank.deposit(home, principal, body.institution, fields, body.learner))


@router.get("/deposits/{deposit_id}", responses=error_responses(401, 404))
def one_deposit(home: HomeDep, principal: CurrentPrincipal, deposit_id: Hex32) -> Any:
    """一项存入成果：流程、佐证、认定结论、证书 / one deposit with history, evidence, decision and credential."""
    return asdict(bank.get_deposit(home, principal, deposit_id))


@router.get("/deposits/{deposit_id}/preview", responses=error_responses(401, 404))
def preview(home: HomeDep, principal: CurrentPrincipal, deposit_id: Hex32) -> Any:
    """规则引擎的认定建议与解释（认定机构） / the rule engine's explained decision (the institution's reviewers)."""
    return bank.preview(home, principal, deposit_id)


@router.post("/deposits/{deposit_id}/decision", responses=error_responses(401, 404))
def decide(home: HomeDep, principal: CurrentPrincipal, deposit_id: Hex32, body: DecisionIn) -> Any:
    """认定、部分认定或不予认定（认定机构） / recognise, partly recognise or refuse (the institution's reviewers)."""
    return asdict(bank.decide(home, principal, deposit_id, body.decision, credits=body.credits, reason=body.reason,
                              category=body.category))  # fmt: skip


@router.post("/deposits/{deposit_id}/evidence", status_code=201, responses=error_responses(401, 404, 413, 422))
async def evidence(request: Request, home: HomeDep, principal: CurrentPrincipal, deposit_id: Hex32) -> Any:
    """上传佐证材料（PDF/JPEG/PNG，按文件头校验，加密保存） / upload evidence (PDF, JPEG or PNG; sealed)."""
    async with received_upload(request, home.settings) as upload:
        data = await run_in_threadpool(upload.path.read_bytes)
        found = await run_in_threadpool(bank.add_evidence, home, principal, deposit_id, upload.name, data)
    return {"id": found}


@router.get("/evidence/{evidence_id}", responses=error_responses(401, 404))
def evidence_download(home: HomeDep, principal: CurrentPrincipal, evidence_id: Hex32) -> Response:
    """下载佐证材料（本人或认定机构；记入审计日志） / download evidence (the learner or the institution; audited)."""
    found = bank.read_evidence(home, principal, evidence_id)
    disposition = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
    return Response(found.data, media_type=found.content_type, headers={"Content-Disposition": disposition})


@router.get("/progress", responses=error_responses(401, 404))
def progress(home: HomeDep, principal: CurrentPrincipal) -> Any:
    """学分积累与转换：总学分、各类别、各项要求与缺口 / accumulation: totals, categories, requirements, gaps."""
    found = bank.progress(home, principal)
    if found is None:
        raise bank.CreditBankNotFound("您没有学习者账户", "You have no learner account", id="account")
    return found


@router.get("/credentials", responses=error_responses(401))
def credentials(home: HomeDep, principal: CurrentPrincipal) -> Any:
    """本人的证书 / the caller's own credentials."""
    found = bank.my_credentials(home, principal)
    return {"data": [asdict(c) for c in found], "count": len(found)}


@router.post("/credentials/{credential_id:path}/revoke", responses=error_responses(401, 404))
def revoke(home: HomeDep, principal: CurrentPrincipal, credential_id: str, body: RevokeIn) -> Any:
    """撤销证书（认定机构）：状态列表中的对应位被置位 / revoke a credential (its institution): its bit is set."""
    return asdict(bank.revoke(home, principal, credential_id, body.reason))


@router.get("/credentials/{credential_id:path}", responses=error_responses(401, 404))
def credential(home: HomeDep, principal: CurrentPrincipal, credential_id: str) -> Response:
    """下载已签名的证书（JSON，Open Badges 3.0） / the signed credential (JSON, Open Badges 3.0)."""
    document = bank.credential_document(home, principal, credential_id)
    name = credential_id.rsplit(":", 1)[-1]
    return JSONResponse(document, media_type="application/vc+ld+json",
                        headers={"Content-Disposition": f'attachment; filename="credential-{quote(name)}.json"'})  # fmt: skip


@status_router.get("/credentials/status/{list_id}", responses=error_responses(404))
def status_list(home: HomeDep, list_id: Annotated[str, Path(pattern="^[0-9a-f]{32}$")]) -> Response:
    """公开的状态列表凭证（无需登录，不含个人信息） / the public status list credential (no login, no personal data)."""
    found = status_list_credential(home, list_id)
    if found is None:
        raise ApiError(404, "not_found", f"没有状态列表 {list_id}", f"No status list {list_id}")
    return JSONResponse(found, media_type="application/vc+ld+json", headers={"Cache-Control": "public, max-age=60"})
