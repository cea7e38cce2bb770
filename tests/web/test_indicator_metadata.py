"""Indicator definitions: declared as data for every indicator the dashboards show, shown on hover and on /indicators.

As in DHIS2, a person reading a number can see what it means: hovering (or focusing) an indicator's name on
the cockpit and the 体质健康 page shows its formula, and the page 指标说明 lists every indicator with its
formula, its source datasets and their current lake version, the definition's version and its owner.
"""

from __future__ import annotations

import pytest

from edubrain.analytics import indicators
from edubrain.analytics.definitions import indicator_definitions
from edubrain.catalog import Catalog
from edubrain.web.messages import t
from edubrain.web.pages_fitness import MAP_MEASURES
from tests.web.conftest import served_page
from tests.web.test_fitness_page_city import SynthWeb

SHOWN = {"cockpit": set(indicators.INDICATORS), "fitness": {*MAP_MEASURES, "tested", "change_excellent_good_rate"}}
"""The indicators each dashboard shows."""


def test_every_indicator_shown_is_defined_with_catalog_sources(catalog: Catalog) -> None:
    defined = indicator_definitions()
    for page, names in SHOWN.items():
        assert names <= {key for key, d in defined.items() if d.page == page}, page
    for key, d in defined.items():
        assert set(d.sources) <= set(catalog.datasets), key
        assert d.sources or d.other_zh, f"{key} names no source"
        assert (d.zh, d.en) == (t(key, "zh"), t(key, "en")), f"{key}: the definition's name is not the page's label"
        assert d.formula_zh and d.formula_en and d.version and d.owner_zh and d.owner_en


@pytest.mark.slow
def test_hovering_an_indicator_shows_its_definition(browser_city: SynthWeb) -> None:
    students = indicator_definitions()["students"]
    with served_page(browser_city.home, "city", "/", ("district-map",)) as page:
        popup = page.locator("#headline [data-indicator=students] .def-pop")
        assert not popup.is_visible()
        page.hover("#headline [data-indicator=students]")
        assert popup.is_visible()
        assert students.formula_zh in popup.inner_text() and f"v{students.version}" in popup.inner_text()
    rate = indicator_definitions()["excellent_good_rate"]
    with served_page(browser_city.home, "city", "/fitness?lang=en", ("fitness-map",)) as page:
        cell = page.locator("#drill-table thead [data-indicator-def=excellent_good_rate]")
        cell.hover()
        popup = cell.locator(".def-pop")
        assert popup.is_visible() and rate.formula_en in popup.inner_text()
        box, view = popup.bounding_box(), page.viewport_size
        assert box is not None and view is not None and 0 <= box["x"] and box["x"] + box["width"] <= view["width"]


@pytest.mark.slow
def test_metadata_page_lists_every_indicator_with_version_owner_and_lake_versions(browser_city: SynthWeb) -> None:
    home = browser_city.home
    with served_page(home, "school", "/fitness") as page:
        page.click("#indicators-link")
        page.wait_for_url("**/indicators")
        rows = page.locator("#indicator-defs tbody tr")
        assert rows.count() == len(indicator_definitions())
        for key, d in indicator_definitions().items():
            row = page.locator(f"#def-{key}")
            text = row.inner_text()
            assert d.zh in text and d.formula_zh in text and d.owner_zh in text
            assert row.locator("[data-version]").inner_text() == f"v{d.version}"
            for source in d.sources:
                version = home.lake.version(source)
                shown = row.locator(f"[data-dataset={source}]").inner_text()
                assert (f"第 {version} 版" if version is not None else "尚无数据") in shown, (key, source, shown)
