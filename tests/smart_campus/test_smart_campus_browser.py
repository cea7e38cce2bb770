"""The 智慧校园达标评定 pages in real headless Chromium against uvicorn: the workflow as a person does it (school
drafts, scores and submits; district recommends; city approves and designates from the shortlist), what each sees
(no raw JSON, no 403 behind a link of the menu or the tabs), English, and phone width (375 px).

The served city is on SQLite (the server the fixture starts reads the home's own database); the same steps on
PostgreSQL are covered in process by ``test_smart_campus_designation.py`` and ``test_smart_campus_workflow_api.py``.
Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import PASSWORD
from tests.conftest import SCHOOL
from tests.smart_campus.conftest import FULL_SCORES, build_smart_campus_city
from tests.web.conftest import assert_no_raw_json, chromium, need_chromium, open_as, serve

pytestmark = pytest.mark.slow
LIST = "/monitoring/smart-campus"
SCHOOL_PAGE = f"{LIST}/{SCHOOL}/2025"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    city = build_smart_campus_city(Path(tmp_path_factory.mktemp("smart-campus-browser")))
    city.home.engine.dispose()
    with serve(city.home) as url:
        yield url


def _step(page, action: str, state: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"form[data-action='{action}'] button[type=submit]")
    page.wait_for_selector(f"#smart-campus-state[data-state='{state}']")
    assert_no_raw_json(page, extra=("None",))


def test_browser_the_workflow_from_draft_to_designation(served: str) -> None:
    with chromium() as browser:
        school = open_as(browser, served, "school1", SCHOOL_PAGE, password=PASSWORD)
        school.click("#smart-campus-draft")
        school.wait_for_selector("#smart-campus-score-form")
        for indicator, points in FULL_SCORES.items():
            school.fill(f"input[name='score_{indicator}']", f"{points:g}")
        school.click("#smart-campus-score-form button[type=submit]")
        school.wait_for_selector("#smart-campus-history tr[data-step='save']")
        assert school.locator("form[data-action='designate']").count() == 0
        _step(school, "submit", "submitted")
        school.close()
        district = open_as(browser, served, "haidian", SCHOOL_PAGE, password=PASSWORD)
        assert district.locator("form[data-action='approve']").count() == 0  # the city's step, not offered
        _step(district, "recommend", "recommended")
        district.close()
        city = open_as(browser, served, "city", SCHOOL_PAGE, password=PASSWORD)
        _step(city, "approve", "approved")
        assert city.locator("#smart-campus-meets").get_attribute("data-meets") == "1"
        city.goto(f"{served}{LIST}?year=2025")
        row = city.locator(f"#smart-campus-shortlist-table tr[data-school='{SCHOOL}']")
        assert row.locator("td").first.inner_text().strip() == "1"
        row.locator("form[data-action='designate'] button").click()
        city.wait_for_selector(f"tr[data-school='{SCHOOL}'] [data-designated='1']")
        assert "已认定新型智慧校园示范校 1 所" in city.inner_text("#smart-campus-designated")
        assert_no_raw_json(city, extra=("None",))
        city.goto(f"{served}/monitoring?year=2025")  # the 七个全面 tree counts it at once
        shown = city.inner_text("li[data-indicator='smart_campus_demonstration_schools']")
        assert re.search(r"\b1\b", shown) and "100" in shown, shown
        rate = city.inner_text("li[data-indicator='smart_campus_standard_rate']")
        assert "33.3%" in rate, rate  # one of the three stored schools meets the standard
        city.close()
        seen = open_as(browser, served, "haidian", f"{LIST}?year=2025", password=PASSWORD)
        assert seen.locator(f"tr[data-school='{SCHOOL}'] [data-designated='1']").count() == 1
        assert seen.locator("form[data-action='designate']").count() == 0  # sees the designation, cannot make one
        seen.goto(f"{served}{SCHOOL_PAGE}")
        assert seen.locator("#smart-campus-designated-badge").count() == 1
        assert seen.locator("form[data-action='revoke']").count() == 0
        seen.close()


@pytest.mark.parametrize("user", ["school1", "haidian", "city"])
def test_browser_no_link_of_the_menu_or_tabs_leads_to_a_refusal(served: str, user: str) -> None:
    with chromium() as browser:
        page = open_as(browser, served, user, SCHOOL_PAGE, password=PASSWORD)
        links = page.eval_on_selector_all(
            "#site-menu a, #section-tabs a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert "/monitoring/smart-campus" in links, links
        for href in links:
            response = page.goto(f"{served}{href}")
            assert response is not None and response.status < 400, (user, href, response and response.status)
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", [LIST, SCHOOL_PAGE])
def test_browser_phone_width_in_both_languages(served: str, path: str, lang: str) -> None:
    with chromium() as browser:
        page = open_as(browser, served, "city", f"{path}?lang={lang}", width=375, password=PASSWORD)
        heading = page.inner_text("main h1")
        has_chinese = bool(re.search(r"[\u4e00-\u9fff]", heading.split("·")[0] if lang == "zh" else heading))
        if path == LIST:
            assert has_chinese == (lang == "zh"), heading
        assert_no_raw_json(page, extra=("None",))
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (path, lang, width)
        page.close()
