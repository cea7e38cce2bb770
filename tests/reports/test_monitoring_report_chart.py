"""The city report's district bar charts: inline SVG drawn from the same numbers as the 各区对比 table.

For each charted indicator, every district's bar label is the table's cell text, its ``data-value`` the dataset's
value, its length proportional to that value on one scale, and the dashed line sits at the target.
"""

from __future__ import annotations

import re

import pytest

from edubrain.reports.monitoring_chart import CHARTED, district_chart, label
from edubrain.reports.monitoring_pdf import render_html
from edubrain.reports.monitoring_report import monitoring_report
from tests.reports.monitoring_city import DISTRICTS, YEAR, ReportCity
from tests.reports.test_monitoring_report import CITY, _rows


def _cells(html: str, org: str) -> list[str]:
    row = re.search(rf'<tr data-org="{org}">(.*?)</tr>', html, re.S)
    assert row is not None, org
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_the_district_charts_match_the_comparison_table(rcity: ReportCity) -> None:
    report = monitoring_report(rcity.home, CITY, year=YEAR, area="110000", fmt="pdf").report
    html = render_html(report)
    values = _rows(rcity, "monitoring_indicators", org_level="district", school_year=YEAR)
    index = {line.indicator_id: i for i, line in enumerate(report.lines)}
    drawn = 0
    for iid in CHARTED:
        svg = str(district_chart(report, iid))
        if not svg:
            continue
        drawn += 1
        assert svg in html  # the chart printed is the one checked here
        line = report.lines[index[iid]]
        widths = {}
        for org in DISTRICTS:
            table_text = _cells(html, org)[index[iid] + 1]
            bar_label = re.search(rf'class="bar-label" data-org="{org}"[^>]*>([^<]*)</text>', svg)
            assert bar_label is not None and bar_label.group(1) == table_text, (iid, org, table_text)
            bar = re.search(rf'<rect class="bar" data-org="{org}" data-value="([^"]*)"[^>]*width="([0-9.]+)"', svg)
            assert bar is not None
            want = values.filter((values["indicator_id"] == iid) & (values["org_code"] == org)).get_column("value")
            if want.len() and want[0] is not None:
                assert (
                    float(bar.group(1)) == pytest.approx(want[0]) and label(want[0], line.unit_zh, True) == table_text
                )
                widths[org] = (float(bar.group(2)), want[0])
        ratios = {round(w / v, 3) for w, v in widths.values() if v}
        assert len(ratios) <= 1, ratios  # one scale for every bar
        target = re.search(r'<line class="target" data-target="([^"]+)" x1="([0-9.]+)"', svg)
        assert target is not None and float(target.group(1)) == line.target
        if ratios:
            assert float(target.group(2)) == pytest.approx(96 + line.target * ratios.pop(), abs=0.5)
    assert drawn >= 1  # gigabit access is always reported in the report city


def test_a_district_report_has_no_district_chart(rcity: ReportCity) -> None:
    report = monitoring_report(rcity.home, CITY, year=YEAR, area=DISTRICTS[0], fmt="pdf").report
    assert all(not district_chart(report, iid) for iid in CHARTED)
    assert 'class="district-chart"' not in render_html(report)


def test_labels_round_as_the_table_does() -> None:
    assert (label(66.66666, "%", True), label(None, "%", True), label(3.14159, "所", False)) == (
        "66.7%",
        "—",
        "3.14 所",
    )
