"""The web app at phone width (390 x 844) in real headless Chromium, as the demo roles see it.

A compact header (at most 120 px tall) whose menu opens with a button, no page wider than the screen
(tables scroll inside their own box), menu items that do not overlap, maps whose colour legend covers no
district (checked for 房山区, bottom left, where the legend used to sit), and a district user's map zoomed
to the district.
Without Chromium they skip, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.web.conftest import PASSWORD, serve
from tests.web.test_fitness_page_city import SynthWeb

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
PAGES = {
    "city": ["/", "/catalog", "/catalog/students", "/data", "/data/schools", "/fitness", "/forecast"],
    "haidian": ["/", "/district/110108", "/fitness", "/forecast", "/submit", "/data/classes"],
    "school": ["/", "/fitness", "/submit", "/data/students"],
}
OVERLAPS = """(selector) => {
    const boxes = [...document.querySelectorAll(selector)].map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0);
    const hits = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
            hits.push([a.left, a.top, b.left, b.top]);
        }
    }));
    return [boxes.length, hits];
}"""
LEGEND_AND_REGION = """([chartName, region]) => {
    const chart = window[chartName];
    const geo = echarts.getMap('beijing').geoJSON || echarts.getMap('beijing').geoJson;
    const feature = geo.features.find(f => f.properties.name === region);
    const rings = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates]
        : feature.geometry.coordinates;
    const points = rings.flat(1).flat(1).map(c => chart.convertToPixel({seriesIndex: 0}, c));
    const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
    const centre = chart.convertToPixel({seriesIndex: 0}, feature.properties.cp);
    const view = chart.getViewOfComponentModel(chart.getModel().getComponent('visualMap', 0));
    const rect = view.group.getBoundingRect().clone();
    rect.applyTransform(view.group.getComputedTransform());
    return {region: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], centre: centre,
            legend: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
            width: chart.getWidth(), height: chart.getHeight()};
}"""


@pytest.fixture(scope="module")
def server(browser_city: SynthWeb) -> Iterator[str]:
    with serve(browser_city.home) as url:
        yield url


def phone_page(browser, server: str, username: str, path: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    """A 390 x 844 page logged in as ``username`` and opened at ``path``."""
    page = browser.new_page(viewport=PHONE, locale="zh-CN", device_scale_factor=1, is_mobile=True, has_touch=True)
    page.set_default_timeout(30_000)
    page.goto(f"{server}/login?lang={lang}&next={quote(path, safe='')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{server}{path}")
    return page


def page_width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


@pytest.mark.parametrize("username", sorted(PAGES))
def test_phone_pages_fit_the_screen_with_a_compact_header(browser, server: str, username: str) -> None:
    page = phone_page(browser, server, username, "/")
    try:
        for path in PAGES[username]:
            response = page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("load")
            header = page.locator("header.top").bounding_box()
            assert header is not None and header["height"] <= 120, (path, header)
            assert page_width(page) <= PHONE["width"], (path, page_width(page))
            assert not page.locator("header.top nav").is_visible(), path  # folded away until asked for
    finally:
        page.close()


def test_phone_menu_opens_without_overlap_and_closes(browser, server: str) -> None:
    page = phone_page(browser, server, "city", "/catalog")
    try:
        toggle = page.locator("header.top .nav-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        assert toggle.inner_text().strip() == "菜单"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("header.top nav").is_visible()
        count, hits = page.evaluate(OVERLAPS, "header.top nav a, header.top .user > *")
        assert count >= 6 and hits == []
        for link in page.locator("header.top nav a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            assert box["height"] >= 24  # big enough to tap
        assert page_width(page) <= PHONE["width"]
        page.locator("header.top nav a[href='/data']").click()
        page.wait_for_url(f"{server}/data")
        assert not page.locator("header.top nav").is_visible()  # a new page starts folded
        page.locator("header.top .nav-toggle").click()
        page.locator("header.top .nav-toggle").click()
        assert not page.locator("header.top nav").is_visible()
    finally:
        page.close()


def test_desktop_header_shows_the_menu_without_a_toggle(browser, server: str) -> None:
    page = phone_page(browser, server, "city", "/")
    try:
        page.set_viewport_size({"width": 1440, "height": 900})
        assert page.locator("header.top nav").is_visible()
        assert not page.locator("header.top .nav-toggle").is_visible()
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] <= 60
    finally:
        page.close()


TABLES = """() => [...document.querySelectorAll('table.grid')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.id, r.left, r.right, t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX];
})"""


def test_phone_wide_tables_scroll_inside_their_box(browser, server: str) -> None:
    page = phone_page(browser, server, "city", "/")
    scrolling = []
    try:
        for path in ["/", "/catalog", "/catalog/students", "/data/schools", "/forecast"]:
            page.goto(f"{server}{path}")
            for name, left, right, wide, shown, overflow in page.evaluate(TABLES):
                assert left >= 0 and right <= PHONE["width"] + 0.5, (path, name, left, right)
                if wide > shown + 1:
                    assert overflow in ("auto", "scroll"), (path, name)
                    scrolling.append(name)
            assert page_width(page) <= PHONE["width"], path
    finally:
        page.close()
    assert {"gap-table", "data-table"} <= set(scrolling)  # these are wider than a phone: they scroll


def _disjoint(a: list[float], b: list[float]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize(
    ("path", "box", "chart"),
    [
        ("/", "district-map", "edubrainMap"),
        ("/fitness", "fitness-map", "edubrainFitnessMap"),
        ("/forecast", "gap-map", "edubrainGapMap"),
    ],
)
def test_phone_map_legend_covers_no_district(browser, server: str, path: str, box: str, chart: str) -> None:
    page = phone_page(browser, server, "city", path)
    try:
        page.wait_for_selector(f"#{box}[data-ready='1']")
        page.wait_for_timeout(300)
        shown = page.evaluate(LEGEND_AND_REGION, [chart, "房山区"])
        assert shown["width"] <= PHONE["width"]
        assert _disjoint(shown["legend"], shown["region"]), shown
        x, y = shown["centre"]
        left, top, right, bottom = shown["legend"]
        assert not (left <= x <= right and top <= y <= bottom)
        assert 0 <= left and right <= shown["width"] and bottom <= shown["height"]  # the legend is not cut off
        assert page_width(page) <= PHONE["width"]
    finally:
        page.close()


REGION_BOX = """([chartName, region]) => {
    const chart = window[chartName];
    const geo = echarts.getMap('beijing').geoJSON || echarts.getMap('beijing').geoJson;
    const feature = geo.features.find(f => f.properties.name === region);
    const rings = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates]
        : feature.geometry.coordinates;
    const points = rings.flat(1).flat(1).map(c => chart.convertToPixel({seriesIndex: 0}, c));
    const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
    return {box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
            centre: chart.convertToPixel({seriesIndex: 0}, feature.properties.cp),
            width: chart.getWidth(), height: chart.getHeight()};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_district_map_is_zoomed_to_the_district_and_lists_its_schools(browser, server: str, width: int) -> None:
    page = phone_page(browser, server, "haidian", "/")
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.wait_for_selector("#district-map[data-ready='1']")
        page.wait_for_timeout(300)
        shown = page.evaluate(REGION_BOX, ["edubrainMap", "海淀区"])
        left, top, right, bottom = shown["box"]
        assert left >= -1 and top >= -1 and right <= shown["width"] + 1 and bottom <= shown["height"] + 1
        share = max((right - left) / shown["width"], (bottom - top) / shown["height"])
        assert share > 0.8, shown  # the district fills the map (on the city map it is a small part)
        coloured = page.evaluate(
            "window.edubrainMap.getOption().series[0].data.filter(d => d.code).map(d => [d.name, d.itemStyle.areaColor])"
        )
        assert coloured == [["海淀区", "#4575b4"]]
        listed = page.locator("#map-schools li").evaluate_all("items => items.map(i => i.dataset.school)")
        in_table = page.locator("#school-table tr[data-org]").evaluate_all("rows => rows.map(r => r.dataset.org)")
        assert listed and sorted(listed) == sorted(in_table)
        first_school = page.locator("#map-schools li").first.inner_text()
        assert not first_school.isdigit() and len(first_school) > 2  # a name, not a code
        box = page.locator("#district-map").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + shown["centre"][0], box["y"] + shown["centre"][1])
        page.wait_for_function(
            "(name) => [...document.querySelectorAll('#district-map div')].some(d => d.innerText.includes(name))",
            arg=first_school,
        )
        assert page.locator("#map-title").inner_text() == "海淀区地图"
        assert page_width(page) <= width
    finally:
        page.close()


def test_city_map_shows_the_whole_city(browser, server: str) -> None:
    page = phone_page(browser, server, "city", "/")
    try:
        page.wait_for_selector("#district-map[data-ready='1']")
        shown = page.evaluate(REGION_BOX, ["edubrainMap", "海淀区"])
        left, top, right, bottom = shown["box"]
        assert max((right - left) / shown["width"], (bottom - top) / shown["height"]) < 0.5
        assert page.locator("#map-schools").count() == 0
    finally:
        page.close()
