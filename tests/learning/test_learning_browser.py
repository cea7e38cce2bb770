"""The learning pages in real headless Chromium against uvicorn: the heat map with its legend and text values, the
drill-down to a pupil, the learner page, no raw JSON, English, and no horizontal page scroll at 375 px.

Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.synth.learning_records import PLANTED_WEAK
from tests.api.conftest import PASSWORD
from tests.conftest import CLASS
from tests.learning.conftest import PURPOSE, build
from tests.web.conftest import assert_no_raw_json, chromium, need_chromium, open_as, screenshot_is_not_blank, serve

pytestmark = pytest.mark.slow
HEATMAP = "/learning/mastery?" + urlencode({"purpose": PURPOSE, "class_id": CLASS})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    folder = tmp_path_factory.mktemp("learning-browser")
    home = Home(Settings(home=folder / "home"), get_catalog())
    build(home, folder / "files")
    home.engine.dispose()
    with serve(home) as url:
        yield url


def _no_page_scroll(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 1, f"the page scrolls sideways by {wide}px"


def test_browser_the_heat_map_its_legend_and_the_drill_down(served: str) -> None:
    with chromium() as browser:
        page = open_as(browser, served, "teacher", HEATMAP, password=PASSWORD)
        assert page.inner_text("main h1") == "班级知识点掌握度"
        assert page.locator("#learning-heatmap tbody tr").count() == 4
        cell = page.locator(f"#learning-heatmap td.lrn-cell[data-point='{PLANTED_WEAK}'][data-status='weak']").first
        assert re.fullmatch(r"0\.\d\d\s*薄弱", cell.inner_text().strip()), cell.inner_text()
        colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour.startswith("rgb(") and colour != "rgba(0, 0, 0, 0)"
        assert page.locator("#learning-legend li").count() == 4
        assert_no_raw_json(page, "main", ("None",))
        screenshot_is_not_blank(page.locator("#learning-heatmap").screenshot(), background=0.9, what="heat map")
        page.locator("#learning-heatmap tbody th a").first.click()
        page.wait_for_selector("#learning-recommendations")
        assert page.locator("#learning-recommendations li[data-reason]").count() >= 1
        assert_no_raw_json(page, "main", ("None",))
        page.close()


@pytest.mark.parametrize(
    ("user", "path"), [("teacher", HEATMAP), ("pupil0", "/learning/me"), ("parent1", "/learning/me")]
)
def test_browser_phone_width_in_chinese_and_english(served: str, user: str, path: str) -> None:
    with chromium() as browser:
        for lang in ("zh", "en"):
            page = open_as(
                browser,
                served,
                user,
                path + ("&" if "?" in path else "?") + f"lang={lang}",
                width=375,
                password=PASSWORD,
            )
            heading = page.inner_text("main h1").split(" · ")[0]  # the title, not the pupil's (masked) name
            has_chinese = bool(re.search(r"[\u4e00-\u9fff]", heading))
            assert has_chinese == (lang == "zh"), heading
            assert_no_raw_json(page, "main", ("None",))
            _no_page_scroll(page)
            if user == "teacher":
                assert page.locator("#learning-heatmap").is_visible()
            else:
                assert page.locator("#learning-recommendations").is_visible()
            page.close()
