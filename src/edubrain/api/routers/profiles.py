"""``/api/v1/profiles``: student, teacher and school profiles (全息画像), evidence, the PDF record, summaries.

Thin adapters over the governed facade :mod:`edubrain.profiles`: every read is
scoped, masked and audited there (``profile_read`` with the purpose). Students
are addressed by their keyed pseudonym, never by 学籍号 (paths are logged).
An unknown subject and one outside the caller's scope get the same 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.api.files import file_content
from edubrain.governance import policy
from edubrain.profiles import (
    DistrictSummary,
    Evidence,
    SchoolProfile,
    StudentChoices,
    StudentProfile,
    TeacherProfile,
    district_summary,
    evidence,
    school_profile,
    student_choices,
    student_profile,
    teacher_profile,
)
from edubrain.reports.quality_record import student_record_pdf

router = APIRouter(prefix="/profiles", tags=["profiles"])
ERRORS = error_responses(400, 401, 403, 404)
PURPOSES = sorted(v for p in policy.purposes().values() if not p.automatic for v in (p.id, p.title_zh))

Pseudonym = Annotated[
    str, Path(pattern=r"^P[A-Z2-7]{20}$", description="学生假名 / the student's keyed pseudonym (P + 20 base32)")
]
TeacherId = Annotated[str, Path(pattern=r"^T[0-9]{9}$", description="教师工号 / teacher id")]
SchoolCode = Annotated[str, Path(pattern=r"^[0-9]{10}$", description="学校标识码 / school identification code")]
DistrictCode = Annotated[str, Path(pattern=r"^[0-9]{6}$", description="区划代码 / district division code")]
IndicatorId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$", description="指标编号 / indicator id")]
Year = Annotated[int, Query(ge=2000, le=2100, description="学年 / school year (its first calendar year)")]
Purpose = Annotated[
    str | None,
    Query(
        description="用途（查看学生画像时教职工必填，审计）/ purpose, required of staff for a student (audited)",
        json_schema_extra={"enum": PURPOSES},
    ),
]
Lang = Annotated[str, Query(pattern="^(zh|en)$", description="年级、性别等名称的语言 / language of names")]


@router.get("/students", response_model=StudentChoices, responses=ERRORS)
def students(
    home: HomeDep,
    principal: CurrentPrincipal,
    purpose: Purpose = None,
    school_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    class_id: Annotated[str | None, Query(pattern=r"^[0-9A-Za-z_-]{1,32}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> StudentChoices:
    """可查看的学生（假名、脱敏姓名、班级）/ the students the caller may open: pseudonym, masked name, class."""
    return student_choices(
        home, principal, purpose=purpose, school_year=school_year, class_id=class_id, limit=limit, offset=offset
    )


@router.get("/students/{pseudonym}", response_model=StudentProfile, responses=ERRORS)
def student(
    pseudonym: Pseudonym, home: HomeDep, principal: CurrentPrincipal, purpose: Purpose = None, lang: Lang = "zh"
) -> StudentProfile:
    """学生综合素质画像 / a student's profile: identity (masked per role), years, five domains, timeline."""
    return student_profile(home, principal, pseudonym, purpose=purpose, lang=lang)


@router.get("/students/{pseudonym}/evidence/{indicator}", response_model=Evidence, responses=ERRORS)
def student_evidence(
    pseudonym: Pseudonym,
    indicator: IndicatorId,
    school_year: Year,
    home: HomeDep,
    principal: CurrentPrincipal,
    purpose: Purpose = None,
) -> Evidence:
    """指标的证据行（数据集、版本、批次、学校）/ the rows an indicator was computed from, with their batches."""
    return evidence(home, principal, "student", pseudonym, indicator, school_year, purpose=purpose)


@router.get(
    "/students/{pseudonym}/record.pdf",
    response_class=Response,
    responses={**ERRORS, 200: {"description": "综合素质评价记录 PDF", "content": file_content("application/pdf")}},
)
def student_record(
    pseudonym: Pseudonym, home: HomeDep, principal: CurrentPrincipal, purpose: Purpose = None
) -> Response:
    """学生综合素质评价记录（PDF）/ the student's comprehensive quality record as a PDF."""
    pdf = student_record_pdf(home, principal, pseudonym, purpose=purpose)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="quality-record.pdf"', "Cache-Control": "no-store"},
    )


@router.get("/teachers/{teacher_id}", response_model=TeacherProfile, responses=ERRORS)
def teacher(
    teacher_id: TeacherId, home: HomeDep, principal: CurrentPrincipal, purpose: Purpose = None
) -> TeacherProfile:
    """教师画像 / a teacher's profile: load, training against targets, classes' results, portfolio."""
    return teacher_profile(home, principal, teacher_id, purpose=purpose)


@router.get("/teachers/{teacher_id}/evidence/{indicator}", response_model=Evidence, responses=ERRORS)
def teacher_evidence(
    teacher_id: TeacherId,
    indicator: IndicatorId,
    school_year: Year,
    home: HomeDep,
    principal: CurrentPrincipal,
    purpose: Purpose = None,
) -> Evidence:
    """教师画像指标的证据行 / the rows a teacher indicator was computed from."""
    return evidence(home, principal, "teacher", teacher_id, indicator, school_year, purpose=purpose)


@router.get("/schools/{school_code}", response_model=SchoolProfile, responses=ERRORS)
def school(school_code: SchoolCode, home: HomeDep, principal: CurrentPrincipal) -> SchoolProfile:
    """学校画像 / a school's profile: size, stages, capacity, teachers, fitness, exams, infrastructure, data quality."""
    return school_profile(home, principal, school_code)


@router.get("/schools/{school_code}/evidence/{indicator}", response_model=Evidence, responses=ERRORS)
def school_evidence(
    school_code: SchoolCode, indicator: IndicatorId, school_year: Year, home: HomeDep, principal: CurrentPrincipal
) -> Evidence:
    """学校画像指标的证据行 / the rows a school indicator was computed from."""
    return evidence(home, principal, "school", school_code, indicator, school_year)


@router.get("/districts/{district_code}/summary", response_model=DistrictSummary, responses=ERRORS)
def district(
    district_code: DistrictCode,
    home: HomeDep,
    principal: CurrentPrincipal,
    school_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> DistrictSummary:
    """区内各校学生五育得分分布（小单元格抑制）/ domain score distributions per school, small cells suppressed."""
    return district_summary(home, principal, district_code, school_year)
