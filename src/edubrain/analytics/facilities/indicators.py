"""Facility, usage and satisfaction indicators per school, district and city and month (``docs/facilities.md``).

Every indicator is a ratio ``numerator / denominator`` kept with both parts and
the number of persons it describes, computed per school first; the district
and city rows add the schools' numerators, denominators and persons and divide
again, so a district's rate is weighted by its schools' sizes. Rows come in one
long table: ``level``, ``org_code``, ``parent_code``, ``month``,
``school_year``, ``indicator``, ``category``, ``app_id``, ``value``,
``numerator``, ``denominator``, ``people``.

=========================  ===================================  ======================  ==========
indicator                  numerator                            denominator             category
=========================  ===================================  ======================  ==========
device_online_rate         devices online in the month          devices expected        device group
device_availability        online device-days                   expected device-days    device group
device_faults              fault device-days                    (none: value = count)   device group
device_fault_rate          fault device-days                    reported device-days    device group
energy_kwh_per_student     kWh of electricity meters            enrolled students       ``*``
active_user_rate           active users (distinct pseudonyms)   enrolled or staff       user role
sessions_per_active_user   sign-in events (type 1)              active users            user role
weekly_active_rate         active user-weeks                    (enrolled or staff)     user role
                                                                x weeks with usage
minutes_per_active_user    minutes used                         active users who        user role
                                                                reported minutes
low_use                    weekly_active_rate (1 = below the    the threshold           user role
                           threshold, 0 = not below)
app_school_reach           schools where the app is in use      schools reporting usage ``*``
apps_in_use_share          apps in use at the school(s)         apps in service x       ``*``
                                                                schools reporting usage
mean_satisfaction          sum of scores                        scores given            respondent role
=========================  ===================================  ======================  ==========

The usage-efficiency indicators (``weekly_active_rate``, ``minutes_per_active_user``, ``low_use``) are
defined in ``docs/facilities.md`` (用法效率 / usage efficiency): a week is the ISO week (Monday to Sunday,
``date_trunc('week')``) of an event's date, counted inside the month; "weeks with usage" are the weeks of the
month in which the platform received any usage event from any school. ``low_use`` is a flag, not a ratio:
``value`` is 1 when the weekly active rate is below the threshold (``numerator``) set as data
(``analytics/data/usage_efficiency.yaml``, ``denominator`` holds it), else 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ibis

from edubrain.analytics.facilities.devices import month_of
from edubrain.analytics.facilities.reach import reach_rows

if TYPE_CHECKING:
    from ibis.expr.types import Table

CITY_CODE = "110000"
ALL = "*"
ELECTRICITY_METER = "11"
ENROLLED = ("01", "05")
"""``student_status`` codes of students in school (在读, 复学)."""
SESSION = "1"
"""``app_event_type`` of a sign-in (one session)."""
STUDENT_ROLES = ("1",)
STAFF_ROLES = ("2",)
INDICATORS: tuple[str, ...] = (
    "device_online_rate",
    "device_availability",
    "device_faults",
    "device_fault_rate",
    "energy_kwh_per_student",
    "active_user_rate",
    "sessions_per_active_user",
    "mean_satisfaction",
    "weekly_active_rate",
    "minutes_per_active_user",
    "low_use",
    "app_school_reach",
    "apps_in_use_share",
)
"""The indicators, in the order pages show them."""
COUNT_ONLY = ("device_faults",)
FLAGS = ("low_use",)
"""Indicators whose value is a 0/1 flag, not ``numerator / denominator``."""
LOW_USE_BELOW = 0.05
"""The default low-use threshold (a weekly active rate); the job passes the one declared as data."""
IN_USE_MIN_ACTIVE = 10
"""The default users a school needs for an application to be in use there; the job passes the declared one."""
"""Indicators whose value is the numerator itself."""
ORG_KEYS = ("school_code", "district_code", "month")


def _f(value: Any) -> Any:
    return value.cast("float64")


def _long(t: Table, indicator: str, num: Any, den: Any, people: Any) -> Table:
    """Rows of one indicator in the common long schema (school level)."""
    name = t["app_name"] if "app_name" in t.columns else ibis.null("string")
    return t.select(
        school_code=t["school_code"],
        district_code=t["district_code"],
        month=t["month"].cast("int64"),
        indicator=ibis.literal(indicator),
        category=t["category"].cast("string"),
        app_id=t["app_id"].cast("string"),
        app_name=name.cast("string"),
        numerator=_f(num),
        denominator=_f(den),
        people=people.cast("int64"),
    )


def _device_rows(months: Table) -> list[Table]:
    """The four device indicators per school, month and device group (and ``*``)."""
    expected = months["expected_days"] > 0
    base = months.mutate(
        is_expected=ibis.ifelse(expected, 1, 0).cast("int64"),
        is_online=ibis.ifelse(expected & (months["online_days"] > 0), 1, 0).cast("int64"),
    )
    parts = []
    for category in (base["kind_group"], ibis.literal(ALL)):
        parts.append(
            base.group_by(*ORG_KEYS, category=category).agg(
                devices=lambda t: t["is_expected"].sum(),
                online=lambda t: t["is_online"].sum(),
                expected_days=lambda t: t["expected_days"].sum(),
                online_days=lambda t: t["online_days"].sum(),
                reported_days=lambda t: t["reported_days"].sum(),
                fault_days=lambda t: t["fault_days"].sum(),
            )
        )
    g = parts[0].union(parts[1]).mutate(app_id=ibis.literal(ALL))
    none = ibis.null("int64")
    return [
        _long(g, "device_online_rate", g["online"], g["devices"], none),
        _long(g, "device_availability", g["online_days"], g["expected_days"], none),
        _long(g, "device_faults", g["fault_days"], ibis.null("float64"), none),
        _long(g, "device_fault_rate", g["fault_days"], g["reported_days"], none),
    ]


def _enrolled(students: Table) -> Table:
    """Enrolled students per school and school year (``s_code``, ``s_year``, ``enrolled``)."""
    inside = students.filter(students["status"].isin(list(ENROLLED)))
    return inside.group_by(s_code=inside["school_code"], s_year=inside["school_year"]).agg(enrolled=lambda t: t.count())


def _staff(teachers: Table) -> Table:
    """Staff per school (the current ``teachers`` roster): ``t_code``, ``staff``."""
    return teachers.group_by(t_code=teachers["school_code"]).agg(staff=lambda t: t.count())


def school_year_of(month: Any) -> Any:
    """The school year (starting in September) of a YYYYMM month."""
    year = (month // 100).cast("int64")
    return ibis.ifelse(month % 100 >= 9, year, year - 1).cast("int64")


def _energy_rows(months: Table, enrolled: Table) -> Table:
    meters = months.filter(months["device_kind"] == ELECTRICITY_METER)
    used = meters.group_by(*ORG_KEYS).agg(kwh=lambda t: t["energy_kwh"].sum())
    used = used.mutate(s_year=school_year_of(used["month"]))
    j = used.join(enrolled, [used["school_code"] == enrolled["s_code"], used["s_year"] == enrolled["s_year"]])
    j = j.mutate(category=ibis.literal(ALL), app_id=ibis.literal(ALL))
    return _long(j, "energy_kwh_per_student", j["kwh"], j["enrolled"], ibis.null("int64"))


def _with_district(t: Table, schools: Table, date: str) -> Table:
    districts = schools.select(s_code=schools["school_code"], district_code=schools["district_code"]).distinct()
    j = t.left_join(districts, t["school_code"] == districts["s_code"])
    return j.mutate(month=month_of(j[date]))


def _usage_rows(usage: Table, schools: Table, enrolled: Table, staff: Table, min_active: int) -> list[Table]:
    """Active-user rate and sessions per active user per school, month, role and application (and ``*``)."""
    u = _with_district(usage, schools, "event_date")
    week = u["event_date"].cast("date").truncate("W").cast("string")
    u = u.mutate(
        sessions=ibis.ifelse(u["event_type"] == SESSION, u["event_count"], 0).cast("int64"),
        week=week,
        user_week=u["user_pseudonym"] + ":" + week,
    )
    weeks = u.group_by(w_month=u["month"]).agg(weeks=lambda t: t["week"].nunique().cast("int64"))
    parts = []
    for app, name in ((u["app_id"], u["app_name"].max()), (ibis.literal(ALL), ibis.null("string"))):
        parts.append(
            u.group_by(*ORG_KEYS, category=u["user_role"], app_id=app).agg(
                app_name=name,
                active=lambda t: t["user_pseudonym"].nunique().cast("int64"),
                sessions=lambda t: t["sessions"].sum().cast("int64"),
                user_weeks=lambda t: t["user_week"].nunique().cast("int64"),
                minutes=lambda t: t["duration_minutes"].sum().cast("float64"),
                timed=lambda t: t["user_pseudonym"].nunique(where=t["duration_minutes"].notnull()).cast("int64"),
            )
        )
    g = parts[0].union(parts[1])
    g = g.join(weeks, g["month"] == weeks["w_month"])
    g = g.mutate(s_year=school_year_of(g["month"]))
    g = g.left_join(enrolled, [g["school_code"] == enrolled["s_code"], g["s_year"] == enrolled["s_year"]])
    g = g.left_join(staff, g["school_code"] == staff["t_code"])
    role = g["category"]
    base = (
        ibis.cases(
            (role.isin(list(STUDENT_ROLES)), g["enrolled"]),
            (role.isin(list(STAFF_ROLES)), g["staff"]),
            else_=ibis.null("int64"),
        )
    ).cast("int64")
    g = g.mutate(base=base, needs_base=role.isin([*STUDENT_ROLES, *STAFF_ROLES]))
    rate = g.filter(~g["needs_base"] | g["base"].notnull())  # a school without its roster has no rate
    return [
        _long(rate, "active_user_rate", rate["active"], rate["base"], rate["active"]),
        _long(g, "sessions_per_active_user", g["sessions"], g["active"], g["active"]),
        _long(rate, "weekly_active_rate", rate["user_weeks"], rate["base"] * rate["weeks"], rate["active"]),
        _long(g, "minutes_per_active_user", g["minutes"], g["timed"], g["active"]),
        *reach_rows(u, min_active),
    ]


def _satisfaction_rows(surveys: Table, schools: Table) -> Table:
    """Mean satisfaction per school, month, application and respondent role (and ``*``)."""
    s = _with_district(surveys, schools, "response_date")
    s = s.mutate(sheet=s["survey_id"] + ":" + s["response_id"])
    parts = []
    for role in (s["respondent_role"], ibis.literal(ALL)):
        parts.append(
            s.group_by(*ORG_KEYS, category=role, app_id=s["app_id"]).agg(
                app_name=s["app_name"].max(),
                respondents=lambda t: t["sheet"].nunique().cast("int64"),
                scores=lambda t: t.count().cast("int64"),
                total=lambda t: t["score"].sum().cast("int64"),
            )
        )
    g = parts[0].union(parts[1])
    return _long(g, "mean_satisfaction", g["total"], g["scores"], g["respondents"])


def _value(t: Table) -> Any:
    num, den = t["numerator"], t["denominator"]
    ratio = ibis.ifelse(den > 0, num / den, ibis.null("float64"))
    return ibis.ifelse(t["indicator"].isin(list(COUNT_ONLY)), num, ratio).cast("float64")


def _levels(schools: Table) -> Table:
    """School rows, then their sums per district and for the city, with ``value`` recomputed."""
    keys = ("month", "indicator", "category", "app_id")
    measures = ("app_name", "numerator", "denominator", "people")
    sums = {m: (lambda name: lambda t: t[name].sum())(m) for m in measures[1:]}
    sums["app_name"] = lambda t: t["app_name"].max()
    district = schools.group_by("district_code", *keys).agg(**sums)
    city = schools.group_by(*keys).agg(**sums)
    levels = [
        schools.mutate(
            level=ibis.literal("school"), org_code=schools["school_code"], parent_code=schools["district_code"]
        ),
        district.mutate(
            level=ibis.literal("district"), org_code=district["district_code"], parent_code=ibis.literal(CITY_CODE)
        ),
        city.mutate(level=ibis.literal("city"), org_code=ibis.literal(CITY_CODE), parent_code=ibis.null("string")),
    ]
    columns = ("level", "org_code", "parent_code", *keys, *measures)
    out = levels[0].select(*columns).union(levels[1].select(*columns)).union(levels[2].select(*columns))
    out = out.mutate(
        numerator=_f(out["numerator"]), denominator=_f(out["denominator"]), people=out["people"].cast("int64")
    )
    return out.select(
        "level",
        "org_code",
        "parent_code",
        "month",
        "indicator",
        "category",
        "app_id",
        "app_name",
        school_year=school_year_of(out["month"]),
        value=_value(out),
        numerator=out["numerator"],
        denominator=out["denominator"],
        people=out["people"],
    )


def _low_use_rows(levels: Table, below: float) -> Table:
    """The low-use flag of every weekly active rate: 1 below ``below``, 0 otherwise (no flag without a rate)."""
    rate = levels.filter((levels["indicator"] == "weekly_active_rate") & levels["value"].notnull())
    return rate.mutate(
        indicator=ibis.literal("low_use"),
        value=ibis.ifelse(rate["value"] < below, 1.0, 0.0).cast("float64"),
        numerator=rate["value"].cast("float64"),
        denominator=ibis.literal(below).cast("float64"),
    ).select(*levels.columns)


def indicators_expr(
    tables: Mapping[str, Table], low_use_below: float = LOW_USE_BELOW, min_active: int = IN_USE_MIN_ACTIVE
) -> Table:
    """Every indicator per school, district and city and month, before small-cell suppression.

    Args:
        tables: ``facility_device_months`` (from :func:`~edubrain.analytics.facilities.devices.device_months_expr`),
            ``schools``, ``students``, ``teachers``, ``app_usage_events`` and ``satisfaction_surveys``.
        low_use_below: The weekly active rate (0-1) below which an application's cell is flagged ``low_use``.
        min_active: Distinct users a school needs in a month for an application to be in use there
            (:mod:`~edubrain.analytics.facilities.reach`).

    Returns:
        The long table described in the module docstring.
    """
    months, schools = tables["facility_device_months"], tables["schools"]
    enrolled = _enrolled(tables["students"])
    parts = [
        *_device_rows(months),
        _energy_rows(months, enrolled),
        *_usage_rows(tables["app_usage_events"], schools, enrolled, _staff(tables["teachers"]), min_active),
        _satisfaction_rows(tables["satisfaction_surveys"], schools),
    ]
    rows = parts[0]
    for part in parts[1:]:
        rows = rows.union(part)
    levels = _levels(rows)
    return levels.union(_low_use_rows(levels, low_use_below))
