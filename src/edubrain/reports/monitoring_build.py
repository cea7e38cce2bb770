"""Assembling the 年度信息化监测报告 through the governed facades (scope first, small cells withheld).

Who may build which report (:func:`check_area`): city staff and auditors (a
grant of city scope) any area; district staff (a grant of district scope) only
their own district; schools, teachers, students, parents and the public none.
Every value is read through the facades — :mod:`edubrain.monitoring` (the
indicator tree, trends and lower levels), :mod:`edubrain.training` (coverage
counts) and the governance read path for ``facility_area_indicators`` — so the
report holds nothing its reader could not read on the pages. Cells computed
from fewer pupils than the suppression minimum are withheld
(:mod:`edubrain.reports.monitoring_cells`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from edubrain.analytics.monitoring import load_monitoring
from edubrain.errors import EduBrainError
from edubrain.governance.identity import Principal
from edubrain.governance.policy import role
from edubrain.governance.provenance import input_versions
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.monitoring import IndicatorDetail, IndicatorInfo, IndicatorValue, detail, goals
from edubrain.reports.monitoring_cells import PREVIOUS, Cell, hidden_cells, pupil_part, reason
from edubrain.reports.monitoring_model import (
    BelowTarget,
    ComparisonCell,
    ComparisonRow,
    GoalSummary,
    IndicatorLine,
    LineageLine,
    MethodLine,
    MonitoringReport,
    PendingLine,
)
from edubrain.reports.monitoring_sections import facility_lines, training_section

CITY = "110000"


class ReportRequestError(EduBrainError):
    """A report asked for in a form that cannot be served (an unknown format: 400 on the web)."""

    code = "invalid_report_request"


class ReportNotFound(ReportRequestError):
    """A report of an area that is neither the city nor a district, or of a year without values (404)."""

    code = "not_found"


def check_area(home: Home, principal: Principal, area: str) -> str:
    """The level of ``area`` (``city`` or ``district``) after checking the reader may have its report.

    Raises:
        ReportNotFound: ``area`` is neither ``110000`` nor a district code (bilingual, lists what is allowed).
        AccessDenied: the reader is not city or district staff, or is a district reading another area.
    """
    districts = [c.code for c in home.catalog.code_table("district").codes]
    if area != CITY and area not in districts:
        raise ReportNotFound(
            f"单位 {area} 不是全市（110000）或区划代码；可选：110000、{'、'.join(districts)}",
            f"Area {area} is neither the city (110000) nor a district code; allowed: 110000, {', '.join(districts)}",
            area=area,
        )
    scopes = {(role(g.role).scope, g.org_code) for g in principal.grants}
    if any(scope == "city" for scope, _ in scopes) or ("district", area) in scopes:
        return "city" if area == CITY else "district"
    raise AccessDenied(
        f"{principal.name} 不能获取 {area} 的年度信息化监测报告：市级人员与审计员可获取全市及各区的报告，区级人员只能获取本区的报告",
        f"{principal.name} may not have the annual monitoring report of {area}: city staff and auditors may have "
        "the city's and every district's, district staff only their own district's",
        area=area,
    )


def _line(info: IndicatorInfo, d: IndicatorDetail, year: int, flags: dict[str, str], k: int) -> IndicatorLine:
    now = next((v for v in d.trend if v.school_year == year), None)
    before = next((v for v in d.trend if v.school_year == year - 1), None)
    flag = flags.get(f"{info.id}|{d.org_code}")
    hide = flag is not None
    value = None if now is None or hide else now.value
    if hide:
        status, (rz, re) = "not_measured", reason(flag, k)
    elif value is None:
        status = "not_measured"
        rz, re = ("本学年无报送数据", "no data reported for the school year") if now is None else (
            "报送不完整（分子或分母缺失）", "incomplete reports (numerator or denominator missing)")  # fmt: skip
    elif info.target is None:
        status, rz, re = "no_target", "规划未设定量目标", "the plan sets no number"
    elif now is not None and now.target is None:  # a count: the target is the city's
        status, rz, re = (
            "no_target",
            "目标针对全市，本级数值仅作参考",
            "the target is the city's; this value is context",
        )
    else:
        status, rz, re = ("met" if now is not None and now.met else "not_met"), "", ""
    prev_flag = flags.get(f"{info.id}|{d.org_code}|previous")
    previous = None if before is None or prev_flag else before.value
    change = None if value is None or previous is None else value - previous
    cz, ce = ("", "")
    if change is None:
        cz, ce = reason(PREVIOUS, k) if prev_flag else ("无可比数据", "nothing to compare")
    return IndicatorLine(
        goal=info.goal, indicator_id=info.id, name_zh=info.name_zh, name_en=info.name_en, unit_zh=info.unit_zh,
        unit_en=info.unit_en, percent=info.percent, target=info.target, direction=info.direction, value=value,
        numerator=None if hide or now is None else now.numerator,
        denominator=None if hide or now is None else now.denominator,
        progress=None if hide or now is None else now.progress, status=status, reason_zh=rz, reason_en=re,
        schools=None if now is None else now.schools, schools_met=None if now is None else now.schools_met,
        previous=previous, change=change, change_reason_zh=cz, change_reason_en=ce, suppressed=flag,
    )  # fmt: skip


def _pupils(v: IndicatorValue | None, part: str | None) -> float | None:
    return None if v is None or part is None else getattr(v, part)


def _flags(home: Home, details: dict[str, IndicatorDetail], year: int, k: int) -> dict[str, str]:
    """The withheld cells of the area (this and last year) and of its children, keyed ``indicator|org[|previous]``."""
    spec = load_monitoring()
    cells: list[Cell] = []
    for iid, d in details.items():
        part = pupil_part(spec.indicator(iid), home.catalog)
        now = next((v for v in d.trend if v.school_year == year), None)
        before = next((v for v in d.trend if v.school_year == year - 1), None)
        cells.append(Cell(f"{iid}|{d.org_code}", iid, True, _pupils(now, part)))
        cells.append(Cell(f"{iid}|{d.org_code}|previous", f"{iid}|previous", True, _pupils(before, part)))
        kids = d.children if d.school_year == year else ()
        cells.extend(Cell(f"{iid}|{c.org_code}", iid, False, _pupils(c, part)) for c in kids)
    return hidden_cells(cells, k)


def _comparison(details: dict[str, IndicatorDetail], year: int, flags: dict[str, str]) -> tuple[ComparisonRow, ...]:
    names: dict[str, tuple[str, str]] = {}
    values: dict[tuple[str, str], IndicatorValue] = {}
    for iid, d in details.items():
        for c in d.children if d.school_year == year else ():
            names[c.org_code] = (c.name_zh, c.name_en)
            values[(iid, c.org_code)] = c
    rows = []
    for code in sorted(names):
        cells = []
        for iid in details:
            v, flag = values.get((iid, code)), flags.get(f"{iid}|{code}")
            shown = v is not None and flag is None
            cells.append(ComparisonCell(iid, v.value if shown and v else None, details[iid].indicator.target,
                                        v.met if shown and v else None, flag))  # fmt: skip
        rows.append(ComparisonRow(code, *names[code], tuple(cells)))
    return tuple(rows)


def _below(details: dict[str, IndicatorDetail], year: int, flags: dict[str, str]) -> tuple[BelowTarget, ...]:
    out = []
    for iid, d in details.items():
        info = d.indicator
        if info.target is None or d.school_year != year:
            continue
        for c in d.children:
            if c.met is False:
                flag = flags.get(f"{iid}|{c.org_code}")
                out.append(BelowTarget(c.org_code, c.name_zh, iid, info.name_zh, info.name_en, info.unit_zh,
                                       None if flag else c.value, info.target, flag))  # fmt: skip
    return tuple(sorted(out, key=lambda b: (b.school_code, b.indicator_id)))


def _methods(infos: list[IndicatorInfo]) -> tuple[MethodLine, ...]:
    return tuple(
        MethodLine(
            i.id,
            i.name_zh,
            i.name_en,
            i.formula_zh,
            i.formula_en,
            i.target,
            i.unit_zh,
            i.owner_zh,
            i.source_section,
            i.source_quote,
            i.datasets,
        )  # fmt: skip
        for i in infos
    )


def _lineage(home: Home, versions: dict[str, int | None]) -> tuple[LineageLine, ...]:
    out = []
    for dataset, version in versions.items():
        spec = home.catalog.dataset(dataset)
        inputs = tuple(sorted(input_versions(home, dataset, version).items()))
        out.append(LineageLine(dataset, spec.title_zh, spec.title_en, version, inputs))
    return tuple(out)


def _area_name(home: Home, area: str) -> tuple[str, str]:
    if area == CITY:
        return "北京市", "Beijing"
    code = next(c for c in home.catalog.code_table("district").codes if c.code == area)
    return code.zh, code.en or code.zh


def _detail(home: Home, principal: Principal, info: IndicatorInfo, area: str, year: int) -> IndicatorDetail:
    """The indicator for ``area`` (scope already checked): empty when the area has no value of it at all."""
    try:
        return detail(home, principal, info.id, area, year)
    except AccessDenied:  # the facade's answer for an organisation with no row of the indicator
        return IndicatorDetail(
            info, area, "city" if area == CITY else "district", area, area, None, (), (), (), (), None
        )


def _checked_year(details: dict[str, IndicatorDetail], area: str, year: int) -> None:
    years = sorted({y for d in details.values() for y in d.years})
    if year not in years:
        listed = "、".join(str(y) for y in years) or "无"
        raise ReportNotFound(
            f"{area} 没有 {year} 学年的监测数据；有数据的学年：{listed}",
            f"{area} has no monitoring values for the school year {year}; years with values: "
            f"{', '.join(str(y) for y in years) or 'none'}",
            area=area, year=year, years=years,
        )  # fmt: skip


def build_report(
    home: Home, principal: Principal, year: int, area: str, *, now: dt.datetime | None = None
) -> MonitoringReport:
    """The report of ``area`` (``110000`` or a district code) for the school ``year``, as ``principal`` may see it.

    Raises:
        ReportNotFound: an unknown area, or a year with no monitoring values for it.
        AccessDenied: as :func:`check_area`.
    """
    level = check_area(home, principal, area)
    k = home.settings.small_cell_min
    tree = goals(home)
    infos = [i for g in tree for i in g.indicators]
    details = {i.id: _detail(home, principal, i, area, year) for i in infos}
    _checked_year(details, area, year)
    flags = _flags(home, details, year, k)
    summaries = tuple(
        GoalSummary(
            g.id,
            g.name_zh,
            g.name_en,
            tuple(_line(i, details[i.id], year, flags, k) for i in g.indicators),
            tuple(
                PendingLine(g.id, p.name_zh, p.name_en, p.reason_zh, p.reason_en, p.source_section) for p in g.pending
            ),
        )  # fmt: skip
        for g in tree
    )
    training, training_version = training_section(home, principal, year, area)
    facilities, facility_version = facility_lines(home, principal, year, area)
    versions: dict[str, Any] = {
        "monitoring_indicators": max((d.version for d in details.values() if d.version is not None), default=None),
        "training_coverage": training_version,
        "facility_area_indicators": facility_version,
    }
    zh, en = _area_name(home, area)
    return MonitoringReport(
        area_code=area, area_level=level, area_zh=zh, area_en=en, year=year,
        generated_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"), goals=summaries,
        comparison=_comparison(details, year, flags) if level == "city" else (),
        below_target=_below(details, year, flags) if level == "district" else (),
        training=training, facilities=facilities, methods=_methods(infos), lineage=_lineage(home, versions),
        small_cell_min=k,
    )  # fmt: skip
