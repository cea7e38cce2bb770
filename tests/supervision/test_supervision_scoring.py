"""The credit score, by hand: deductions, rectification credit, overdue, decay, window, grades, licence, due date."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.analytics.supervision import credit_grades, credit_items, load_credit_model, parse_model

DAY = dt.date(2026, 6, 30)
A, B, C = "91110108MA00000001", "91110108MA00000002", "91110108MA00000003"


def providers(licence: str = "01") -> pl.DataFrame:
    return pl.DataFrame(
        {"provider_code": [A, B, C], "name": ["甲", "乙", "丙"], "district_code": ["110108"] * 3,
         "provider_type": ["1", "2", "2"], "licence_status": ["01", "01", licence], "capacity": [100, 100, 100]}
    )  # fmt: skip


def inspections(rows: list[tuple[str, str, dt.date, str, dt.date | None, bool | None, dt.date | None]]) -> pl.DataFrame:
    schema = {
        "record_id": pl.String, "provider_code": pl.String, "inspection_date": pl.Date, "finding_severity": pl.String,
        "rectify_deadline": pl.Date, "rectified": pl.Boolean, "rectified_date": pl.Date,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


def complaints(rows: list[tuple[str, str, dt.date, bool]]) -> pl.DataFrame:
    schema = {
        "complaint_id": pl.String,
        "provider_code": pl.String,
        "complaint_date": pl.Date,
        "substantiated": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def score(ins: pl.DataFrame, com: pl.DataFrame, licence: str = "01") -> tuple[pl.DataFrame, pl.DataFrame]:
    model = load_credit_model()
    items = credit_items(ins, com, providers(licence), model, DAY)
    return items, credit_grades(providers(licence), ins, items, model, DAY)


def test_supervision_scoring_serious_finding_today_costs_15_and_overdue_5() -> None:
    ins = inspections([("R1", A, DAY, "3", DAY - dt.timedelta(days=1), False, None)])
    items, grades = score(ins, complaints([]))
    assert items.select("item_id", "points").rows() == [("R1:finding", -15.0), ("R1:overdue", -5.0)]
    assert grades.filter(pl.col("provider_code") == A).select("score", "grade").row(0) == (80.0, "B")


def test_supervision_scoring_timely_rectification_gives_half_back_decayed_a_year() -> None:
    year_ago = DAY - dt.timedelta(days=365)
    ins = inspections(
        [("R1", A, year_ago, "2", year_ago + dt.timedelta(days=30), True, year_ago + dt.timedelta(days=10))]
    )
    items, grades = score(ins, complaints([]))
    assert items.select("kind", "weight", "points").rows() == [("finding", 0.5, -2.5), ("rectified", 0.5, 1.25)]
    assert grades.filter(pl.col("provider_code") == A)["score"].item() == pytest.approx(98.8, abs=0.05)


def test_supervision_scoring_late_rectification_earns_nothing_and_old_records_fall_out() -> None:
    old = DAY - dt.timedelta(days=1200)
    late = DAY - dt.timedelta(days=100)
    ins = inspections([
        ("R1", A, old, "4", old, False, None),
        ("R2", B, late, "1", late + dt.timedelta(days=5), True, late + dt.timedelta(days=20)),
    ])  # fmt: skip
    items, _ = score(ins, complaints([("C1", B, DAY, True), ("C2", B, DAY, False)]))
    assert items.select("item_id").to_series().to_list() == ["R2:finding", "C1:complaint"]
    assert items.filter(pl.col("item_id") == "C1:complaint")["points"].item() == -3.0


def test_supervision_scoring_grades_thresholds_licence_and_due_dates() -> None:
    ins = inspections([
        ("R1", A, DAY, "4", DAY, True, DAY), ("R2", A, DAY, "3", DAY, True, DAY), ("R3", B, DAY, "0", None, None, None),
    ])  # fmt: skip
    _, grades = score(ins, complaints([]), licence="04")
    got = {r["provider_code"]: r for r in grades.to_dicts()}
    assert (got[A]["score"], got[A]["grade"], got[A]["interval_months"]) == (77.5, "B", 6)
    assert got[A]["next_inspection_due"] == dt.date(2026, 12, 30)
    assert (got[B]["grade"], got[B]["next_inspection_due"]) == ("A", dt.date(2027, 6, 30))
    assert (got[C]["score"], got[C]["grade"], got[C]["licence_override"]) == (100.0, "D", True)
    assert got[C]["next_inspection_due"] == DAY  # never inspected: due now


def test_supervision_scoring_score_never_below_zero_and_sums_trace() -> None:
    ins = inspections([(f"R{i}", A, DAY, "4", DAY, False, None) for i in range(5)])
    items, grades = score(ins, complaints([]))
    row = grades.filter(pl.col("provider_code") == A).row(0, named=True)
    assert row["score"] == 0.0 and row["grade"] == "D"
    assert row["deductions"] == pytest.approx(items["points"].sum())


def test_supervision_model_refuses_grades_out_of_order() -> None:
    bad = {
        "version": "x", "start_score": 100, "window_days": 1, "half_life_days": 1, "finding_points": {"1": 1},
        "complaint_points": 1, "rectify_share": 0.5, "overdue_points": 1, "grade_d_licence": [], "unlicensed_grade": "D",
        "grades": [{"grade": "A", "min": 60, "months": 1, "zh": "", "en": ""},
                   {"grade": "B", "min": 90, "months": 1, "zh": "", "en": ""},
                   {"grade": "C", "min": None, "months": 1, "zh": "", "en": ""}],
    }  # fmt: skip
    with pytest.raises(ValueError, match="descending"):
        parse_model(bad)
