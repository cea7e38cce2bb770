"""Training coverage: hours against the targets, three-year coverage and the forecast, on a hand-made school.

Golden values are worked out by hand in the comments (rules in edubrain.analytics.training.coverage).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import ibis
import polars as pl
import pytest

from edubrain.analytics.profiles.definitions import score_parameters
from edubrain.analytics.training import COLUMNS, coverage_expr, load_targets
from edubrain.analytics.training.summary import org_shares

S1, S2 = "1101080001", "1101080002"
D = "110108"


def _records() -> pl.DataFrame:
    rows = [
        # P1, the principal of S1: 40 h in 2023 (met 32), 20 h in 2024 (missed), 10 h by June 2025 (+30 h later)
        ("r1", "T000000001", S1, 2023, "2023-04-28", "2023-05-01", 40.0),
        ("r2", "T000000001", S1, 2024, "2024-02-27", "2024-03-01", 20.0),
        ("r3", "T000000001", S1, 2025, "2025-02-27", "2025-03-01", 10.0),
        ("r4", "T000000001", S1, 2025, "2025-08-28", "2025-09-01", 30.0),
        # T1, a teacher of S1: 80 h in 2023 (ended in October), 80 h in 2024 (ended in April), 50 h by May 2025
        ("r5", "T000000002", S1, 2023, "2023-09-20", "2023-10-01", 80.0),
        ("r6", "T000000002", S1, 2024, "2024-03-22", "2024-04-01", 80.0),
        ("r7", "T000000002", S1, 2025, "2025-04-24", "2025-05-01", 50.0),
        # T3, a teacher of S2: 100 h in 2023 (ended in August), nothing since
        ("r8", "T000000004", S2, 2023, "2023-07-20", "2023-08-01", 100.0),
        # T4 left S2 after 2023 (not on the register): 50 h in 2023, ended in February
        ("r9", "T000000005", S2, 2023, "2023-01-25", "2023-02-01", 50.0),
    ]
    frame = pl.DataFrame(
        rows,
        schema=["record_id", "teacher_id", "school_code", "year", "start_date", "end_date", "hours"],
        orient="row",
    )
    return frame.with_columns(pl.col("start_date").str.to_date(), pl.col("end_date").str.to_date())


def _tables() -> dict[str, pl.DataFrame]:
    teachers = pl.DataFrame(
        {
            "teacher_id": ["T000000001", "T000000002", "T000000003", "T000000004"],
            "school_code": [S1, S1, S1, S2],
            "is_principal": [True, False, False, False],
        }
    )
    # T2 (T000000003) has no training at all; it taught in school year 2024
    assignments = pl.DataFrame(
        {"teacher_id": ["T000000003"], "class_id": ["C1"], "school_code": [S1], "school_year": [2024]}
    )
    schools = pl.DataFrame({"school_code": [S1, S2], "district_code": [D, D]})
    return {
        "training_records": _records(),
        "teachers": teachers,
        "teacher_assignments": assignments,
        "schools": schools,
    }


@pytest.fixture
def backend() -> Iterator[ibis.BaseBackend]:
    con = ibis.duckdb.connect()
    yield con
    con.disconnect()


def _run(backend: ibis.BaseBackend, as_of: dt.date | None) -> dict[tuple[str, int], dict[str, object]]:
    tables = {name: ibis.memtable(frame.to_arrow()) for name, frame in _tables().items()}
    rows = backend.to_pyarrow(coverage_expr(tables, as_of=as_of)).to_pylist()
    return {(str(r["teacher_id"]), int(r["year"])): r for r in rows}


def test_training_rows_are_the_people_counted_each_year(backend: ibis.BaseBackend) -> None:
    rows = _run(backend, dt.date(2025, 6, 30))
    assert sorted(rows) == [
        ("T000000001", 2023), ("T000000001", 2024), ("T000000001", 2025),
        ("T000000002", 2023), ("T000000002", 2024), ("T000000002", 2025),
        ("T000000003", 2024), ("T000000003", 2025),  # an assignment in 2024, the register in 2025
        ("T000000004", 2023), ("T000000004", 2025),  # no row in 2024: neither record nor assignment
        ("T000000005", 2023),  # left: known by its record only
    ]  # fmt: skip
    assert list(next(iter(rows.values()))) == list(COLUMNS)


def test_training_complete_years_are_met_or_missed_against_the_role_target(backend: ibis.BaseBackend) -> None:
    rows = _run(backend, dt.date(2025, 6, 30))
    p2023, p2024 = rows[("T000000001", 2023)], rows[("T000000001", 2024)]
    assert (p2023["target_hours"], p2023["hours"], p2023["status"], p2023["complete"]) == (32.0, 40.0, "met", True)
    assert (p2024["hours"], p2024["status"], p2024["hours_needed"]) == (20.0, "missed", 12.0)
    left = rows[("T000000005", 2023)]  # not on the register: judged as a teacher (72 h), school from its record
    assert (left["is_principal"], left["target_hours"], left["status"], left["school_code"]) == (
        False,
        72.0,
        "missed",
        S2,
    )
    assert rows[("T000000003", 2024)]["hours"] == 0.0 and rows[("T000000003", 2024)]["status"] == "missed"
    assert rows[("T000000002", 2024)]["status"] == "met" and rows[("T000000002", 2024)]["projected_hours"] == 80.0
    assert all(rows[k]["district_code"] == D for k in rows)


def test_training_three_year_coverage_needs_a_whole_window(backend: ibis.BaseBackend) -> None:
    rows = _run(backend, dt.date(2025, 6, 30))
    # the data start in 2023: windows ending in 2023 or 2024 reach back before it
    assert rows[("T000000001", 2024)]["trained_3y"] is None and rows[("T000000001", 2024)]["met_3y"] is None
    p = rows[("T000000001", 2025)]  # 2023 met
    assert (p["trained_3y"], p["met_3y"], p["window_hours"]) == (True, True, 70.0)
    never = rows[("T000000003", 2025)]  # no training in 2023-2025
    assert (never["trained_3y"], never["met_3y"], never["window_hours"]) == (False, False, 0.0)
    assert (rows[("T000000004", 2025)]["trained_3y"], rows[("T000000004", 2025)]["met_3y"]) == (True, True)


def test_training_forecast_blends_own_history_and_this_years_pace(backend: ibis.BaseBackend) -> None:
    rows = _run(backend, dt.date(2025, 6, 30))
    # S1's records of 2022-2024 done by day 181 (30 June): 40 (1 May) + 20 (1 March) + 80 (1 April) of 220 h
    s1 = 140 / 220
    p = rows[("T000000001", 2025)]  # 10 h so far (the 30 h course ends in September), own mean (40+20)/2
    pace = (30 + 10 / s1) / 2
    assert p["season_share"] == pytest.approx(s1)
    assert p["pace_hours"] == pytest.approx(pace)
    assert p["projected_hours"] == pytest.approx(10 + (1 - s1) * pace)  # 18.3 < 32
    assert (p["hours"], p["status"], p["hours_needed"], p["window_at_risk"]) == (10.0, "at_risk", 22.0, False)
    t1 = rows[("T000000002", 2025)]  # 50 h so far, own mean 80: projected 78.8 >= 72
    assert t1["projected_hours"] == pytest.approx(50 + (1 - s1) * (80 + 50 / s1) / 2)
    assert t1["status"] == "on_track"
    never = rows[("T000000003", 2025)]  # own mean 0 (2024 counted with 0 h), run rate 0
    assert (never["pace_hours"], never["projected_hours"], never["status"]) == (0.0, 0.0, "at_risk")
    assert never["window_at_risk"] is True
    s2 = rows[("T000000004", 2025)]  # S2: 50 of 150 h done by 30 June; own mean 100 (2023 only), run rate 0
    assert s2["season_share"] == pytest.approx(1 / 3)
    assert s2["projected_hours"] == pytest.approx((2 / 3) * 50)
    assert (s2["status"], s2["window_at_risk"]) == ("at_risk", False)
    assert all(rows[k]["season_share"] is None for k in rows if k[1] < 2025)


def test_training_default_date_is_the_latest_training_reported(backend: ibis.BaseBackend) -> None:
    rows = _run(backend, None)
    p = rows[("T000000001", 2025)]
    assert p["as_of"] == dt.date(2025, 9, 1)
    assert (p["hours"], p["status"], p["complete"]) == (40.0, "met", False)


def test_training_a_year_is_complete_on_its_last_day(backend: ibis.BaseBackend) -> None:
    rows = _run(backend, dt.date(2025, 12, 31))
    p = rows[("T000000001", 2025)]
    assert (p["complete"], p["status"], p["projected_hours"], p["pace_hours"]) == (True, "met", 40.0, None)
    assert rows[("T000000003", 2025)]["status"] == "missed"


def test_training_targets_are_the_plans_and_the_profiles() -> None:
    targets = load_targets()
    params = score_parameters()
    assert targets.principal_hours == params.principal_training_hours == 32
    assert targets.teacher_hours == params.teacher_training_hours
    assert targets.window_years == 3
    source = targets.source("principal_hours")
    assert source is not None and "每人每年完成不少于32学时，三年实现全覆盖" in source.quote


def test_training_shares_add_up_per_school_district_and_city() -> None:
    counts = pl.DataFrame(
        {
            "district_code": [D, D, D, D],
            "school_code": [S1, S1, S1, S2],
            "is_principal": [True, False, False, False],
            "status": ["at_risk", "on_track", "at_risk", "at_risk"],
            "trained_3y": [True, None, False, True],
            "met_3y": [True, None, False, True],
            "rows": [1, 1, 2, 1],
        }
    )
    out = org_shares(counts, ("city", "district", "school"))
    city = out.filter((pl.col("level") == "city") & (pl.col("role") == "all")).row(0, named=True)
    assert (city["people"], city["behind"], city["met"], city["window_observed"]) == (5, 4, 0, 4)
    assert city["covered_share"] == pytest.approx(2 / 4) and city["trained_share"] == pytest.approx(2 / 4)
    s1 = out.filter((pl.col("org_code") == S1) & (pl.col("role") == "teacher")).row(0, named=True)
    assert (s1["people"], s1["behind"], s1["parent_code"]) == (3, 2, D)
    assert s1["behind_share"] == pytest.approx(2 / 3)
    principal = out.filter((pl.col("org_code") == D) & (pl.col("role") == "principal")).row(0, named=True)
    assert (principal["people"], principal["behind"]) == (1, 1)
    assert set(out.get_column("level")) == {"city", "district", "school"}


def test_training_backtest_counts_hits_against_how_each_year_ended(backend: ibis.BaseBackend) -> None:
    from edubrain.analytics.training.backtest import backtest_expr

    tables = {name: ibis.memtable(frame.to_arrow()) for name, frame in _tables().items()}
    rows = {r["year"]: r for r in backend.to_pyarrow(backtest_expr(tables, [2024, 2025])).to_pylist()}
    # 2024 on 30 June: P1 20 h, own 40, run rate 60 -> 53 h projected: forecast fine, ended missed (a miss);
    # T1 met already; T2 (an assignment, 0 h) forecast to miss and missed. T3 is not counted in 2024: the
    # register lists the staff of 2025, the year of the latest training, not of 2024.
    assert rows[2024]["as_of"] == dt.date(2024, 6, 30)
    assert (rows[2024]["people"], rows[2024]["forecast_miss"], rows[2024]["missed"], rows[2024]["hits"]) == (3, 1, 2, 1)
    assert (rows[2024]["precision"], rows[2024]["recall"]) == (1.0, 0.5)
    # 2025: P1 forecast to miss but met (40 h by September); T1 forecast fine but ended at 50 h of 72
    assert (rows[2025]["forecast_miss"], rows[2025]["missed"], rows[2025]["hits"]) == (3, 3, 2)
    assert rows[2025]["precision"] == pytest.approx(2 / 3) and rows[2025]["recall"] == pytest.approx(2 / 3)
