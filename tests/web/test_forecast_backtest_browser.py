"""The 学位预测 page's backtest in real headless Chromium: how many origins each horizon rests on, and a warning.

The page-test city has four school years (2022–2025), so the rolling-origin backtest has one origin (2024) and
only horizon 1: the page must say so instead of showing a bare "100%" coverage.
"""

from __future__ import annotations

import polars as pl
import pytest

from tests.web.conftest import served_page
from tests.web.test_fitness_page_city import SynthWeb, lake_table

pytestmark = pytest.mark.slow


def _cells(page, horizon: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    row = page.locator(f"#backtest-table tr[data-horizon='{horizon}']")
    return {
        "origins": row.locator("td[data-column='origins']").inner_text().strip(),
        "coverage": row.locator("td[data-column='coverage_80']").inner_text().strip(),
    }


def test_browser_backtest_shows_origins_per_horizon_and_warns_when_fewer_than_five(browser_city: SynthWeb) -> None:
    stored = lake_table(browser_city.home, "place_backtests").filter(
        (pl.col("district_code") == "110000") & (pl.col("stage") == "2") & (pl.col("method") == "cohort")
    )
    assert stored["forecasts"].to_list() == [1]  # one origin: the case the issue saw
    with served_page(browser_city.home, "city", "/forecast?stage=primary") as page:
        cells = _cells(page, 1)
        assert cells["origins"] == "1"
        assert "起点不足 5 个" in cells["coverage"]  # the coverage is not shown bare
        note = page.locator("#backtest-origins")
        assert note.is_visible()
        text = note.inner_text()
        assert "2022–2025" in text and "4 个学年" in text and "2024" in text
        assert "8 个学年" in text  # what it would take: five origins at horizon 1
        page.goto(page.url + "&lang=en")
        cells = _cells(page, 1)
        assert "fewer than 5 origins" in cells["coverage"]
        text = page.locator("#backtest-origins").inner_text()
        assert "4 school years" in text and "8 school years" in text
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)  # no Chinese left in English mode
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(page.url.replace("&lang=en", "&lang=zh"))
        box = page.locator("#backtest-origins").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.locator("#backtest-table td[data-column='coverage_80'] .few-origins").first.is_visible()
