"""Reading the facility indicators and device months inside a principal's scope (pages, REST).

The indicators live in two derived datasets so that the read path's row scope
alone decides who sees what (:mod:`edubrain.governance.scope`): school rows in
``facility_indicators`` (keyed by ``school_code``: a school reads its own, a
district its schools', the city all) and district and city rows in
``facility_area_indicators`` (keyed by ``district_code``: a district reads its
own row, the city every row; a school none). :func:`facility_indicators` reads
both through :func:`~edubrain.governance.readpath.read_dataset` and returns
them as one table with ``level``, ``org_code`` and ``parent_code``. Small cells
were already withheld for every reader when the datasets were derived.
"""

from __future__ import annotations

import polars as pl

from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home

CITY = "110000"
COLUMNS = (
    "level", "org_code", "parent_code", "month", "school_year", "indicator", "category", "app_id", "app_name",
    "value", "numerator", "denominator", "people", "suppressed",
)  # fmt: skip
SCHEMA = {
    "level": pl.String, "org_code": pl.String, "parent_code": pl.String, "month": pl.Int64, "school_year": pl.Int64,
    "indicator": pl.String, "category": pl.String, "app_id": pl.String, "app_name": pl.String, "value": pl.Float64,
    "numerator": pl.Float64, "denominator": pl.Float64, "people": pl.Int64, "suppressed": pl.String,
}  # fmt: skip


def _read(home: Home, principal: Principal, dataset_id: str) -> pl.DataFrame | None:
    """The rows of ``dataset_id`` the principal sees (None: it sees none; empty: nothing derived yet)."""
    if home.lake.version(dataset_id) is None:
        return pl.DataFrame(schema=SCHEMA)
    try:
        result = read_dataset(home, principal, dataset_id)
    except AccessDenied:
        return None
    frame = pl.from_arrow(result.table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def facility_indicators(home: Home, principal: Principal, org: str | None = None) -> pl.DataFrame:
    """The facility indicator rows of every level the principal may read, as one table (:data:`COLUMNS`).

    Args:
        home: The installation.
        principal: Who reads.
        org: Only this organisation's rows and its children's (a district: itself and its schools).

    Raises:
        AccessDenied: the principal may read neither dataset.
    """
    schools = _read(home, principal, "facility_indicators")
    areas = _read(home, principal, "facility_area_indicators")
    if schools is None and areas is None:
        raise AccessDenied(
            f"{principal.name} 无权读取设施与应用指标", f"{principal.name} may not read the facility indicators"
        )
    parts = [pl.DataFrame(schema=SCHEMA)]
    if schools is not None and schools.height:
        parts.append(
            schools.rename({"school_code": "org_code", "district_code": "parent_code"}).with_columns(
                pl.lit("school").alias("level")
            )
        )
    if areas is not None and areas.height:
        parent = pl.when(pl.col("level") == "district").then(pl.lit(CITY)).otherwise(pl.lit(None, pl.String))
        parts.append(areas.rename({"district_code": "org_code"}).with_columns(parent.alias("parent_code")))
    rows = pl.concat([p.select(COLUMNS).cast(SCHEMA) for p in parts])  # type: ignore[arg-type]
    if org is not None:
        rows = rows.filter((pl.col("org_code") == org) | (pl.col("parent_code") == org))
    return rows.sort("level", "org_code", "month", "indicator", "category", "app_id")


def device_months(home: Home, principal: Principal, month: int | None = None) -> pl.DataFrame:
    """The device months the principal may read (a school its devices, a district its schools'), optionally of one month.

    Raises:
        AccessDenied: the principal may not read ``facility_device_months``.
    """
    if home.lake.version("facility_device_months") is None:
        return pl.DataFrame()
    filters = {"month": month} if month is not None else None
    frame = pl.from_arrow(read_dataset(home, principal, "facility_device_months", filters=filters).table)
    assert isinstance(frame, pl.DataFrame)
    return frame
