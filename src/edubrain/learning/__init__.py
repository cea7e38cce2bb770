"""The governed adaptive-learning facade (自适应学习): knowledge-point mastery of classes and pupils.

Adapters (API, web pages) call only these functions; each reads through governance (the roster through the
profile facade, statements through the LRS's governed read). Rules in :mod:`edubrain.learning.facade` and
``docs/adaptive-learning.md``.
"""

from edubrain.learning.facade import (
    class_mastery,
    classes,
    knowledge_points,
    learner_choices,
    learner_mastery,
    may_view_class,
    may_view_own,
)
from edubrain.learning.models import (
    Cell,
    ClassMastery,
    DomainMastery,
    KnowledgePoint,
    KnowledgePoints,
    LearnerChoice,
    LearnerMastery,
    LearnerRow,
    PointInfo,
    PointSummary,
    Recommendation,
    Resource,
)

__all__ = [
    "Cell",
    "ClassMastery",
    "DomainMastery",
    "KnowledgePoint",
    "KnowledgePoints",
    "LearnerChoice",
    "LearnerMastery",
    "LearnerRow",
    "PointInfo",
    "PointSummary",
    "Recommendation",
    "Resource",
    "class_mastery",
    "classes",
    "knowledge_points",
    "learner_choices",
    "learner_mastery",
    "may_view_class",
    "may_view_own",
]
