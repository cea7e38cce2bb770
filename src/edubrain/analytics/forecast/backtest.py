"""Rolling-origin backtest: how far off were forecasts made from each past year, by horizon.

For every origin year T with at least ``min_years`` years of history and a
later observed year, the history is cut at T (enrollment up to T, births up
to T − 1) and each method forecasts the stage totals of T + 1 … T + h. The
error of a forecast F of an observed total A is ``|F − A| / A``; the mean
absolute percentage error (MAPE) by horizon averages it over origins.

Methods: ``cohort`` (this module's forecast), ``last_value`` (the total of
year T carried forward) and ``linear_trend`` (least-squares line through
the totals of all years up to T). Rows for the city (``110000``) compare the
sums over districts.

Every year that can be an origin is one: an origin needs ``min_years`` (3)
school years of enrollment, because the bootstrap's spread of a progression
ratio needs at least two observed years of it. A history of H school years
therefore gives horizon h only ``H − h − 2`` origins; with fewer than
:data:`MIN_ORIGINS` an error or a coverage is a handful of cases, not a
measure (:func:`history_years_needed` says how long a history would do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import polars as pl

from edubrain.analytics.forecast.cohort import ForecastSettings
from edubrain.analytics.forecast.errors import ForecastError
from edubrain.analytics.forecast.history import EnrollmentHistory
from edubrain.analytics.forecast.places import CITY, forecast_places
from edubrain.analytics.forecast.stages import STAGES, stage_slice

METHODS = ("cohort", "last_value", "linear_trend")
MIN_YEARS = 3
"""School years of enrollment an origin needs by default (two years of every progression ratio)."""
MIN_ORIGINS = 5
"""Fewer origins than this per horizon make the backtest anecdotal: readers are warned."""


def origin_years(years: Sequence[int] | np.ndarray, min_years: int = MIN_YEARS) -> list[int]:
    """The origins of a rolling-origin backtest over these school years (consecutive, oldest first).

    Every year with ``min_years`` (at least 2) years of history up to it and a later observed year.
    """
    if len(years) == 0:
        return []
    first, last = int(years[0]), int(years[-1])
    return list(range(first + max(min_years, 2) - 1, last))


def history_years_needed(horizon: int, origins: int = MIN_ORIGINS, min_years: int = MIN_YEARS) -> int:
    """School years of history for ``origins`` backtest origins at ``horizon`` years ahead."""
    return horizon + origins + max(min_years, 2) - 1


def backtest_forecasts(
    history: EnrollmentHistory, settings: ForecastSettings | None = None, horizons: int = 5, min_years: int = MIN_YEARS
) -> pl.DataFrame:
    """Every backtest forecast with the value later observed.

    Args:
        history: The full observed history.
        settings: Cohort method parameters (the bootstrap uses at most 400 paths here).
        horizons: Largest horizon evaluated (years).
        min_years: Years of enrollment history an origin needs (at least 2).

    Returns:
        Columns district_code, stage, origin, horizon, school_year, method, forecast, actual,
        lower_80, upper_80 (the interval only for ``cohort``).

    Raises:
        ForecastError: the history is too short for one origin.
    """
    settings = replace(
        settings or ForecastSettings(), simulations=min((settings or ForecastSettings()).simulations, 400)
    )
    first, last = int(history.years[0]), int(history.years[-1])
    origins = origin_years(history.years, min_years)
    if not origins:
        raise ForecastError(
            f"历史只有 {last - first + 1} 个学年，回测至少需要 {max(min_years, 2) + 1} 个",
            f"the history has {last - first + 1} school years; a backtest needs at least {max(min_years, 2) + 1}",
        )
    frames = []
    for origin in origins:
        past = history.until(origin)
        h = min(horizons, last - origin)
        cohort = forecast_places(past, h, settings)[0].stage_table()
        frames.append(
            cohort.select(
                "district_code",
                "stage",
                pl.lit(origin).alias("origin"),
                "horizon",
                "school_year",
                pl.lit("cohort").alias("method"),
                pl.col("demand").alias("forecast"),
                "lower_80",
                "upper_80",
            )
        )
        frames.append(_baselines(past, h))
    forecasts = pl.concat(frames, how="diagonal_relaxed")
    return forecasts.join(_actuals(history), on=["district_code", "stage", "school_year"], how="inner")


def mape_by_horizon(forecasts: pl.DataFrame) -> pl.DataFrame:
    """MAPE (%) per district (and city), stage, horizon and method, with the cohort 80% coverage.

    Columns: district_code, stage, horizon, method, mape, n (forecasts averaged), origins (origin
    years they came from; fewer than :data:`MIN_ORIGINS` is anecdotal), coverage_80 (share of
    observed values inside the 80% interval; null for the baselines).
    """
    ape = (pl.col("forecast") - pl.col("actual")).abs() / pl.col("actual") * 100
    inside = (pl.col("actual") >= pl.col("lower_80")) & (pl.col("actual") <= pl.col("upper_80"))
    return (
        forecasts.filter(pl.col("actual") > 0)
        .group_by(["district_code", "stage", "horizon", "method"])
        .agg(
            ape.mean().alias("mape"),
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("origin").n_unique().cast(pl.Int64).alias("origins"),
            inside.cast(pl.Float64).mean().alias("coverage_80"),
        )
        .sort(["district_code", "stage", "horizon", "method"])
    )


def mape_overview(mape: pl.DataFrame) -> pl.DataFrame:
    """Per stage, horizon and method: the city total's MAPE and the median of the districts' MAPEs."""
    city = mape.filter(pl.col("district_code") == CITY).select(
        "stage", "horizon", "method", pl.col("mape").alias("city_mape"), pl.col("coverage_80").alias("city_coverage_80")
    )
    districts = (
        mape.filter(pl.col("district_code") != CITY)
        .group_by(["stage", "horizon", "method"])
        .agg(
            pl.col("mape").median().alias("district_median_mape"),
            pl.col("coverage_80").mean().alias("district_coverage_80"),
        )
    )
    return city.join(districts, on=["stage", "horizon", "method"], how="full", coalesce=True).sort(
        ["stage", "horizon", "method"]
    )


def _stage_totals(history: EnrollmentHistory) -> dict[str, np.ndarray]:
    """Pupils per stage, shape (districts + city, years)."""
    out: dict[str, np.ndarray] = {}
    for stage in STAGES:
        totals = history.counts[:, :, stage_slice(stage)].sum(axis=2)
        out[stage] = np.vstack([totals, totals.sum(axis=0, keepdims=True)])
    return out


def _actuals(history: EnrollmentHistory) -> pl.DataFrame:
    return history.stage_table(CITY).rename({"students": "actual"})


def _baselines(past: EnrollmentHistory, horizons: int) -> pl.DataFrame:
    """Last-value and linear-trend forecasts of every stage total from the end of ``past``."""
    codes = [*past.districts, CITY]
    origin = int(past.years[-1])
    steps = np.arange(1, horizons + 1)
    frames = []
    for stage, totals in _stage_totals(past).items():
        usable = np.isfinite(totals).all(axis=0)
        x, y = past.years[usable] - origin, totals[:, usable]
        slope, intercept = np.polyfit(x, y.T, 1) if len(x) >= 2 else (np.zeros(len(codes)), y[:, -1])
        methods = {
            "last_value": np.repeat(totals[:, -1:], horizons, axis=1),
            "linear_trend": np.maximum(intercept[:, None] + slope[:, None] * steps[None, :], 0.0),
        }
        for method, values in methods.items():
            frames.append(
                pl.DataFrame(
                    {
                        "district_code": np.repeat(codes, horizons).tolist(),
                        "stage": [stage] * (len(codes) * horizons),
                        "origin": [origin] * (len(codes) * horizons),
                        "horizon": np.tile(steps, len(codes)).astype(np.int64),
                        "school_year": np.tile(origin + steps, len(codes)).astype(np.int64),
                        "method": [method] * (len(codes) * horizons),
                        "forecast": values.ravel().astype(float),
                    }
                )
            )
    return pl.concat(frames)
