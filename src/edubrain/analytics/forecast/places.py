"""The place-demand forecast of every district and stage, with intervals, and its tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.forecast.cohort import ForecastSettings
from edubrain.analytics.forecast.history import EnrollmentHistory
from edubrain.analytics.forecast.scenario import Scenario
from edubrain.analytics.forecast.simulate import draw_shocks, point_forecast, projection_basis, simulate
from edubrain.analytics.forecast.stages import STAGES, Stage, stage_slice

CITY = "110000"
BASE = "base"
QUANTILES = {"lower_80": 0.10, "upper_80": 0.90, "lower_95": 0.025, "upper_95": 0.975}
"""Interval bounds kept with every figure: the central 80% and 95% of the simulated paths."""


@dataclass(frozen=True)
class PlaceForecast:
    """A forecast of pupils by district, school year and grade, with simulated paths.

    Attributes:
        scenario: ``base`` or the scenario's name.
        districts: District codes (first axis of the arrays).
        origin: The last observed school year.
        school_years: Projected school years.
        ratios: The ratio path used, shape (districts, horizon, 12).
        point: Point forecast, shape (districts, horizon, 12).
        sims: Simulated paths, shape (simulations, districts, horizon, 12).
    """

    scenario: str
    districts: tuple[str, ...]
    origin: int
    school_years: np.ndarray
    ratios: np.ndarray
    point: np.ndarray
    sims: np.ndarray

    def stage_arrays(self, stage: Stage, city: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Point (districts, horizon) and simulated (simulations, districts, horizon) pupils of a stage.

        With ``city``, one row: the sum over districts.
        """
        point = self.point[:, :, stage_slice(stage)].sum(axis=2)
        sims = self.sims[:, :, :, stage_slice(stage)].sum(axis=3)
        if city:
            return point.sum(axis=0, keepdims=True), sims.sum(axis=1, keepdims=True)
        return point, sims

    def stage_table(self, city: bool = True) -> pl.DataFrame:
        """One row per district (and the city, ``110000``), stage and school year.

        Columns: scenario, district_code, stage, school_year, horizon, demand, lower_80, upper_80,
        lower_95, upper_95 (pupils).
        """
        frames = []
        for stage in STAGES:
            for whole in (False, True) if city else (False,):
                point, sims = self.stage_arrays(stage, whole)
                codes = (CITY,) if whole else self.districts
                frames.append(self._long(codes, stage, point, sims))
        return pl.concat(frames)

    def grade_table(self) -> pl.DataFrame:
        """One row per district, school year and grade (1–12): demand and 80% interval."""
        d, h, g = self.point.shape
        low, high = np.quantile(self.sims, [0.10, 0.90], axis=0)
        return pl.DataFrame(
            {
                "scenario": [self.scenario] * (d * h * g),
                "district_code": np.repeat(np.array(self.districts), h * g).tolist(),
                "school_year": np.tile(np.repeat(self.school_years, g), d).tolist(),
                "grade": np.tile(np.arange(1, g + 1), d * h).tolist(),
                "demand": self.point.ravel(),
                "lower_80": low.ravel(),
                "upper_80": high.ravel(),
            }
        )

    def _long(self, codes: tuple[str, ...], stage: Stage, point: np.ndarray, sims: np.ndarray) -> pl.DataFrame:
        d, h = point.shape
        bounds = np.quantile(sims, list(QUANTILES.values()), axis=0)
        return pl.DataFrame(
            {
                "scenario": [self.scenario] * (d * h),
                "district_code": np.repeat(np.array(codes), h).tolist(),
                "stage": [stage] * (d * h),
                "school_year": np.tile(self.school_years, d).astype(np.int64),
                "horizon": np.tile(self.school_years - self.origin, d).astype(np.int64),
                "demand": point.ravel(),
                **{
                    name: np.minimum(bounds[i].ravel(), point.ravel())
                    if name.startswith("lower")
                    else np.maximum(bounds[i].ravel(), point.ravel())
                    for i, name in enumerate(QUANTILES)
                },
            }
        )


def forecast_places(
    history: EnrollmentHistory,
    horizon: int = 10,
    settings: ForecastSettings | None = None,
    scenarios: Sequence[Scenario] = (),
) -> list[PlaceForecast]:
    """Forecast pupils ``horizon`` school years beyond the history, base first, then each scenario.

    Cohort-survival method (see :mod:`edubrain.analytics.forecast.cohort`), intervals by the
    multiplier bootstrap (:mod:`edubrain.analytics.forecast.simulate`); scenarios share the
    base forecast's random draws.

    Args:
        history: Observed pupils and births.
        horizon: School years to forecast, 1–30.
        settings: Method parameters (defaults documented in docs/forecast.md).
        scenarios: What-if scenarios to forecast beside the base.
    """
    settings = settings or ForecastSettings()
    basis = projection_basis(history, horizon, settings)
    shocks = draw_shocks(history, basis, settings)
    out = []
    for name, chosen in [(BASE, basis), *((s.name, s.apply(basis)) for s in scenarios)]:
        out.append(
            PlaceForecast(
                name,
                basis.districts,
                basis.origin,
                basis.school_years,
                chosen.ratios,
                point_forecast(chosen, settings),
                simulate(chosen, shocks, settings),
            )
        )
    return out


def compare_scenarios(base: pl.DataFrame, other: pl.DataFrame) -> pl.DataFrame:
    """A scenario's stage table beside the base one: demand of each, the difference and the change in %."""
    keys = ["district_code", "stage", "school_year"]
    joined = base.select([*keys, pl.col("demand").alias("base_demand")]).join(
        other.select([*keys, pl.col("scenario"), pl.col("demand").alias("scenario_demand")]), on=keys
    )
    return joined.with_columns(
        (pl.col("scenario_demand") - pl.col("base_demand")).alias("difference"),
        ((pl.col("scenario_demand") / pl.col("base_demand") - 1) * 100).alias("change_pct"),
    ).sort(keys)
