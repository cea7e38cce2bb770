"""The table of learning outcomes the engine reads (存入: what a learner deposits), checked column by column.

One row per outcome::

    learner_id   str    the learner (a pseudonym; the engine never needs a name)
    outcome_id   str    the evidence id of the outcome (certificate number, transcript line), unique
    code         str    course or qualification code (subject code, certificate code)
    kind         str    course | qualification | exam | prior_learning
    category     str    credit category (major, general, elective ...); may be empty for a qualification
    credits      float  credits claimed (≥ 0); may be empty for a qualification (the table gives them)
    year         int    academic year the outcome was earned or awarded in
    term         int    term within the year (1, 2 ...); may be empty
    education    str    formal (学历) | non_formal (非学历)
    provider     str    internal (校内) | external (校外)
    institution  str    the institution that taught or awarded it; may be empty

Instead of ``year`` and ``term`` a table may carry ``date`` (the day the outcome was completed or awarded): the
rule set's academic calendar then gives the year and term (in Korea the year starts on 1 March, term 2 on
1 September, so 2025-02-10 falls in year 2024, term 2).
"""

from __future__ import annotations

from typing import get_args

import polars as pl

from edubrain.credit_bank.errors import OutcomeTableError
from edubrain.credit_bank.schema import AcademicCalendar, Education, Kind, Provider

SCHEMA: dict[str, pl.DataType] = {
    "learner_id": pl.String(),
    "outcome_id": pl.String(),
    "code": pl.String(),
    "kind": pl.String(),
    "category": pl.String(),
    "credits": pl.Float64(),
    "year": pl.Int32(),
    "term": pl.Int32(),
    "education": pl.String(),
    "provider": pl.String(),
    "institution": pl.String(),
}
OPTIONAL = {"category", "credits", "term", "institution"}
"""Columns that may be missing from the table (they are then empty) or hold empty values."""
_ALLOWED = {"kind": get_args(Kind), "education": get_args(Education), "provider": get_args(Provider)}


def academic_year_and_term(outcomes: pl.DataFrame, calendar: AcademicCalendar) -> pl.DataFrame:
    """Add ``year`` and ``term`` from ``date`` by ``calendar`` (vectorised; ``term`` 1 starts the year)."""
    text = outcomes.schema["date"] == pl.String
    date = pl.col("date").str.to_date("%Y-%m-%d", strict=False) if text else pl.col("date").cast(pl.Date)
    start = calendar.year_starts_month
    shifted = (date.dt.month().cast(pl.Int32) - start) % 12
    offsets = sorted((m - start) % 12 for m in calendar.term_starts_months)
    term = pl.sum_horizontal(*(shifted >= o for o in offsets)).cast(pl.Int32)
    year = date.dt.year().cast(pl.Int32) - (date.dt.month().cast(pl.Int32) < start).cast(pl.Int32)
    return outcomes.with_columns(year.alias("year"), term.alias("term"))


def prepare(outcomes: pl.DataFrame, calendar: AcademicCalendar | None = None) -> pl.DataFrame:
    """Check and type the outcome table; missing optional columns are added empty.

    A table with ``date`` and no ``year`` gets ``year`` and ``term`` from ``calendar`` (default: calendar years).

    Raises:
        OutcomeTableError: a required column is missing, a value cannot be cast, a required value is empty, a
            kind/education/provider value is not allowed, credits are negative or an outcome id repeats. The
            message names the column, the first offending row (0-based) and what is allowed.
    """
    if "date" in outcomes.columns and "year" not in outcomes.columns:
        outcomes = academic_year_and_term(outcomes, calendar or AcademicCalendar())
        _refuse_where(
            outcomes, pl.col("year").is_null(), "date", "不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"
        )
    missing = [c for c in SCHEMA if c not in outcomes.columns and c not in OPTIONAL]
    if missing:
        raise OutcomeTableError(
            f"学习成果表缺少列：{', '.join(missing)}；必需列为 {', '.join(c for c in SCHEMA if c not in OPTIONAL)}",
            f"The outcome table lacks column(s) {', '.join(missing)}; required: "
            f"{', '.join(c for c in SCHEMA if c not in OPTIONAL)}",
            columns=missing,
        )
    frame = outcomes.with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in SCHEMA.items() if c not in outcomes.columns]
    )
    try:
        frame = frame.select([pl.col(c).cast(t, strict=True) for c, t in SCHEMA.items()])
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as error:
        raise OutcomeTableError(
            f"学习成果表中有无法转换的值：{error}（学分为数字，学年和学期为整数）",
            f"The outcome table holds a value that cannot be converted: {error} (credits are numbers, year and "
            "term integers)",
        ) from None
    for column in SCHEMA:
        if column not in OPTIONAL:
            _refuse_where(frame, pl.col(column).is_null(), column, "不能为空", "must not be empty")
    for column, allowed in _ALLOWED.items():
        _refuse_where(
            frame,
            ~pl.col(column).is_in(list(allowed)),
            column,
            f"只能取 {' / '.join(allowed)}",
            f"must be one of {', '.join(allowed)}",
        )
    _refuse_where(frame, pl.col("credits") < 0, "credits", "不得为负数", "must not be negative")
    _refuse_where(frame, pl.col("outcome_id").is_duplicated(), "outcome_id", "不得重复", "must be unique")
    return frame


def _refuse_where(frame: pl.DataFrame, bad: pl.Expr, column: str, zh: str, en: str) -> None:
    rows = frame.with_row_index("_row").filter(bad.fill_null(False)).select("_row", column).head(1)
    if rows.height:
        row, value = rows.row(0)
        raise OutcomeTableError(
            f"学习成果表第 {row} 行的 {column}（{value!r}）{zh}",
            f"Outcome table row {row}, column {column} ({value!r}) {en}",
            row=row,
            column=column,
            value=value,
        )
