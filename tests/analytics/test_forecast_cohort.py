"""Cohort-survival forecast on constructed histories whose true ratios are known."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from edubrain.analytics.forecast import (
    EnrollmentHistory,
    ForecastError,
    ForecastSettings,
    estimate_ratios,
    forecast_places,
    observed_ratios,
)
from tests.analytics.forecast_cases import TRUE_RATIOS, constructed_history


def test_forecast_estimated_ratios_equal_the_true_ones() -> None:
    history = constructed_history(districts=3, years=8)
    ratios = estimate_ratios(observed_ratios(history, ForecastSettings()), ForecastSettings())
    for d in range(3):
        assert ratios[d] == pytest.approx(TRUE_RATIOS * (1 + 0.05 * d), rel=1e-9)


def test_forecast_continues_the_true_cohort_path() -> None:
    full = constructed_history(districts=2, years=12)
    past = full.until(2023)
    base = forecast_places(past, 2, ForecastSettings(simulations=50))[0]
    assert base.point[:, 0, :] == pytest.approx(full.counts[:, -2, :], rel=1e-9)
    assert base.point[:, 1, :] == pytest.approx(full.counts[:, -1, :], rel=1e-9)


def test_forecast_intake_follows_births_six_and_seven_years_earlier() -> None:
    history = constructed_history(districts=1, years=8)
    base = forecast_places(history, 3, ForecastSettings(simulations=20))[0]
    births = dict(zip(history.birth_years.tolist(), history.births[0].tolist(), strict=True))
    for h, year in enumerate(base.school_years.tolist()):
        cohort = 2 / 3 * births[year - 6] + 1 / 3 * births[year - 7]
        assert base.point[0, h, 0] == pytest.approx(TRUE_RATIOS[0] * cohort)


@pytest.mark.parametrize("horizon", [1, 4, 10])
def test_forecast_horizon_yields_that_many_rows_per_district_and_stage(horizon: int) -> None:
    history = constructed_history(districts=2, years=8)
    table = forecast_places(history, horizon, ForecastSettings(simulations=20))[0].stage_table()
    counts = table.group_by(["district_code", "stage"]).len()
    assert counts.height == 3 * 3  # two districts and the city, three stages
    assert counts.get_column("len").to_list() == [horizon] * 9
    assert (table["lower_95"] <= table["lower_80"]).all() and (table["lower_80"] <= table["demand"]).all()
    assert (table["demand"] <= table["upper_80"]).all() and (table["upper_80"] <= table["upper_95"]).all()


def test_forecast_weighted_ratio_favours_recent_years() -> None:
    history = constructed_history(districts=1, years=8)
    counts = history.counts.copy()
    counts[0, -1, 1] = counts[0, -2, 0] * 0.90  # last year's grade 1 -> 2 progression falls from 0.99 to 0.90
    changed = EnrollmentHistory(history.districts, history.years, counts, history.birth_years, history.births)
    settings = ForecastSettings(window=3, decay=0.5)
    p = estimate_ratios(observed_ratios(changed, settings), settings)[0, 1]
    n = counts[0, -3:, 1]
    d = counts[0, -4:-1, 0]
    w = np.array([0.25, 0.5, 1.0])
    assert p == pytest.approx((w * n).sum() / (w * d).sum())
    assert 0.90 < p < 0.99


def test_forecast_without_births_for_the_enrollment_years_is_refused() -> None:
    enrollment = pl.DataFrame(
        {"district_code": ["110108"] * 2, "school_year": [2024, 2025], "grade": [1, 1], "students": [10, 11]}
    )
    births = pl.DataFrame({"district_code": ["110108"], "year": [2000], "births": [100]})
    with pytest.raises(ForecastError, match="births"):
        forecast_places(EnrollmentHistory.from_tables(enrollment, births), 3)


@pytest.mark.parametrize("horizon", [1, 3])
def test_forecast_interval_coverage_is_near_nominal_on_simulated_histories(horizon: int) -> None:
    """Ratios drawn around fixed true values each year: the 80% and 95% intervals hold about that share."""
    inside80, inside95, total = 0, 0, 0
    for seed in range(5):
        full = constructed_history(districts=40, years=14, noise=0.03, seed=seed)
        base = forecast_places(full.until(2025 - horizon), horizon, ForecastSettings(simulations=800, seed=seed))[0]
        table = base.stage_table(city=False).filter(pl.col("horizon") == horizon)
        for stage, (first, last) in {"primary": (1, 6), "junior": (7, 9), "senior": (10, 12)}.items():
            rows = table.filter(pl.col("stage") == stage).sort("district_code")
            actual = full.counts[:, -1, first - 1 : last].sum(axis=1)
            inside80 += int(((actual >= rows["lower_80"].to_numpy()) & (actual <= rows["upper_80"].to_numpy())).sum())
            inside95 += int(((actual >= rows["lower_95"].to_numpy()) & (actual <= rows["upper_95"].to_numpy())).sum())
            total += len(actual)
    assert 0.72 <= inside80 / total <= 0.88, inside80 / total
    assert 0.90 <= inside95 / total <= 0.99, inside95 / total
