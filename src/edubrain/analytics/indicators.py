"""Headline indicators of the cockpit (驾驶舱): counts per school, rolled up to districts and the city.

Pure functions over tables (polars or Arrow in, polars out); no files,
sockets or sessions. The caller reads the lake and the submission batches
and caches the result per lake version. The counts follow the definitions
of the national education statistics survey (教育事业统计): students are
enrolled students (学籍状态 在读 or 复学) of the chosen school year (the
newest on record unless one is chosen), classes are the classes of that
school year, teachers are the teachers on the schools' rolls. Their
definitions, as shown to users, are data: ``analytics/data/indicators.yaml``
(:mod:`edubrain.analytics.definitions`).
"""

from __future__ import annotations

from typing import Literal

import polars as pl
import pyarrow as pa

ENROLLED = ("01", "05")
"""学籍状态 codes (JY/T 1006 family) counted as enrolled: 01 在读, 05 复学."""

COUNTS = ("schools", "students", "teachers", "classes")
ACTIVITY = ("submissions", "open_errors")
INDICATORS: tuple[str, ...] = COUNTS + ACTIVITY
"""Every headline indicator, in display order."""

Level = Literal["city", "district", "school"]


def _frame(table: pl.DataFrame | pa.Table) -> pl.DataFrame:
    frame = table if isinstance(table, pl.DataFrame) else pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _current_year(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows of the newest school year present (all rows when there is no school year column)."""
    if "school_year" not in frame.columns or frame.is_empty():
        return frame
    return frame.filter(pl.col("school_year") == pl.col("school_year").max())


def _of_year(frame: pl.DataFrame, school_year: int | None) -> pl.DataFrame:
    """Rows of ``school_year`` (the newest present when None; all rows when there is no school year column)."""
    if school_year is None or "school_year" not in frame.columns:
        return _current_year(frame)
    return frame.filter(pl.col("school_year") == school_year)


def school_years(*tables: pl.DataFrame | pa.Table) -> list[int]:
    """The school years present in any of ``tables`` (those with a ``school_year`` column), oldest first."""
    years: set[int] = set()
    for table in tables:
        frame = _frame(table)
        if "school_year" in frame.columns:
            years.update(int(y) for y in frame.get_column("school_year").drop_nulls().unique().to_list())
    return sorted(years)


def _per_school(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    return frame.group_by("school_code").agg(pl.len().cast(pl.Int64).alias(name))


def school_counts(
    schools: pl.DataFrame | pa.Table,
    students: pl.DataFrame | pa.Table,
    teachers: pl.DataFrame | pa.Table,
    classes: pl.DataFrame | pa.Table,
    school_year: int | None = None,
) -> pl.DataFrame:
    """Students, teachers and classes of every school, in ``school_year`` (default: the newest on record).

    Args:
        schools: ``school_code``, ``name``, ``district_code``.
        students: ``school_code``, ``school_year``, ``status``.
        teachers: ``school_code`` (the roll has no school year: the same in every year).
        classes: ``school_code``, ``school_year``.
        school_year: The school year counted (its first calendar year, 2024 for 2024–2025); None for
            the newest school year of each table.

    Returns:
        One row per school: ``school_code``, ``name``, ``district_code``,
        ``students``, ``teachers``, ``classes`` (0 where none are stored).
    """
    kids = _of_year(_frame(students), school_year).filter(pl.col("status").is_in(list(ENROLLED)))
    parts = [
        _per_school(kids, "students"),
        _per_school(_frame(teachers), "teachers"),
        _per_school(_of_year(_frame(classes), school_year), "classes"),
    ]
    out = _frame(schools).select("school_code", "name", "district_code")
    for part in parts:
        out = out.join(part, on="school_code", how="left")
    return out.with_columns(pl.col(c).fill_null(0) for c in ("students", "teachers", "classes")).sort("school_code")


def open_error_counts(batches: pl.DataFrame) -> pl.DataFrame:
    """Submissions and open errors of each submitting organisation.

    An error is open while the newest submission of an organisation to a
    dataset is rejected; its count is that submission's number of problems.

    Args:
        batches: ``org_code``, ``dataset``, ``status``, ``created_at``, ``problem_count``.

    Returns:
        ``org_code``, ``submissions``, ``open_errors``.
    """
    if batches.is_empty():
        return pl.DataFrame(schema={"org_code": pl.String, "submissions": pl.Int64, "open_errors": pl.Int64})
    latest = (
        batches.sort("created_at")
        .group_by("org_code", "dataset")
        .agg(pl.col("status").last(), pl.col("problem_count").last())
        .group_by("org_code")
        .agg(
            pl.when(pl.col("status") == "rejected")
            .then(pl.col("problem_count"))
            .otherwise(0)
            .sum()
            .cast(pl.Int64)
            .alias("open_errors")
        )
    )
    made = batches.group_by("org_code").agg(pl.len().cast(pl.Int64).alias("submissions"))
    return made.join(latest, on="org_code", how="left").with_columns(pl.col("open_errors").fill_null(0))


def indicator_table(
    counts: pl.DataFrame, activity: pl.DataFrame, districts: pl.DataFrame, city_code: str = "110000"
) -> pl.DataFrame:
    """Every indicator for every organisation: each school, each district and the city.

    A school's submissions and open errors count for its district and the
    city too; a district's own submissions count for it and the city.

    Args:
        counts: The result of :func:`school_counts`.
        activity: The result of :func:`open_error_counts`.
        districts: ``district_code``, ``name_zh``, ``name_en`` of every district.
        city_code: The city's organisation code.

    Returns:
        ``org_code``, ``level``, ``district_code``, ``name_zh``, ``name_en`` and
        one column per name in :data:`INDICATORS`.
    """
    own = activity.select("org_code", "submissions", "open_errors")
    schools = (
        counts.with_columns(
            pl.col("school_code").alias("org_code"),
            pl.lit("school").alias("level"),
            pl.col("name").alias("name_zh"),
            pl.col("name").alias("name_en"),
            pl.lit(1, pl.Int64).alias("schools"),
        )
        .join(own, on="org_code", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in ACTIVITY)
    )
    sums = [pl.col(c).sum().cast(pl.Int64) for c in INDICATORS]
    by_district = schools.group_by("district_code").agg(sums)
    district_rows = (
        districts.select("district_code", "name_zh", "name_en")
        .join(by_district, on="district_code", how="left")
        .join(
            own.rename({"org_code": "district_code", "submissions": "s_own", "open_errors": "e_own"}),
            on="district_code",
            how="left",
        )
        .with_columns(pl.col(c).fill_null(0) for c in (*INDICATORS, "s_own", "e_own"))
        .with_columns(
            (pl.col("submissions") + pl.col("s_own")).alias("submissions"),
            (pl.col("open_errors") + pl.col("e_own")).alias("open_errors"),
            pl.col("district_code").alias("org_code"),
            pl.lit("district").alias("level"),
        )
    )
    city_own = own.filter(pl.col("org_code") == city_code)
    city = district_rows.select(sums).with_columns(
        pl.col("submissions") + (city_own.get_column("submissions").sum() if city_own.height else 0),
        pl.col("open_errors") + (city_own.get_column("open_errors").sum() if city_own.height else 0),
        pl.lit(city_code).alias("org_code"),
        pl.lit("city").alias("level"),
        pl.lit(None, pl.String).alias("district_code"),
        pl.lit("北京市").alias("name_zh"),
        pl.lit("Beijing").alias("name_en"),
    )
    columns = ["org_code", "level", "district_code", "name_zh", "name_en", *INDICATORS]
    return pl.concat(
        [city.select(columns), district_rows.select(columns).sort("org_code"), schools.select(columns)],
        how="vertical_relaxed",
    )


def in_scope(table: pl.DataFrame, level: Level, org_code: str) -> pl.DataFrame:
    """The rows of an indicator table that an organisation at ``level`` may see.

    The city sees every row; a district its own row and its schools; a
    school only its own row. Aggregate counts are not personal data, but a
    scope never widens.
    """
    if level == "city":
        return table
    if level == "district":
        return table.filter((pl.col("org_code") == org_code) | (pl.col("district_code") == org_code))
    return table.filter((pl.col("org_code") == org_code) & (pl.col("level") == "school"))


def headline(table: pl.DataFrame, org_code: str) -> dict[str, int]:
    """The indicators of one organisation's row (zeros when it has none)."""
    row = table.filter(pl.col("org_code") == org_code)
    if row.is_empty():
        return dict.fromkeys(INDICATORS, 0)
    first = row.row(0, named=True)
    return {name: int(first[name]) for name in INDICATORS}


def district_values(table: pl.DataFrame, indicator: str) -> pl.DataFrame:
    """``district_code``, ``name_zh``, ``name_en`` and ``value`` of one indicator, per district row of ``table``."""
    if indicator not in INDICATORS:
        raise KeyError(indicator)
    return table.filter(pl.col("level") == "district").select(
        "org_code", "name_zh", "name_en", pl.col(indicator).alias("value")
    )
