"""Student physical health by 国家学生体质健康标准（2014年修订）(教体艺〔2014〕5号), exactly.

Pure: tables in, tables out. The standard's tables are data files
(``data/``, sources cited in each); scoring, graduation scores, indicators
and the data-quality warning are engine-neutral Ibis expressions; raw values
as schools submit them are parsed with Polars. See ``docs/fitness.md``.
"""

from edubrain.analytics.fitness.aggregates import indicators_expr, warnings_expr
from edubrain.analytics.fitness.graduation import graduation_expr
from edubrain.analytics.fitness.parse import ParsedResults, Range, format_problems, minutes_seconds, parse_results
from edubrain.analytics.fitness.scoring import rule_table, score_arrow, score_columns, score_expr
from edubrain.analytics.fitness.standard import FitnessStandard, Item, load_standard
from edubrain.analytics.fitness.views import district_map, drill_down, trend

__all__ = [
    "FitnessStandard",
    "Item",
    "ParsedResults",
    "Range",
    "district_map",
    "drill_down",
    "format_problems",
    "graduation_expr",
    "indicators_expr",
    "load_standard",
    "minutes_seconds",
    "parse_results",
    "rule_table",
    "score_arrow",
    "score_columns",
    "score_expr",
    "trend",
    "warnings_expr",
]
