"""Errors of the credit-rule engine, each with a Chinese and an English message."""

from __future__ import annotations

from edubrain.errors import EduBrainError


class CreditRuleError(EduBrainError):
    """A credit rule file is invalid, or no rule set applies to the requested year."""

    code = "credit_rule_error"


class OutcomeTableError(EduBrainError):
    """A table of learning outcomes lacks a column or holds a value the engine cannot read."""

    exit_code = 1
    code = "outcome_table_error"
