"""Value-added of schools (学校增值评价): a random-intercept multilevel model with prior attainment.

Typical use::

    pairs = prior_pairs(exam_scores)          # this year's and last year's standard score per pupil and subject
    effects = fit_value_added(pairs)           # one row per school, year and subject: effect and 95 % interval

See docs/value-added.md.
"""

from edubrain.analytics.value_added.model import (
    MIN_STUDENTS,
    OVERLAP_WARNING,
    fit_value_added,
    fit_year_subject,
    prior_pairs,
)
from edubrain.analytics.value_added.synthetic import Recovery, planted_pairs, recovery

__all__ = [
    "MIN_STUDENTS",
    "OVERLAP_WARNING",
    "Recovery",
    "fit_value_added",
    "fit_year_subject",
    "planted_pairs",
    "prior_pairs",
    "recovery",
]
