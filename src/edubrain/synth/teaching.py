"""What is taught: subjects and weekly periods per stage, and the teachers they need.

Weekly periods follow the shape of the compulsory-education curriculum
(义务教育课程方案, 2022) and the senior-secondary plan (普通高中课程方案, 2017/2020),
simplified to the subjects in the catalog's subject table.
"""

from __future__ import annotations

import polars as pl

PERIODS: dict[int, dict[str, int]] = {
    0: {"13": 7, "14": 4, "41": 3, "22": 3, "24": 2, "25": 2, "15": 2, "EB01": 2},
    1: {"13": 5, "14": 5, "41": 4, "16": 3, "17": 3, "18": 2, "21": 2, "20": 2, "EB01": 2, "22": 3},
    2: {"13": 4, "14": 4, "41": 4, "16": 3, "17": 3, "18": 2, "21": 2, "20": 2, "EB02": 2, "22": 2, "26": 1},
}
"""Stage (0 primary, 1 junior, 2 senior) -> subject code -> weekly periods per class."""

FIRST_GRADE: dict[str, int] = {"16": 7, "17": 8}
"""Subjects that start later than their stage: physics in grade 8, chemistry in grade 9 (grade index)."""

TEACHERS_PER_CLASS = {0: 3.0, 1: 4.4, 2: 5.0}
"""Teachers per class by stage, plus :data:`TEACHERS_PER_SCHOOL`; calibrated to about 170,000 teachers."""
TEACHERS_PER_SCHOOL = 4


def subject_table() -> pl.DataFrame:
    """One row per (stage, subject) with its weekly periods and the first grade index that takes it."""
    rows = [
        {"stage": stage, "subject": s, "periods": p, "first_grade": FIRST_GRADE.get(s, 0)}
        for stage, table in PERIODS.items()
        for s, p in table.items()
    ]
    return pl.DataFrame(
        rows, schema={"stage": pl.Int8, "subject": pl.String, "periods": pl.Int64, "first_grade": pl.Int8}
    )


def teacher_subject_shares(stage: int) -> dict[str, float]:
    """Share of a stage's teachers by main subject: proportional to the periods taught."""
    table = PERIODS[stage]
    total = sum(table.values())
    return {s: p / total for s, p in table.items()}
