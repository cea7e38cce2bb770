"""The 学位预测 page in real headless Chromium against uvicorn: the gap map and the fan chart with its bands.

Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

import io

import polars as pl
import pytest

from tests.web.conftest import screenshot_is_not_blank, served_page
from tests.web.test_fitness_page_city import SynthWeb, lake_table

pytestmark = pytest.mark.slow


def test_browser_forecast_fan_chart_draws_history_forecast_and_bands(browser_city: SynthWeb) -> None:
    city = browser_city
    path = "/forecast?district=110108&stage=junior"
    with served_page(city.home, "city", path, ("fan-chart", "gap-map"), settle_ms=2000) as page:  # after the animation
        series = page.evaluate(
            "Object.fromEntries(window.edubrainFanChart.getOption().series.map(s => [s.id, s.data]))"
        )
        assert {"history", "forecast", "low80", "band80", "low95", "band95", "planned"} <= set(series)
        stored = (
            lake_table(city.home, "place_forecasts")
            .filter((pl.col("scenario") == "base") & (pl.col("district_code") == "110108") & (pl.col("stage") == "3"))
            .sort("school_year")
        )
        future = [v for v in series["forecast"] if v is not None]
        assert future == stored["demand"].to_list()
        widths80 = [v for v in series["band80"] if v is not None]
        widths95 = [v for v in series["band95"] if v is not None]
        assert len(widths80) == len(widths95) == stored.height
        assert all(w80 <= w95 for w80, w95 in zip(widths80, widths95, strict=True)) and sum(widths95) > 0
        upper = [lo + w for lo, w in zip([v for v in series["low95"] if v is not None], widths95, strict=True)]
        assert upper == pytest.approx(stored["upper_95"].to_list())
        assert len([v for v in series["history"] if v is not None]) == 4
        shot = page.locator("#fan-chart").screenshot()
        screenshot_is_not_blank(shot)
        band = page.evaluate(
            """(() => {
                const c = window.edubrainFanChart, o = c.getOption(), i = o.xAxis[0].data.length - 3;
                const low = o.series.find(s => s.id === 'low95').data[i], w = o.series.find(s => s.id === 'band95').data[i];
                return c.convertToPixel({seriesIndex: 0}, [i, low + w * 0.5]);
            })()"""
        )
        from PIL import Image

        image = Image.open(io.BytesIO(shot)).convert("RGB")
        pixel = image.getpixel((int(band[0]), int(band[1])))
        assert pixel != (255, 255, 255), "the 95% band is not painted"
        names = page.evaluate("window.edubrainGapMap.getOption().series[0].data.map(d => d.code)")
        assert len(names) == 16
