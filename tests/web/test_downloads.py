"""Period selectors, downloads and chart image export, as a person uses them in Chromium (and one audit check).

- the school-year selector of the cockpit and of 体质健康 changes the numbers shown;
- each table's 下载数据 link returns a file whose rows are the table's rows;
- every chart has an ECharts toolbox with "save as image", titled in the page's language;
- a download of rows of people is recorded in the audit trail as an export.
"""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from sqlalchemy import select

from edubrain.governance.audit import AuditEvent
from edubrain.store.db import session_scope
from tests.web.conftest import Client, served_page
from tests.web.test_fitness_page_city import LAST_YEAR, SynthWeb

pytestmark = pytest.mark.slow


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _cells(page, table: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Each row of the grid table ``table`` as it is seen: its data-org, then the text of its cells."""
    return page.evaluate(
        f"Object.fromEntries([...document.querySelectorAll('#{table} tbody tr')]"
        ".map(r => [r.dataset.org, [...r.cells].map(c => c.innerText.trim())]))"
    )


def test_cockpit_year_selector_changes_the_numbers_shown(browser_city: SynthWeb) -> None:
    with served_page(browser_city.home, "city", "/", ("district-map",)) as page:
        years = page.evaluate("[...document.querySelectorAll('#cockpit-year option')].map(o => +o.value)")
        assert years == [2022, 2023, 2024, LAST_YEAR]
        assert page.input_value("#cockpit-year") == str(LAST_YEAR)
        newest = _cells(page, "district-table")
        with page.expect_navigation():
            page.select_option("#cockpit-year", "2022")
        assert "year=2022" in page.url and page.input_value("#cockpit-year") == "2022"
        oldest = _cells(page, "district-table")
        assert oldest.keys() == newest.keys() and oldest != newest
        students = page.locator("#headline [data-indicator=students] .value").inner_text()
        assert students.replace(",", "").isdigit()


def test_fitness_year_selector_changes_the_numbers_shown(browser_city: SynthWeb) -> None:
    with served_page(browser_city.home, "city", "/fitness", ("fitness-map",)) as page:
        newest = _cells(page, "drill-table")
        with page.expect_navigation():
            page.select_option("#fitness-year", "2023")
        page.wait_for_selector("#fitness-map[data-ready='1']")
        assert "year=2023" in page.url
        older = _cells(page, "drill-table")
        assert older.keys() == newest.keys() and older != newest


def test_download_links_return_the_rows_of_their_table(browser_city: SynthWeb) -> None:
    with served_page(browser_city.home, "city", "/fitness?year=2023", ("fitness-map",)) as page:
        shown = _cells(page, "drill-table")
        link = page.locator("[data-download-for=drill-table] a[data-format=csv]")
        assert link.is_visible()
        with page.expect_download() as event:
            link.click()
        rows = _csv(open(event.value.path(), "rb").read())
        assert event.value.suggested_filename.endswith("2023.csv")
        assert {r["代码"] for r in rows} == set(shown)
        for r in rows:
            cells = shown[r["代码"]]
            assert cells[1].replace(",", "") == r["完整测试人数"]
            assert cells[2] == f"{float(r['优良率']) * 100:.1f}%"
        origin = page.url.split("/fitness")[0]
        xlsx = page.request.get(
            origin + page.locator("[data-download-for=drill-table] a[data-format=xlsx]").get_attribute("href")
        )
        assert xlsx.ok and xlsx.body()[:2] == b"PK"  # a zip: the XLSX container
        page.goto(origin + "/?year=2023")
        shown = _cells(page, "district-table")
        href = page.locator("[data-download-for=district-table] a[data-format=csv]").get_attribute("href")
        rows = _csv(page.request.get(origin + href).body())
        assert {r["代码"]: r["在校生数"] for r in rows} == {
            org: cells[2].replace(",", "") for org, cells in shown.items()
        }


def test_every_chart_has_a_save_as_image_button(browser_city: SynthWeb) -> None:
    with served_page(browser_city.home, "city", "/fitness", ("fitness-map", "fitness-trend")) as page:
        for chart in ("edubrainFitnessMap", "edubrainFitnessTrend"):
            feature = page.evaluate(f"window.{chart}.getOption().toolbox[0].feature.saveAsImage")
            assert feature["show"] is True and feature["type"] == "png" and feature["title"] == "保存为图片"
        page.select_option("#fitness-measure", "obesity_rate")  # the option is replaced: the toolbox stays
        assert (
            page.evaluate("window.edubrainFitnessMap.getOption().toolbox[0].feature.saveAsImage.title") == "保存为图片"
        )
    with served_page(browser_city.home, "city", "/?lang=en", ("district-map",)) as page:
        feature = page.evaluate("window.edubrainMap.getOption().toolbox[0].feature.saveAsImage")
        assert feature["title"] == "Save as image" and feature["name"] == "district-map"


def test_downloading_rows_of_pupils_is_audited_as_an_export(user: Client, city: SynthWeb) -> None:
    response = user("school").get("/download/data/students.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = _csv(response.content)
    students = pl.from_arrow(city.home.lake.read(city.home.catalog.dataset("students")))
    assert isinstance(students, pl.DataFrame)
    assert len(rows) == students.filter(pl.col("school_code") == city.school).height
    assert all(r["学校标识码"] == city.school for r in rows)
    with session_scope(city.home.engine) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.seq.desc())
        ).first()
        assert event is not None and event.dataset == "students" and event.row_count == len(rows)
    assert user("school").get("/download/data/students.exe").status_code == 404
