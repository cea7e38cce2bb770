"""The indicators of the students-at-risk early warning, one row per pupil of the judged year (pure, polars).

Every function takes catalog-shaped tables and returns one row per ``student_id``; nothing is read or written
here. The judged school year is the roster's newest. Definitions (docs/early-warning-students.md):

- attendance (``student_attendance``): rate = days present / days due over the year; the change is the rate of
  the last three school months with data minus that of the months before; unexcused days in the year and in the
  last three months;
- results (``exam_scores``): the mean of score / full score over the year's subjects, its change against the
  pupil's own previous year, the percentile in the class (0 lowest … 1 highest) and its change, the subjects
  below 60 % of the full score;
- fitness (``fitness_scores`` with a ``student_id`` column added by the caller): the yearly total and its change;
- status (``student_status_changes``): the latest change of concern (codes in the rules) since 1 September of
  the previous school year;
- conduct (``student_conduct``): the year's disciplinary records (type 3).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

SCHOOL_MONTH = {9: 0, 10: 1, 11: 2, 12: 3, 1: 4, 2: 5, 3: 6, 4: 7, 5: 8, 6: 9, 7: 10, 8: 11}
"""Calendar month -> its place in the school year (September first)."""
RECENT_MONTHS = 3
FAIL_SHARE = 0.6
DISCIPLINARY = "3"
CONCERN_CODES = ("02", "03", "11", "12", "13", "19")
"""Status changes of concern (留级, 降级, 休学, 复学, 停学, 保留学籍), JY/T 1001 学籍异动类别代码."""
INDICATOR_COLUMNS = (
    "attendance_rate", "attendance_change", "unexcused_days", "unexcused_recent", "score_share", "score_change",
    "class_percentile", "class_percentile_change", "fail_count", "fitness_total", "fitness_change", "status_change",
    "disciplinary_count",
)  # fmt: skip


def judged_year(students: pl.DataFrame) -> int | None:
    """The newest school year of the roster (None when empty)."""
    year = students.get_column("school_year").max() if students.height else None
    return None if year is None else int(year)  # type: ignore[arg-type]


def roster(students: pl.DataFrame, year: int) -> pl.DataFrame:
    """The pupils registered in ``year`` (status 01 在校, or none given): id, school, class, grade."""
    rows = students.filter((pl.col("school_year") == year) & (pl.col("status").is_null() | (pl.col("status") == "01")))
    return rows.select("student_id", "school_code", "class_id", "grade").unique("student_id", keep="first")


def attendance(table: pl.DataFrame, year: int) -> pl.DataFrame:
    """Attendance rate, its recent change and unexcused days per pupil in ``year``."""
    rows = table.filter(pl.col("school_year") == year).with_columns(
        pl.col("month").replace_strict(SCHOOL_MONTH, return_dtype=pl.Int64).alias("_m")
    )
    if rows.is_empty():
        return pl.DataFrame(schema={"student_id": pl.String, **dict.fromkeys(INDICATOR_COLUMNS[:4], pl.Float64)})
    last = rows.get_column("_m").max()
    recent = pl.col("_m") > (pl.lit(last) - RECENT_MONTHS)

    def rate(mask: pl.Expr) -> pl.Expr:
        due = pl.col("days_due").filter(mask).sum()
        return pl.when(due > 0).then(pl.col("days_present").filter(mask).sum() / due)

    return rows.group_by("student_id").agg(
        rate(pl.lit(True)).alias("attendance_rate"),
        (rate(recent) - rate(~recent)).alias("attendance_change"),
        pl.col("absent_unexcused_days").sum().cast(pl.Int64).alias("unexcused_days"),
        pl.col("absent_unexcused_days").filter(recent).sum().cast(pl.Int64).alias("unexcused_recent"),
    )


def _yearly_results(exams: pl.DataFrame, year: int) -> pl.DataFrame:
    rows = exams.filter(pl.col("school_year") == year).with_columns(
        (pl.col("score") / pl.col("full_score")).alias("_share")
    )
    per = rows.group_by("student_id").agg(
        pl.col("_share").mean().alias("score_share"),
        (pl.col("_share") < FAIL_SHARE).sum().cast(pl.Int64).alias("fail_count"),
        pl.col("class_id").drop_nulls().first().alias("_class"),
    )
    n = pl.len().over("_class")
    pct = pl.when(n > 1).then((pl.col("score_share").rank("average").over("_class") - 1) / (n - 1)).otherwise(0.5)
    return per.with_columns(pct.alias("class_percentile")).drop("_class")


def results(exams: pl.DataFrame, year: int) -> pl.DataFrame:
    """Mean score share, its change against the pupil's previous year, percentile in class and its change, fails."""
    now = _yearly_results(exams, year)
    before = _yearly_results(exams, year - 1).select(
        "student_id", pl.col("score_share").alias("_prev"), pl.col("class_percentile").alias("_prev_pct")
    )
    return now.join(before, on="student_id", how="left").select(
        "student_id", "score_share", (pl.col("score_share") - pl.col("_prev")).alias("score_change"),
        "class_percentile", (pl.col("class_percentile") - pl.col("_prev_pct")).alias("class_percentile_change"),
        "fail_count",
    )  # fmt: skip


def fitness(scores: pl.DataFrame, year: int) -> pl.DataFrame:
    """The yearly fitness total and its change against the previous year (``scores`` carries ``student_id``)."""
    totals = scores.filter(pl.col("total_score").is_not_null()).select("student_id", "school_year", "total_score")
    now = totals.filter(pl.col("school_year") == year).group_by("student_id").agg(pl.col("total_score").max())
    before = (
        totals.filter(pl.col("school_year") == year - 1)
        .group_by("student_id")
        .agg(pl.col("total_score").max().alias("_prev"))
    )
    return now.join(before, on="student_id", how="left").select(
        "student_id",
        pl.col("total_score").cast(pl.Float64).alias("fitness_total"),
        (pl.col("total_score") - pl.col("_prev")).cast(pl.Float64).alias("fitness_change"),
    )


def status(changes: pl.DataFrame, year: int) -> pl.DataFrame:
    """The latest status change of concern since 1 September of the previous school year."""
    since = dt.date(year - 1, 9, 1)
    rows = changes.filter(pl.col("change_type").is_in(list(CONCERN_CODES)) & (pl.col("change_date") >= since))
    return (
        rows.sort("change_date", "change_id")
        .group_by("student_id")
        .agg(pl.col("change_type").last().alias("status_change"))
    )


def conduct(records: pl.DataFrame, year: int) -> pl.DataFrame:
    """The year's disciplinary records per pupil."""
    rows = records.filter((pl.col("school_year") == year) & (pl.col("record_type") == DISCIPLINARY))
    return rows.group_by("student_id").agg(pl.len().cast(pl.Int64).alias("disciplinary_count"))


def indicators(tables: dict[str, pl.DataFrame], year: int) -> pl.DataFrame:
    """Every indicator of every pupil registered in ``year``.

    Args:
        tables: ``students``, ``student_attendance``, ``exam_scores``, ``fitness_scores`` (with ``student_id``),
            ``student_status_changes`` and ``student_conduct``, in catalog columns.
        year: The judged school year.

    Returns:
        ``student_id``, ``school_code``, ``class_id``, ``grade``, ``school_year`` and :data:`INDICATOR_COLUMNS`
        (null where the pupil has no data; counts 0).
    """
    out = roster(tables["students"], year)
    for part in (
        attendance(tables["student_attendance"], year),
        results(tables["exam_scores"], year),
        fitness(tables["fitness_scores"], year),
        status(tables["student_status_changes"], year),
        conduct(tables["student_conduct"], year),
    ):
        out = out.join(part, on="student_id", how="left")
    counts = ("unexcused_days", "unexcused_recent", "fail_count", "disciplinary_count")
    return out.with_columns(
        pl.lit(year, pl.Int64).alias("school_year"),
        *[pl.col(c).fill_null(0).cast(pl.Int64) for c in counts],
        *[pl.col(c).cast(pl.Float64) for c in INDICATOR_COLUMNS if c not in (*counts, "status_change")],
    )
