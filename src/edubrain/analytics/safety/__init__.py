"""Campus safety (校园安全): counts and rates per 1,000 pupils, small-cell suppression, CUSUM early warning.

Pure functions over polars frames; the job (:mod:`edubrain.jobs.safety`) reads the lake and writes the derived
datasets, the facade (:mod:`edubrain.campus_safety`) reads them through governance. See docs/campus-safety.md.
"""

from edubrain.analytics.safety.evaluate import evaluate_warnings
from edubrain.analytics.safety.rates import COUNT_COLUMNS, rate_per_1000, safety_counts, suppress_school_cells, term_of
from edubrain.analytics.safety.warnings import (
    WARNING_COLUMNS,
    WarningRule,
    detect,
    monday,
    safety_warnings,
    weekly_matrix,
)

INPUTS = ("campus_safety_incidents", "students", "schools")
"""The lake datasets the counts and warnings are computed from."""

__all__ = [
    "COUNT_COLUMNS",
    "INPUTS",
    "WARNING_COLUMNS",
    "WarningRule",
    "detect",
    "evaluate_warnings",
    "monday",
    "rate_per_1000",
    "safety_counts",
    "safety_warnings",
    "suppress_school_cells",
    "term_of",
    "weekly_matrix",
]
