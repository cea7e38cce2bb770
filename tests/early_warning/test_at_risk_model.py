"""The at-risk points model and indicators, on hand-made tables (pure functions, no lake)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
import yaml

from edubrain.analytics.at_risk import evaluate, explain, indicators, load_rules, parse_rules, score
from edubrain.analytics.at_risk.rules import RULES_PATH


def _row(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "attendance_rate": 0.99, "attendance_change": 0.0, "unexcused_days": 0, "unexcused_recent": 0,
        "score_share": 0.8, "score_change": 0.0, "class_percentile": 0.5, "class_percentile_change": 0.0,
        "fail_count": 0, "fitness_total": 80.0, "fitness_change": 0.0, "status_change": None, "disciplinary_count": 0,
    }  # fmt: skip
    return {**base, **values}


def _scored(*rows: dict[str, Any]) -> pl.DataFrame:
    return score(pl.DataFrame(list(rows)), load_rules())


def test_at_risk_quiet_pupil_scores_nothing() -> None:
    out = _scored(_row()).row(0, named=True)
    assert (out["risk_score"], out["signals"], out["flagged"], out["risk_band"]) == (0.0, 0, False, "none")


def test_at_risk_one_domain_however_strong_is_not_flagged() -> None:
    results_only = _row(score_change=-0.3, class_percentile_change=-0.5, fail_count=3)
    out = _scored(results_only).row(0, named=True)
    assert out["pts_score_drop"] == 20 and out["pts_class_drop"] == 10 and out["pts_fails"] == 10
    assert out["risk_score"] == 25  # the results domain counts 25 at most
    assert (out["signals"], out["flagged"]) == (1, False)


def test_at_risk_converging_signals_are_flagged_with_band() -> None:
    disengaging = _row(score_change=-0.2, unexcused_recent=6, unexcused_days=6, attendance_change=-0.12)
    health = _row(attendance_rate=0.86, status_change="12", fitness_change=-25.0)
    out = _scored(disengaging, health)
    assert out.get_column("flagged").to_list() == [True, True]
    assert out.get_column("risk_score").to_list() == [45.0, 40.0]
    assert out.get_column("risk_band").to_list() == ["watch", "watch"]
    high = _scored(_row(score_change=-0.2, unexcused_recent=6, attendance_change=-0.2, disciplinary_count=1,
                        status_change="11"))  # fmt: skip
    assert high.row(0, named=True)["risk_band"] == "high"


def test_at_risk_missing_values_give_no_points() -> None:
    out = _scored(_row(attendance_rate=None, score_change=None, fitness_change=None)).row(0, named=True)
    assert out["risk_score"] == 0


def test_at_risk_explanation_lists_contributions_largest_first_in_both_languages() -> None:
    out = _scored(_row(score_change=-0.2, unexcused_recent=4, unexcused_days=4)).row(0, named=True)
    found = explain(out, load_rules())
    assert [c.indicator for c in found] == ["score_drop", "unexcused"]
    assert found[0].points == 20 and found[0].value == pytest.approx(-0.2)
    assert "score_change <= -0.15" in found[0].rule_en and "20 分" in found[0].rule_zh
    assert found[1].field == "unexcused_recent" and found[1].title_zh == "旷课" and found[1].title_en
    assert sum(c.share for c in found) == pytest.approx(1.0)


def test_at_risk_rules_name_a_rationale_and_source_for_every_indicator() -> None:
    for indicator in load_rules().indicators:
        assert indicator.rationale_zh and indicator.rationale_en and indicator.source


def test_at_risk_rules_refuse_an_undeclared_domain() -> None:
    raw = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    raw["indicators"][0]["domain"] = "mood"
    with pytest.raises(ValueError, match="mood"):
        parse_rules(raw)


def _tables() -> dict[str, pl.DataFrame]:
    students = pl.DataFrame(
        {"student_id": ["A", "B", "C"], "school_code": ["S"] * 3, "class_id": ["K1", "K1", "K1"],
         "grade": ["15"] * 3, "school_year": [2025] * 3, "status": ["01", "01", "01"]}
    )  # fmt: skip
    months = [9, 10, 11, 12, 1, 3, 4, 5, 6, 7]
    attendance = pl.DataFrame(
        {"student_id": ["A"] * 10, "school_year": [2025] * 10, "month": months, "days_due": [20] * 10,
         "days_present": [20] * 7 + [15, 15, 15], "absent_unexcused_days": [0] * 7 + [5, 5, 5]}
    )  # fmt: skip
    exams = pl.DataFrame(
        {"student_id": ["A", "B", "C", "A", "B", "C"], "class_id": ["K0"] * 3 + ["K1"] * 3,
         "school_year": [2024] * 3 + [2025] * 3, "score": [90.0, 70.0, 50.0, 40.0, 70.0, 55.0],
         "full_score": [100.0] * 6}
    )  # fmt: skip
    fitness = pl.DataFrame({"student_id": ["A", "A"], "school_year": [2024, 2025], "total_score": [85.0, 60.0]})
    changes = pl.DataFrame(
        {"change_id": ["1", "2"], "student_id": ["B", "C"], "change_type": ["11", "21"],
         "change_date": [dt.date(2025, 11, 1), dt.date(2025, 12, 1)]}
    )  # fmt: skip
    conduct = pl.DataFrame({"student_id": ["C"], "school_year": [2025], "record_type": ["3"]})
    return {
        "students": students, "student_attendance": attendance, "exam_scores": exams, "fitness_scores": fitness,
        "student_status_changes": changes, "student_conduct": conduct,
    }  # fmt: skip


def test_at_risk_indicators_follow_their_definitions() -> None:
    out = {r["student_id"]: r for r in indicators(_tables(), 2025).to_dicts()}
    a = out["A"]
    assert a["attendance_rate"] == pytest.approx(185 / 200)
    assert a["attendance_change"] == pytest.approx(45 / 60 - 1.0)  # last three months 75 % against 100 %
    assert (a["unexcused_days"], a["unexcused_recent"]) == (15, 15)
    assert a["score_share"] == pytest.approx(0.4) and a["score_change"] == pytest.approx(-0.5)
    assert a["class_percentile"] == 0.0 and a["class_percentile_change"] == -1.0  # top last year, bottom now
    assert (a["fail_count"], a["fitness_total"], a["fitness_change"]) == (1, 60.0, -25.0)
    assert out["B"]["status_change"] == "11" and out["C"]["status_change"] is None  # 21 转出 is not of concern
    assert out["C"]["disciplinary_count"] == 1 and out["B"]["attendance_rate"] is None


def test_at_risk_evaluation_counts_precision_recall_and_distractors() -> None:
    flags = pl.DataFrame({"student_id": ["A", "B", "C", "D"], "flagged": [True, True, False, False]})
    truth = pl.DataFrame({"student_id": ["A", "C", "B"], "kind": ["health", "conduct", "exam_dip"],
                          "at_risk": [True, True, False]})  # fmt: skip
    found = evaluate(flags, truth)
    assert (found.flagged, found.hits, found.at_risk, found.distractors_flagged) == (2, 1, 2, 1)
    assert found.precision == 0.5 and found.recall == 0.5
    assert found.by_kind == {"conduct": (1, 0), "exam_dip": (1, 1), "health": (1, 1)}


def test_at_risk_two_weak_domains_below_the_threshold_are_not_flagged() -> None:
    out = _scored(_row(score_change=-0.2, attendance_rate=0.93)).row(0, named=True)
    assert (out["risk_score"], out["signals"], out["flagged"]) == (28.0, 2, False)
