"""The governed training-coverage facade (培训覆盖): shares per organisation and the district's action list.

Adapters (API, web pages, the CLI) call only these functions; each reads through governance (row scope,
masking, audit). Rules in :mod:`edubrain.training.coverage` and ``docs/training-coverage.md``.
"""

from edubrain.training.coverage import (
    LIST_SCHEMA,
    action_list,
    coverage_summary,
    list_frame,
    may_read_training,
    org_filters,
    targets,
)
from edubrain.training.models import ActionList, BehindPerson, CoverageSummary, OrgCoverage, Target

__all__ = [
    "LIST_SCHEMA",
    "ActionList",
    "BehindPerson",
    "CoverageSummary",
    "OrgCoverage",
    "Target",
    "action_list",
    "coverage_summary",
    "list_frame",
    "may_read_training",
    "org_filters",
    "targets",
]
