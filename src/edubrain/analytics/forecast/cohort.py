"""Cohort-survival projection: intake from births, grade progression ratios, stage transition rates.

The method is the grade progression ratio (cohort survival) method that
education statistics offices use for enrollment projections (NCES,
*Projections of Education Statistics*, appendix A "grade progression rate
method"; here with a weighted ratio of sums over recent years instead of
exponential smoothing):

- intake into grade 1 in school year *s*: ``E(1, s) = r · B*(s)``, where
  ``B*(s) = Σ_l w_l · B(s - l)`` are the births of the school-age cohort
  (default ⅔ of births six years earlier and ⅓ seven years earlier, for
  entry at age six with the 31 August cut-off) and *r* is the district's
  birth-to-enrollment ratio (migration, schooling outside the district);
- progression ``E(g+1, s) = p_g · E(g, s-1)`` for g = 1…11; *p_6* and *p_9*
  are the junior and senior transition rates (graduates of the stage below
  who enter the next stage in the district).

Each ratio is ``Σ_t ω_t N_t / Σ_t ω_t D_t`` over the last ``window`` school
years, with weights ``ω_t = decay^(T - t)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from edubrain.analytics.forecast.errors import ForecastError
from edubrain.analytics.forecast.history import EnrollmentHistory
from edubrain.analytics.forecast.stages import N_GRADES


@dataclass(frozen=True)
class ForecastSettings:
    """Parameters of the cohort-survival forecast.

    Attributes:
        window: School years of observed ratios averaged (≥ 1).
        decay: Weight of a ratio one year older than the next (0 < decay ≤ 1).
        birth_lags: (years before the school year, share) pairs making up the school-age cohort.
        births_hold_years: Births after the last known year are held at the mean of this many last known years.
        simulations: Bootstrap paths for the prediction intervals.
        residual_years: Most recent years of observed ratios whose deviations the bootstrap resamples.
        seed: Random seed of the bootstrap (results are reproducible).
    """

    window: int = 4
    decay: float = 0.7
    birth_lags: tuple[tuple[int, float], ...] = ((6, 2 / 3), (7, 1 / 3))
    births_hold_years: int = 3
    simulations: int = 1000
    residual_years: int = 8
    seed: int = 20250901

    def __post_init__(self) -> None:
        if self.window < 1 or not 0 < self.decay <= 1 or self.simulations < 1 or self.residual_years < 1:
            raise ForecastError(
                "预测参数无效：window ≥ 1，0 < decay ≤ 1，simulations ≥ 1",
                "invalid forecast settings: window >= 1, 0 < decay <= 1, simulations >= 1",
            )
        if not self.birth_lags or abs(sum(w for _, w in self.birth_lags) - 1) > 1e-9:
            raise ForecastError("出生队列权重之和须为 1", "birth cohort shares must sum to 1")


@dataclass(frozen=True)
class ObservedRatios:
    """Numerators and denominators of every ratio in every observed school year.

    Attributes:
        years: School years (the history's).
        num: Shape (districts, years, 12): pupils in grade k+1 in year t.
        den: Same shape: effective births (k = 0) or pupils in grade k one year before; NaN where unknown.
    """

    years: np.ndarray
    num: np.ndarray
    den: np.ndarray

    @property
    def ratios(self) -> np.ndarray:
        """The observed ratios ``num / den`` (NaN where undefined)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            out = self.num / self.den
        return np.where(self.den > 0, out, np.nan)


def cohort_births(
    birth_years: np.ndarray, births: np.ndarray, school_years: np.ndarray, settings: ForecastSettings
) -> np.ndarray:
    """Births of the cohort entering grade 1 in each school year, shape (..., districts, len(school_years)).

    Args:
        birth_years: Calendar years of ``births`` (consecutive).
        births: Births, shape (..., districts, len(birth_years)); NaN where unknown.
        school_years: School years wanted.
        settings: The cohort's birth lags and shares.
    """
    out = np.zeros((*births.shape[:-1], len(school_years)))
    for lag, share in settings.birth_lags:
        pos = school_years - lag - (birth_years[0] if len(birth_years) else 0)
        inside = (pos >= 0) & (pos < len(birth_years))
        part = np.full(out.shape, np.nan)
        part[..., inside] = births[..., pos[inside]]
        out = out + share * part
    return out


def observed_ratios(history: EnrollmentHistory, settings: ForecastSettings) -> ObservedRatios:
    """Every intake and progression ratio the history shows."""
    num = history.counts.copy()
    den = np.full_like(num, np.nan)
    den[:, :, 0] = cohort_births(history.birth_years, history.births, history.years, settings)
    den[:, 1:, 1:] = history.counts[:, :-1, :-1]
    return ObservedRatios(history.years, num, den)


def recent_weights(n_years: int, settings: ForecastSettings) -> np.ndarray:
    """Weights of the last ``window`` of ``n_years`` ratio years (0 for older ones), oldest first."""
    age = np.arange(n_years)[::-1]
    return np.where(age < settings.window, settings.decay**age, 0.0)


def estimate_ratios(observed: ObservedRatios, settings: ForecastSettings) -> np.ndarray:
    """The weighted ratio of each district and grade, shape (districts, 12).

    Where a district has no usable denominator in the window (a stage it
    does not offer yet), the ratio of all districts together is used; where
    even that is undefined, the ratio is 0.

    Raises:
        ForecastError: no intake ratio can be computed (births do not cover the enrollment years).
    """
    valid = np.isfinite(observed.num) & np.isfinite(observed.den)
    w = recent_weights(len(observed.years), settings)[None, :, None] * valid
    num = np.where(valid, observed.num, 0.0) * w
    den = np.where(valid, observed.den, 0.0) * w
    city_num, city_den = num.sum(axis=(0, 1)), den.sum(axis=(0, 1))
    if city_den[0] <= 0:
        raise ForecastError(
            "出生人口数据未覆盖在校生历史年份，无法估计入学率（需要各区学年前 6–7 年的出生数）",
            "births do not cover the enrollment years, so no intake ratio can be estimated "
            "(births 6-7 years before each school year are needed)",
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        own = num.sum(axis=1) / den.sum(axis=1)
        city = np.where(city_den > 0, city_num / city_den, 0.0)
    return np.where(den.sum(axis=1) > 0, own, city[None, :])


def project(start: np.ndarray, ratios: np.ndarray, entrants: np.ndarray) -> np.ndarray:
    """Roll the grades forward year by year.

    Args:
        start: Pupils by grade in the origin year, shape (..., districts, 12).
        ratios: Ratio path, shape (..., districts, horizon, 12): position 0 the intake ratio, k the ratio into grade k+1.
        entrants: Cohort births per projected year, shape (..., districts, horizon).

    Returns:
        Pupils by grade, shape (..., districts, horizon, 12).
    """
    horizon = ratios.shape[-2]
    out = np.empty(np.broadcast_shapes(ratios.shape, (*start.shape[:-1], horizon, N_GRADES)))
    previous = np.broadcast_to(start, out[..., 0, :].shape)
    for h in range(horizon):
        out[..., h, 0] = ratios[..., h, 0] * entrants[..., h]
        out[..., h, 1:] = ratios[..., h, 1:] * previous[..., :-1]
        previous = out[..., h, :]
    return out
