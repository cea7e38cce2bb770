"""``/api/v1/public-service``: 接诉即办 cases — public intake and lookup, the office queue, SLA figures, burst alerts.

Filing a case and looking one up by its case code and check code need no login (citizens); the queue, one case, the
steps, the hotline import, the SLA figures and the alerts need a district or city role and are scoped by governance.
A case outside the caller's scope, and a wrong check code, answer 404 like an unknown case. Everything goes through
the facade :mod:`edubrain.public_service`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from edubrain import public_service as ps
from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.uploads import received_upload

router = APIRouter(prefix="/public-service", tags=["public-service"])
CaseId = Annotated[str, Path(pattern="^[0-9a-f]{32}$", description="Case id")]


class CaseIn(BaseModel):
    """A citizen's request or complaint (text 10–2000 characters; name and phone are kept sealed)."""

    text: str = Field(min_length=10, max_length=2000)
    district: str = Field(pattern="^1101[0-9]{2}$", description="District code (GB/T 2260), e.g. 110108")
    school: str | None = Field(None, pattern="^[0-9]{10}$")
    name: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)


class LookupIn(BaseModel):
    """A case code and its check code."""

    code: str = Field(max_length=32)
    check_code: str = Field(max_length=16)


class RatingIn(LookupIn):
    """A rating of the response, 1 (very dissatisfied) to 5 (very satisfied)."""

    satisfaction: int = Field(ge=1, le=5)


class StepIn(BaseModel):
    """A step's fields: category (route, reroute), office (optional), response (respond), note (reroute)."""

    category: str | None = Field(None, max_length=32)
    office: str | None = Field(None, max_length=32)
    response: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=1000)


@router.get("/categories", responses=error_responses())
def categories() -> Any:
    """类别、承办处室与答复时限（工作日） / categories, offices and response limits (working days)."""
    tax = ps.load_taxonomy()
    return {
        "categories": [{k: v for k, v in asdict(c).items() if k != "phrases"} for c in tax.categories.values()],
        "offices": [asdict(o) for o in tax.offices.values()],
        "triage": {"office": tax.triage_office, "min_confidence": tax.min_confidence,
                   "sla_working_days": tax.triage_working_days},
    }  # fmt: skip


@router.post("/cases", status_code=201, responses=error_responses(422, 429))
def file_case(request: Request, home: HomeDep, body: CaseIn) -> Any:
    """提交诉求（无需登录；返回诉求编号与查询码，查询码只显示这一次） / file a case (no login)."""
    client = request.client.host if request.client else None
    found = ps.file_case(home, text=body.text, district=body.district, school=body.school, name=body.name,
                         phone=body.phone, client=client)  # fmt: skip
    return asdict(found)


@router.post("/lookup", responses=error_responses(404))
def lookup(home: HomeDep, body: LookupIn) -> Any:
    """凭诉求编号与查询码查看办理进度 / a citizen's own case by code and check code."""
    return asdict(ps.lookup(home, body.code, body.check_code))


@router.post("/rating", responses=error_responses(403, 404, 422))
def rating(home: HomeDep, body: RatingIn) -> Any:
    """对答复评价（1–5，仅一次） / rate the response once (1–5)."""
    return asdict(ps.rate(home, body.code, body.check_code, body.satisfaction))


@router.get("/queue", responses=error_responses(401))
def queue(
    home: HomeDep, principal: CurrentPrincipal, district: str | None = None, office: str | None = None,
    status: Literal["triage", "routed", "responded", "closed"] | None = None, category: str | None = None,
    overdue: bool = False, since: dt.date | None = None, until: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> Any:  # fmt: skip
    """工作台：范围内的诉求（脱敏） / the cases in the caller's scope, masked, newest first."""
    found = ps.list_cases(home, principal, district=district, office=office, status=status, category=category,
                          overdue=overdue, since=since, until=until, limit=limit)  # fmt: skip
    return {"data": [asdict(c) for c in found], "count": len(found)}


@router.get("/cases/{case_id}", responses=error_responses(401, 404))
def case(home: HomeDep, principal: CurrentPrincipal, case_id: CaseId) -> Any:
    """一件诉求：管理员可见原文与联系方式（记入审计），其他角色脱敏 / one case (full for administrators, audited)."""
    return asdict(ps.case_detail(home, principal, case_id))


@router.post("/cases/{case_id}/{step}", responses=error_responses(401, 403, 404, 422))
def step(
    home: HomeDep, principal: CurrentPrincipal, case_id: CaseId,
    step: Literal["route", "reroute", "respond", "close"], body: StepIn | None = None,
) -> Any:  # fmt: skip
    """分拨、改派、答复、办结 / route, reroute, respond, close."""
    b = body or StepIn(category=None, office=None, response=None, note=None)
    return asdict(ps.act(home, principal, case_id, step, category=b.category, office=b.office, response=b.response,
                         note=b.note))  # fmt: skip


@router.post("/import", status_code=201, responses=error_responses(401, 413, 422))
async def import_hotline(request: Request, home: HomeDep, principal: CurrentPrincipal) -> Any:
    """导入 12345 热线工单（CSV/XLSX，全部导入或全部不导入） / import hotline records, all or nothing."""
    async with received_upload(request, home.settings) as upload:
        data = await run_in_threadpool(upload.path.read_bytes)
        found = await run_in_threadpool(ps.import_cases, home, principal, upload.name, data)
    return asdict(found)


@router.get("/sla", responses=error_responses(401))
def sla(
    home: HomeDep, principal: CurrentPrincipal, by: Literal["office", "district_code", "category"] = "office",
    since: dt.date | None = None,
) -> Any:  # fmt: skip
    """答复率、按时答复率、超期未办、满意度 / response rate, on-time rate, overdue, satisfaction."""
    found = ps.sla_summary(home, principal, by, since)
    return {"data": [asdict(x) for x in found], "count": len(found)}


@router.get("/alerts", responses=error_responses(401))
def alerts(home: HomeDep, principal: CurrentPrincipal, today: dt.date | None = None) -> Any:
    """未诉先办：近 7 天诉求量异常升高的区与类别 / burst alerts of the last 7 days."""
    found = ps.burst_alerts(home, principal, today)
    return {"data": [asdict(a) | {"since": a.since.isoformat()} for a in found], "count": len(found)}
