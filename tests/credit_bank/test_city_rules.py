"""The city credit bank (国家开放大学学分银行 style: 存入、认定、积累、转换) runs on the same engine.

The numbers are city settings (the rule file says so); these tests check that the engine applies them.
"""

from __future__ import annotations

import polars as pl

from edubrain.credit_bank import RuleSet, evaluate

from .conftest import outcome, table


def _row(result, outcome_id: str) -> dict:
    return result.decisions.filter(pl.col("outcome_id") == outcome_id).row(0, named=True)


def test_city_rules_declare_their_numbers_as_assumptions(city: RuleSet) -> None:
    assert city.assumptions_zh and "本市" in city.assumptions_zh and city.assumptions_en
    assert not any(item.confirmed_by_two_sources for item in [*city.rules, *city.requirements])
    assert {r.stage for r in city.rules} == {"deposit", "recognition", "accumulation", "conversion"}


def test_city_certificate_conversion_depends_on_the_year_of_award(city: RuleSet) -> None:
    rows = [
        outcome("A", code="CN-NCRE-1", credits=None, category=None, kind="qualification", year=2024, outcome_id="N24"),
        outcome("B", code="CN-NCRE-1", credits=None, category=None, kind="qualification", year=2025, outcome_id="N25"),
        outcome("C", code="CN-NCRE-1", credits=None, category=None, kind="qualification", year=2019, outcome_id="N19"),
    ]
    result = evaluate(table(rows), city)
    assert (_row(result, "N24")["granted"], _row(result, "N24")["category"]) == (4.0, "general")
    assert _row(result, "N25")["granted"] == 3.0
    assert (_row(result, "N19")["decision"], _row(result, "N19")["rule_id"]) == (
        "refused",
        "cn-certificate-conversion",
    )


def test_city_keeps_the_repeated_course_worth_most(city: RuleSet) -> None:
    rows = [
        outcome("D", code="MATH", credits=3, year=2021, outcome_id="M1", education="formal"),
        outcome("D", code="MATH", credits=4, year=2023, outcome_id="M2", education="formal"),
    ]
    result = evaluate(table(rows), city)
    assert _row(result, "M2")["decision"] == "accepted"
    assert (_row(result, "M1")["decision"], _row(result, "M1")["rule_id"]) == ("refused", "cn-course-once")


def test_city_converts_at_most_30_non_formal_credits(city: RuleSet) -> None:
    rows = [outcome("F", credits=10, outcome_id=f"F{i}") for i in range(4)]
    rows.append(outcome("F", credits=10, education="formal", outcome_id="F-formal"))
    result = evaluate(table(rows), city)
    assert result.decisions.filter(pl.col("education") == "non_formal")["granted"].sum() == 30
    assert _row(result, "F-formal")["decision"] == "accepted"
    assert set(result.decisions.filter(pl.col("decision") == "refused")["rule_id"]) == {"cn-non-formal-cap"}


def test_city_progress_lists_what_is_missing(city: RuleSet) -> None:
    rows = [
        outcome("G", credits=20, category="major", education="formal", term=t, year=y, outcome_id=f"G{y}{t}")
        for y in (2022, 2023)
        for t in (1, 2)
    ]
    progress = evaluate(table(rows), city).progress.row(0, named=True)
    assert progress["accepted_credits"] == 80
    assert progress["missing_requirements"] == ["cn-general"]
