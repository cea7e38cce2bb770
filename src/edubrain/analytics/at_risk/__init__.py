"""Students-at-risk early warning (学生发展风险预警): indicators, a transparent points model, explanations.

Pure functions over catalog-shaped polars tables (no I/O). The model is data: ``analytics/data/at_risk.yaml``.
Method and sources: docs/early-warning-students.md.
"""

from edubrain.analytics.at_risk.evaluate import Evaluation, evaluate
from edubrain.analytics.at_risk.indicators import INDICATOR_COLUMNS, indicators, judged_year
from edubrain.analytics.at_risk.rules import RiskRules, load_rules, parse_rules
from edubrain.analytics.at_risk.score import Contribution, explain, points_column, score

INPUTS = (
    "students",
    "student_attendance",
    "exam_scores",
    "fitness_scores",
    "student_status_changes",
    "student_conduct",
    "schools",
)
"""The datasets the flags are computed from."""

__all__ = [
    "INDICATOR_COLUMNS",
    "INPUTS",
    "Contribution",
    "Evaluation",
    "RiskRules",
    "evaluate",
    "explain",
    "indicators",
    "judged_year",
    "load_rules",
    "parse_rules",
    "points_column",
    "score",
]
