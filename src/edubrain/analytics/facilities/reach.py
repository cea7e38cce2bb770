"""How widely applications are used: schools where an application is in use, and applications in use per school.

An application is **in use** at a school in a month when at least ``min_active`` distinct users (any role) had an
event in it (the threshold is data: ``analytics/data/usage_efficiency.yaml``). The schools counted are those
that **reported usage** that month (any application): a school that sent no usage data is not counted as a
school where nothing is used. The applications counted are those **in service** that month (any school used
them). ``app_usage_events`` holds no licence or provisioning data, so neither count is "provisioned".

=====================  =====================================  ===============================  ==========
indicator              numerator                              denominator                      app_id
=====================  =====================================  ===============================  ==========
app_school_reach       schools where the application is       schools that reported usage      the app
                       in use (a school's row: 1 or 0)        (a school's row: 1)
apps_in_use_share      applications in use at the school(s)   applications in service x        ``*``
                                                              schools that reported usage
=====================  =====================================  ===============================  ==========
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis

if TYPE_CHECKING:
    from ibis.expr.types import Table

ALL = "*"


def _rows(t: Table, indicator: str, app: Any, num: Any, den: Any) -> Table:
    return t.select(
        school_code=t["school_code"],
        district_code=t["district_code"],
        month=t["month"].cast("int64"),
        indicator=ibis.literal(indicator),
        category=ibis.literal(ALL),
        app_id=app.cast("string"),
        app_name=ibis.null("string"),
        numerator=num.cast("float64"),
        denominator=den.cast("float64"),
        people=ibis.null("int64"),
    )


def reach_rows(u: Table, min_active: int) -> list[Table]:
    """``app_school_reach`` and ``apps_in_use_share`` per school and month (the school level only).

    Args:
        u: Usage events with ``school_code``, ``district_code``, ``month``, ``app_id`` and ``user_pseudonym``.
        min_active: Distinct users a school needs in a month for an application to count as in use there.
    """
    active = u.group_by("school_code", "month", "app_id").agg(users=lambda t: t["user_pseudonym"].nunique())
    reporting = u.select("school_code", "district_code", "month").distinct()
    apps = u.select(a_month=u["month"], a_app=u["app_id"]).distinct()
    grid = reporting.join(apps, reporting["month"] == apps["a_month"])
    grid = grid.left_join(
        active,
        [
            grid["school_code"] == active["school_code"],
            grid["month"] == active["month"],
            grid["a_app"] == active["app_id"],
        ],
    )
    grid = grid.select(
        school_code=grid["school_code"],
        district_code=grid["district_code"],
        month=grid["month"],
        app=grid["a_app"],
        in_use=ibis.ifelse(grid["users"].fill_null(0) >= min_active, 1, 0).cast("int64"),
    )
    per_school = grid.group_by("school_code", "district_code", "month").agg(
        in_use=lambda t: t["in_use"].sum(), apps=lambda t: t.count()
    )
    return [
        _rows(grid, "app_school_reach", grid["app"], grid["in_use"], ibis.literal(1)),
        _rows(per_school, "apps_in_use_share", ibis.literal(ALL), per_school["in_use"], per_school["apps"]),
    ]
