"""Training coverage (培训覆盖): hours against the plan's targets, three-year coverage, the year-end forecast.

:mod:`~edubrain.analytics.training.targets` holds the targets with the plan sentences they come from;
:mod:`~edubrain.analytics.training.coverage` the person-year transform; :mod:`~edubrain.analytics.training.summary`
the shares per school, district and city; :mod:`~edubrain.analytics.training.backtest` the forecast's backtest.
"""

from edubrain.analytics.training.coverage import COLUMNS, INPUTS, KEY, STATUSES, coverage_expr
from edubrain.analytics.training.targets import Source, TrainingTargets, load_targets

__all__ = ["COLUMNS", "INPUTS", "KEY", "STATUSES", "Source", "TrainingTargets", "coverage_expr", "load_targets"]
