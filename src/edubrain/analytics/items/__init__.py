"""Exam item analysis (试题分析): classical item statistics, reliability, distractors and 2PL IRT.

Pure functions over persons × items score matrices (numpy arrays; no I/O, no personal identifiers needed).
Typical use::

    table = item_analysis(scores)                      # difficulty, D, r_pb, corrected r, alpha if deleted
    reliability = cronbach_alpha(scores)               # alpha with Feldt's 95 % interval
    options = distractor_analysis(choices, key)        # option rates by upper/lower 27 % groups, flags
    model = fit_2pl(patterns, counts)                  # Bock–Aitkin EM, a and b per item

See docs/item-analysis.md.
"""

from edubrain.analytics.items.classical import (
    KELLEY_FRACTION,
    corrected_item_total,
    item_analysis,
    item_difficulty,
    point_biserial,
    upper_lower_index,
)
from edubrain.analytics.items.distractors import distractor_analysis
from edubrain.analytics.items.errors import ItemDataError
from edubrain.analytics.items.irt import TwoPLFit, eap_abilities, fit_2pl
from edubrain.analytics.items.reliability import (
    AlphaResult,
    alpha_if_deleted,
    cronbach_alpha,
    feldt_interval,
    kr20,
    kr21,
    pairwise_covariance,
)

__all__ = [
    "KELLEY_FRACTION",
    "AlphaResult",
    "ItemDataError",
    "TwoPLFit",
    "alpha_if_deleted",
    "corrected_item_total",
    "cronbach_alpha",
    "distractor_analysis",
    "eap_abilities",
    "feldt_interval",
    "fit_2pl",
    "item_analysis",
    "item_difficulty",
    "kr20",
    "kr21",
    "pairwise_covariance",
    "point_biserial",
    "upper_lower_index",
]
