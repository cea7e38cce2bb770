"""The governed smart-campus evaluation facade (智慧校园达标评定): workflow steps, scores, 达标率, shortlist.

Adapters (REST, web pages, the CLI) call only these functions; each goes through governance (scope, audit).
Method in ``docs/smart-campus.md``.
"""

from edubrain.governance.smart_campus import ACTION_NAMES, STATE_NAMES, STATES, TRANSITIONS, Assessment, may_use
from edubrain.governance.smart_campus_designate import may_designate
from edubrain.smart_campus.models import AreaRate, IndicatorScore, Overview, SchoolScores, ShortlistEntry
from edubrain.smart_campus.service import (
    act,
    add_evidence,
    create,
    evidence_file,
    overview,
    refresh,
    save_scores,
    school_scores,
    scores_frame,
)

__all__ = [
    "ACTION_NAMES",
    "STATES",
    "STATE_NAMES",
    "TRANSITIONS",
    "AreaRate",
    "Assessment",
    "IndicatorScore",
    "Overview",
    "SchoolScores",
    "ShortlistEntry",
    "act",
    "add_evidence",
    "create",
    "evidence_file",
    "may_designate",
    "may_use",
    "overview",
    "refresh",
    "save_scores",
    "school_scores",
    "scores_frame",
]
