"""The rolling-origin backtest uses every year that can be an origin, and says how many each horizon rests on."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.analytics.forecast import ForecastSettings, backtest_forecasts, mape_by_horizon
from edubrain.analytics.forecast.backtest import MIN_ORIGINS, history_years_needed, origin_years
from tests.analytics.forecast_cases import constructed_history

SETTINGS = ForecastSettings(simulations=20)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=4, max_value=13), st.integers(min_value=1, max_value=6))
def test_forecast_backtest_horizon_h_of_a_history_of_n_years_has_n_minus_h_minus_2_origins(
    years: int, horizon: int
) -> None:
    history = constructed_history(districts=1, years=years)
    origins = origin_years(history.years)
    assert origins == list(range(int(history.years[0]) + 2, 2025))  # every year with 3 years of history
    mape = mape_by_horizon(backtest_forecasts(history, SETTINGS, horizons=horizon))
    cohort = mape.filter((pl.col("method") == "cohort") & (pl.col("district_code") == "110000"))
    expected = {h: years - h - 2 for h in range(1, horizon + 1) if years - h - 2 > 0}
    assert dict(zip(cohort["horizon"], cohort["origins"], strict=True)) == expected
    assert dict(zip(cohort["horizon"], cohort["n"], strict=True)) == expected  # one forecast per origin


def test_forecast_backtest_history_years_needed_gives_exactly_the_minimum_origins() -> None:
    for horizon in range(1, 8):
        needed = history_years_needed(horizon)
        history = constructed_history(districts=1, years=needed)
        later = [o for o in origin_years(history.years) if o + horizon <= int(history.years[-1])]
        assert len(later) == MIN_ORIGINS
    assert history_years_needed(1) == 8 and history_years_needed(5) == 12
