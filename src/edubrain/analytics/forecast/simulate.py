"""The forecast with prediction intervals, by a multiplier bootstrap of the observed ratios' deviations.

Interval method (documented in docs/forecast.md):

1. For each district d, ratio k and recent year t (the last
   ``residual_years``), the relative deviation ``r_t = (N_t / D_t) / p̂ − mean``
   of the observed ratio from the estimate, centred over the years.
2. Each simulated future year gets one standard normal multiplier ``g_t`` per
   past year (a Gaussian multiplier bootstrap over years); the ratio is
   ``p̂ · (1 + u · (Σ_t g_t r_t + c · Σ_t g'_t r_t) / sqrt(n − 1))``. The
   yearly shocks (``g``, new each year) have exactly the sample covariance of
   the past deviations, across grades and districts (shocks common to grades
   and districts are kept); the second term (``g'``, drawn once per path and
   kept over the horizon, ``c = sqrt(Σω²/(Σω)²)``) is the error of the
   estimate ``p̂`` itself, which persists from year to year; ``u`` (one
   ``sqrt((n−1)/χ²_{n−1})`` draw per path, district and ratio) makes the
   shocks Student-t, because their spread is itself estimated from ``n`` years.
3. Births after the last known year follow the held level times a random
   walk whose yearly log changes are drawn from the district's past ones
   (centred), so the intervals widen once intake depends on unborn cohorts.
4. The interval is the quantiles of the simulated paths; the point forecast
   is the path with the estimated ratios and held births.

Base and scenario forecasts use the same draws, so their difference is the
scenario's effect alone. Every draw comes from its own random stream, keyed by
the seed, the kind of draw and the projected year (or birth year): a forecast
of 3 years and one of 10 years share their first 3 years exactly, point and
intervals, because the longer one only adds streams for its later years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from edubrain.analytics.forecast.cohort import (
    ForecastSettings,
    ObservedRatios,
    cohort_births,
    estimate_ratios,
    observed_ratios,
    project,
    recent_weights,
)
from edubrain.analytics.forecast.errors import ForecastError
from edubrain.analytics.forecast.history import EnrollmentHistory


@dataclass(frozen=True)
class ProjectionBasis:
    """Everything a projection from one origin year needs (a scenario edits a copy).

    Attributes:
        districts: District codes.
        origin: The last observed school year.
        school_years: The projected school years, origin + 1 …
        start: Pupils by grade in the origin year, shape (districts, 12).
        ratios: Ratio path, shape (districts, horizon, 12).
        birth_years: Calendar years of ``births``.
        births: Known births, then the held level, shape (districts, birth years).
        births_known: Which entries of ``births`` were observed.
    """

    districts: tuple[str, ...]
    origin: int
    school_years: np.ndarray
    start: np.ndarray
    ratios: np.ndarray
    birth_years: np.ndarray
    births: np.ndarray
    births_known: np.ndarray

    def entrants(self, births: np.ndarray | None, settings: ForecastSettings) -> np.ndarray:
        """Cohort births of each projected year, shape (..., districts, horizon)."""
        return cohort_births(self.birth_years, self.births if births is None else births, self.school_years, settings)


def projection_basis(history: EnrollmentHistory, horizon: int, settings: ForecastSettings) -> ProjectionBasis:
    """The basis of a forecast ``horizon`` years beyond the history's last year.

    Raises:
        ForecastError: the horizon is not 1–30, a district reported nothing in the last year,
            or births are missing where the cohorts need them.
    """
    if not 1 <= horizon <= 30:
        raise ForecastError(f"预测年数须为 1–30，收到 {horizon}", f"the horizon must be 1-30, got {horizon}")
    origin = int(history.years[-1])
    start = history.counts[:, -1, :]
    if np.isnan(start).any():
        missing = [d for d, row in zip(history.districts, start, strict=True) if np.isnan(row).any()]
        raise ForecastError(
            f"以下区在 {origin} 学年没有在校生数据：{missing}",
            f"these districts have no enrollment in school year {origin}: {missing}",
        )
    ratios = estimate_ratios(observed_ratios(history, settings), settings)
    school_years = np.arange(origin + 1, origin + horizon + 1)
    birth_years, births, known = _held_births(history, int(school_years[-1]), settings)
    basis = ProjectionBasis(
        history.districts,
        origin,
        school_years,
        start,
        np.repeat(ratios[:, None, :], horizon, axis=1),
        birth_years,
        births,
        known,
    )
    lacking = [d for d, row in zip(basis.districts, basis.entrants(None, settings), strict=True) if np.isnan(row).any()]
    if lacking:
        raise ForecastError(
            f"出生人口数据不足：以下区缺少预测年份所需的出生数 {lacking}",
            f"births are missing for birth years the projected school years need, in districts {lacking}",
        )
    return basis


def _held_births(
    history: EnrollmentHistory, last_school_year: int, settings: ForecastSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Known births extended to the birth years the projection needs, held at the recent mean."""
    if len(history.birth_years) == 0:
        raise ForecastError("没有出生人口数据", "there are no births")
    first = int(history.birth_years[0])
    last_needed = last_school_year - min(lag for lag, _ in settings.birth_lags)
    years = np.arange(first, max(last_needed, int(history.birth_years[-1])) + 1)
    births = history.births_for(years)
    known = np.isfinite(births)
    for d in range(births.shape[0]):
        seen = np.flatnonzero(known[d])
        if len(seen) == 0:
            continue
        level = births[d, seen[-settings.births_hold_years :]].mean()
        births[d, seen[-1] + 1 :] = level
    return years, births, known


@dataclass(frozen=True)
class Shocks:
    """Random draws shared by a base forecast and its scenarios.

    Attributes:
        ratio_factors: Multipliers of the ratio path, shape (simulations, districts, horizon, 12).
        birth_factors: Multipliers of the births path, shape (simulations, districts, birth years).
    """

    ratio_factors: np.ndarray
    birth_factors: np.ndarray


_SPREAD, _ESTIMATE, _YEARLY, _BIRTHS = range(4)
"""Kinds of draw, each its own family of random streams."""


def _stream(settings: ForecastSettings, kind: int, *key: int) -> np.random.Generator:
    """The random stream of one kind of draw (and one year): the same whatever else is drawn."""
    return np.random.default_rng(np.random.SeedSequence(settings.seed, spawn_key=(kind, *key)))


def draw_shocks(history: EnrollmentHistory, basis: ProjectionBasis, settings: ForecastSettings) -> Shocks:
    """Draw the bootstrap's ratio deviations and births paths (see the module docstring).

    The draws of a projected year do not depend on the horizon: each year has its own stream.
    """
    observed = observed_ratios(history, settings)
    residuals, n = _residuals(observed, estimate_ratios(observed, settings), settings)
    s, h = settings.simulations, basis.ratios.shape[1]
    years = residuals.shape[1]
    w = recent_weights(len(observed.years), settings)
    per_cell = np.where(n > 1, 1.0 / np.sqrt(np.maximum(n - 1, 1)), 0.0)[None, :, None, :]
    # the spread itself is estimated from n years: one chi-square draw per path and cell makes the shocks Student-t
    df = np.maximum(n - 1, 1).astype(float)
    spread = np.sqrt(df / _stream(settings, _SPREAD).chisquare(df, size=(s, *df.shape)))[:, :, None, :]
    multipliers = np.stack([_stream(settings, _YEARLY, step).standard_normal((s, years)) for step in range(h)], axis=1)
    yearly = np.einsum("shr,drk->sdhk", multipliers, residuals)
    own = _stream(settings, _ESTIMATE).standard_normal((s, years))
    estimate = np.einsum("sr,drk->sdk", own, residuals)[:, :, None, :]
    shocks = spread * per_cell * (yearly + np.sqrt(np.sum(w**2) / np.sum(w) ** 2) * estimate)
    return Shocks(np.clip(1.0 + shocks, 0.0, None), _birth_factors(basis, settings))


def _residuals(
    observed: ObservedRatios, estimate: np.ndarray, settings: ForecastSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Centred relative deviations of the recent ratios and how many years define them.

    Returns:
        Deviations, shape (districts, years, 12), 0 where undefined; and the number of years
        defined per district and ratio, shape (districts, 12).
    """
    ratios = observed.ratios[:, -settings.residual_years :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = ratios / estimate[:, None, :]
    defined = np.isfinite(relative)
    n = defined.sum(axis=1)
    mean = np.where(defined, relative, 0.0).sum(axis=1) / np.maximum(n, 1)
    return np.where(defined, relative - mean[:, None, :], 0.0), n


def _birth_factors(basis: ProjectionBasis, settings: ForecastSettings) -> np.ndarray:
    """Random-walk multipliers of the held births (1 where births are known); one stream per birth year."""
    simulations = settings.simulations
    d, b = basis.births.shape
    factors = np.ones((simulations, d, b))
    unknown = ~basis.births_known
    if not unknown.any():
        return factors
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.diff(np.log(np.where(basis.births_known, basis.births, np.nan)), axis=1)
    usable = np.isfinite(steps).all(axis=0)
    if not usable.any():
        return factors
    pool = steps[:, usable] - steps[:, usable].mean(axis=1, keepdims=True)
    picks = [
        _stream(settings, _BIRTHS, int(year)).integers(0, pool.shape[1], size=simulations) for year in basis.birth_years
    ]
    draws = pool[:, np.stack(picks, axis=1)].transpose(1, 0, 2)
    walk = np.cumsum(np.where(unknown[None, :, :], draws, 0.0), axis=2)
    return np.asarray(np.exp(walk))


def simulate(basis: ProjectionBasis, shocks: Shocks, settings: ForecastSettings) -> np.ndarray:
    """Simulated pupils by grade, shape (simulations, districts, horizon, 12)."""
    births = basis.births[None, :, :] * shocks.birth_factors
    return project(basis.start, basis.ratios[None] * shocks.ratio_factors, basis.entrants(births, settings))


def point_forecast(basis: ProjectionBasis, settings: ForecastSettings) -> np.ndarray:
    """The point forecast by grade, shape (districts, horizon, 12)."""
    return project(basis.start, basis.ratios, basis.entrants(None, settings))
