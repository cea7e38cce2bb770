"""Engine semantics: explanations name a rule for every credit; many learners at once equal one at a time."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.credit_bank import OutcomeTableError, RuleSet, evaluate, explain_learner

from .conftest import outcome, table


def test_every_decision_names_a_rule_of_the_rule_set_and_gives_both_reasons(korean: RuleSet) -> None:
    rows = [outcome("E", credits=3, term=1) for _ in range(9)]
    rows += [outcome("E", code="DUP", year=2020), outcome("E", code="DUP", year=2021)]
    rows += [outcome("E", kind="prior_learning"), outcome("E", code="KR-SQLD", credits=None, kind="qualification")]
    decisions = evaluate(table(rows), korean).decisions
    known = {r.id for r in korean.rules}
    assert set(decisions["rule_id"]) <= known
    assert decisions["reason_zh"].str.len_chars().min() > 0 and decisions["reason_en"].str.len_chars().min() > 0
    assert set(decisions["decision"]) == {"accepted", "refused"}
    assert decisions.height == len(rows) and decisions["outcome_id"].to_list() == [r["outcome_id"] for r in rows]


def test_explanation_of_one_learner(korean: RuleSet) -> None:
    rows = [outcome("L", credits=24, term=1, outcome_id="L1"), outcome("L", credits=30, term=2, outcome_id="L2")]
    rows.append(outcome("OTHER", credits=3))
    explained = explain_learner(evaluate(table(rows), korean), "L")
    assert explained["ruleset"] == {
        "id": "kr-acbs-bachelor",
        "version": "2024",
        "name_zh": korean.name_zh,
        "name_en": korean.name_en,
    }
    assert [o["outcome_id"] for o in explained["outcomes"]] == ["L1", "L2"]
    second = explained["outcomes"][1]
    assert (second["claimed"], second["granted"], second["decision"]) == (30.0, 18.0, "reduced")
    assert second["rule_name_zh"] == "每学年至多 42 学分" and second["rule_name_en"] == "At most 42 credits a year"
    assert second["trail"] == ["kr-term-cap", "kr-year-cap"]
    assert explained["outcomes"][0]["rule_id"] == "kr-credit-sources"
    total = next(r for r in explained["requirements"] if r["requirement_id"] == "kr-total")
    assert (total["earned"], total["missing"], total["met"]) == (42.0, 98.0, False)
    assert explained["degree_met"] is False


def test_a_rule_set_without_admit_rules_names_itself_on_accepted_outcomes(korean: RuleSet) -> None:
    bare = korean.model_copy(update={"rules": [korean.rule("kr-year-cap")]})
    decisions = evaluate(table([outcome("A", credits=3)]), bare).decisions
    assert decisions["rule_id"].item() == "kr-acbs-bachelor" and "2024" in decisions["reason_zh"].item()


def test_outcome_table_errors_name_the_column_and_row(korean: RuleSet) -> None:
    rows = [outcome("A"), outcome("A", kind="badge")]
    with pytest.raises(OutcomeTableError) as caught:
        evaluate(table(rows), korean)
    assert "第 1 行" in caught.value.zh and "kind" in caught.value.en and "course" in caught.value.en
    with pytest.raises(OutcomeTableError, match="learner_id"):
        evaluate(table(rows).drop("learner_id"), korean)
    with pytest.raises(OutcomeTableError, match="must be unique"):
        evaluate(table([outcome("A", outcome_id="X"), outcome("B", outcome_id="X")]), korean)
    with pytest.raises(OutcomeTableError, match="negative"):
        evaluate(table([outcome("A", credits=-1)]), korean)


def test_optional_columns_may_be_left_out(korean: RuleSet) -> None:
    frame = table([outcome("A", credits=3)]).drop("institution", "term")
    assert evaluate(frame, korean).decisions["decision"].item() == "accepted"


_outcomes = st.lists(
    st.fixed_dictionaries(
        {
            "learner": st.sampled_from(["A", "B", "C"]),
            "code": st.sampled_from(["K1", "K2", "K3", "회계 입문", "회계입문", "KR-SQLD"]),
            "credits": st.sampled_from([1.0, 3.0, 6.0, 12.0, 20.0]),
            "year": st.integers(2023, 2025),
            "term": st.integers(1, 2),
            "category": st.sampled_from(["major", "general", "elective"]),
            "institution": st.sampled_from(["I1", "I2"]),
        }
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_outcomes)
def test_evaluating_many_learners_at_once_equals_one_at_a_time(korean: RuleSet, drawn: list[dict]) -> None:
    rows = []
    for i, d in enumerate(drawn):
        kind = "qualification" if d["code"] == "KR-SQLD" else "course"
        fields = {k: v for k, v in d.items() if k != "learner"}
        rows.append(outcome(d["learner"], kind=kind, outcome_id=f"H{i:03d}", **fields))
    frame = table(rows)
    together = evaluate(frame, korean).decisions
    alone = pl.concat(
        [
            evaluate(frame.filter(pl.col("learner_id") == learner), korean).decisions
            for learner in ["A", "B", "C"]
            if frame["learner_id"].eq(learner).any()
        ]
    )
    assert together.sort("outcome_id").equals(alone.sort("outcome_id"))
    # invariants of every rule set: never more than claimed, caps respected
    assert (together["granted"] <= together["claimed"]).all() and (together["granted"] >= 0).all()
    courses = together.filter(pl.col("kind") == "course")
    assert (courses.group_by("learner_id", "year", "term").agg(pl.col("granted").sum())["granted"].max() or 0) <= 24
    assert (courses.group_by("learner_id", "year").agg(pl.col("granted").sum())["granted"].max() or 0) <= 42
