"""The graduation score (毕业成绩) of 国家学生体质健康标准（2014年修订）, as an Ibis expression.

The standard: 毕业时，按毕业当年学年总分的50%与其他学年总分平均得分的50%之和进行评定
(graduation score = 50 % of the final year's 学年总分 + 50 % of the mean 学年总分 of
the other years). A student with only the final year's result has that result
as the graduation score (``years`` = 1 says so). A student exempt (免测) in the
final year graduates with 免测 (``status`` ``exempt``), as the standard asks.
普通高中、中等职业学校和普通高等学校: below 50 points → 结业或肄业
(``meets_completion`` false for senior and university grades).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from edubrain.analytics.fitness.scoring import EPS
from edubrain.analytics.fitness.standard import FitnessStandard, load_standard

if TYPE_CHECKING:
    from ibis.expr.types import Table


def graduation_expr(scores: Table, key: str = "student_id", standard: FitnessStandard | None = None) -> Table:
    """One row per student: the graduation score from the yearly totals in ``scores``.

    Args:
        scores: Scored rows (:func:`edubrain.analytics.fitness.scoring.score_expr`) with ``key``,
            ``school_year``, ``grade``, ``total_score`` and ``status``; one row per student and year.
        key: The column identifying a student (a pseudonym in derived datasets).
        standard: The tables (default: the packaged 2014 standard).

    Returns:
        ``key``, ``final_year``, ``final_grade``, ``years`` (years with a complete result),
        ``final_total``, ``others_mean``, ``graduation_score`` (one decimal, half up), ``level``,
        ``status`` (``complete``, ``exempt`` or ``incomplete``) and ``meets_completion``.
    """
    std = standard or load_standard()
    final = scores.group_by(key).aggregate(final_year=scores["school_year"].max())
    last = scores.join(final, [scores[key] == final[key], scores["school_year"] == final["final_year"]]).select(
        scores[key],
        "final_year",
        final_grade=scores["grade"],
        final_total=scores["total_score"],
        final_status=scores["status"],
    )
    complete = scores.filter(scores["status"] == "complete")
    others = (
        complete.join(final, complete[key] == final[key])
        .filter(lambda t: t["school_year"] < t["final_year"])
        .group_by(key)
        .aggregate(others_mean=lambda t: t["total_score"].mean(), other_years=lambda t: t[key].count())
    )
    t = last.left_join(others, last[key] == others[key]).select(
        last[key], "final_year", "final_grade", "final_total", "final_status", "others_mean", "other_years"
    )
    share_final = float(std.graduation["final_year_share"])
    share_others = float(std.graduation["other_years_share"])
    raw = ibis.ifelse(
        t["others_mean"].isnull(), t["final_total"], t["final_total"] * share_final + t["others_mean"] * share_others
    )
    tenths = (raw * 10 + 0.5 + EPS).floor()
    status = ibis.cases(
        (t["final_status"] == "exempt", "exempt"), (t["final_status"] != "complete", "incomplete"), else_="complete"
    )
    score = ibis.ifelse(status == "complete", tenths / 10.0, ibis.null("float64"))
    level = ibis.cases((tenths >= 900, "优秀"), (tenths >= 800, "良好"), (tenths >= 600, "及格"), else_="不及格")
    minimum = float(std.graduation["completion_minimum"]) * 10
    strict_stage = t["final_grade"].substr(0, 1).isin(["3", "4"])
    return t.select(
        t[key],
        "final_year",
        "final_grade",
        years=(t["other_years"].fill_null(0) + ibis.ifelse(status == "complete", 1, 0)).cast("int64"),
        final_total=t["final_total"],
        others_mean=t["others_mean"],
        graduation_score=score,
        level=ibis.ifelse(status == "complete", level, ibis.ifelse(status == "exempt", "免测", ibis.null("string"))),
        status=status,
        meets_completion=ibis.ifelse(status == "complete", ~strict_stage | (tenths >= minimum), ibis.null("boolean")),
    )
