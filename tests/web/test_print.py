"""The favicon, and printing the report pages: navigation and buttons are not on paper, the report is.

In process: the icon is the app's own SVG, linked from every page. In Chromium (print media emulated): the batch
report page and the 体质健康 page (with its report-card buttons) print without the header, the navigation, forms
and buttons, and with their tables.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from edubrain.catalog import Catalog
from tests.conftest import SCHOOL
from tests.web.conftest import Client, build_city, chromium, logged_in_page, serve
from tests.web.test_fitness_page_city import SynthWeb

HIDDEN = "el => getComputedStyle(el).display === 'none'"


def test_print_favicon_is_an_svg_of_the_app_linked_from_every_page(as_user: Client) -> None:
    page = as_user("school").get("/")
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.text)
    assert link, "no icon link"
    icon = as_user("school").get(link.group(1))
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(icon.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and len(root) >= 3
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in page.text


def _hidden(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return all(page.eval_on_selector_all(selector, f"els => els.map({HIDDEN})"))


@pytest.mark.slow
def test_print_batch_report_shows_the_report_without_navigation_or_buttons(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> None:
    home = build_city(tmp_path_factory.mktemp("printcity"), catalog)
    home.engine.dispose()
    with chromium() as browser, serve(home) as url:
        page = logged_in_page(browser, url, "school", "/submit")
        history = page.goto(f"{url}/submit/history?org={SCHOOL}")
        assert history is not None
        batch = re.search(r'href="(/submit/batches/[^"]+)"', history.text())
        assert batch, "no batch in the history"
        page.goto(f"{url}{batch.group(1)}")
        assert page.locator("header.top").is_visible() and page.locator("#site-menu").is_visible()
        page.emulate_media(media="print")
        assert _hidden(page, "header.top") and _hidden(page, "button")
        assert page.locator("main h1").is_visible() and page.locator("dl.props").is_visible()
        icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")
        assert icon == 200
        page.close()


@pytest.mark.slow
def test_print_fitness_page_prints_its_tables_without_the_card_buttons(browser_city: SynthWeb) -> None:
    with chromium() as browser, serve(browser_city.home) as url:
        page = logged_in_page(browser, url, "school", "/fitness")
        assert page.locator(".cards-form button").count() >= 1
        page.emulate_media(media="print")
        assert _hidden(page, "header.top") and _hidden(page, ".cards-form") and _hidden(page, "select")
        assert page.locator("#drill-table").is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        page.close()
