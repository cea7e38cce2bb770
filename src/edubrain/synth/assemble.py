"""Turning one district's model state for one school year into catalog-shaped tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from edubrain.synth.exams import exam_scores
from edubrain.synth.facts import GRADES
from edubrain.synth.fitness_draw import fitness_tests
from edubrain.synth.ids import EPOCH
from edubrain.synth.population import STAGE_OF_GRADE, YearState
from edubrain.synth.quality import quality_tables
from edubrain.synth.staffing import assignments, infrastructure, training_records

GRADE_NAMES = [
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "初一",
    "初二",
    "初三",
    "高一",
    "高二",
    "高三",
]
_EPOCH = pl.lit(dt.date.fromisoformat(EPOCH.isoformat()))


def day_to_date(column: str) -> pl.Expr:
    """Days since 1950-01-01 -> date."""
    return _EPOCH + pl.duration(days=pl.col(column))


def grade_code(column: str = "grade") -> pl.Expr:
    """Grade index 0-11 -> grade code (11 … 33)."""
    return pl.col(column).replace_strict(dict(enumerate(str(g) for g in GRADES)), return_dtype=pl.String)


def with_classes(students: pl.DataFrame, year: int) -> pl.DataFrame:
    """Add ``class_id`` (school + year + grade + 2-digit class number), ``grade_code`` and ``sex_code``."""
    return students.with_columns(
        (
            pl.col("school") + pl.lit(str(year)) + grade_code() + (pl.col("class_seq") + 1).cast(pl.String).str.zfill(2)
        ).alias("class_id"),
        grade_code().alias("grade_code"),
        pl.when(pl.col("male")).then(pl.lit("1")).otherwise(pl.lit("2")).alias("sex_code"),
    )


def class_table(students: pl.DataFrame) -> pl.DataFrame:
    """The year's classes: ``class_id``, ``school``, ``grade``, ``seq``, ``stage``."""
    classes = students.group_by("class_id", "school", "grade", "class_seq").len().sort("class_id")
    stage = pl.Series(STAGE_OF_GRADE[classes.get_column("grade").to_numpy().astype(np.int64)]).cast(pl.Int8)
    return classes.rename({"class_seq": "seq"}).with_columns(stage.alias("stage"))


def classes_dataset(classes: pl.DataFrame, heads: pl.DataFrame, year: int) -> pl.DataFrame:
    """The ``classes`` dataset; the head teacher is the class's Chinese (else first) teacher."""
    names = pl.col("grade").replace_strict(dict(enumerate(GRADE_NAMES)), return_dtype=pl.String)
    return classes.join(heads, on="class_id", how="left").select(
        "class_id",
        pl.col("school").alias("school_code"),
        pl.lit(year, pl.Int64).alias("school_year"),
        grade_code().alias("grade"),
        pl.format("{}（{}）班", names, pl.col("seq") + 1).alias("class_name"),
        "head_teacher_id",
    )


def students_dataset(students: pl.DataFrame, year: int) -> pl.DataFrame:
    """The ``students`` roster of the year."""
    return students.select(
        "student_id",
        "name",
        pl.col("sex_code").alias("sex"),
        day_to_date("birth_day").alias("birth_date"),
        "id_number",
        "ethnicity",
        pl.col("school").alias("school_code"),
        "class_id",
        pl.lit(year, pl.Int64).alias("school_year"),
        pl.col("grade_code").alias("grade"),
        pl.col("enrollment_year").cast(pl.Int64),
        pl.lit("01").alias("status"),
        pl.col("hukou").alias("hukou_district_code"),
        "address",
        pl.col("phone").alias("guardian_phone"),
    )


def teachers_dataset(staff: pl.DataFrame) -> pl.DataFrame:
    """The ``teachers`` roster of the year."""
    return staff.select(
        "teacher_id",
        "name",
        pl.when(pl.col("male")).then(pl.lit("1")).otherwise(pl.lit("2")).alias("sex"),
        day_to_date("birth_day").alias("birth_date"),
        "id_number",
        pl.col("school").alias("school_code"),
        "title",
        "education_level",
        "subject",
        day_to_date("hire_day").alias("hire_date"),
        "is_principal",
        "phone",
    )


REASONS = {
    "21": "随家庭迁居转学",
    "22": "转入",
    "02": "学业未达要求，经家长申请留级",
    "11": "因病休学",
    "12": "病愈复学",
}


def changes_dataset(events: pl.DataFrame) -> pl.DataFrame:
    """The ``student_status_changes`` of a school year."""
    ordered = events.sort("school_code", "change_day", "student_id", "change_type")
    return ordered.select(
        (
            pl.col("school_code") + pl.col("year").cast(pl.String)
            + pl.int_range(pl.len()).over("school_code").cast(pl.String).str.zfill(5)
        ).alias("change_id"),
        "student_id", "school_code", "change_type", day_to_date("change_day").alias("change_date"),
        "from_school_code", "to_school_code",
        pl.col("change_type").replace_strict(REASONS, default=None, return_dtype=pl.String).alias("reason"),
    )  # fmt: skip


def year_tables(
    state: YearState, staff: pl.DataFrame, schools: pl.DataFrame, seed: int, district_index: int
) -> dict[str, pl.DataFrame]:
    """Every school-owned dataset of one district and school year, in catalog columns."""
    year = state.year
    students = with_classes(state.students, year)
    classes = class_table(students)
    assigned = assignments(classes, staff, year)
    heads = (
        assigned.sort(pl.col("subject") != "13", "teacher_id")
        .group_by("class_id", maintain_order=True)
        .agg(pl.col("teacher_id").first().alias("head_teacher_id"))
    )
    return {
        "classes": classes_dataset(classes, heads, year),
        "students": students_dataset(students, year),
        "teachers": teachers_dataset(staff),
        "teacher_assignments": assigned,
        "training_records": training_records(staff, seed, district_index, year).with_columns(
            day_to_date("start_day").alias("start_date"), day_to_date("end_day").alias("end_date")
        ),
        "school_infrastructure": infrastructure(schools, classes, seed, district_index, year),
        "exam_scores": exam_scores(students, schools, seed, district_index, year),
        "fitness_tests": fitness_tests(students, seed, district_index, year),
        "student_status_changes": changes_dataset(state.events),
        **quality_tables(students, staff, seed, district_index, year),
    }
