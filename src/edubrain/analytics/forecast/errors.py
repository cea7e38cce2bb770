"""Errors of the place forecast, in the platform's one hierarchy (zh/en message, details)."""

from __future__ import annotations

from edubrain.errors import EduBrainError


class ForecastError(EduBrainError):
    """A forecast cannot be made from the inputs given."""

    code = "forecast_error"


class ScenarioError(ForecastError):
    """A scenario file or mapping is malformed: the message names the file and the field."""

    code = "scenario_error"
