"""The governed monitoring facade (信息化监测): the plan's indicators, their tree and their values, scoped.

Adapters (API, web pages, CLI) call only these functions; each value is read
through :func:`edubrain.governance.readpath.read_dataset`, so a school sees its
own values, a district its own and its schools', the city all
(``docs/monitoring.md``).
"""

from edubrain.monitoring.facade import detail, goals, indicator_info, indicator_values, no_such_org, tree
from edubrain.monitoring.models import (
    GoalInfo,
    GoalValues,
    IndicatorDetail,
    IndicatorInfo,
    IndicatorValue,
    MonitoringTree,
    PendingInfo,
    ValuesPage,
)

__all__ = [
    "GoalInfo",
    "GoalValues",
    "IndicatorDetail",
    "IndicatorInfo",
    "IndicatorValue",
    "MonitoringTree",
    "PendingInfo",
    "ValuesPage",
    "detail",
    "goals",
    "indicator_info",
    "indicator_values",
    "no_such_org",
    "tree",
]
