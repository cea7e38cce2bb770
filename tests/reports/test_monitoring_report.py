"""The 年度信息化监测报告: built for the city and each district in PDF and XLSX, its values the datasets' values.

The XLSX is read back with openpyxl and the PDF's text with pypdf; both are compared with the rows of
``monitoring_indicators``, ``training_coverage`` and ``facility_area_indicators`` read through the read path as
the city. Every report writes one audit event.
"""

from __future__ import annotations

import io
import os
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from edubrain.governance.audit import list_events
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.readpath import read_dataset
from edubrain.reports.monitoring_pdf import number
from edubrain.reports.monitoring_report import ReportRequestError, monitoring_report
from edubrain.store.db import session_scope
from tests.reports.monitoring_city import DISTRICTS, YEAR, ReportCity

CITY = Principal("r-city", "city", (Grant("city_analyst", "110000", "city"),))
AREAS = ("110000", *DISTRICTS)


def _rows(city: ReportCity, dataset: str, **filters: Any) -> pl.DataFrame:
    frame = pl.from_arrow(read_dataset(city.home, CITY, dataset, filters=filters).table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _sheet(content: bytes, title: str) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(content))[title]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _same(got: Any, want: Any) -> bool:
    """Equal, floats to Excel's 15 significant digits (a cell keeps no more)."""
    return got == want if got is None or want is None else got == pytest.approx(want, rel=1e-13)


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("area", AREAS)
def test_the_xlsx_holds_the_datasets_values_for_the_city_and_each_district(rcity: ReportCity, area: str) -> None:
    found = monitoring_report(rcity.home, CITY, year=YEAR, area=area, fmt="xlsx")
    assert found.filename == f"monitoring-report-{area}-{YEAR}.xlsx"
    book = load_workbook(io.BytesIO(found.content))
    second = "各区对比" if area == "110000" else "未达标学校"
    assert book.sheetnames == ["封面", "目标达成", second, "培训覆盖", "设施与应用", "方法与来源", "数据血缘"]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    expected = _rows(rcity, "monitoring_indicators", org_code=area)
    now = {r["indicator_id"]: r for r in expected.filter(pl.col("school_year") == YEAR).to_dicts()}
    before = {r["indicator_id"]: r for r in expected.filter(pl.col("school_year") == YEAR - 1).to_dicts()}
    lines = {r["指标编号"]: r for r in _sheet(found.content, "目标达成") if r["指标编号"]}
    assert set(now) <= set(lines)
    for iid, row in now.items():
        line = lines[iid]
        for column, field in (
            ("指标值", "value"),
            ("分子", "numerator"),
            ("分母", "denominator"),
            ("目标值", "target"),
        ):
            assert _same(line[column], row[field]), (iid, column)
        status = {True: "达标", False: "未达标", None: "仅监测" if row["target"] is None else "未测量"}[row["met"]]
        assert line["状态"] == status, iid
        if row["value"] is not None and before.get(iid, {}).get("value") is not None:
            assert line["同比变化"] == pytest.approx(row["value"] - before[iid]["value"])
    pending = [r for r in _sheet(found.content, "目标达成") if not r["指标编号"]]
    assert pending and all(r["状态"] == "未测量" and r["说明"] for r in pending)
    assert book["目标达成"]["E2"].number_format == "0.00"


def test_the_city_report_compares_its_districts(rcity: ReportCity) -> None:
    found = monitoring_report(rcity.home, CITY, year=YEAR, area="110000", fmt="xlsx")
    districts = _rows(rcity, "monitoring_indicators", org_level="district", school_year=YEAR)
    table = {r["区划代码"]: r for r in _sheet(found.content, "各区对比")}
    assert sorted(table) == list(DISTRICTS)
    names = {r.indicator_id: f"{r.name_zh}（{r.unit_zh}）" for r in found.report.lines}
    for row in districts.to_dicts():
        assert _same(table[row["org_code"]][names[row["indicator_id"]]], row["value"])


@pytest.mark.parametrize("area", DISTRICTS)
def test_the_district_report_lists_its_schools_below_target(rcity: ReportCity, area: str) -> None:
    found = monitoring_report(rcity.home, CITY, year=YEAR, area=area, fmt="xlsx")
    below = _rows(rcity, "monitoring_indicators", parent_code=area, org_level="school", school_year=YEAR)
    below = below.filter(pl.col("met") == False)  # noqa: E712
    listed = _sheet(found.content, "未达标学校")
    assert sorted((r["学校标识码"], r["指标编号"]) for r in listed) == sorted(
        (r["org_code"], r["indicator_id"]) for r in below.to_dicts()
    )
    values = {(r["org_code"], r["indicator_id"]): (r["value"], r["target"]) for r in below.to_dicts()}
    for r in listed:
        value, target = values[(r["学校标识码"], r["指标编号"])]
        assert _same(r["指标值"], value) and _same(r["目标值"], target)
    names = _rows(rcity, "schools", district_code=area)
    assert {r["学校名称"] for r in listed} <= set(names.get_column("name").to_list())


@pytest.mark.parametrize("area", AREAS)
def test_training_and_facilities_are_the_datasets_counts(rcity: ReportCity, area: str) -> None:
    found = monitoring_report(rcity.home, CITY, year=YEAR, area=area, fmt="xlsx")
    coverage = _rows(rcity, "training_coverage", year=YEAR)
    if area != "110000":
        coverage = coverage.filter(pl.col("district_code") == area)
    training = {r["人员"]: r for r in _sheet(found.content, "培训覆盖") if r["单位代码"] == area}
    principals = coverage.filter(pl.col("is_principal"))
    assert training["校长"]["人数"] == principals.height
    assert training["校长"]["有未达标风险人数"] == principals.filter(pl.col("status") == "at_risk").height
    assert training["合计"]["年度达标人数"] == coverage.filter(pl.col("status") == "met").height
    assert all("name" not in str(k).lower() and k != "姓名" for k in training["合计"])  # counts only
    months = _rows(rcity, "facility_area_indicators", school_year=YEAR, district_code=area, category="*", app_id="*")
    online = months.filter(pl.col("indicator") == "device_online_rate")
    faults = months.filter(pl.col("indicator") == "device_faults")
    facility = {r["单位代码"]: r for r in _sheet(found.content, "设施与应用")}[area]
    assert facility["设备在线率（%）"] == pytest.approx(100 * online["numerator"].sum() / online["denominator"].sum())
    assert facility["设备故障（设备·天）"] == faults["numerator"].sum()
    assert facility["月份数"] == online.height


@pytest.mark.parametrize("area", AREAS)
def test_the_pdf_prints_the_same_values_in_chinese(rcity: ReportCity, area: str) -> None:
    found = monitoring_report(rcity.home, CITY, year=YEAR, area=area, fmt="pdf")
    assert found.content.startswith(b"%PDF") and found.media_type == "application/pdf"
    reader = PdfReader(io.BytesIO(found.content))
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"].get_object().get("/Font", {}).values()}  # fmt: skip
    if not any("CJK" in f or "Han" in f or "WenQuanYi" in f for f in fonts):
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font installed (Debian: fonts-noto-cjk); .ci/run installs it")
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    text = _text(found.content)
    report = found.report
    versions = [f"（{lin.dataset}）v{lin.version}" for lin in report.lineage]
    for expected in (report.title_zh, "一、目标达成概览", "附录一方法与来源", "附录二数据血缘", *versions):
        assert expected in text, expected
    rows = _rows(rcity, "monitoring_indicators", org_code=area, school_year=YEAR)
    infos = {line.indicator_id: line for line in report.lines}
    for row in rows.to_dicts():
        line = infos[row["indicator_id"]]
        shown = number(row["value"], line.unit_zh, 1 if line.percent else 2)
        assert "".join(shown.split()) in text, (row["indicator_id"], shown)
    if area != "110000":
        assert all(b.school_code in text for b in report.below_target)


def test_each_report_writes_one_audit_event(rcity: ReportCity) -> None:
    who = Principal("r-audit-hd", "haidian-audit", (Grant("district_admin", "110108", "district"),))
    for fmt in ("pdf", "xlsx"):
        monitoring_report(rcity.home, who, year=YEAR, area="110108", fmt=fmt)
    with session_scope(rcity.home.engine) as session:
        events = list_events(session, actor="r-audit-hd", action="export")
    assert [(e.detail["kind"], e.detail["area"], e.detail["year"], e.detail["format"]) for e in events] == [
        ("monitoring_report", "110108", YEAR, "pdf"), ("monitoring_report", "110108", YEAR, "xlsx"),
    ]  # fmt: skip
    assert (
        events[0].dataset == "monitoring_indicators"
        and events[0].detail["versions"]["monitoring_indicators"] is not None
    )


def test_bad_requests_get_bilingual_errors_and_write_nothing(rcity: ReportCity) -> None:
    asker = Principal("r-bad", "city-bad", (Grant("city_admin", "110000", "city"),))
    for kwargs, words in (
        ({"year": YEAR, "area": "999999"}, ("999999", "110108")),
        ({"year": 1999, "area": "110108"}, ("1999", str(YEAR))),
        ({"year": YEAR, "area": "110108", "fmt": "docx"}, ("docx", "pdf")),
    ):
        with pytest.raises(ReportRequestError) as caught:
            monitoring_report(rcity.home, asker, **kwargs)  # type: ignore[arg-type]
        assert all(w in caught.value.zh and w in caught.value.en for w in words), caught.value.en
    with session_scope(rcity.home.engine) as session:
        assert list_events(session, actor="r-bad", action="export") == []
