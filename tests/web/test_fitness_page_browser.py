"""The 体质健康 page in real headless Chromium against uvicorn: the map has all 16 districts and is drawn.

Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.catalog import Catalog
from tests.web.conftest import screenshot_is_not_blank, served_page
from tests.web.test_fitness_page_city import LAST_YEAR, SynthWeb, lake_table

pytestmark = pytest.mark.slow


def test_browser_fitness_map_shows_all_16_districts_and_the_trend(browser_city: SynthWeb, catalog: Catalog) -> None:
    city = browser_city
    with served_page(city.home, "city", "/fitness", ("fitness-map", "fitness-trend"), settle_ms=500) as page:
        shown = page.evaluate(
            "window.edubrainFitnessMap.getOption().series[0].data"
            ".filter(d => typeof d.value === 'number' && d.code).map(d => [d.name, d.value])"
        )
        districts = {c.zh: c.code for c in catalog.code_table("district").codes if not c.legacy}
        assert len(shown) == 16 and {name for name, _ in shown} == set(districts)
        stored = lake_table(city.home, "fitness_indicators").filter(
            (pl.col("level") == "district")
            & (pl.col("school_year") == LAST_YEAR)
            & (pl.col("grade") == "*")
            & (pl.col("sex") == "*")
        )
        expected = dict(stored.select("org_code", "excellent_good_rate").iter_rows())
        assert {districts[name]: value for name, value in shown} == expected
        screenshot_is_not_blank(page.locator("#fitness-map").screenshot())
        lines = page.evaluate("window.edubrainFitnessTrend.getOption().series.map(s => s.data.length)")
        assert lines == [4] * 5  # four rates and the mean total over four school years
        screenshot_is_not_blank(page.locator("#fitness-trend").screenshot(), background=0.99)  # thin lines on white
        page.select_option("#fitness-measure", "obesity_rate")
        assert page.evaluate("window.edubrainFitnessMap.getOption().series[0].name") == "肥胖率"
