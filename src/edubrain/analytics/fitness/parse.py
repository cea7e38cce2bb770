"""Raw fitness results as schools submit them, parsed into the catalog's units (vectorised, Polars).

Schools fill in the national data submission template (《国家学生体质健康标准》
数据上报模板) or the catalog's own template. The forms seen in practice:

- 800 m / 1000 m / 50 m × 8: ``3'25"``, ``3′25″``, ``3’25”``, ``3:25``, ``3分25秒`` or
  ``3.25`` meaning **minutes.seconds** (the template's format; ``3.5`` is 3′50″, as
  Excel drops the trailing zero of ``3.50``); a header that names seconds
  (``run_800m_s``, ``800米跑（秒）``) takes plain seconds instead;
- 50 m: seconds with one decimal (``8.5``);
- full-width digits and spaces (``８．５``) are normalised (NFKC);
- sex as ``1``/``2`` (GB/T 2261.1) or ``男``/``女``; grade as the code (``11``…``44``)
  or its name (``一年级``, ``初一``, ``大四``); 免测 as ``是``/``否``/``1``/``0``.

Impossible values (outside the catalog field's range, seconds ≥ 60, text)
are reported with row, column and what is allowed, in Chinese and English.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.analytics.fitness.standard import GRADES
from edubrain.catalog import get_catalog
from edubrain.values import minutes_seconds, seconds_part

TIME_FIELDS: tuple[str, ...] = tuple(f.name for f in get_catalog().dataset("fitness_tests").fields if f.minutes_seconds)
"""The timed items written as minutes and seconds: the catalog's ``minutes_seconds`` fields."""
NUMBER_FIELDS: tuple[str, ...] = (
    "height_cm",
    "weight_kg",
    "vital_capacity_ml",
    "sprint_50m_s",
    "sit_and_reach_cm",
    "rope_skipping_count",
    "sit_ups_count",
    "standing_long_jump_cm",
    "pull_ups_count",
)
GRADE_NAMES: dict[str, str] = dict(
    zip(
        ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三"]
        + ["高一", "高二", "高三", "大一", "大二", "大三", "大四"],
        GRADES,
        strict=True,
    )
)
SEX_NAMES: dict[str, str] = {"1": "1", "2": "2", "男": "1", "女": "2", "男生": "1", "女生": "2"}
TRUE_WORDS: tuple[str, ...] = ("是", "1", "true", "True", "TRUE", "y", "Y", "yes", "免测", "免")
FALSE_WORDS: tuple[str, ...] = ("否", "0", "false", "False", "FALSE", "n", "N", "no", "")
PROBLEM_SCHEMA = {"row": pl.Int64, "column": pl.String, "value": pl.String, "zh": pl.String, "en": pl.String}


@dataclass(frozen=True)
class Range:
    """The plausible range of a field (from the catalog)."""

    minimum: float | None
    maximum: float | None
    title_zh: str
    title_en: str


@dataclass(frozen=True)
class ParsedResults:
    """Parsed columns (catalog names and units) and every problem found."""

    table: pl.DataFrame
    problems: pl.DataFrame


def _clean(column: pl.Expr) -> pl.Expr:
    return (
        column.cast(pl.String)
        .map_elements(lambda s: unicodedata.normalize("NFKC", s), return_dtype=pl.String)
        .str.strip_chars()
    )


def parse_results(
    frame: pl.DataFrame,
    columns: Mapping[str, str],
    ranges: Mapping[str, Range],
    *,
    seconds_headers: frozenset[str] = frozenset(),
    first_row: int = 2,
    row_column: str | None = None,
) -> ParsedResults:
    """Parse the result columns of ``frame`` into catalog fields; other columns are kept as they are.

    Args:
        frame: The submitted table, every column as text.
        columns: ``{header in the file: catalog field}`` for the columns to parse.
        ranges: Plausible range of each numeric field.
        seconds_headers: Headers of timed columns that hold plain seconds (not minutes.seconds).
        first_row: Row number of the first data row in the file (2 after a header row), for messages.
        row_column: A column of ``frame`` holding each row's number in the file (used instead of ``first_row``).

    Returns:
        The table with the parsed fields (catalog names, floats; ``sex`` and ``grade`` as codes;
        ``exempt`` boolean) and the problems (``row``, ``column``, ``value``, ``zh``, ``en``).
    """
    if row_column is not None:
        work = frame.with_columns(pl.col(row_column).cast(pl.Int64).alias("_row"))
    else:
        work = frame.with_row_index("_row", offset=first_row)
    parsed: list[pl.Expr] = []
    checks: list[pl.DataFrame] = []
    for header, field in columns.items():
        raw = _clean(pl.col(header))
        value, problem_zh, problem_en = _parse_one(raw, field, header, ranges.get(field), header in seconds_headers)
        parsed.append(value.alias(field))
        bad = work.select(
            pl.col("_row").cast(pl.Int64).alias("row"),
            pl.lit(header).alias("column"),
            pl.col(header).cast(pl.String).alias("value"),
            problem_zh.alias("zh"),
            problem_en.alias("en"),
        ).filter(pl.col("zh").is_not_null())
        checks.append(bad)
    keep = [c for c in frame.columns if c not in columns and c not in set(columns.values()) and c != row_column]
    table = work.select(*[pl.col(c) for c in keep], *parsed)
    problems = pl.concat(checks) if checks else pl.DataFrame(schema=PROBLEM_SCHEMA)
    return ParsedResults(
        table, problems.sort("row", "column") if problems.height else pl.DataFrame(schema=PROBLEM_SCHEMA)
    )


def _parse_one(
    raw: pl.Expr, field: str, header: str, limits: Range | None, plain_seconds: bool
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(value, problem in Chinese, problem in English) for one column; problems are null where fine."""
    blank = raw.is_null() | (raw == "")
    if field == "sex":
        value = raw.replace_strict(SEX_NAMES, default=None, return_dtype=pl.String)
        return (
            value,
            _msg(~blank & value.is_null(), "性别应为 1（男）/2（女）或 男/女"),
            _msg(~blank & value.is_null(), "sex must be 1 (male) / 2 (female) or 男/女"),
        )
    if field == "grade":
        value = (
            pl.when(raw.is_in(list(GRADES)))
            .then(raw)
            .otherwise(raw.replace_strict(GRADE_NAMES, default=None, return_dtype=pl.String))
        )
        return (
            value,
            _msg(~blank & value.is_null(), "年级应为年级代码 11–44 或 一年级…大四"),
            _msg(~blank & value.is_null(), "grade must be a grade code 11-44 or a grade name (一年级 … 大四)"),
        )
    if field == "exempt":
        value = pl.when(raw.is_in(list(TRUE_WORDS))).then(True).when(blank | raw.is_in(list(FALSE_WORDS))).then(False)
        return (
            value,
            _msg(value.is_null(), "免测应为 是/否 或 1/0"),
            _msg(value.is_null(), "exempt must be 是/否 or 1/0"),
        )
    if field in TIME_FIELDS and not plain_seconds:
        number = minutes_seconds(raw)
        sixty = seconds_part(raw) >= 60
        zh = (
            pl.when(~blank & number.is_null())
            .then(pl.lit("不是时间（应为 分′秒″，如 3'25\" 或 3.25）"))
            .when(~blank & sixty)
            .then(pl.lit("秒数须小于 60"))
        )
        en = (
            pl.when(~blank & number.is_null())
            .then(pl.lit("is not a time (expected minutes'seconds\", e.g. 3'25\" or 3.25)"))
            .when(~blank & sixty)
            .then(pl.lit("seconds must be below 60"))
        )
        return _range(pl.when(sixty).then(None).otherwise(number), limits, zh, en, blank)
    number = raw.cast(pl.Float64, strict=False)
    not_number_zh = pl.when(~blank & number.is_null()).then(pl.lit("不是数值"))
    not_number_en = pl.when(~blank & number.is_null()).then(pl.lit("is not a number"))
    return _range(number, limits, not_number_zh, not_number_en, blank)


def _range(number: pl.Expr, limits: Range | None, zh: Any, en: Any, blank: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    if limits is None:
        return number, zh.otherwise(None), en.otherwise(None)
    lo = limits.minimum if limits.minimum is not None else float("-inf")
    hi = limits.maximum if limits.maximum is not None else float("inf")
    outside = ~blank & number.is_not_null() & ((number < lo) | (number > hi))
    allowed_zh = f"超出{limits.title_zh}的合理范围 {lo:g}–{hi:g}"
    allowed_en = f"is outside the plausible range of {limits.title_en}, {lo:g}-{hi:g}"
    zh_expr = zh.when(outside).then(pl.lit(allowed_zh)).otherwise(None)
    en_expr = en.when(outside).then(pl.lit(allowed_en)).otherwise(None)
    value = pl.when(outside).then(None).otherwise(number)
    return value, zh_expr, en_expr


def _msg(condition: pl.Expr, text: str) -> pl.Expr:
    return pl.when(condition).then(pl.lit(text)).otherwise(None)


def format_problems(problems: pl.DataFrame, lang: str = "zh", limit: int = 20) -> str:
    """The problems as lines ``row N, column 'X' ('value'): what is wrong``; at most ``limit`` lines."""
    lines = []
    for p in problems.head(limit).iter_rows(named=True):
        if lang == "zh":
            lines.append(f"第 {p['row']} 行“{p['column']}”（{p['value']}）：{p['zh']}")
        else:
            lines.append(f"row {p['row']}, column '{p['column']}' ({p['value']!r}): {p['en']}")
    if problems.height > limit:
        more = problems.height - limit
        lines.append(f"……另有 {more} 处" if lang == "zh" else f"... and {more} more")
    return "\n".join(lines)
