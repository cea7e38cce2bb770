"""Usage-efficiency indicators on a hand-made example whose every value is worked out by hand (docs/facilities.md).

Two Haidian schools in September 2025 (1 September is a Monday, so the month touches five ISO weeks, each with
some usage): school A has 10 enrolled students, school B 20. Application ``x``: at A, pupil ``u1`` on 1 and 3
September (one week) and 10 September (a second week), 10 + 20 + 30 minutes, and ``u2`` on 15 September with no
minutes reported; at B, ``u3`` on 22 September, 60 minutes. Application ``y``: ``u1`` at A on 29 September, 5
minutes. The low-use threshold is 5 % (weekly active rate).
"""

from __future__ import annotations

import datetime as dt

import ibis
import polars as pl
import pytest

from edubrain.analytics.facilities import indicators_expr
from edubrain.analytics.facilities.efficiency import UsageThresholds, load_thresholds, parse_thresholds
from edubrain.errors import CatalogError

A, B = "1101080001", "1101080002"
U1, U2, U3 = "a" * 16, "b" * 16, "c" * 16
WEEKS = 5


def _tables() -> dict[str, ibis.Table]:
    def day(d: int) -> dt.date:
        return dt.date(2025, 9, d)

    usage = pl.DataFrame(
        {
            "app_id": ["x", "x", "x", "x", "x", "y"],
            "app_name": ["X", "X", "X", "X", "X", "Y"],
            "school_code": [A, A, A, A, B, A],
            "user_role": ["1"] * 6,
            "user_pseudonym": [U1, U1, U1, U2, U3, U1],
            "event_date": [day(1), day(3), day(10), day(15), day(22), day(29)],
            "event_type": ["1"] * 6,
            "event_count": [1] * 6,
            "duration_minutes": [10.0, 20.0, 30.0, None, 60.0, 5.0],
        }
    )
    students = pl.DataFrame({"school_code": [A] * 10 + [B] * 20, "school_year": [2025] * 30, "status": ["01"] * 30})
    months = pl.DataFrame(
        schema={
            "school_code": pl.String, "district_code": pl.String, "month": pl.Int64, "kind_group": pl.String,
            "device_kind": pl.String, "expected_days": pl.Int64, "online_days": pl.Int64,
            "reported_days": pl.Int64, "fault_days": pl.Int64, "energy_kwh": pl.Float64,
        }
    )  # fmt: skip
    surveys = pl.DataFrame(
        schema={
            "school_code": pl.String, "survey_id": pl.String, "response_id": pl.String,
            "respondent_role": pl.String, "app_id": pl.String, "app_name": pl.String, "item": pl.String,
            "score": pl.Int64, "response_date": pl.Date,
        }
    )  # fmt: skip
    frames = {
        "facility_device_months": months,
        "schools": pl.DataFrame({"school_code": [A, B], "district_code": ["110108", "110108"]}),
        "students": students,
        "teachers": pl.DataFrame({"school_code": [A, A, B]}),
        "app_usage_events": usage,
        "satisfaction_surveys": surveys,
    }
    return {name: ibis.memtable(frame) for name, frame in frames.items()}


@pytest.fixture(scope="module")
def rows() -> pl.DataFrame:
    return ibis.duckdb.connect().to_polars(indicators_expr(_tables(), low_use_below=0.05, min_active=2))


def _cell(
    rows: pl.DataFrame, org: str, indicator: str, app: str, category: str = "1"
) -> tuple[float | None, float | None, float | None]:
    keys = {"org_code": org, "indicator": indicator, "app_id": app, "category": category}
    found = rows.filter(**keys)
    assert found.height == 1, (keys, found)
    row = found.row(0, named=True)
    return row["value"], row["numerator"], row["denominator"]


def test_facilities_weekly_active_rate_counts_user_weeks_over_eligible_times_weeks(rows: pl.DataFrame) -> None:
    assert _cell(rows, A, "weekly_active_rate", "x") == (pytest.approx(3 / (10 * WEEKS)), 3.0, 10.0 * WEEKS)
    assert _cell(rows, B, "weekly_active_rate", "x") == (pytest.approx(1 / (20 * WEEKS)), 1.0, 20.0 * WEEKS)
    assert _cell(rows, "110108", "weekly_active_rate", "x") == (pytest.approx(4 / 150), 4.0, 150.0)
    assert _cell(rows, "110000", "weekly_active_rate", "x")[0] == pytest.approx(4 / 150)
    assert _cell(rows, A, "weekly_active_rate", "*") == (pytest.approx(4 / 50), 4.0, 50.0)  # u1 in 3 weeks, u2 in 1


def test_facilities_minutes_per_active_user_counts_only_users_who_reported_minutes(rows: pl.DataFrame) -> None:
    assert _cell(rows, A, "minutes_per_active_user", "x") == (60.0, 60.0, 1.0)  # u2 reported no minutes
    assert _cell(rows, "110108", "minutes_per_active_user", "x") == (60.0, 120.0, 2.0)
    assert _cell(rows, A, "minutes_per_active_user", "y") == (5.0, 5.0, 1.0)


def test_facilities_low_use_flags_rates_below_the_threshold(rows: pl.DataFrame) -> None:
    assert _cell(rows, A, "low_use", "x") == (0.0, pytest.approx(0.06), 0.05)
    assert _cell(rows, B, "low_use", "x") == (1.0, pytest.approx(0.01), 0.05)
    assert _cell(rows, "110000", "low_use", "x")[0] == 1.0
    assert _cell(rows, A, "low_use", "y")[0] == 1.0 and _cell(rows, A, "low_use", "*")[0] == 0.0


def test_facilities_reach_counts_schools_where_an_application_has_enough_users(rows: pl.DataFrame) -> None:
    # in use = at least 2 users: x at A (u1, u2) only; y (u1 at A) and x at B (u3) have one user each
    assert _cell(rows, A, "app_school_reach", "x", "*") == (1.0, 1.0, 1.0)
    assert _cell(rows, B, "app_school_reach", "x", "*") == (0.0, 0.0, 1.0)
    assert _cell(rows, B, "app_school_reach", "y", "*") == (0.0, 0.0, 1.0)  # B reported usage, never opened y
    assert _cell(rows, "110108", "app_school_reach", "x", "*") == (0.5, 1.0, 2.0)
    assert _cell(rows, "110000", "app_school_reach", "y", "*") == (0.0, 0.0, 2.0)
    assert _cell(rows, A, "apps_in_use_share", "*", "*") == (0.5, 1.0, 2.0)  # x of the two applications in service
    assert _cell(rows, B, "apps_in_use_share", "*", "*") == (0.0, 0.0, 2.0)
    assert _cell(rows, "110108", "apps_in_use_share", "*", "*") == (0.25, 1.0, 4.0)


def test_facilities_the_thresholds_are_data_and_a_bad_one_is_refused_in_both_languages() -> None:
    assert load_thresholds() == UsageThresholds(0.05, 10)
    users = "in_use: {min_active_users: 3}"
    assert parse_thresholds(f"low_use: {{weekly_active_rate_below: 0.1}}\n{users}") == UsageThresholds(0.1, 3)
    rates = ("{weekly_active_rate_below: 5}", "{}", "{weekly_active_rate_below: true}", "7")
    for text in (*(f"low_use: {r}\n{users}" for r in rates), "["):
        with pytest.raises(CatalogError) as error:
            parse_thresholds(text)
        assert "weekly_active_rate_below" in error.value.zh and "weekly_active_rate_below" in error.value.en
    for bad in ("", "in_use: {min_active_users: 0}", "in_use: {min_active_users: 2.5}", "in_use: 7"):
        with pytest.raises(CatalogError) as error:
            parse_thresholds(f"low_use: {{weekly_active_rate_below: 0.1}}\n{bad}")
        assert "min_active_users" in error.value.zh and "min_active_users" in error.value.en
