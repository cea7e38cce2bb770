"""The credit bank (学分银行): rules as data, and an engine that recognises, accumulates and converts credits.

Pure and offline: no store, no governance, no web. The caller reads outcomes through governance and passes a
polars table of them; see docs/credit-bank.md.

Example::

    from edubrain.credit_bank import evaluate, select_ruleset

    rules = select_ruleset("kr-acbs-bachelor", 2024)
    result = evaluate(outcomes, rules)  # result.decisions, result.accumulation, result.progress
"""

from edubrain.credit_bank.engine import Evaluation, evaluate
from edubrain.credit_bank.errors import CreditRuleError, OutcomeTableError
from edubrain.credit_bank.explain import explain_learner
from edubrain.credit_bank.loader import load_ruleset, parse_ruleset, rulesets, select_ruleset
from edubrain.credit_bank.schema import RuleSet, ruleset_json_schema

__all__ = [
    "CreditRuleError",
    "Evaluation",
    "OutcomeTableError",
    "RuleSet",
    "evaluate",
    "explain_learner",
    "load_ruleset",
    "parse_ruleset",
    "rulesets",
    "ruleset_json_schema",
    "select_ruleset",
]
