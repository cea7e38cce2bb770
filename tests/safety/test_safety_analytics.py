"""Campus safety analytics: terms, rates, suppression (with complements), and the warnings on planted patterns."""

from __future__ import annotations

import datetime as dt

import polars as pl

from edubrain.analytics.safety import rate_per_1000, safety_counts, suppress_school_cells, term_of
from edubrain.synth.safety import evaluate_seeds


def test_safety_terms_split_august_to_january_and_february_to_july() -> None:
    days = [dt.date(2025, 8, 1), dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 7, 31)]
    got = pl.DataFrame({"d": days}).select(term_of(pl.col("d"))).to_series().to_list()
    assert got == ["2025-1", "2025-1", "2025-2", "2025-2"]


def test_safety_counts_rate_per_1000_pupils() -> None:
    incidents = pl.DataFrame({
        "school_code": ["S1", "S1", "S1", "S2"], "incident_date": [dt.date(2025, 9, 1)] * 3 + [dt.date(2026, 3, 1)],
        "incident_type": ["21", "21", "41", "31"], "injured_count": [1, None, 0, 2],
        "reported_in_time": [True, False, True, True],
    })  # fmt: skip
    pupils = pl.DataFrame({"school_code": ["S1", "S2"], "pupils": [400, 0]})
    schools = pl.DataFrame({"school_code": ["S1", "S2"], "district_code": ["110108", "110105"]})
    got = safety_counts(incidents, pupils, schools).to_dicts()
    assert [(r["school_code"], r["term"], r["incident_type"], r["incidents"], r["injured"], r["late_reports"],
             r["rate_per_1000"]) for r in got] == [
        ("S1", "2025-1", "21", 2, 1, 1, 5.0), ("S1", "2025-1", "41", 1, 0, 0, 2.5), ("S2", "2025-2", "31", 1, 2, 0, None),
    ]  # fmt: skip
    assert rate_per_1000(None, 400) is None and rate_per_1000(3, 1500) == 2.0


def test_safety_suppression_hides_small_cells_and_their_complements() -> None:
    cells = pl.DataFrame({
        "school_code": ["A", "A", "A", "B", "B", "C"], "incident_type": ["21", "41", "31", "21", "41", "21"],
        "incidents": [30, 2, 12, 25, 11, 4],
    }).with_columns(pl.col("incidents").sum().over("school_code").alias("total"))  # fmt: skip
    got = {(r["school_code"], r["incident_type"]): (r["incidents"], r["hidden"], r["total"])
           for r in suppress_school_cells(cells, 10).to_dicts()}  # fmt: skip
    assert got[("A", "41")] == (None, "small_cell", 44)
    assert got[("A", "31")] == (None, "complementary", 44) and got[("A", "21")] == (30, None, 44)
    assert got[("B", "21")][0] == 25 and got[("B", "41")][0] == 11
    assert got[("C", "21")] == (None, "small_cell", None)  # the total alone would reveal it


def test_safety_suppression_one_hidden_and_nothing_else_hides_the_total() -> None:
    cells = pl.DataFrame(
        {"school_code": ["A", "A"], "incident_type": ["21", "41"], "incidents": [0, 3], "total": [13, 13]}
    )
    got = suppress_school_cells(cells, 10)
    assert got["total"].to_list() == [None, None]


def test_safety_warnings_find_the_planted_patterns() -> None:
    rows = {r["level"]: r for r in evaluate_seeds(range(1, 6))}
    school, district = rows["school"], rows["district"]
    assert (school["patterns"], school["detected"]) == (5, 5)
    assert (district["patterns"], district["detected"]) == (5, 5)
    assert school["mean_delay_weeks"] <= 16 and district["mean_delay_weeks"] <= 2
    assert school["false_alarms_per_100_series_weeks"] < 0.1 and district["false_alarms_per_100_series_weeks"] < 1
