"""``/api/v1/smart-campus``: the smart-campus evaluation (智慧校园达标评定) — framework, workflow, evidence, results.

Every route calls the governed facade :mod:`edubrain.smart_campus`: a school drafts, scores, attaches evidence and
submits its own assessment; its district recommends or returns; the city approves or returns; reads are scoped
(school, its district, the city, auditors) and an assessment or evidence id outside the caller's scope answers 404
like an unknown one.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from edubrain import smart_campus as sc
from edubrain.analytics.smart_campus import load_framework
from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.uploads import multipart_body, received_upload
from edubrain.governance import smart_campus as wf

router = APIRouter(prefix="/smart-campus", tags=["smart-campus"])
AssessmentId = Annotated[str, Path(pattern="^[0-9a-f]{32}$", description="Assessment id")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="School year (2025 = 2025-2026)")]


class NewAssessment(BaseModel):
    """The school and school year of a new self-assessment."""

    school: str = Field(pattern="^[0-9]{10}$")
    school_year: int = Field(ge=2000, le=2100)


class ScoresIn(BaseModel):
    """Scores of self-assessed indicators, ``{indicator id: points}`` (0 … the indicator's max)."""

    scores: dict[Annotated[str, Field(max_length=64)], float] = Field(max_length=100)


class StepIn(BaseModel):
    """A comment (required to return)."""

    comment: str | None = Field(None, max_length=1000)


class EvidenceForm(BaseModel):
    """The form field of an evidence upload (the file is the part ``file``: PDF, JPEG or PNG)."""

    indicator: str = Field(max_length=64)


@router.get("/framework", responses=error_responses(401))
def framework(principal: CurrentPrincipal) -> Any:
    """评估框架：维度、指标、权重、来源与达标规则 / the framework: dimensions, indicators, weights, the rule."""
    return load_framework().model_dump()


@router.get("/overview", responses=error_responses(401, 403))
def overview(home: HomeDep, principal: CurrentPrincipal, year: Year = None) -> Any:
    """达标率与 85% 目标、状态统计、示范校候选名单 / rates against 85 %, states, the shortlist (in scope)."""
    return asdict(sc.overview(home, principal, year))


@router.get("/assessments", responses=error_responses(401))
def assessments(home: HomeDep, principal: CurrentPrincipal, year: Year = None) -> Any:
    """可查看的自评（本校、本区或全市） / the self-assessments the caller may read."""
    found = wf.list_assessments(home, principal, year)
    return {"data": [asdict(a) for a in found], "count": len(found)}


@router.post("/assessments", status_code=201, responses=error_responses(401, 403, 404))
def create(home: HomeDep, principal: CurrentPrincipal, body: NewAssessment) -> Any:
    """起草本校自评（学校管理员） / draft the own school's self-assessment (school administrator)."""
    return asdict(sc.create(home, principal, body.school, body.school_year))


@router.get("/assessments/{assessment_id}", responses=error_responses(401, 404))
def assessment(home: HomeDep, principal: CurrentPrincipal, assessment_id: AssessmentId) -> Any:
    """一份自评：得分、佐证、流程记录、可执行操作 / one assessment with history, evidence and actions."""
    return asdict(wf.get(home, principal, assessment_id))


@router.put("/assessments/{assessment_id}/scores", responses=error_responses(401, 403, 404))
def scores(home: HomeDep, principal: CurrentPrincipal, assessment_id: AssessmentId, body: ScoresIn) -> Any:
    """保存自评得分（草稿或已退回） / save scores (draft or returned only)."""
    return asdict(sc.save_scores(home, principal, assessment_id, body.scores))


@router.post(
    "/assessments/{assessment_id}/evidence", status_code=201, responses=error_responses(401, 403, 404, 413),
    openapi_extra=multipart_body(EvidenceForm),
)  # fmt: skip
async def evidence(request: Request, home: HomeDep, principal: CurrentPrincipal, assessment_id: AssessmentId) -> Any:
    """上传佐证材料（PDF/JPEG/PNG，按文件头校验） / upload evidence (PDF, JPEG or PNG by its first bytes)."""
    async with received_upload(request, home.settings) as upload:
        form = upload.form(EvidenceForm)
        data = await run_in_threadpool(upload.path.read_bytes)
        found = await run_in_threadpool(
            sc.add_evidence, home, principal, assessment_id, form.indicator, upload.name, data
        )
    return {"id": found}


@router.post("/assessments/{assessment_id}/{action}", responses=error_responses(401, 403, 404))
def step(
    home: HomeDep,
    principal: CurrentPrincipal,
    assessment_id: AssessmentId,
    action: Literal["submit", "recommend", "return", "approve", "designate", "revoke"],
    body: StepIn | None = None,
) -> Any:
    """提交、区级推荐、退回、市级认定、认定/撤销示范校 / submit, recommend, return, approve, designate, revoke.

    ``return`` and ``revoke`` need ``comment`` (the reason); ``designate`` needs the school-year on the shortlist.
    """
    return asdict(sc.act(home, principal, assessment_id, action, body.comment if body else None))


@router.get("/evidence/{evidence_id}", responses=error_responses(401, 404))
def evidence_download(
    home: HomeDep, principal: CurrentPrincipal, evidence_id: Annotated[str, Path(pattern="^[0-9a-f]{32}$")]
) -> Response:
    """下载佐证材料（本校、本区、全市、审计员；记入审计日志） / download evidence (audited)."""
    found = sc.evidence_file(home, principal, evidence_id)
    disposition = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
    return Response(found.data, media_type=found.content_type, headers={"Content-Disposition": disposition})


@router.get("/schools/{school}/{year}", responses=error_responses(401, 404))
def school(
    home: HomeDep,
    principal: CurrentPrincipal,
    school: Annotated[str, Path(pattern="^[0-9]{10}$")],
    year: Annotated[int, Path(ge=2000, le=2100)],
) -> Any:
    """一所学校一个学年的各维度与指标得分、自评与流程 / one school-year's scores, assessment and history."""
    return asdict(sc.school_scores(home, principal, school, year))
