"""Governed reads of the monitoring indicators: every value through the read path, inside the reader's scope.

``monitoring_indicators`` is keyed by organisation (``org_code``); the read
path (:func:`~edubrain.governance.readpath.read_dataset`) lets the city see
every row, a district its own rows and its schools', a school its own
(:func:`~edubrain.governance.scope.grant_predicate`). The public, students
and parents may not read it at all. An organisation that does not exist and
one outside the scope get the same :class:`AccessDenied`, so the answers
reveal nothing about organisations the reader may not see. The values are
about schools' equipment and whole schools' numbers of pupils and teachers,
never about a person: nothing here is audited as a read of personal data.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.analytics.monitoring import Indicator, load_monitoring
from edubrain.analytics.monitoring.definitions import datasets_of
from edubrain.analytics.monitoring.words import formula_words
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import ReadResult, read_dataset
from edubrain.governance.scope import AccessDenied, viewpoint
from edubrain.home import Home
from edubrain.monitoring.models import (
    GoalInfo,
    GoalValues,
    IndicatorDetail,
    IndicatorInfo,
    IndicatorValue,
    MonitoringTree,
    PendingInfo,
    ValuesPage,
)

DATASET = "monitoring_indicators"
CITY_CODE = "110000"
VALUE_FIELDS = ("value", "numerator", "denominator", "target", "met", "progress", "schools", "schools_met")


def _info(item: Indicator, home: Home) -> IndicatorInfo:
    spec = load_monitoring()
    owner = spec.owners[item.owner]
    return IndicatorInfo(
        id=item.id, goal=item.parent, name_zh=item.name_zh, name_en=item.name_en,
        definition_zh=item.definition_zh, definition_en=item.definition_en,
        formula_zh=formula_words(item, "zh", home.catalog), formula_en=formula_words(item, "en", home.catalog),
        unit_zh=item.unit_label("zh"), unit_en=item.unit_label("en"), percent=item.percent, target=item.target,
        direction=item.direction, period=item.period, owner_zh=owner.zh, owner_en=owner.en,
        source_section=item.source.section, source_quote=item.source.quote,
        datasets=tuple(sorted({"schools", *(d for d, _ in datasets_of(item.formula))})), counted=item.counted,
    )  # fmt: skip


def goals(home: Home) -> tuple[GoalInfo, ...]:
    """The seven goals with their indicators and pending targets, in the plan's order (declarations, no values)."""
    spec = load_monitoring()
    return tuple(
        GoalInfo(
            id=g.id,
            name_zh=g.name_zh,
            name_en=g.name_en,
            source_section=g.source.section,
            source_quote=g.source.quote,
            indicators=tuple(_info(i, home) for i in spec.of_goal(g.id)),
            pending=tuple(
                PendingInfo(p.name_zh, p.name_en, p.reason_zh, p.reason_en, p.source.section, p.source.quote)
                for p in g.pending
            ),
        )  # fmt: skip
        for g in spec.goals
    )


def indicator_info(home: Home, indicator_id: str) -> IndicatorInfo:
    """One indicator's metadata.

    Raises:
        CatalogError: no such indicator (``not_found`` for the adapters).
    """
    return _info(load_monitoring().indicator(indicator_id), home)


def no_such_org(org: str) -> AccessDenied:
    """The one error for an organisation that is unknown or outside the reader's scope (no existence oracle)."""
    return AccessDenied(
        f"没有您可查看的单位 {org} 的监测值（不存在或不在您的权限范围内）",
        f"No monitoring values of organisation {org} that you may read (it does not exist or is outside your scope)",
        org=org,
    )


def _read(home: Home, principal: Principal, filters: dict[str, Any]) -> tuple[pl.DataFrame, int | None]:
    """Rows of ``monitoring_indicators`` in the reader's scope matching ``filters`` (every row when never written)."""
    if home.lake.version(DATASET) is None:
        read_dataset(home, principal, DATASET, limit=0)  # refuses a reader who may never read it
        return pl.DataFrame(schema={"org_code": pl.String}), None
    result: ReadResult = read_dataset(home, principal, DATASET, filters=filters, sort=["school_year", "org_code"])
    frame = pl.from_arrow(result.table)
    assert isinstance(frame, pl.DataFrame)
    return frame, result.version


def _names(home: Home, principal: Principal, codes: set[str]) -> dict[str, tuple[str, str]]:
    """The (zh, en) names of organisations: the city, districts from the code table, schools from ``schools``."""
    names = {CITY_CODE: ("北京市", "Beijing")}
    names.update({c.code: (c.zh, c.en) for c in home.catalog.code_table("district").codes})
    schools = sorted(c for c in codes if len(c) == 10)
    if schools:
        found = pl.from_arrow(read_dataset(home, principal, "schools", filters={"school_code": schools}).table)
        assert isinstance(found, pl.DataFrame)
        if "name" in found.columns:
            names.update({str(r["school_code"]): (str(r["name"]), str(r["name"])) for r in found.to_dicts()})
    return names


def _values(frame: pl.DataFrame, names: dict[str, tuple[str, str]]) -> tuple[IndicatorValue, ...]:
    out = []
    for row in frame.to_dicts():
        zh, en = names.get(row["org_code"], (row["org_code"], row["org_code"]))
        out.append(
            IndicatorValue(
                indicator_id=row["indicator_id"],
                org_level=row["org_level"],
                org_code=row["org_code"],
                parent_code=row.get("parent_code"),
                name_zh=zh,
                name_en=en,
                school_year=int(row["school_year"]),
                **{f: row.get(f) for f in VALUE_FIELDS},
            )  # fmt: skip
        )
    return tuple(out)


def _level(org: str) -> str:
    return "city" if org == CITY_CODE else "district" if len(org) == 6 else "school"


def _own(principal: Principal) -> str:
    """The reader's own organisation (its dashboard viewpoint)."""
    view = viewpoint(principal)
    if view.org_code is None:
        raise AccessDenied(
            f"{principal.name} 没有可查看监测值的单位", f"{principal.name} has no organisation whose monitoring to read"
        )
    return view.org_code


def _checked(frame: pl.DataFrame, org: str, own: str) -> None:
    """Refuse an organisation the reader sees no row of (its own may simply have none yet)."""
    if frame.is_empty() and org != own:
        raise no_such_org(org)


def _year(years: tuple[int, ...], wanted: int | None) -> int | None:
    return wanted if wanted in years else (years[-1] if years else None)


def tree(home: Home, principal: Principal, org: str | None = None, school_year: int | None = None) -> MonitoringTree:
    """The seven goals and their indicators' values for ``org`` (default the reader's own) in ``school_year``.

    Args:
        home: The installation.
        principal: Who reads (city, district or school staff; others see nothing or are refused).
        org: The organisation (``110000``, a district or a school code); None for the reader's own.
        school_year: The year (default, or when it has no value: the newest with one).

    Raises:
        AccessDenied: the reader may not read monitoring values, or ``org`` is unknown or outside the scope.
    """
    own = _own(principal)
    org = org or own
    frame, version = _read(home, principal, {"org_code": org})
    _checked(frame, org, own)
    years = tuple(sorted({int(y) for y in frame.get_column("school_year").to_list()})) if frame.height else ()
    year = _year(years, school_year)
    names = _names(home, principal, {org})
    shown = _values(frame.filter(pl.col("school_year") == year), names) if year is not None else ()
    by_id = {v.indicator_id: v for v in shown}
    branches = tuple(GoalValues(g, tuple(by_id.get(i.id) for i in g.indicators)) for g in goals(home))
    zh, en = names.get(org, (org, org))
    return MonitoringTree(org, _level(org), zh, en, year, years, branches, version)


def _chain(home: Home, principal: Principal, org: str, own: str) -> tuple[str, ...]:
    """Organisation codes from the reader's own down to ``org`` (city → district → school)."""
    if org == own:
        return (org,)
    if _level(org) == "school":
        found, _ = _read(home, principal, {"org_code": org, "org_level": "school"})
        parent = str(found.get_column("parent_code")[0]) if found.height and "parent_code" in found.columns else None
        chain = [parent, org] if parent and parent != own else [org]
    else:
        chain = [org]
    return tuple([own, *chain]) if own == CITY_CODE or _level(own) == "district" else tuple(chain)


def detail(
    home: Home, principal: Principal, indicator_id: str, org: str | None = None, school_year: int | None = None
) -> IndicatorDetail:
    """One indicator for ``org`` (default the reader's own): its trend and its districts' or schools' values.

    Raises:
        CatalogError: no such indicator.
        AccessDenied: the reader may not read monitoring values, or ``org`` is unknown or outside the scope.
    """
    info = indicator_info(home, indicator_id)
    own = _own(principal)
    org = org or own
    frame, version = _read(home, principal, {"indicator_id": indicator_id, "org_code": org})
    _checked(frame, org, own)
    years = tuple(int(y) for y in frame.get_column("school_year").to_list()) if frame.height else ()
    year = _year(years, school_year)
    kids = pl.DataFrame(schema={"org_code": pl.String})
    if year is not None and _level(org) != "school":
        kids, _ = _read(home, principal, {"indicator_id": indicator_id, "parent_code": org, "school_year": year})
    chain = _chain(home, principal, org, own)
    codes = {org, *chain, *(kids.get_column("org_code").to_list() if kids.height else ())}
    names = _names(home, principal, codes)
    zh, en = names.get(org, (org, org))
    return IndicatorDetail(
        indicator=info, org_code=org, org_level=_level(org), name_zh=zh, name_en=en, school_year=year, years=years,
        trend=_values(frame, names), children=_values(kids, names) if kids.height else (),
        chain=tuple((c, *names.get(c, (c, c))) for c in chain), version=version,
    )  # fmt: skip


def indicator_values(
    home: Home,
    principal: Principal,
    indicator_id: str,
    *,
    org_level: str | None = None,
    school_year: int | None = None,
    limit: int = 500,
    offset: int = 0,
) -> ValuesPage:
    """The values of one indicator the reader may see, optionally of one level and year, a page at a time.

    Raises:
        CatalogError: no such indicator.
        AccessDenied: the reader may not read monitoring values.
    """
    load_monitoring().indicator(indicator_id)
    filters: dict[str, Any] = {"indicator_id": indicator_id}
    if org_level is not None:
        filters["org_level"] = org_level
    if school_year is not None:
        filters["school_year"] = school_year
    if home.lake.version(DATASET) is None:
        read_dataset(home, principal, DATASET, limit=0)
        return ValuesPage(indicator_id, (), 0, None)
    result = read_dataset(
        home, principal, DATASET, filters=filters, sort=["school_year", "org_level", "org_code"], limit=limit,
        offset=offset,
    )  # fmt: skip
    frame = pl.from_arrow(result.table)
    assert isinstance(frame, pl.DataFrame)
    names = _names(home, principal, set(frame.get_column("org_code").to_list()) if frame.height else set())
    return ValuesPage(indicator_id, _values(frame, names), result.total, result.version)
