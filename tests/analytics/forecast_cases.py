"""Constructed histories for the forecast tests: counts made exactly from known ratios (plus optional noise)."""

from __future__ import annotations

import numpy as np

from edubrain.analytics.forecast import EnrollmentHistory

TRUE_RATIOS = np.array([0.85, 0.99, 1.0, 0.995, 1.0, 1.005, 0.90, 0.99, 1.0, 0.70, 0.99, 0.98])
"""Intake ratio, then progression into grades 2–12 (0.90 junior and 0.70 senior transition)."""


def constructed_history(
    districts: int = 2, years: int = 8, last_year: int = 2025, noise: float = 0.0, seed: int = 0
) -> EnrollmentHistory:
    """Pupils of ``years`` school years ending ``last_year``, made by cohort survival from known ratios.

    District ``d`` has ratios ``TRUE_RATIOS · (1 + 0.05 d)`` (capped at the entry ratios' use),
    births that rise then fall, and with ``noise`` each year's ratios are multiplied by
    ``exp(noise · N(0, 1))`` (independently per district, grade and year).
    """
    rng = np.random.default_rng(seed)
    school_years = np.arange(last_year - years + 1, last_year + 1)
    birth_years = np.arange(school_years[0] - 7, last_year)
    base = 1000 + 200 * np.sin((birth_years - birth_years[0]) / 3.0)
    births = np.vstack([base * (1 + 0.3 * d) for d in range(districts)])
    ratios = np.vstack([TRUE_RATIOS * (1 + 0.05 * d) for d in range(districts)])
    counts = np.zeros((districts, years, 12))
    counts[:, 0, :] = np.linspace(900, 700, 12)[None, :] * (1 + 0.3 * np.arange(districts))[:, None]
    for t in range(years):
        year = school_years[t]
        shock = np.exp(noise * rng.standard_normal((districts, 12)))
        cohort = 2 / 3 * births[:, year - 6 - birth_years[0]] + 1 / 3 * births[:, year - 7 - birth_years[0]]
        counts[:, t, 0] = ratios[:, 0] * shock[:, 0] * cohort
        if t > 0:
            counts[:, t, 1:] = ratios[:, 1:] * shock[:, 1:] * counts[:, t - 1, :-1]
    codes = tuple(f"1101{d:02d}" for d in range(districts))
    return EnrollmentHistory(codes, school_years, counts, birth_years, births)
