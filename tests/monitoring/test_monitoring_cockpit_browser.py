"""The monitoring cockpit in real headless Chromium against uvicorn: the map drawn with the target as its legend's
break, a click on a district to its schools and on a school to its values, a district admin's grey districts, and
no horizontal scrolling at phone width (375 px), in Chinese and in English.

Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from edubrain.home import Home
from tests.api.conftest import PASSWORD
from tests.conftest import OTHER_SCHOOL, SCHOOL
from tests.monitoring.conftest import build_monitoring_city
from tests.web.conftest import chromium, need_chromium, screenshot_is_not_blank, serve

pytestmark = pytest.mark.slow
PAGE = "/monitoring/cockpit?indicator=wireless_coverage&year=2025"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Home, str]]:
    need_chromium()
    city = build_monitoring_city(tmp_path_factory.mktemp("cockpit-browser"))
    city.home.engine.dispose()
    with serve(city.home) as url:
        yield city.home, url


@pytest.fixture(scope="module")
def browser(served: tuple[Home, str]):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _open(browser, url: str, user: str, path: str, width: int = 1280):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}{path}")
    page.wait_for_load_state("networkidle")
    return page, errors


def _no_raw_json(page) -> None:  # type: ignore[no-untyped-def]
    text = page.inner_text("body")
    assert '{"' not in text and '":' not in text and "null" not in text, text[:500]


def test_browser_the_city_clicks_from_the_map_to_a_district_and_a_school(browser, served: tuple[Home, str]) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    page, errors = _open(browser, url, "city", PAGE)
    try:
        page.wait_for_selector("#cockpit-map[data-ready='1']")
        assert page.locator("#cockpit-map canvas").count() >= 1
        option = page.evaluate(
            "(() => { const o = window.edubrainMonitoringMap.getOption();"
            " return {pieces: o.visualMap[0].pieces.map(p => [p.gte, p.lt]), rows: o.series[0].data.length}; })()"
        )
        assert option == {"pieces": [[100, None], [None, 100]], "rows": 16}
        page.wait_for_timeout(800)
        screenshot_is_not_blank(page.locator("#cockpit-map").screenshot(), background=0.99, what="cockpit map")
        sparks = page.locator("#cockpit-trends .m4-spark").count()
        assert sparks >= 6 and page.locator("#cockpit-trends .m4-spark[data-ready='1'] svg").count() == sparks
        _no_raw_json(page)
        # a click on Haidian on the map (ECharts' own click, as a user's click at the region's centre would fire)
        page.evaluate(
            "window.edubrainMonitoringMap.dispatchAction({type: 'showTip', seriesIndex: 0, name: '海淀区'});"
            "window.edubrainMonitoringMap.trigger('click', {data: window.edubrainMonitoringMap.getOption()"
            ".series[0].data.find(d => d.code === '110108')});"
        )
        page.wait_for_selector("#schools-table")
        assert "district=110108" in page.url
        rows = page.locator("#schools-table tbody tr")
        assert rows.count() == 2 and rows.nth(0).get_attribute("data-org") == OTHER_SCHOOL
        assert "m4-below" in (rows.nth(0).get_attribute("class") or "")
        page.click(f"#schools-table tr[data-org='{SCHOOL}'] a")
        page.wait_for_selector(f"#school-card[data-school='{SCHOOL}']")
        page.wait_for_selector("#school-values .m4-spark[data-ready='1']")
        wireless = page.inner_text("#school-values tr[data-indicator='wireless_coverage']")
        assert "100.0%" in wireless and "2024: 90.0%" in wireless
        _no_raw_json(page)
        assert errors == []
    finally:
        page.close()


def test_browser_a_district_admin_sees_the_other_districts_grey_without_values(
    browser, served: tuple[Home, str]
) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    page, errors = _open(browser, url, "haidian", PAGE)
    try:
        page.wait_for_selector("#cockpit-map[data-ready='1']")
        rows = page.evaluate("window.edubrainMonitoringMap.getOption().series[0].data")
        own = [r for r in rows if r.get("code")]
        assert [r["name"] for r in own] == ["海淀区"] and own[0]["value"] == pytest.approx((100 + 95.5) / 2)
        others = [r for r in rows if not r.get("code")]
        assert len(others) == 15 and all(r["value"] is None and r["itemStyle"]["areaColor"] for r in others)
        assert page.locator("#district-table tbody tr").count() == 1
        assert page.locator("#schools-table tbody tr").count() == 2
        assert errors == []
    finally:
        page.close()


@pytest.mark.parametrize(("user", "lang"), [("city", "zh"), ("city", "en"), ("haidian", "en"), ("school1", "en")])
def test_browser_the_cockpit_fits_a_phone(browser, served: tuple[Home, str], user: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    drill = "" if user == "school1" else f"&district=110108&school={SCHOOL}"  # a school sees its own card anyway
    page, errors = _open(browser, url, user, f"{PAGE}{drill}&lang={lang}", width=375)
    try:
        if user != "school1":
            page.wait_for_selector("#cockpit-map[data-ready='1']")
        page.wait_for_selector("#school-values .m4-spark[data-ready='1']")
        page.wait_for_timeout(300)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (user, lang, width)
        if lang == "en" and user != "school1":  # a school's name has no English form
            heading = page.inner_text("main h1")
            assert not re.search(r"[\u4e00-\u9fff]", heading), heading
            names = page.evaluate("window.edubrainMonitoringMap.getOption().series[0].data.map(d => d.name)")
            assert any(n.startswith("Haidian") for n in names), names
        _no_raw_json(page)
        assert errors == []
    finally:
        page.close()
