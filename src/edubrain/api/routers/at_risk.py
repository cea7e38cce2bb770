"""``/api/v1/at-risk``: students-at-risk early warning (学生发展风险预警) — counts, lists, one pupil explained.

Thin adapters over the governed facade :mod:`edubrain.early_warning`: a teacher lists the flagged pupils of its
classes and a school its pupils, with a declared purpose (audited); a district and the city get counts only, with
small cells suppressed; pupils, parents and the public get 403. A pupil outside the caller's scope gets the same
403 as an unknown one. There is no write: flags are derived, never submitted or edited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.early_warning import FlaggedStudent, FlagList, FlagSummary, flag_summary, flagged_students, student_flag
from edubrain.governance import policy

router = APIRouter(prefix="/at-risk", tags=["at-risk"])
ERRORS = error_responses(400, 401, 403)
PURPOSES = sorted(v for p in policy.purposes().values() if not p.automatic for v in (p.id, p.title_zh))
Purpose = Annotated[
    str | None,
    Query(description="用途（必填，审计）/ purpose (required, audited)", json_schema_extra={"enum": PURPOSES}),
]
ClassId = Annotated[str | None, Query(pattern=r"^[0-9A-Za-z_-]{1,32}$", description="班级编号 / class id")]
Pseudonym = Annotated[
    str, Path(pattern=r"^P[A-Z2-7]{20}$", description="学生假名 / the student's keyed pseudonym (P + 20 base32)")
]


@router.get("/summary", response_model=FlagSummary, responses=ERRORS)
def summary(home: HomeDep, principal: CurrentPrincipal) -> FlagSummary:
    """各单位预警人数（市按区、区按校、学校与教师按班；区、市小单元格抑制）/ flagged pupils per organisation."""
    return flag_summary(home, principal)


@router.get("/students", response_model=FlagList, responses=ERRORS)
def students(home: HomeDep, principal: CurrentPrincipal, purpose: Purpose = None, class_id: ClassId = None) -> FlagList:
    """本班或本校预警学生及贡献指标（教师、学校；须声明用途）/ flagged pupils of the caller's classes or school."""
    return flagged_students(home, principal, purpose=purpose, class_id=class_id)


@router.get("/students/{pseudonym}", response_model=FlaggedStudent, responses=ERRORS)
def student(
    home: HomeDep, principal: CurrentPrincipal, pseudonym: Pseudonym, purpose: Purpose = None
) -> FlaggedStudent:
    """一名学生的预警与各指标贡献（须声明用途，审计）/ one pupil's flag and what contributed."""
    return student_flag(home, principal, pseudonym, purpose=purpose)
