"""The monitoring cockpit's governed reads: the district map of one indicator, the trends, one school's values.

Every value comes through :func:`edubrain.monitoring.facade._read` (the read
path on ``monitoring_indicators``), so the scope rule of the dataset decides
what the cockpit shows (:func:`~edubrain.governance.scope._org_code_predicate`):
the city reads every row; a district its own row and its schools' rows (not
the city's, not another district's); a school its own rows. On the map a
district outside the reader's scope is drawn without a value (``visible`` is
False), never with one: the map reads only rows the read path returned.

A school outside the scope and a code that names no school get the same
:func:`~edubrain.monitoring.facade.no_such_org` refusal (no existence oracle).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.governance.identity import Principal
from edubrain.governance.scope import viewpoint
from edubrain.home import Home
from edubrain.monitoring.facade import _names, _own, _read, _values, _year, goals, indicator_info, no_such_org
from edubrain.monitoring.models import IndicatorInfo, IndicatorValue


@dataclass(frozen=True)
class DistrictCell:
    """One of the 16 districts on the map.

    Attributes:
        code: GB/T 2260 code. name_zh, name_en: The district's name (``name_zh`` is the GeoJSON region's name).
        visible: Whether the reader's scope covers the district (False: drawn grey, without a value).
        value: The indicator's value of the district in the year (None: not visible, or no value).
    """

    code: str
    name_zh: str
    name_en: str
    visible: bool
    value: IndicatorValue | None


@dataclass(frozen=True)
class IndicatorTrend:
    """One indicator's values of one organisation, oldest year first (the cockpit's small trend charts)."""

    indicator: IndicatorInfo
    values: tuple[IndicatorValue, ...]

    def of_year(self, school_year: int | None) -> IndicatorValue | None:
        """The value of ``school_year`` (None: no value that year)."""
        return next((v for v in self.values if v.school_year == school_year), None)


@dataclass(frozen=True)
class Cockpit:
    """What the cockpit shows a reader: its own organisation's trends and, for the city and a district, the map.

    Attributes:
        org_code, org_level, name_zh, name_en: The reader's own organisation (its dashboard viewpoint).
        indicator: The indicator of the map. school_year: The map's year (None: no value yet).
        years: Years with a value for the reader's organisation.
        districts: The 16 districts (empty for a school reader, whose scope holds no district row).
        trends: Each indicator's values of the reader's organisation, in the plan's order.
        version: The ``monitoring_indicators`` version read.
    """

    org_code: str
    org_level: str
    name_zh: str
    name_en: str
    indicator: IndicatorInfo
    school_year: int | None
    years: tuple[int, ...]
    districts: tuple[DistrictCell, ...]
    trends: tuple[IndicatorTrend, ...]
    version: int | None


@dataclass(frozen=True)
class SchoolCard:
    """One school's monitoring values: every indicator in ``school_year`` with its trend.

    Attributes:
        school_code, name_zh, name_en, parent_code: The school and its district.
        school_year: The year shown (None: no value). years: Years with a value for the school.
        trends: Each indicator's values of the school, in the plan's order.
    """

    school_code: str
    name_zh: str
    name_en: str
    parent_code: str | None
    school_year: int | None
    years: tuple[int, ...]
    trends: tuple[IndicatorTrend, ...]


def _indicators(home: Home) -> tuple[IndicatorInfo, ...]:
    return tuple(i for g in goals(home) for i in g.indicators)


def _trends(infos: tuple[IndicatorInfo, ...], values: tuple[IndicatorValue, ...]) -> tuple[IndicatorTrend, ...]:
    return tuple(
        IndicatorTrend(
            info, tuple(sorted((v for v in values if v.indicator_id == info.id), key=lambda v: v.school_year))
        )
        for info in infos
    )


def _years(frame: pl.DataFrame) -> tuple[int, ...]:
    return tuple(sorted({int(y) for y in frame.get_column("school_year").to_list()})) if frame.height else ()


def cockpit(
    home: Home, principal: Principal, indicator_id: str | None = None, school_year: int | None = None
) -> Cockpit:
    """The cockpit of the reader's own organisation: the trends of every indicator and the map of one.

    Args:
        home: The installation.
        principal: Who reads (city, district or school staff).
        indicator_id: The map's indicator (default the first of the plan's order with a target).
        school_year: The map's year (default, or when it has no value: the newest with one).

    Raises:
        CatalogError: no such indicator.
        AccessDenied: the reader may not read monitoring values.
    """
    infos = _indicators(home)
    default = next((i for i in infos if i.target is not None), infos[0])
    info = indicator_info(home, indicator_id) if indicator_id else default
    own = _own(principal)
    frame, version = _read(home, principal, {"org_code": own})
    years = _years(frame)
    year = _year(years, school_year)
    level = viewpoint(principal).level
    cells: tuple[DistrictCell, ...] = ()
    if level in ("city", "district"):
        rows = pl.DataFrame(schema={"org_code": pl.String})
        if year is not None:
            rows, _ = _read(home, principal, {"indicator_id": info.id, "org_level": "district", "school_year": year})
        names = _names(home, principal, set())
        by_code = {v.org_code: v for v in _values(rows, names)} if rows.height else {}
        districts = [c for c in home.catalog.code_table("district").codes if not c.legacy and not c.category]
        cells = tuple(
            DistrictCell(c.code, c.zh, c.en, level == "city" or c.code == own, by_code.get(c.code)) for c in districts
        )
    names = _names(home, principal, {own})
    zh, en = names.get(own, (own, own))
    trends = _trends(infos, _values(frame, names)) if frame.height else tuple(IndicatorTrend(i, ()) for i in infos)
    return Cockpit(own, str(level), zh, en, info, year, years, cells, trends, version)


def school_card(home: Home, principal: Principal, school_code: str, school_year: int | None = None) -> SchoolCard:
    """Every indicator of one school in ``school_year`` (default the newest with a value), with its trend.

    Raises:
        AccessDenied: the code names no school, or one outside the reader's scope (the same refusal).
    """
    if len(school_code) != 10 or not school_code.isdigit():
        raise no_such_org(school_code)
    frame, _ = _read(home, principal, {"org_code": school_code, "org_level": "school"})
    if frame.is_empty():
        raise no_such_org(school_code)
    years = _years(frame)
    names = _names(home, principal, {school_code})
    zh, en = names.get(school_code, (school_code, school_code))
    parent = frame.get_column("parent_code")[0] if "parent_code" in frame.columns else None
    values = _values(frame, names)
    return SchoolCard(
        school_code, zh, en, None if parent is None else str(parent), _year(years, school_year), years,
        _trends(_indicators(home), values),
    )  # fmt: skip
