"""One learner's evaluation as a plain, bilingual explanation (for a page, an API answer or a printed record)."""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.credit_bank.engine import Evaluation


def explain_learner(evaluation: Evaluation, learner_id: str) -> dict[str, Any]:
    """Every decision about ``learner_id``'s outcomes with the rule that made it, and what is still missing.

    Returns:
        A mapping with ``ruleset`` (id, version, names), ``outcomes`` (one entry per outcome: code, claimed,
        granted, decision, rule id and name, reasons in Chinese and English, trail of rules), ``requirements``
        (required, earned, missing, met) and ``degree_met``.
    """
    ruleset = evaluation.ruleset
    names = {item.id: (item.name_zh, item.name_en) for item in [*ruleset.rules, *ruleset.requirements]}
    names.setdefault(ruleset.id, (ruleset.name_zh, ruleset.name_en))
    rows = evaluation.decisions.filter(pl.col("learner_id") == learner_id).to_dicts()
    outcomes = [
        {
            "outcome_id": row["outcome_id"],
            "code": row["code"],
            "category": row["category"],
            "year": row["year"],
            "term": row["term"],
            "claimed": row["claimed"],
            "granted": row["granted"],
            "decision": row["decision"],
            "rule_id": row["rule_id"],
            "rule_name_zh": names[row["rule_id"]][0],
            "rule_name_en": names[row["rule_id"]][1],
            "reason_zh": row["reason_zh"],
            "reason_en": row["reason_en"],
            "trail": [r for r in row["trail"].split(">") if r],
        }
        for row in rows
    ]
    requirements = evaluation.accumulation.filter(pl.col("learner_id") == learner_id).drop("learner_id").to_dicts()
    return {
        "learner_id": learner_id,
        "ruleset": {
            "id": ruleset.id,
            "version": ruleset.version,
            "name_zh": ruleset.name_zh,
            "name_en": ruleset.name_en,
        },
        "outcomes": outcomes,
        "requirements": requirements,
        "degree_met": bool(requirements) and all(r["met"] for r in requirements),
    }
