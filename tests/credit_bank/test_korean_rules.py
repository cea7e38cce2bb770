"""The Korean Academic Credit Bank System (학점은행제) rules give the published outcomes, one test per rule.

Each expected value is the rule's published figure (sources in the rule file and docs/credit-bank.md).
"""

from __future__ import annotations

import polars as pl
import pytest
import yaml

from edubrain.credit_bank import OutcomeTableError, RuleSet, evaluate, parse_ruleset
from edubrain.credit_bank.loader import DATA

from .conftest import outcome, spread, table

TWO = ("INST-A", "INST-B")  # under the 105-credit cap of one institution


def _by_id(result, outcome_id: str) -> dict:
    return result.decisions.filter(pl.col("outcome_id") == outcome_id).row(0, named=True)


def test_kr_year_cap_45_credits_in_one_year_keeps_42(korean: RuleSet) -> None:
    rows = [outcome("Y", credits=3, term=1, outcome_id=f"Y{i:02d}") for i in range(8)]  # 24 in term 1
    rows += [outcome("Y", credits=3, term=2, outcome_id=f"Y{i:02d}") for i in range(8, 15)]  # 21 in term 2
    result = evaluate(table(rows), korean)
    assert result.decisions["claimed"].sum() == 45
    assert result.decisions["granted"].sum() == 42
    last = _by_id(result, "Y14")
    assert (last["decision"], last["granted"], last["rule_id"]) == ("refused", 0.0, "kr-year-cap")
    assert "42" in last["reason_zh"] and "42" in last["reason_en"]


def test_kr_year_cap_cuts_a_course_part_way_and_says_reduced(korean: RuleSet) -> None:
    rows = [outcome("R", credits=20, term=1, outcome_id="R1"), outcome("R", credits=20, term=2, outcome_id="R2")]
    rows.append(outcome("R", credits=4, term=2, outcome_id="R3"))
    row = _by_id(evaluate(table(rows), korean), "R3")
    assert (row["decision"], row["granted"], row["rule_id"]) == ("reduced", 2.0, "kr-year-cap")


def test_kr_term_cap_27_credits_in_one_term_keeps_24(korean: RuleSet) -> None:
    rows = [outcome("T", credits=3, term=1, outcome_id=f"T{i}") for i in range(9)]
    result = evaluate(table(rows), korean)
    assert result.decisions["granted"].sum() == 24
    assert _by_id(result, "T8")["rule_id"] == "kr-term-cap"


def test_kr_term_then_year_cap_both_named_in_the_trail(korean: RuleSet) -> None:
    rows = [outcome("B", credits=24, term=1, outcome_id="B1"), outcome("B", credits=30, term=2, outcome_id="B2")]
    row = _by_id(evaluate(table(rows), korean), "B2")
    assert row["granted"] == 18.0  # 30 → 24 (term cap) → 18 (42 − 24, year cap)
    assert row["trail"] == "kr-term-cap>kr-year-cap"
    assert row["rule_id"] == "kr-year-cap"


def test_kr_caps_count_each_year_and_each_learner_separately(korean: RuleSet) -> None:
    rows = [
        outcome(learner, credits=21, year=year, term=term)
        for learner in ("P", "Q")
        for year in (2020, 2021)
        for term in (1, 2)
    ]
    result = evaluate(table(rows), korean)
    assert (result.decisions["decision"] == "accepted").all()
    assert result.progress["accepted_credits"].to_list() == [84.0, 84.0]


def test_kr_subject_counts_once(korean: RuleSet) -> None:
    rows = [
        outcome("S", code="KOR-101", year=2021, outcome_id="S1"),
        outcome("S", code="KOR-101", year=2023, outcome_id="S2"),
        outcome("S", code="회계 입문", year=2022, outcome_id="S3"),
        outcome("S", code="회계입문", year=2024, outcome_id="S4"),
        outcome("OTHER", code="KOR-101", year=2024, outcome_id="S5"),
    ]
    result = evaluate(table(rows), korean)
    decided = {r["outcome_id"]: (r["decision"], r["rule_id"]) for r in result.decisions.iter_rows(named=True)}
    assert decided["S1"][0] == "accepted" and decided["S3"][0] == "accepted"
    assert decided["S2"] == ("refused", "kr-subject-once")
    assert decided["S4"] == ("refused", "kr-subject-once")  # an equivalent subject (the published example)
    assert decided["S5"][0] == "accepted"  # another learner's course is not a duplicate


def _degree_plan(major: list[float], general: list[float], elective: list[float]) -> list[tuple[str, float]]:
    return [("major", c) for c in major] + [("general", c) for c in general] + [("elective", c) for c in elective]


def test_kr_140_credits_with_60_major_and_30_general_is_a_degree(korean: RuleSet) -> None:
    plan = _degree_plan([4] * 15, [4] * 8, [4] * 12)  # 60 + 32 + 48 = 140
    result = evaluate(table(spread("D", plan, institutions=TWO)), korean)
    progress = result.progress.row(0, named=True)
    assert progress["accepted_credits"] == 140 and progress["credits_major"] == 60
    assert progress["degree_met"] and progress["missing_requirements"] == []


def test_kr_140_credits_with_55_major_is_not_a_degree(korean: RuleSet) -> None:
    plan = _degree_plan([4] * 13 + [3], [4] * 8, [4] * 13 + [1])  # 55 + 32 + 53 = 140
    result = evaluate(table(spread("N", plan, institutions=TWO)), korean)
    progress = result.progress.row(0, named=True)
    assert progress["accepted_credits"] == 140
    assert not progress["degree_met"] and progress["missing_requirements"] == ["kr-major"]
    major = result.accumulation.filter(pl.col("requirement_id") == "kr-major").row(0, named=True)
    assert (major["earned"], major["missing"], major["met"]) == (55.0, 5.0, False)


def test_kr_139_credits_is_not_a_degree(korean: RuleSet) -> None:
    plan = _degree_plan([4] * 15, [4] * 8, [4] * 11 + [3])  # 139
    progress = evaluate(table(spread("M", plan, institutions=TWO)), korean).progress.row(0, named=True)
    assert progress["missing_requirements"] == ["kr-total"]


def test_kr_certificate_credits_come_from_the_table_for_the_year_of_award(korean: RuleSet) -> None:
    rows = [
        outcome(
            "C",
            code="KR-QNET-INFO-PROC-ENG",
            credits=None,
            category=None,
            kind="qualification",
            year=2024,
            outcome_id="C1",
        ),
        outcome("C", code="KR-SQLD", credits=10, category="general", kind="qualification", year=2025, outcome_id="C2"),
        outcome("C", code="KR-SQLD", credits=None, category=None, kind="qualification", year=2023, outcome_id="C3"),
        outcome("C", code="KR-UNLISTED", credits=12, kind="qualification", year=2024, outcome_id="C4"),
    ]
    result = evaluate(table(rows), korean)
    c1, c2, c3, c4 = (_by_id(result, f"C{i}") for i in range(1, 5))
    assert (c1["decision"], c1["granted"], c1["category"], c1["rule_id"]) == (
        "accepted",
        20.0,
        "major",
        "kr-certificate-credits",
    )
    assert (c2["decision"], c2["granted"], c2["category"]) == ("reduced", 6.0, "major")
    assert (c3["decision"], c3["rule_id"]) == ("refused", "kr-certificate-credits")  # before the table's years
    assert (c4["decision"], c4["rule_id"]) == ("refused", "kr-certificate-credits")


def test_kr_certificates_are_not_under_the_year_cap(korean: RuleSet) -> None:
    rows = [outcome("Z", credits=21, term=1), outcome("Z", credits=21, term=2)]
    rows.append(outcome("Z", code="KR-QNET-INFO-PROC-ENG", credits=None, kind="qualification", term=2))
    assert evaluate(table(rows), korean).progress["accepted_credits"].item() == 62


def _with_more_certificates() -> RuleSet:
    document = yaml.safe_load((DATA / "kr_acbs_bachelor_2024.yaml").read_text(encoding="utf-8"))
    convert = next(r for r in document["rules"] if r["type"] == "convert")
    convert["table"] += [
        {"code": "X-MAJOR-8", "title_zh": "测试证书", "category": "major", "credits": 8, "from_year": 2024},
        {"code": "X-ELECT-5", "title_zh": "测试证书", "category": "elective", "credits": 5, "from_year": 2024},
        {"code": "X-ELECT-9", "title_zh": "测试证书", "category": "elective", "credits": 9, "from_year": 2024},
    ]
    return parse_ruleset(document, "test")


def test_kr_at_most_three_certificates_keeping_those_worth_most() -> None:
    rules = _with_more_certificates()
    codes = ["KR-QNET-INFO-PROC-ENG", "KR-NETWORK-ADMIN-2", "KR-SQLD", "X-MAJOR-8"]  # 20, 14, 6, 8
    rows = [outcome("K", code=c, credits=None, kind="qualification", outcome_id=f"K{i}") for i, c in enumerate(codes)]
    result = evaluate(table(rows), rules)
    assert result.decisions["granted"].sum() == 42
    assert (_by_id(result, "K2")["decision"], _by_id(result, "K2")["rule_id"]) == ("refused", "kr-certificate-count")


def test_kr_at_most_one_certificate_as_general_elective() -> None:
    rules = _with_more_certificates()
    rows = [
        outcome("E", code=c, credits=None, kind="qualification", outcome_id=f"E-{c}")
        for c in ("X-ELECT-5", "X-ELECT-9")
    ]
    result = evaluate(table(rows), rules)
    assert _by_id(result, "E-X-ELECT-9")["decision"] == "accepted"
    assert _by_id(result, "E-X-ELECT-5")["rule_id"] == "kr-certificate-elective-count"


def test_kr_at_most_105_credits_from_one_institution(korean: RuleSet) -> None:
    plan = [("major", 4.0)] * 28  # 112 credits over 3½ years, all under the term and year caps
    rows = spread("I", plan)
    rows.append(outcome("I", credits=3, year=2030, institution="INST-B"))
    rows.append(outcome("I", credits=3, year=2030, institution="INST-A", education="formal"))
    result = evaluate(table(rows), korean)
    inst_a = result.decisions.filter((pl.col("institution") == "INST-A") & (pl.col("education") == "non_formal"))
    assert inst_a["granted"].sum() == 105
    assert set(inst_a.filter(pl.col("decision") != "accepted")["rule_id"]) == {"kr-institution-cap"}
    assert result.progress["accepted_credits"].item() == 111


def test_kr_prior_experiential_learning_is_not_a_credit_source(korean: RuleSet) -> None:
    rows = [outcome("X", kind="prior_learning", outcome_id="X1"), outcome("X", outcome_id="X2")]
    result = evaluate(table(rows), korean)
    assert (_by_id(result, "X1")["decision"], _by_id(result, "X1")["rule_id"]) == ("refused", "kr-credit-sources")
    assert (_by_id(result, "X2")["decision"], _by_id(result, "X2")["rule_id"]) == ("accepted", "kr-credit-sources")


def test_kr_dates_fall_in_the_academic_year_from_1_march(korean: RuleSet) -> None:
    rows = [
        {k: v for k, v in outcome("W", outcome_id=f"W{i}").items() if k not in ("year", "term")} | {"date": day}
        for i, day in enumerate(["2024-02-29", "2024-03-01", "2024-08-31", "2024-09-01", "2025-02-10"])
    ]
    decisions = evaluate(pl.DataFrame(rows), korean).decisions
    assert decisions.select("year", "term").rows() == [(2023, 2), (2024, 1), (2024, 1), (2024, 2), (2024, 2)]


def test_kr_year_cap_follows_the_academic_year_not_the_calendar_year(korean: RuleSet) -> None:
    # 21 credits in March–August 2024 and 21 in September 2024–February 2025: one academic year, 42, all kept;
    # 3 more in January 2025 are still academic year 2024 and are refused.
    days = ["2024-05-01", "2024-11-01", "2025-01-20"]
    rows = [
        {k: v for k, v in outcome("J", credits=c, outcome_id=f"J{i}").items() if k not in ("year", "term")}
        | {"date": d}
        for i, (d, c) in enumerate(zip(days, [21.0, 21.0, 3.0], strict=True))
    ]
    decisions = evaluate(pl.DataFrame(rows), korean).decisions
    assert decisions["decision"].to_list() == ["accepted", "accepted", "refused"]
    assert decisions["rule_id"][2] == "kr-year-cap"


def test_kr_a_date_that_is_not_a_date_is_refused_by_row(korean: RuleSet) -> None:
    row = {k: v for k, v in outcome("V").items() if k not in ("year", "term")} | {"date": "31/02/2024"}
    with pytest.raises(OutcomeTableError, match="date"):
        evaluate(pl.DataFrame([row]), korean)
