"""The training and facility sections of the 年度信息化监测报告, read through governance (counts and area rows).

- Training (:func:`training_section`): :func:`edubrain.training.coverage_summary` gives counts per organisation
  and role in the reader's scope; the report keeps the area's lines and, for the city, the principals of each
  district. No person and no school's principal count is printed (one principal per school would name them).
  The training year is the calendar year with the report's school-year number (培训年度按自然年).
- Facilities (:func:`facility_lines`): the rows of ``facility_area_indicators`` of the school year for the area
  (and, for the city, its districts), read through the read path (a district reads only its own rows). Months'
  numerators and denominators are added up over the visible months; a month cell withheld as a small cell when
  the indicators were derived stays out (its count is printed), so the year's figure reveals nothing hidden.
"""

from __future__ import annotations

import polars as pl

from edubrain.analytics.training.targets import load_targets
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home
from edubrain.reports.monitoring_model import FacilityLine, TrainingLine, TrainingSection
from edubrain.training import OrgCoverage, coverage_summary

CITY = "110000"
FACILITY = "facility_area_indicators"
ALL = "*"
FACILITY_INDICATORS = ("device_online_rate", "device_faults", "active_user_rate", "mean_satisfaction")


def _training_line(r: OrgCoverage) -> TrainingLine:
    return TrainingLine(
        r.org_code, r.name_zh, r.name_en, r.role, r.people, r.met, r.met_share, r.missed, r.at_risk, r.behind,
        r.window_observed, r.covered, r.covered_share, r.trained_share,
    )  # fmt: skip


def training_section(home: Home, principal: Principal, year: int, area: str) -> tuple[TrainingSection, int | None]:
    """The training section of ``area`` in training ``year`` and the ``training_coverage`` version read."""
    targets = load_targets()
    src = targets.source("principal_hours")
    summary = coverage_summary(home, principal, year=year, district=None if area == CITY else area)
    shown = summary.year == year
    rows = summary.rows if shown else ()
    area_rows = tuple(_training_line(r) for r in rows if r.org_code == area)
    districts = tuple(
        _training_line(r) for r in rows if area == CITY and r.level == "district" and r.role == "principal"
    )
    section = TrainingSection(
        year=year if shown else None, as_of=summary.as_of if shown else None,
        principal_hours=float(targets.principal_hours), window_years=int(targets.window_years),
        source_zh="" if src is None else f"《{src.document}》{src.section}：{src.quote}",
        area=area_rows, districts=districts,
    )  # fmt: skip
    return section, summary.version


def _names(home: Home) -> dict[str, tuple[str, str]]:
    names = {CITY: ("北京市", "Beijing")}
    names.update({c.code: (c.zh, c.en or c.zh) for c in home.catalog.code_table("district").codes})
    return names


def _yearly(rows: pl.DataFrame) -> pl.DataFrame:
    """Per organisation and indicator (and role): numerator and denominator over the visible months, months counted."""
    visible = pl.col("suppressed").is_null()
    return rows.group_by("district_code", "indicator", "category").agg(
        pl.col("numerator").filter(visible).sum().alias("num"),
        pl.col("denominator").filter(visible).sum().alias("den"),
        pl.col("month").n_unique().alias("months"),
        (~visible).sum().alias("withheld"),
        visible.any().alias("any_visible"),
    )


def _ratio(
    cells: dict[tuple[str, str], dict[str, object]], indicator: str, category: str, scale: float
) -> float | None:
    cell = cells.get((indicator, category))
    if cell is None or not cell["any_visible"]:
        return None
    num, den = cell["num"], cell["den"]
    if indicator == "device_faults":
        return float(num)  # type: ignore[arg-type]
    return None if not den else scale * float(num) / float(den)  # type: ignore[arg-type]


def facility_lines(
    home: Home, principal: Principal, year: int, area: str
) -> tuple[tuple[FacilityLine, ...], int | None]:
    """The area's facility figures of school ``year`` (then each district's, for the city) and the version read."""
    if home.lake.version(FACILITY) is None:
        read_dataset(home, principal, FACILITY, limit=0)  # refuses a reader who may never read it
        return (), None
    wanted = {"school_year": year, "app_id": ALL, "indicator": list(FACILITY_INDICATORS)}
    if area != CITY:
        wanted["district_code"] = area
    result = read_dataset(home, principal, FACILITY, filters=wanted)
    rows = pl.from_arrow(result.table)
    assert isinstance(rows, pl.DataFrame)
    by_app = {k: v for k, v in wanted.items() if k != "app_id"} | {"indicator": "mean_satisfaction", "category": ALL}
    satisfaction = read_dataset(home, principal, FACILITY, filters=by_app)
    extra = pl.from_arrow(satisfaction.table)
    assert isinstance(extra, pl.DataFrame)
    frame = pl.concat([rows, extra], how="diagonal_relaxed") if extra.height else rows
    if frame.is_empty():
        return (), result.version
    yearly = _yearly(frame.with_columns(pl.col("category").cast(pl.String)))
    names = _names(home)
    order = [area, *sorted(c for c in yearly.get_column("district_code").unique().to_list() if c != area)]
    lines = []
    for code in order:
        part = yearly.filter(pl.col("district_code") == code)
        if part.is_empty():
            continue
        cells = {(r["indicator"], r["category"]): r for r in part.to_dicts()}
        zh, en = names.get(code, (code, code))
        lines.append(
            FacilityLine(
                code,
                zh,
                en,
                online_rate=_ratio(cells, "device_online_rate", ALL, 100.0),
                faults=_ratio(cells, "device_faults", ALL, 1.0),
                student_active=_ratio(cells, "active_user_rate", "1", 100.0),
                teacher_active=_ratio(cells, "active_user_rate", "2", 100.0),
                satisfaction=_ratio(cells, "mean_satisfaction", ALL, 1.0),
                months=int(part.select(pl.col("months").max()).item() or 0),
                withheld=int(part.get_column("withheld").sum()),
            )  # fmt: skip
        )
    return tuple(lines), result.version
