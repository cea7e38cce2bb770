"""Smart-campus evaluation (智慧校园达标评定): the framework as data, scoring, 达标率 and the demonstration shortlist.

Pure: tables and parameters in, tables out (``docs/smart-campus.md``).
"""

from edubrain.analytics.smart_campus.framework import DIMENSIONS, Framework, Indicator, load_framework, parse_framework
from edubrain.analytics.smart_campus.platform import platform_values
from edubrain.analytics.smart_campus.scoring import (
    APPROVED,
    BASE_SCHEMA,
    PLATFORM_SCHEMA,
    SCORE_COLUMNS,
    SELF_SCHEMA,
    indicator_points,
    score_schools,
    standard_rates,
)
from edubrain.analytics.smart_campus.shortlist import shortlist

__all__ = [
    "APPROVED",
    "BASE_SCHEMA",
    "DIMENSIONS",
    "PLATFORM_SCHEMA",
    "SCORE_COLUMNS",
    "SELF_SCHEMA",
    "Framework",
    "Indicator",
    "indicator_points",
    "load_framework",
    "parse_framework",
    "platform_values",
    "score_schools",
    "shortlist",
    "standard_rates",
]
