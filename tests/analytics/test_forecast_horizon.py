"""A forecast's common years do not depend on how far it reaches: the bootstrap draws per year, not per horizon."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.analytics.forecast import ForecastSettings, forecast_places, scenario_from_mapping
from tests.analytics.forecast_cases import constructed_history

HISTORY = constructed_history(districts=3, years=8, noise=0.03, seed=3)
"""Noisy ratios, so the intervals are wide and any change of draws shows."""

SETTINGS = ForecastSettings(simulations=60)
KEYS = ["scenario", "district_code", "stage", "school_year"]
FIGURES = ["demand", "lower_80", "upper_80", "lower_95", "upper_95"]


def _table(horizon: int, seed: int) -> pl.DataFrame:
    scenario = scenario_from_mapping(
        {"name": "fewer births", "changes": [{"kind": "births", "factor": 0.9, "from_year": 2024}]}
    )
    runs = forecast_places(HISTORY, horizon, ForecastSettings(simulations=60, seed=seed), [scenario])
    return pl.concat([run.stage_table() for run in runs]).sort(KEYS)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=29).flatmap(lambda h1: st.tuples(st.just(h1), st.integers(h1 + 1, 30))),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_forecast_first_years_point_and_interval_do_not_depend_on_the_horizon(
    horizons: tuple[int, int], seed: int
) -> None:
    """For h1 < h2 the first h1 school years of both forecasts are identical, point and every interval bound."""
    h1, h2 = horizons
    short, long = _table(h1, seed), _table(h2, seed)
    common = long.filter(pl.col("school_year") <= int(short["school_year"].max()))
    assert short.select(KEYS).equals(common.select(KEYS))
    for figure in FIGURES:
        np.testing.assert_array_equal(short[figure].to_numpy(), common[figure].to_numpy(), err_msg=figure)


def test_forecast_2026_interval_is_the_same_for_horizon_3_and_10() -> None:
    """The issue's example: ``forecast places --horizon 3`` and ``--horizon 10`` give one 2026 interval."""
    first = [
        forecast_places(HISTORY, h, SETTINGS)[0].stage_table().filter(pl.col("school_year") == 2026).sort(KEYS)
        for h in (3, 10)
    ]
    assert first[0].select(FIGURES).equals(first[1].select(FIGURES))
    assert (first[0]["upper_80"] > first[0]["lower_80"]).all()  # a real interval, not a degenerate one
