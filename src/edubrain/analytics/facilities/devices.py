"""Device months: for each IoT device and month, the days it was expected to report, reported, and reported faults.

Definitions (docs/facilities.md):

- a **platform day** is a day on which the platform received a reading from any device of the city (a day
  with no reading at all is a gap in the collection, not an offline day of every device);
- a device is **expected** on a platform day when its status is 在用 (``1``) and it was installed on or
  before that day;
- a device is **online on a day** when it sent at least one reading that day, and **online in a month** when
  it was online on at least one expected day of the month;
- a **fault day** is a day on which the device reported at least one fault code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis

if TYPE_CHECKING:
    from ibis.expr.types import Table

IN_SERVICE = "1"
"""``iot_device_status`` code of a device expected to report."""
ELECTRICITY = "elec_kwh"
"""``iot_metric`` code of the electricity a meter counted in a day."""


def month_of(date: Any) -> Any:
    """A date's month as the integer YYYYMM (the same on every engine)."""
    return (date.year() * 100 + date.month()).cast("int64")


def _day_flags(devices: Table, readings: Table) -> Table:
    """One row per device and day that was expected or reported: ``expected``, ``reported``, faults, kWh."""
    days = readings.select(day=readings["reading_date"]).distinct()
    serving = devices.filter(devices["status"] == IN_SERVICE)
    expected = serving.cross_join(days).filter(lambda t: t["day"] >= t["installed_date"])
    zero = ibis.literal(0).cast("int64")
    expected = expected.select(
        device_id=expected["device_id"],
        day=expected["day"],
        expected=ibis.literal(1).cast("int64"),
        reported=zero,
        faults=zero,
        kwh=ibis.literal(0).cast("float64"),
    )
    is_fault = readings["fault_code"].notnull()
    kwh = ibis.ifelse(readings["metric"] == ELECTRICITY, readings["value"].cast("float64"), 0).cast("float64")
    reported = (
        readings.mutate(f=ibis.ifelse(is_fault, 1, 0).cast("int64"), k=kwh)
        .group_by(device_id="device_id", day="reading_date")
        .agg(faults=lambda t: t["f"].sum(), kwh=lambda t: t["k"].sum())
    )
    reported = reported.select(
        "device_id",
        "day",
        expected=zero,
        reported=ibis.literal(1).cast("int64"),
        faults=reported["faults"].cast("int64"),
        kwh=reported["kwh"].cast("float64"),
    )
    both = expected.union(reported)
    return both.group_by("device_id", "day").agg(
        expected=both["expected"].max(),
        reported=both["reported"].max(),
        faults=both["faults"].sum(),
        kwh=both["kwh"].sum(),
    )


def device_months_expr(devices: Table, readings: Table, schools: Table) -> Table:
    """``facility_device_months``: one row per device and month with expected, reported and online days and faults.

    Args:
        devices: ``iot_devices`` rows.
        readings: ``iot_readings`` rows.
        schools: ``schools`` rows (each school's district).

    Returns:
        Columns ``device_id``, ``school_code``, ``district_code``, ``device_kind``, ``kind_group``, ``month``,
        ``expected_days``, ``reported_days``, ``online_days``, ``online``, ``fault_days``, ``faults``,
        ``energy_kwh``.
    """
    days = _day_flags(devices, readings)
    days = days.mutate(
        month=month_of(days["day"]),
        online_day=(days["expected"] * days["reported"]).cast("int64"),
        fault_day=ibis.ifelse(days["faults"] > 0, 1, 0).cast("int64"),
    )
    months = days.group_by("device_id", "month").agg(
        expected_days=days["expected"].sum().cast("int64"),
        reported_days=days["reported"].sum().cast("int64"),
        online_days=days["online_day"].sum().cast("int64"),
        fault_days=days["fault_day"].sum().cast("int64"),
        faults=days["faults"].sum().cast("int64"),
        energy_kwh=days["kwh"].sum().cast("float64"),
    )
    register = devices.select(
        d_id=devices["device_id"], school_code=devices["school_code"], device_kind=devices["device_kind"]
    )
    districts = schools.select(s_code=schools["school_code"], district_code=schools["district_code"]).distinct()
    joined = months.join(register, months["device_id"] == register["d_id"])
    joined = joined.left_join(districts, joined["school_code"] == districts["s_code"])
    return joined.select(
        "device_id",
        "school_code",
        "district_code",
        "device_kind",
        kind_group=joined["device_kind"].substr(0, 1),
        month=joined["month"],
        expected_days=joined["expected_days"],
        reported_days=joined["reported_days"],
        online_days=joined["online_days"],
        online=joined["online_days"] > 0,
        fault_days=joined["fault_days"],
        faults=joined["faults"],
        energy_kwh=joined["energy_kwh"],
    )
