"""The 信息化监测 pages in real headless Chromium against uvicorn: the tree, the trend chart with its target line,
no raw JSON on screen, English, and no horizontal scrolling at phone width (375 px).

Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from edubrain.home import Home
from tests.api.conftest import PASSWORD
from tests.conftest import SCHOOL
from tests.monitoring.conftest import build_monitoring_city
from tests.web.conftest import assert_no_raw_json, chromium, need_chromium, open_as, screenshot_is_not_blank, serve

pytestmark = pytest.mark.slow
PAGE = "/monitoring/indicators/school_gigabit_access"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Home, str]]:
    need_chromium()
    city = build_monitoring_city(tmp_path_factory.mktemp("monitoring-browser"))
    city.home.engine.dispose()
    with serve(city.home) as url:
        yield city.home, url


def test_browser_the_tree_and_the_trend_chart_with_its_target_line(served: tuple[Home, str]) -> None:
    _, url = served
    with chromium() as browser:
        page = open_as(browser, url, "city", "/monitoring", password=PASSWORD)
        assert page.locator("#monitoring-tree > li.m1-goal").count() == 7
        # seven goals; 智慧校园达标率 and 示范校数 under 全面升级
        assert page.locator("li[data-indicator]").count() == 9
        assert page.locator("li[data-indicator='school_gigabit_access'] .m1-value").inner_text().endswith("66.7%")
        assert_no_raw_json(page)
        page.click("li[data-indicator='school_gigabit_access'] a.m1-name")
        page.wait_for_selector("#monitoring-trend[data-ready='1']")
        page.wait_for_timeout(400)
        series = page.evaluate("window.edubrainMonitoringTrend.getOption().series[0]")
        assert series["data"] == [0, pytest.approx(100 * 2 / 3)]
        assert series["markLine"]["data"][0]["yAxis"] == 100
        assert_no_raw_json(page)
        assert page.locator("#children-table tbody tr").count() == 2
        screenshot_is_not_blank(page.locator("#monitoring-trend").screenshot(), background=0.99)
        page.click("#children-table a[href*='org=110108']")
        page.wait_for_selector(f"#children-table tr[data-org='{SCHOOL}']")
        page.close()


@pytest.mark.parametrize("path", ["/monitoring", PAGE, f"{PAGE}?org=110108"])
def test_browser_phone_width_in_english_without_horizontal_scrolling(served: tuple[Home, str], path: str) -> None:
    _, url = served
    with chromium() as browser:
        page = open_as(
            browser, url, "city", path + ("&" if "?" in path else "?") + "lang=en", width=375, password=PASSWORD
        )
        heading = page.inner_text("main h1")
        assert heading and not re.search(r"[\u4e00-\u9fff]", heading), heading  # English, no Chinese left
        assert_no_raw_json(page)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (path, width)
        page.close()
