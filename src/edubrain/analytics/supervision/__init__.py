"""Graded supervision of off-campus training providers (信用分级分类监管): code check, credit items, grades.

Pure functions over polars frames; the job (:mod:`edubrain.jobs.supervision`) reads the lake and writes the derived
datasets, the facade (:mod:`edubrain.supervision`) reads them through governance. See docs/graded-supervision.md.
"""

from edubrain.analytics.supervision.model import CreditModel, Grade, load_credit_model, parse_model
from edubrain.analytics.supervision.scoring import ITEM_COLUMNS, credit_grades, credit_items, judgement_date
from edubrain.analytics.supervision.uscc import ALPHABET, PATTERN, WEIGHTS, check_character, uscc_valid

INPUTS = ("training_providers", "provider_inspections", "provider_complaints")
"""The lake datasets the grades are computed from."""

__all__ = [
    "ALPHABET",
    "INPUTS",
    "ITEM_COLUMNS",
    "PATTERN",
    "WEIGHTS",
    "CreditModel",
    "Grade",
    "check_character",
    "credit_grades",
    "credit_items",
    "judgement_date",
    "load_credit_model",
    "parse_model",
    "uscc_valid",
]
