"""Place gaps against planned places, and the rolling-origin backtest with its baselines."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from edubrain.analytics.forecast import (
    EnrollmentHistory,
    ForecastError,
    ForecastSettings,
    backtest_forecasts,
    forecast_places,
    gap_summary,
    mape_by_horizon,
    mape_overview,
    nces_mape_table,
    place_gaps,
)
from tests.analytics.forecast_cases import constructed_history

SETTINGS = ForecastSettings(simulations=100)


def test_forecast_place_gap_is_demand_minus_places_and_the_opening_year_is_the_first_shortage() -> None:
    history = constructed_history(districts=2, years=8)
    base = forecast_places(history, 6, SETTINGS)[0]
    primary = base.point[0, :, :6].sum(axis=1)
    places = int(np.sort(primary)[2])  # demand exceeds it in some years, not in others
    capacity = pl.DataFrame(
        {
            "district_code": ["110100", "110100", "110101"],
            "stage": ["primary", "junior", "primary"],
            "places": [places, 10**9, 0],
        }
    )
    gaps = place_gaps(base, capacity)
    rows = gaps.filter((pl.col("district_code") == "110100") & (pl.col("stage") == "primary")).sort("school_year")
    assert rows["place_gap"].to_numpy() == pytest.approx(primary - places)
    first = int(base.school_years[np.flatnonzero(primary > places)[0]])
    assert rows["gap_opens_year"].unique().to_list() == [first]
    junior = gaps.filter((pl.col("district_code") == "110100") & (pl.col("stage") == "junior"))
    assert junior["gap_opens_year"].is_null().all() and (junior["gap_probability"] == 0).all()
    other = gaps.filter((pl.col("district_code") == "110101") & (pl.col("stage") == "primary"))
    assert (other["gap_probability"] == 1).all()  # no planned places at all
    city = gaps.filter((pl.col("district_code") == "110000") & (pl.col("stage") == "primary"))
    assert city["planned_places"].unique().to_list() == [places]
    summary = gap_summary(gaps)
    assert summary.height == 3 * 3
    assert (
        summary.filter((pl.col("district_code") == "110100") & (pl.col("stage") == "primary"))["gap_opens_year"][0]
        == first
    )


def test_forecast_backtest_of_an_exact_cohort_history_has_no_cohort_error() -> None:
    history = constructed_history(districts=2, years=10)
    forecasts = backtest_forecasts(history, SETTINGS, horizons=5, min_years=3)
    mape = mape_by_horizon(forecasts)
    cohort = mape.filter(pl.col("method") == "cohort")
    assert cohort["mape"].max() < 1e-6
    assert mape.filter(pl.col("method") != "cohort")["mape"].min() > 0.01
    # origins 2018 … 2024: horizon h has 8 - h of them (each district, and the city)
    n = mape.filter((pl.col("district_code") == "110100") & (pl.col("stage") == "primary")).sort("horizon")
    assert n.filter(pl.col("method") == "cohort")["n"].to_list() == [7, 6, 5, 4, 3]
    assert set(mape["district_code"]) == {"110100", "110101", "110000"}


def test_forecast_backtest_last_value_and_trend_baselines_are_what_they_say() -> None:
    years = np.arange(2016, 2026)
    counts = np.zeros((1, len(years), 12))
    counts[0, :, 0] = 100 + 10 * (years - 2016)  # grade 1 only: a straight line
    history = EnrollmentHistory(("110108",), years, counts, np.arange(2005, 2025), np.full((1, 20), 100.0))
    forecasts = backtest_forecasts(history, SETTINGS, horizons=2, min_years=3)
    at = forecasts.filter(
        (pl.col("district_code") == "110108") & (pl.col("stage") == "primary") & (pl.col("origin") == 2020)
    )
    by = {(r["method"], r["horizon"]): r["forecast"] for r in at.iter_rows(named=True)}
    assert by[("last_value", 1)] == pytest.approx(140) and by[("last_value", 2)] == pytest.approx(140)
    assert by[("linear_trend", 1)] == pytest.approx(150) and by[("linear_trend", 2)] == pytest.approx(160)
    mape = mape_by_horizon(forecasts)
    trend = mape.filter((pl.col("method") == "linear_trend") & (pl.col("district_code") == "110108"))
    assert trend["mape"].max() < 1e-9
    overview = mape_overview(mape)
    assert set(overview.columns) >= {"city_mape", "district_median_mape", "district_coverage_80"}


def test_forecast_backtest_needs_enough_years() -> None:
    with pytest.raises(ForecastError, match="backtest needs"):
        backtest_forecasts(constructed_history(districts=1, years=3), SETTINGS, min_years=3)


def test_forecast_nces_reference_is_labelled_with_its_source() -> None:
    table = nces_mape_table()
    assert table.filter(pl.col("series") == "United States, public preK-12")["mape"].to_list() == [
        0.3,
        0.6,
        0.8,
        1.1,
        1.3,
    ]
    assert table["source"].str.contains("Projections of Education Statistics").all()
