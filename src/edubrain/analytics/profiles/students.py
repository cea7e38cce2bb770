"""The student profile: one row per (canonical student, school year), every indicator from its evidence rows.

Rules (also in ``docs/profile-indicators.md`` and ``profile_indicators.yaml``):

- **Identity merges first.** Every student-keyed input has its ``student_id`` mapped through the link table
  (merged-away number -> canonical number) before anything is aggregated, so a merged student's profile counts
  the evidence of all its numbers; ``records_merged`` is how many numbers were merged into it.
- **Which rows exist.** A (student, year) row exists when the student is on the roster for that year (the
  roster's ``school_year``) or has any evidence row that year (exam, fitness, conduct, activity, award,
  literacy).
- **Where the student was.** School, class and grade of the year come from the roster when its
  ``school_year`` is that year (for a merged student, the canonical number's own roster row first); else from
  that year's last exam result (by term, exam id); else from that year's fitness test; the school alone, as a
  last resort, from the lowest school code of that year's other evidence.
- **Missing evidence is null, never 0.** An indicator of a dataset is null when the student has no row of that
  dataset in the year; a count is 0 only when rows exist and none matches.
- **Trends** are this year's value minus the previous school year's value of the same (canonical) student;
  null without a previous value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import ibis

from edubrain.analytics.profiles.common import (
    attach,
    attach_all,
    canonical,
    cap,
    count_if,
    exam_pct,
    last_rows,
    merged_counts,
    sum_if,
)
from edubrain.analytics.profiles.definitions import ScoreParameters, score_parameters

if TYPE_CHECKING:
    from ibis.expr.types import Table

STUDENT_INPUTS: tuple[str, ...] = (
    "students",
    "exam_scores",
    "fitness_tests",
    "fitness",
    "schools",
    "student_activities",
    "student_awards",
    "student_conduct",
    "info_literacy",
    "identity_links",
)
"""Tables :func:`student_profiles_expr` reads; ``fitness`` is ``fitness_tests`` scored (``total_score``,
``level``, ``status`` as :func:`edubrain.analytics.fitness.score_expr` gives them), read once for the totals (the
raw ``fitness_tests`` give the rows and locations: the large scoring expression appears once in the plan, which
Spark's optimiser needs), and ``identity_links`` the link table."""

EVIDENCE = (
    "students",
    "exam_scores",
    "fitness_tests",
    "student_activities",
    "student_awards",
    "student_conduct",
    "info_literacy",
)
"""The student-keyed inputs that make a (student, year) row exist."""

ARTS = ("11", "12")
PRACTICE = ("21", "22", "23", "24", "25")
VOLUNTEER = "22"
LABOUR = "25"
LITERACY = {"1": "literacy_awareness", "2": "literacy_computational", "3": "literacy_skills", "4": "literacy_ethics"}
KEY = ("student_id", "school_year")
COLUMNS: tuple[str, ...] = (
    "student_id",
    "school_code",
    "district_code",
    "class_id",
    "grade",
    "school_year",
    "conduct_rating",
    "commendations",
    "disciplinary",
    "volunteer_hours",
    "exam_mean_pct",
    "exam_trend",
    "exam_pass_share",
    "fitness_total",
    "fitness_level",
    "fitness_trend",
    "arts_hours",
    "arts_awards",
    "practice_hours",
    "labour_hours",
    "literacy_awareness",
    "literacy_computational",
    "literacy_skills",
    "literacy_ethics",
    "awards_total",
    "domain_moral",
    "domain_academic",
    "domain_health",
    "domain_arts",
    "domain_practice",
    "records_merged",
)
"""Columns of :func:`student_profiles_expr`: those of ``student_profiles`` with ``student_id`` in place of the
pseudonym (the job pseudonymises)."""


def _exams(exams: Table, params: ScoreParameters) -> tuple[Table, Table]:
    """Per student-year exam indicators, and the year's location from its last exam result."""
    e = exam_pct(exams)
    agg = e.group_by(*KEY).aggregate(
        exam_mean_pct=e["pct"].mean(),
        exam_pass_share=ibis.ifelse(e["pct"] >= params.exam_pass_pct, 1, 0).cast("float64").mean(),
    )
    return agg, _exam_loc(e)


def _exam_loc(e: Table) -> Table:
    """Per student-year school, class and grade of the year's last exam result (by term, exam id)."""
    last = last_rows(e, KEY, ["term", "exam_id", "subject", "source_id"])
    return last.select(*KEY, e_school=last["school_code"], e_class=last["class_id"], e_grade=last["grade"])


def _fitness_best(scored: Table) -> Table:
    """Per student-year fitness total and level: the highest complete test."""
    complete = scored.filter(scored["total_score"].notnull())
    return last_rows(complete, KEY, ["total_score", "level", "source_id"]).select(
        *KEY, fitness_total=complete["total_score"].cast("float64"), fitness_level=complete["level"]
    )


def _fitness_loc(tests: Table) -> Table:
    """Per student-year school, class and grade of the fitness tests (the greatest school code, class id)."""
    last = last_rows(tests, KEY, ["school_code", "class_id", "source_id"])
    return last.select(*KEY, f_school=last["school_code"], f_class=last["class_id"], f_grade=last["grade"])


def _conduct(conduct: Table) -> Table:
    """Per student-year commendations, disciplinary records and the last conduct rating."""
    counts = conduct.group_by(*KEY).aggregate(
        commendations=count_if(conduct["record_type"] == "2"),
        disciplinary=count_if(conduct["record_type"] == "3"),
    )
    ratings = conduct.filter((conduct["record_type"] == "1") & conduct["rating"].notnull())
    last = last_rows(ratings, KEY, ["term", "record_date", "record_id"]).select(*KEY, conduct_rating=ratings["rating"])
    return attach(counts, last, KEY)


def _activities(acts: Table) -> Table:
    """Per student-year hours by kind (0.0 when the student has activity rows but none of the kind)."""
    kind, hours = acts["activity_type"], acts["hours"]
    return acts.group_by(*KEY).aggregate(
        volunteer_hours=sum_if(kind == VOLUNTEER, hours),
        arts_hours=sum_if(kind.isin(ARTS), hours),
        practice_hours=sum_if(kind.isin(PRACTICE), hours),
        labour_hours=sum_if(kind == LABOUR, hours),
    )


def _awards(awards: Table) -> Table:
    """Per student-year award counts: all, arts (domain 4), social practice (domain 5)."""
    return awards.group_by(*KEY).aggregate(
        awards_total=awards.count().cast("int64"),
        arts_awards=count_if(awards["domain"] == "4"),
        practice_awards=count_if(awards["domain"] == "5"),
    )


def _literacy(lit: Table) -> Table:
    """Per student-year score of each information literacy dimension (null when not assessed)."""
    return lit.group_by(*KEY).aggregate(
        **{
            column: ibis.ifelse(lit["dimension"] == code, lit["score"].cast("float64"), ibis.null("float64")).max()
            for code, column in LITERACY.items()
        }
    )


def _roster(students: Table) -> Table:
    """The roster's location per canonical student and its ``school_year`` (the canonical's own row first)."""
    own = ibis.ifelse(students["source_id"] == students["student_id"], 1, 0)
    ranked = students.mutate(_own=own)
    last = last_rows(ranked, KEY, ["_own", "source_id"])
    return last.select(*KEY, r_school=last["school_code"], r_class=last["class_id"], r_grade=last["grade"])


def _spine(parts: Mapping[str, Table]) -> Table:
    """Every (student, year) with a roster row or any evidence row, with the school of the other evidence."""
    pieces = []
    for table in parts.values():
        pieces.append(
            table.select(
                student_id=table["student_id"], school_year=table["school_year"], o_school=table["school_code"]
            )
        )
    union = ibis.union(*pieces, distinct=True)
    return union.group_by(*KEY).aggregate(o_school=union["o_school"].min())


def _located(t: Table) -> Table:
    """``t`` with the year's ``school_code``, ``class_id`` and ``grade`` by the precedence of the module rules."""
    roster, exam = t["r_school"].notnull(), t["e_school"].notnull()
    return t.mutate(
        school_code=t["r_school"].fill_null(t["e_school"]).fill_null(t["f_school"]).fill_null(t["o_school"]),
        class_id=ibis.ifelse(roster, t["r_class"], ibis.ifelse(exam, t["e_class"], t["f_class"])),
        grade=ibis.ifelse(roster, t["r_grade"], ibis.ifelse(exam, t["e_grade"], t["f_grade"])),
    )


def student_locations_expr(tables: Mapping[str, Table]) -> Table:
    """Every student profile row's (``student_id``, ``school_code``, ``school_year``) without the indicators.

    The same rows and schools as :func:`student_profiles_expr` (same rules), from the raw inputs only: the
    school profiles count students with it.
    """
    links = tables["identity_links"]
    src = {name: canonical(tables[name], links) for name in EVIDENCE}
    locations = (_roster(src["students"]), _exam_loc(src["exam_scores"]), _fitness_loc(src["fitness_tests"]))
    parts = [(part, KEY) for part in locations]
    t = _located(attach_all(_spine(src), parts))
    return t.select("student_id", "school_code", "school_year")


def domain_scores(t: Table, params: ScoreParameters | None = None) -> dict[str, object]:
    """The five domain scores (0-100) as expressions over a table with the indicator columns.

    Moral: the base of the last conduct rating, plus commendations (capped), minus disciplinary records, plus
    volunteer hours (capped), within 0-100; null without a rating. Academic: ``exam_mean_pct``. Health: the
    fitness total capped at 100. Arts / practice: hours against the yearly reference (earning ``hours_points``
    at the reference, proportionally, capped) plus an award bonus (capped), at most 100; null without activity
    rows.
    """
    p = params or score_parameters()
    base = ibis.cases(*[(t["conduct_rating"] == code, value) for code, value in p.conduct_base.items()])
    commend = cap(t["commendations"].fill_null(0).cast("float64") * p.commendation_points, p.commendation_cap)
    penalty = t["disciplinary"].fill_null(0).cast("float64") * p.disciplinary_points
    volunteer = cap(t["volunteer_hours"].fill_null(0.0) * p.volunteer_points_per_hour, p.volunteer_cap)
    moral = cap(base.cast("float64") + commend - penalty + volunteer, 100.0, 0.0)

    def hours_score(hours: object, reference: float, awards: object) -> object:
        part = cap(hours * (p.hours_points / reference), p.hours_points)  # type: ignore[operator]
        bonus = cap(awards.fill_null(0).cast("float64") * p.award_points, p.award_cap)  # type: ignore[attr-defined]
        return cap(part + bonus, 100.0)

    return {
        "domain_moral": moral,
        "domain_academic": t["exam_mean_pct"],
        "domain_health": cap(t["fitness_total"], 100.0),
        "domain_arts": hours_score(t["arts_hours"], p.arts_reference_hours, t["arts_awards"]),
        "domain_practice": hours_score(t["practice_hours"], p.practice_reference_hours, t["practice_awards"]),
    }


def student_profiles_expr(tables: Mapping[str, Table], params: ScoreParameters | None = None) -> Table:
    """The student profile rows (see the module docstring for the rules), keyed by canonical ``student_id``.

    Args:
        tables: The tables of :data:`STUDENT_INPUTS` by name.
        params: Domain score parameters (default: those of ``profile_indicators.yaml``).

    Returns:
        The columns of :data:`COLUMNS`, one row per (``student_id``, ``school_year``).
    """
    p = params or score_parameters()
    links = tables["identity_links"]
    src = {name: canonical(tables[name], links) for name in EVIDENCE}
    exams, e_loc = _exams(src["exam_scores"], p)
    fitness = _fitness_best(canonical(tables["fitness"], links))
    parts: list[tuple[Table, Sequence[str]]] = [
        (part, KEY)
        for part in (
            _roster(src["students"]),
            e_loc,
            _fitness_loc(src["fitness_tests"]),
            exams,
            fitness,
            _conduct(src["student_conduct"]),
            _activities(src["student_activities"]),
            _awards(src["student_awards"]),
            _literacy(src["info_literacy"]),
        )
    ]
    parts.append((merged_counts(links), ("student_id",)))
    t = _located(attach_all(_spine(src), parts))
    # The previous school year's values: the row before in the student's years, when it is the year before.
    window = ibis.window(group_by=t["student_id"], order_by=t["school_year"])
    previous = t["school_year"].lag().over(window) == t["school_year"] - 1
    t = t.mutate(
        records_merged=t["records_merged"].fill_null(0),
        exam_trend=ibis.ifelse(
            previous, t["exam_mean_pct"] - t["exam_mean_pct"].lag().over(window), ibis.null("float64")
        ),
        fitness_trend=ibis.ifelse(
            previous, t["fitness_total"] - t["fitness_total"].lag().over(window), ibis.null("float64")
        ),
    )
    schools = tables["schools"]
    districts = schools.group_by("school_code").aggregate(district_code=schools["district_code"].min())
    t = attach(t, districts, ["school_code"])
    t = t.mutate(**domain_scores(t, p))  # type: ignore[arg-type]
    return t.select(*COLUMNS)
