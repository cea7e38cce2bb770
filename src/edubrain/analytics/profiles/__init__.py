"""Student, teacher and school profiles (全息画像): indicator definitions and engine-neutral transforms.

Pure: tables in, tables out. ``definitions`` reads the indicator definitions
(``analytics/data/profile_indicators.yaml``); ``students``, ``teachers`` and
``schools`` build the three profile tables as Ibis expressions over the input
tables, so the same code runs on DuckDB and on Spark. See
``docs/profile-indicators.md``.
"""

from edubrain.analytics.profiles.definitions import (
    Evidence,
    IndicatorDef,
    ScoreParameters,
    Via,
    indicator,
    load_indicators,
    score_parameters,
)

__all__ = [
    "Evidence",
    "IndicatorDef",
    "ScoreParameters",
    "Via",
    "indicator",
    "load_indicators",
    "score_parameters",
]
