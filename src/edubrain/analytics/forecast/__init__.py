"""School-place demand forecasting (学位预测): cohort survival, intervals, capacity gaps, backtests, scenarios.

Pure functions over small aggregate tables (no I/O): the job
:mod:`edubrain.jobs.forecast` extracts the inputs from the lake and writes
the results. Typical use::

    history = EnrollmentHistory.from_tables(enrollment, births)
    base, low_births = forecast_places(history, 10, scenarios=[scenario])
    gaps = place_gaps(base, capacity)
    mape = mape_by_horizon(backtest_forecasts(history))
"""

from edubrain.analytics.forecast.backtest import backtest_forecasts, mape_by_horizon, mape_overview
from edubrain.analytics.forecast.capacity import gap_summary, place_gaps
from edubrain.analytics.forecast.cohort import ForecastSettings, estimate_ratios, observed_ratios
from edubrain.analytics.forecast.errors import ForecastError, ScenarioError
from edubrain.analytics.forecast.history import EnrollmentHistory
from edubrain.analytics.forecast.places import PlaceForecast, compare_scenarios, forecast_places
from edubrain.analytics.forecast.reference import nces_mape_table
from edubrain.analytics.forecast.scenario import Scenario, ScenarioChange, scenario_from_mapping, scenario_from_text
from edubrain.analytics.forecast.stages import STAGES, Stage, stage_of

__all__ = [
    "STAGES",
    "EnrollmentHistory",
    "ForecastError",
    "ForecastSettings",
    "PlaceForecast",
    "Scenario",
    "ScenarioChange",
    "ScenarioError",
    "Stage",
    "backtest_forecasts",
    "compare_scenarios",
    "estimate_ratios",
    "forecast_places",
    "gap_summary",
    "mape_by_horizon",
    "mape_overview",
    "nces_mape_table",
    "observed_ratios",
    "place_gaps",
    "scenario_from_mapping",
    "scenario_from_text",
    "stage_of",
]
