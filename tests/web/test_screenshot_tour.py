"""The screenshot tour: every page of the navigation, for every demo role, at 1440 and 390 px, in real Chromium.

``make screenshots`` runs this module with ``EDUBRAIN_SCREENSHOTS`` set, and the PNGs land there
(``<width>/<role>/<page>.png``); in the test suite they go to a temporary folder. Each shot is also checked as a
person would look at it: a rendered page with a heading, no raw JSON, and at phone width no horizontal overflow.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.conftest import chromium, serve
from tests.web.test_fitness_page_city import SynthWeb
from tests.web.test_navigation import DEMO_PASSWORD, demo_accounts

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}


def _folder(tmp_path: Path) -> Path:
    return Path(os.environ.get("EDUBRAIN_SCREENSHOTS") or tmp_path)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_screenshot_tour_every_page_of_every_role(browser_city: SynthWeb, tmp_path: Path, width: str) -> None:
    out = _folder(tmp_path) / width
    w, h = WIDTHS[width]
    shots = 0
    with chromium() as browser, serve(browser_city.home) as url:
        for account in demo_accounts(browser_city.home):
            page = browser.new_page(viewport={"width": w, "height": h}, locale="zh-CN")
            page.set_default_timeout(30_000)
            page.goto(f"{url}/login")
            page.fill("input[name=username]", account.username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(f"{url}/")
            links = page.eval_on_selector_all("#site-menu a", "links => links.map(a => a.getAttribute('href'))")
            for link in links:
                response = page.goto(f"{url}{link}")
                assert response is not None and response.status == 200, (account.role, link)
                page.wait_for_load_state("networkidle")
                assert page.locator("main h1").count() >= 1 and not page.inner_text("body").lstrip().startswith("{")
                if w < 500:
                    overflow = page.evaluate("document.scrollingElement.scrollWidth")
                    assert overflow <= w, (account.role, link, overflow)
                name = link.strip("/").replace("/", "_") or "cockpit"
                path = out / account.role / f"{name}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=True)
                assert path.stat().st_size > 5_000, path  # a page, not a blank
                shots += 1
            page.close()
    assert shots >= 20
