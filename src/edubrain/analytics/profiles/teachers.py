"""The teacher profile: one row per (teacher, school year).

Rules (also in ``docs/profile-indicators.md``):

- A (teacher, year) row exists when the teacher has a teaching assignment, a portfolio record or a training
  record (training year = school year) that year.
- The school of the year: the lowest school code of the year's assignments, else of the portfolio, else of the
  training records, else the teacher register's school.
- ``class_exam_mean_pct`` averages every exam result (score / full_score × 100) of the (class, subject, year)
  pairs the teacher was assigned to; its evidence is the assignments, joined to ``exam_scores``.
- ``training_target``: 32 hours for a principal (the register's ``is_principal``), 72 for any other teacher;
  ``training_met`` is null without a training record that year (missing evidence is not "not met").
- Portfolio counts are null when the teacher has no portfolio record that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import ibis

from edubrain.analytics.profiles.common import attach, attach_all, count_if, exam_pct
from edubrain.analytics.profiles.definitions import ScoreParameters, score_parameters

if TYPE_CHECKING:
    from ibis.expr.types import Table

TEACHER_INPUTS: tuple[str, ...] = (
    "teachers",
    "teacher_assignments",
    "training_records",
    "teacher_portfolio",
    "exam_scores",
    "schools",
)
KEY = ("teacher_id", "school_year")
PORTFOLIO = {"1": "portfolio_ethics", "2": "portfolio_teaching", "3": "portfolio_research", "4": "portfolio_service"}
COLUMNS: tuple[str, ...] = (
    "teacher_id",
    "school_code",
    "district_code",
    "school_year",
    "is_principal",
    "classes_taught",
    "subjects",
    "weekly_periods",
    "training_hours",
    "training_target",
    "training_met",
    "class_exam_mean_pct",
    *PORTFOLIO.values(),
)


def _subjects(assign: Table) -> Table:
    """Per teacher-year the distinct subject codes, sorted, comma-separated."""
    distinct = assign.select(*KEY, "subject").distinct()
    return distinct.group_by(*KEY).aggregate(subjects=distinct["subject"].collect().sort().join(","))


def teacher_profiles_expr(tables: Mapping[str, Table], params: ScoreParameters | None = None) -> Table:
    """The teacher profile rows, one per (``teacher_id``, ``school_year``): the columns of :data:`COLUMNS`."""
    p = params or score_parameters()
    assign, portfolio = tables["teacher_assignments"], tables["teacher_portfolio"]
    training = tables["training_records"].rename(school_year="year")
    a = assign.group_by(*KEY).aggregate(
        a_school=assign["school_code"].min(),
        classes_taught=assign["class_id"].nunique().cast("int64"),
        weekly_periods=assign["weekly_periods"].sum().cast("int64"),
    )
    pf = portfolio.group_by(*KEY).aggregate(
        p_school=portfolio["school_code"].min(),
        **{column: count_if(portfolio["category"] == code) for code, column in PORTFOLIO.items()},
    )
    tr = training.group_by(*KEY).aggregate(
        t_school=training["school_code"].min(), training_hours=training["hours"].cast("float64").sum()
    )
    pairs = assign.select(*KEY, "class_id", "subject").distinct()
    exams = exam_pct(tables["exam_scores"])
    ex = exams.select(
        c_class=exams["class_id"], c_subject=exams["subject"], c_year=exams["school_year"], pct=exams["pct"]
    )
    joined = pairs.join(
        ex,
        [pairs["class_id"] == ex["c_class"], pairs["subject"] == ex["c_subject"], pairs["school_year"] == ex["c_year"]],
    )
    cx = joined.group_by(*KEY).aggregate(class_exam_mean_pct=joined["pct"].mean())
    spine = ibis.union(assign.select(*KEY), portfolio.select(*KEY), training.select(*KEY), distinct=True)
    teachers = tables["teachers"]
    register = teachers.select("teacher_id", r_school=teachers["school_code"], is_principal=teachers["is_principal"])
    register = register.group_by("teacher_id").aggregate(
        r_school=register["r_school"].min(), is_principal=register["is_principal"].max()
    )
    parts = [(part, KEY) for part in (a, pf, tr, cx, _subjects(assign))]
    t = attach_all(spine, [*parts, (register, ("teacher_id",))])
    t = t.mutate(school_code=t["a_school"].fill_null(t["p_school"]).fill_null(t["t_school"]).fill_null(t["r_school"]))
    schools = tables["schools"]
    t = attach(t, schools.select("school_code", "district_code").distinct(), ["school_code"])
    target = ibis.ifelse(
        t["is_principal"].fill_null(False),
        ibis.literal(p.principal_training_hours, "float64"),
        ibis.literal(p.teacher_training_hours, "float64"),
    )
    t = t.mutate(
        training_target=target,
        training_met=t["training_hours"] >= target,
        classes_taught=t["classes_taught"].fill_null(0),
        weekly_periods=t["weekly_periods"].fill_null(0),
    )
    return t.select(*COLUMNS)
