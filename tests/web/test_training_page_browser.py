"""The 培训覆盖监测 page in real headless Chromium against uvicorn: the chart with its target line, phone width,
the English page. Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from edubrain.catalog import Catalog
from edubrain.config import Settings
from edubrain.home import Home
from tests.conftest import OTHER_SCHOOL, SCHOOL
from tests.web.conftest import PASSWORD, chromium, need_chromium, screenshot_is_not_blank, serve
from tests.web.test_training_page import build_training_web

pytestmark = pytest.mark.slow
PAGE = "/monitoring/training"
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    need_chromium()
    folder: Path = tmp_path_factory.mktemp("training-browser")
    home = build_training_web(Home(Settings(home=folder / "home"), catalog), folder)
    home.engine.dispose()
    with serve(home) as url:
        yield url


@pytest.fixture(scope="module")
def browser(served: str):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _open(browser, url: str, user: str, viewport: dict[str, int], lang: str = "zh"):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.set_default_timeout(30_000)
    page.goto(f"{url}/login?lang={lang}&next={quote(PAGE, safe='')}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{url}{PAGE}")
    return page


def test_browser_training_chart_draws_the_schools_against_the_target(browser, served: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, served, "haidian", {"width": 1280, "height": 1000})
    try:
        page.wait_for_selector("#training-chart[data-ready='1']")
        option = page.evaluate(
            "(() => { const o = window.edubrainTrainingChart.getOption();"
            " return {names: o.yAxis[0].data, series: o.series.map(s => [s.name, s.data]),"
            " target: o.series[0].markLine.data[0].xAxis}; })()"
        )
        assert option["names"] == ["海淀示例一小", "海淀示例二小"] and option["target"] == 100
        series = dict((name, data) for name, data in option["series"])
        # principals: SCHOOL's (4 h of 32) not met, OTHER_SCHOOL's (40 h) met; teachers the other way round
        assert series["校长 · 年度达标率"] == [0.0, 100.0]
        assert series["教师 · 年度达标率"] == [100.0, 0.0]
        assert series["校长 · 三年覆盖率"] == [None, None]  # two years of data: no whole three-year window
        page.wait_for_timeout(1500)  # after the bars' animation
        shot = page.locator("#training-chart").screenshot()
        screenshot_is_not_blank(shot, background=0.97, what="training chart")
        rows = page.locator("#training-list tbody tr")
        assert rows.count() == 2 and "张校长" in rows.nth(0).inner_text()
        assert page.locator(f"#training-orgs tr[data-org='{SCHOOL}']").count() == 1
        assert page.locator(f"#training-orgs tr[data-org='{OTHER_SCHOOL}']").count() == 1
    finally:
        page.close()


def test_browser_training_fits_a_phone_and_switches_to_english(browser, served: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, served, "haidian", PHONE)
    try:
        page.wait_for_selector("#training-chart[data-ready='1']")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        for box in ("#training-list", "#training-orgs", "#training-chart"):
            right = page.evaluate(f"document.querySelector('{box}').parentElement.getBoundingClientRect().right")
            assert right <= PHONE["width"] + 0.5, box
        page.goto(f"{served}{PAGE}?lang=en")  # the header's language link is in the folded menu at this width
        page.wait_for_selector("#training-chart[data-ready='1']")
        assert page.locator("h1").inner_text().startswith("Training coverage")
        legend = page.evaluate("window.edubrainTrainingChart.getOption().legend[0].data || []")
        names = page.evaluate("window.edubrainTrainingChart.getOption().series.map(s => s.name)")
        assert "Principals · Met this year" in names, (legend, names)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    finally:
        page.close()


@pytest.mark.parametrize("user", ["teacher", "chaoyang"])
def test_browser_training_refuses_who_may_not_read(browser, served: str, user: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page.goto(f"{served}/login?next=%2F")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(f"{served}/")
        query = "" if user == "teacher" else "?district=110108"
        response = page.goto(f"{served}{PAGE}{query}")
        assert response is not None and response.status == 403
        assert page.locator("#training-list").count() == 0 and "张校长" not in page.content()
    finally:
        page.close()
