"""Informatization monitoring (信息化动态监测): the plan's targets as indicators declared as data, computed in Ibis.

Pure: ``definitions`` holds the models of ``analytics/data/monitoring_indicators.yaml``, ``loader`` reads and
checks it against the catalog, ``compute`` compiles the formulas into one engine-neutral expression, and
``words`` says each formula in Chinese and English. See ``docs/monitoring.md``.
"""

from edubrain.analytics.monitoring.compute import COLUMNS, monitoring_expr
from edubrain.analytics.monitoring.definitions import Goal, Indicator, MonitoringSet, Pending
from edubrain.analytics.monitoring.loader import load_monitoring, parse_monitoring

__all__ = [
    "COLUMNS",
    "Goal",
    "Indicator",
    "MonitoringSet",
    "Pending",
    "load_monitoring",
    "monitoring_expr",
    "parse_monitoring",
]
