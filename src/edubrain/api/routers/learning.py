"""``/api/v1/learning``: knowledge-point mastery of a class (heat map) and of one pupil, with recommendations.

Thin adapters over the governed facade :mod:`edubrain.learning`: pupils come from the governed roster read,
statements from the LRS's governed read (scope, ``lrs_read`` audit with the purpose). Staff declare a ``purpose``;
students and parents read their own (``self_access``). A class or pupil outside the caller's scope gets the same
403 as an unknown one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from edubrain.api.deps import CurrentPrincipal, HomeDep
from edubrain.api.errors import error_responses
from edubrain.learning import (
    ClassMastery,
    KnowledgePoints,
    LearnerChoice,
    LearnerMastery,
    class_mastery,
    classes,
    knowledge_points,
    learner_choices,
    learner_mastery,
)

router = APIRouter(prefix="/learning", tags=["learning"])
ERRORS = error_responses(400, 401, 403)
Purpose = Annotated[str | None, Query(max_length=64, description="查阅用途（教职工必填）/ declared purpose (staff)")]
ClassId = Annotated[str, Query(min_length=1, max_length=64, description="班级编号 / class id")]
Pseudonym = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{1,40}$", description="学生假名 / pupil pseudonym")]


@router.get("/knowledge-points", response_model=KnowledgePoints, responses=ERRORS)
def points(principal: CurrentPrincipal) -> KnowledgePoints:
    """知识点目录（小学数学）与阈值 / the knowledge-point catalog and thresholds (no personal data)."""
    return knowledge_points()


@router.get("/classes", response_model=list[str], responses=ERRORS)
def class_list(home: HomeDep, principal: CurrentPrincipal, purpose: Purpose = None) -> list[str]:
    """可查看的班级 / the classes whose heat map the caller may open (staff, with a purpose)."""
    return classes(home, principal, purpose)


@router.get("/mastery/class", response_model=ClassMastery, responses=ERRORS)
def mastery_of_class(
    home: HomeDep, principal: CurrentPrincipal, class_id: ClassId, purpose: Purpose = None
) -> ClassMastery:
    """班级掌握度热力图：学生 × 知识点，及各知识点的班级汇总 / a class's pupils × points and the class per point."""
    return class_mastery(home, principal, class_id, purpose)


@router.get("/learners", response_model=list[LearnerChoice], responses=ERRORS)
def learners(
    home: HomeDep, principal: CurrentPrincipal, purpose: Purpose = None, class_id: str | None = None
) -> list[LearnerChoice]:
    """可查看的学生（脱敏姓名）/ the pupils whose learner page the caller may open (masked names)."""
    return learner_choices(home, principal, purpose, class_id)


@router.get("/mastery/learner", response_model=LearnerMastery, responses=ERRORS)
def mastery_of_learner(
    home: HomeDep,
    principal: CurrentPrincipal,
    pseudonym: Pseudonym = None,
    purpose: Purpose = None,
    class_id: str | None = None,
) -> LearnerMastery:
    """一名学生各领域的掌握度与学习建议 / one pupil's mastery by domain and explained recommendations."""
    return learner_mastery(home, principal, pseudonym, purpose=purpose, class_id=class_id)
