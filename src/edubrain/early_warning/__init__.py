"""The governed students-at-risk facade (学生发展风险预警): lists for teachers and schools, counts above them.

Adapters (API, web pages, the CLI) call only these functions; each reads through governance (row scope, masking,
purpose, audit, small-cell suppression). Rules in :mod:`edubrain.early_warning.access` and
``docs/early-warning-students.md``.
"""

from edubrain.early_warning.access import flag_summary, flagged_students, flags_computed, reader_level, student_flag
from edubrain.early_warning.models import Contribution, FlaggedStudent, FlagList, FlagSummary, OrgCount

__all__ = [
    "Contribution",
    "FlagList",
    "FlagSummary",
    "FlaggedStudent",
    "OrgCount",
    "flag_summary",
    "flagged_students",
    "flags_computed",
    "reader_level",
    "student_flag",
]
