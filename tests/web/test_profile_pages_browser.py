"""The 全息画像 pages in real headless Chromium against uvicorn: the radar is drawn, phone width, English, no JSON.

The city of :mod:`tests.web.test_profile_pages` (real profile job on synthetic data). Without Chromium it skips,
saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.web.conftest import chromium, need_chromium, screenshot_is_not_blank, serve
from tests.web.test_profile_pages import PASSWORD, ProfileWeb, profile_city

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pcity(tmp_path_factory: pytest.TempPathFactory) -> ProfileWeb:
    need_chromium()
    return profile_city(tmp_path_factory)


def _login(browser, url: str, username: str, path: str, width: int, height: int):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    page.set_default_timeout(30_000)
    page.goto(f"{url}/login?next={quote(path, safe='')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{url}{path}")
    return page


def test_browser_profile_radar_phone_width_and_english(pcity: ProfileWeb) -> None:
    path = f"/profiles/students/{pcity.pupil}?purpose=teaching"
    with chromium() as browser, serve(pcity.home) as url:
        page = _login(browser, url, "demo_school_admin", path, 1280, 1000)
        page.wait_for_selector("#profile-radar[data-ready='1']")
        page.wait_for_timeout(600)  # the radar's first frame
        assert page.locator("#profile-radar canvas").count() >= 1
        series = page.evaluate("window.edubrainProfileRadar.getOption().series[0].data.map(d => d.value.length)")
        assert series and all(n == 5 for n in series)
        screenshot_is_not_blank(page.locator("#profile-radar").screenshot(), background=0.95, what="radar")
        text = page.inner_text("body")
        assert "学生画像" in text and '{"' not in text and not text.lstrip().startswith("{")
        page.click("header .lang")
        page.wait_for_load_state("networkidle")
        assert "Student profile" in page.inner_text("main h1")
        assert "How each value is computed" in page.inner_text("body")
        page.close()
        for username, target in (
            ("demo_school_admin", path),
            ("demo_parent", f"/profiles/students/{pcity.pupil}"),
            ("demo_district_admin", "/profiles"),
            ("demo_district_admin", f"/profiles/schools/{pcity.school}"),
        ):
            phone = _login(browser, url, username, target, 375, 812)
            phone.wait_for_load_state("networkidle")
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 375, (username, target, width)
            assert phone.locator("main h1").count() == 1
            assert '{"' not in phone.inner_text("body"), target
            if "/students/" in target:
                phone.wait_for_selector("#profile-radar[data-ready='1']")
                assert phone.locator("#profile-radar canvas").count() >= 1
            evidence = phone.locator("a[data-evidence]").first
            if evidence.count():
                evidence.click()
                phone.wait_for_load_state("networkidle")
                assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375, (username, "evidence")
                assert phone.locator("#evidence-value").count() == 1
            phone.close()
