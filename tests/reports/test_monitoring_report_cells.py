"""Small cells of the annual monitoring report: values computed from fewer pupils than the minimum are withheld."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from edubrain.analytics.monitoring import load_monitoring
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance.identity import Grant, Principal
from edubrain.home import Home
from edubrain.reports.monitoring_build import build_report
from edubrain.reports.monitoring_cells import COMPLEMENT, SMALL, Cell, hidden_cells, pupil_part
from edubrain.reports.monitoring_xlsx import render_xlsx
from tests.reports.monitoring_city import YEAR, ReportCity

CITY = Principal("k-city", "city", (Grant("city_admin", "110000", "city"),))
PUPILS = "student_terminals_per_100"


def test_only_the_indicator_counting_pupils_has_a_pupil_part() -> None:
    parts = {i.id: pupil_part(i, get_catalog()) for i in load_monitoring().indicators}
    assert parts[PUPILS] == "denominator"
    assert {k for k, v in parts.items() if v is not None} == {PUPILS}  # schools, classes, teachers: never hidden


def test_a_small_part_hides_the_smallest_other_part_not_the_total() -> None:
    cells = [
        Cell("city", "g", True, 300),
        Cell("a", "g", False, 5),
        Cell("b", "g", False, 120),
        Cell("c", "g", False, 175),
    ]
    assert hidden_cells(cells, 10) == {"a": SMALL, "b": COMPLEMENT}
    assert hidden_cells(cells, 1) == {}
    assert hidden_cells([Cell("x", "g", True, None), Cell("y", "g", False, 0)], 10) == {}  # no pupils, zero pupils


def test_a_single_visible_part_left_hides_the_total() -> None:
    cells = [Cell("d", "g", True, 12), Cell("s1", "g", False, 3), Cell("s2", "g", False, 0)]
    assert hidden_cells(cells, 10) == {"s1": SMALL, "d": COMPLEMENT}


def test_the_report_withholds_small_cells_and_their_complements(rcity: ReportCity) -> None:
    settings = Settings(home=rcity.home.settings.home, database_url=rcity.home.settings.resolved_database_url,
                        small_cell_min=200)  # fmt: skip
    home = Home(settings, get_catalog())  # Yanqing counts fewer than 200 pupils, Haidian more
    try:
        city = build_report(home, CITY, YEAR, "110000")
        cells = {row.org_code: row.cells[[c.indicator_id for c in row.cells].index(PUPILS)] for row in city.comparison}
        assert (cells["110119"].suppressed, cells["110119"].value) == (SMALL, None)
        assert (cells["110108"].suppressed, cells["110108"].value) == (
            COMPLEMENT,
            None,
        )  # else city − Haidian = Yanqing
        assert all(
            c.value is not None
            for row in city.comparison
            for c in row.cells
            if c.indicator_id == "school_gigabit_access"
        )
        own = next(line for line in city.lines if line.indicator_id == PUPILS)
        assert own.value is not None and own.suppressed is None
        yanqing = build_report(home, CITY, YEAR, "110119")
        line = next(line for line in yanqing.lines if line.indicator_id == PUPILS)
        assert (line.value, line.numerator, line.denominator, line.change, line.status) == (
            None,
            None,
            None,
            None,
            "not_measured",
        )
        assert "200" in line.reason_zh and "200" in line.reason_en
        sheet = load_workbook(io.BytesIO(render_xlsx(yanqing)))["目标达成"]
        row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == PUPILS)
        assert row[4:7] == (None, None, None) and "少于 200 人" in row[11]
    finally:
        home.engine.dispose()
