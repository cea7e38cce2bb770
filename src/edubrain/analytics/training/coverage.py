"""Training hours against the yearly target, rolling three-year coverage and the year-end forecast, per person-year.

One row per (``teacher_id``, ``year``), judged on a date ``as_of`` (default: the latest ``end_date`` among the
training records, "as of the latest training reported"). Rules (``docs/training-coverage.md``):

- **Who is counted in a year.** Anyone with a training record of the year, a teaching assignment of the school
  year, or, for the register's year (the year of the latest training reported, when ``as_of`` is not before it),
  a row of the current teacher register. The register holds the current staff only, so a past year knows its
  staff by their records and assignments.
- **School and role.** The register's school in the register's year, else the lowest school of the year's
  assignments, else of its records; principal when the register says so (the current role is applied to every
  year; someone no longer on the register counts as a teacher).
- **Hours.** The hours of the year's records that ended on or before ``as_of`` (a course counts once finished).
  Target: :attr:`TrainingTargets.principal_hours` for a principal, :attr:`TrainingTargets.teacher_hours` for
  anyone else; ``met`` when the hours reach it. A year is ``complete`` once ``as_of`` is on or after its 31 December.
- **Coverage.** The window of a year is that year and the ``window_years - 1`` before it. ``trained_3y``: any
  hours in the window; ``met_3y``: the target met in at least one year of it. Both are null while the window
  reaches back before the first year of training data.
- **Forecast** (the year of ``as_of`` only, when not complete): ``season_share`` is the share of a usual year's
  hours done by the same day of the year, from the school's records of the previous ``history_years`` years
  (else the city's, else the calendar's share of the year); the person's ``pace_hours`` (expected hours in a
  whole year) is the mean of two estimates where both exist, else the one that does, else the target: their own
  mean yearly hours over the previous ``history_years`` years in which they were counted, and this year's run
  rate ``hours / season_share`` (only from ``min_season_share`` on). ``projected_hours = hours + (1 −
  season_share) × pace_hours``.
- **Status.** ``met``; ``missed`` (a complete year below target); ``at_risk`` (projected below the target);
  ``on_track``. ``window_at_risk``: at risk in a year whose window holds no year with the target met, so the
  window would close uncovered.

Every function takes and returns Ibis expressions and names no engine (DuckDB and Spark give the same rows,
``tests/parity``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import ibis

from edubrain.analytics.profiles.common import attach, attach_all
from edubrain.analytics.training.targets import TrainingTargets, load_targets

if TYPE_CHECKING:
    from ibis.expr.types import Table

INPUTS: tuple[str, ...] = ("training_records", "teachers", "teacher_assignments", "schools")
KEY: tuple[str, ...] = ("teacher_id", "year")
STATUSES: tuple[str, ...] = ("met", "missed", "at_risk", "on_track")
"""The values of ``status``, in the order the pages show them."""
COLUMNS: tuple[str, ...] = (
    "teacher_id",
    "school_code",
    "district_code",
    "year",
    "is_principal",
    "target_hours",
    "hours",
    "hours_needed",
    "met",
    "complete",
    "status",
    "window_hours",
    "trained_3y",
    "met_3y",
    "window_at_risk",
    "season_share",
    "pace_hours",
    "projected_hours",
    "as_of",
)


def judgement_date(records: Table, as_of: dt.date | None) -> Table:
    """One row: ``as_of`` (the given date, else the latest ``end_date``), ``first_year`` and ``register_year``.

    ``register_year`` is the year of the latest ``end_date``: the year whose staff the current register lists.
    """
    found = records.aggregate(
        first_year=records["year"].min().cast("int64"),
        latest=records["end_date"].max(),
    )
    found = found.mutate(register_year=found["latest"].year().cast("int64"))
    judged = found["latest"] if as_of is None else ibis.literal(as_of, type="date")
    return found.mutate(as_of=judged).drop("latest")


def _people(
    tables: Mapping[str, Table], records: Table, when: Table
) -> tuple[Table, list[tuple[Table, tuple[str, ...]]]]:
    """The (person, year) spine and the parts to attach: hours done, schools of records, assignments, register."""
    done = records.filter((records["end_date"] <= records["as_of"]) & (records["year"] <= records["now"]))
    hours = done.group_by(*KEY).aggregate(hours_done=done["hours"].sum())
    of_year = records.filter(records["year"] <= records["now"])
    by_record = of_year.group_by(*KEY).aggregate(rec_school=of_year["school_code"].min())
    assign = tables["teacher_assignments"].cross_join(when.select("now"))
    assign = assign.filter(assign["school_year"].cast("int64") <= assign["now"])
    by_assign = assign.group_by(assign["teacher_id"], year=assign["school_year"].cast("int64")).aggregate(
        a_school=assign["school_code"].min()
    )
    reg = tables["teachers"]
    register = reg.group_by("teacher_id").aggregate(
        reg_school=reg["school_code"].min(), is_principal=reg["is_principal"].max()
    )
    current = register.cross_join(when.select("now", "register_year"))
    current = current.filter(current["register_year"] <= current["now"])
    current = current.select(current["teacher_id"], year=current["register_year"], cur_school=current["reg_school"])
    spine = ibis.union(by_record.select(*KEY), by_assign.select(*KEY), current.select(*KEY), distinct=True)
    spine = spine.filter(spine["year"].notnull())  # no training record at all: no judgement date, no year
    parts = [(hours, KEY), (by_record, KEY), (by_assign, KEY), (current, KEY)]
    return spine, [*parts, (register.select("teacher_id", "is_principal"), ("teacher_id",))]


def _window(t: Table, targets: TrainingTargets) -> Table:
    """Per (person, year): hours and met years of the coverage window, hours and years counted of the history."""
    back = max(targets.window_years - 1, targets.history_years)
    w = t.select(w_id=t["teacher_id"], w_year=t["year"], w_hours=t["hours"], w_met=ibis.ifelse(t["met"], 1, 0))
    left = t.select(*KEY)
    joined = left.join(
        w, [left["teacher_id"] == w["w_id"], w["w_year"] <= left["year"], w["w_year"] >= left["year"] - back]
    )
    in_window = joined["w_year"] >= joined["year"] - (targets.window_years - 1)
    in_history = (joined["w_year"] < joined["year"]) & (joined["w_year"] >= joined["year"] - targets.history_years)
    return joined.group_by(*KEY).aggregate(
        window_hours=ibis.ifelse(in_window, joined["w_hours"], 0.0).sum(),
        window_met=ibis.ifelse(in_window, joined["w_met"], 0).max(),
        hist_sum=ibis.ifelse(in_history, joined["w_hours"], 0.0).sum(),
        hist_n=ibis.ifelse(in_history, 1, 0).sum(),
    )


def _season(records: Table, targets: TrainingTargets) -> tuple[Table, Table]:
    """Share of a usual year's hours done by the day of ``as_of``: per school, and the city's (one row)."""
    past = records.filter(
        (records["year"] < records["now"]) & (records["year"] >= records["now"] - targets.history_years)
    )
    by_day = (past["end_date"].year() == past["year"]) & (past["end_date"].day_of_year() <= past["doy"])
    past = past.mutate(done_by=ibis.ifelse(by_day, past["hours"], 0.0))
    school = past.group_by(s_school=past["school_code"]).aggregate(
        s_num=past["done_by"].sum(), s_den=past["hours"].sum()
    )
    school = school.select(
        "s_school",
        school_share=ibis.ifelse(school["s_den"] > 0, school["s_num"] / school["s_den"], ibis.null("float64")),
    )
    city = past.aggregate(c_num=past["done_by"].sum(), c_den=past["hours"].sum())
    city = city.select(city_share=ibis.ifelse(city["c_den"] > 0, city["c_num"] / city["c_den"], ibis.null("float64")))
    return school, city


def coverage_expr(
    tables: Mapping[str, Table], targets: TrainingTargets | None = None, as_of: dt.date | None = None
) -> Table:
    """The person-year rows of :data:`COLUMNS` (rules in the module docstring).

    Args:
        tables: ``training_records``, ``teachers``, ``teacher_assignments`` and ``schools`` (lake tables).
        targets: The targets (default :func:`load_targets`).
        as_of: The date the hours are judged on (default: the latest ``end_date`` of the records).
    """
    tg = targets or load_targets()
    rec = tables["training_records"]
    when = judgement_date(rec, as_of)
    when = when.mutate(now=when["as_of"].year().cast("int64"), doy=when["as_of"].day_of_year().cast("int64"))
    records = rec.select(
        "teacher_id", "school_code", "end_date", year=rec["year"].cast("int64"), hours=rec["hours"].cast("float64")
    ).cross_join(when)
    spine, parts = _people(tables, records, when)
    t = attach_all(spine, parts).cross_join(when)
    schools = tables["schools"]
    t = t.mutate(school_code=t["cur_school"].fill_null(t["a_school"]).fill_null(t["rec_school"]))
    t = attach(t, schools.select("school_code", "district_code").distinct(), ["school_code"])
    is_principal = t["is_principal"].fill_null(False)
    target = ibis.ifelse(
        is_principal, ibis.literal(tg.principal_hours, "float64"), ibis.literal(tg.teacher_hours, "float64")
    )
    last_day = (t["as_of"].month() == 12) & (t["as_of"].day() == 31)
    t = t.mutate(is_principal=is_principal, target_hours=target, hours=t["hours_done"].fill_null(0.0))
    t = t.mutate(
        met=t["hours"] >= t["target_hours"],
        complete=(t["year"] < t["now"]) | ((t["year"] == t["now"]) & last_day),
    )
    return _judged(_forecast(attach(t, _window(t, tg), list(KEY)), records, tg), tg)


def _forecast(t: Table, records: Table, tg: TrainingTargets) -> Table:
    """Add ``season_share``, ``pace_hours`` and ``projected_hours`` (complete years: the hours themselves)."""
    school, city = _season(records, tg)
    t = t.left_join(school, t["school_code"] == school["s_school"]).drop("s_school").cross_join(city)
    calendar = t["doy"].cast("float64") / 365.0
    season = t["school_share"].fill_null(t["city_share"]).fill_null(calendar)
    run_rate = ibis.ifelse(season >= tg.min_season_share, t["hours"] / season, ibis.null("float64"))
    own = ibis.ifelse(t["hist_n"] > 0, t["hist_sum"] / t["hist_n"].cast("float64"), ibis.null("float64"))
    pace = ibis.cases(
        (own.notnull() & run_rate.notnull(), (own + run_rate) / 2.0),
        (own.notnull(), own),
        (run_rate.notnull(), run_rate),
        else_=t["target_hours"],
    )
    open_year = ~t["complete"]
    return t.mutate(
        season_share=ibis.ifelse(open_year, season, ibis.null("float64")),
        pace_hours=ibis.ifelse(open_year, pace, ibis.null("float64")),
        projected_hours=ibis.ifelse(open_year, t["hours"] + (1.0 - season) * pace, t["hours"]),
    )


def _judged(t: Table, tg: TrainingTargets) -> Table:
    """Add ``status``, ``hours_needed``, the coverage flags and ``window_at_risk``; select :data:`COLUMNS`."""
    observed = t["year"] - (tg.window_years - 1) >= t["first_year"]
    status = ibis.cases(
        (t["met"], "met"),
        (t["complete"], "missed"),
        (t["projected_hours"] < t["target_hours"], "at_risk"),
        else_="on_track",
    )
    t = t.mutate(
        status=status,
        hours_needed=ibis.ifelse(t["met"], 0.0, t["target_hours"] - t["hours"]),
        trained_3y=ibis.ifelse(observed, t["window_hours"] > 0, ibis.null("boolean")),
        met_3y=ibis.ifelse(observed, t["window_met"] > 0, ibis.null("boolean")),
    )
    return t.mutate(window_at_risk=(t["status"] == "at_risk") & (t["window_met"] == 0)).select(*COLUMNS)
