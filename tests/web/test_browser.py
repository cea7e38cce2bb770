"""Browser tests in real headless Chromium (Debian ``chromium``) against a real uvicorn server on loopback.

Without Chromium they skip, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL, STUDENT_HEADERS, student_rows
from tests.web.conftest import PASSWORD, build_city, need_chromium, screenshot_is_not_blank, serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    need_chromium()
    home = build_city(tmp_path_factory.mktemp("browsercity"), catalog)
    home.engine.dispose()
    with serve(home) as url:
        yield url


def _page_as(browser, server: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(20_000)
    page.goto(f"{server}/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{server}/")
    return page


def _gbk_roster(path: Path, bad: bool) -> Path:
    rows = student_rows(4, start=20)
    if bad:
        rows[3][STUDENT_HEADERS.index("性别")] = "男?"
    path.write_bytes("\n".join(",".join(str(v) for v in r) for r in rows).encode("gbk"))
    return path


def test_browser_school_fixes_a_gbk_file_after_seeing_the_marked_cell(browser, server: str, tmp_path: Path) -> None:
    page = _page_as(browser, server, "school")
    page.goto(f"{server}/submit")
    page.select_option("#dataset", "students")
    page.set_input_files("#file-input", str(_gbk_roster(tmp_path / "名册.csv", bad=True)))
    page.wait_for_selector("#report-body[data-status=rejected]")
    bad = page.locator("#file-preview td.bad")
    assert bad.count() == 1
    assert bad.inner_text() == "男?" and bad.get_attribute("data-column") == "性别"
    assert page.locator("#file-preview tr[data-row='4'] td.bad").count() == 1
    colour = bad.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert colour == "rgb(253, 236, 234)"  # highlighted
    assert "gb18030" in page.inner_text("#report-body")
    before = page.locator("#history-table tr[data-batch]").count()
    fixed = _gbk_roster(tmp_path / "名册.csv", bad=False).read_bytes()
    page.evaluate(
        """([bytes, name]) => {
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array(bytes)], name, {type: "text/csv"}));
            document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
        }""",
        [list(fixed), "名册.csv"],
    )
    page.wait_for_selector("#report-body[data-status=committed]")
    version = page.get_attribute("#report-body", "data-version")
    assert version and int(version) >= 1
    assert f"版本 {version}" in page.inner_text("#report-version")
    page.wait_for_function(f"document.querySelectorAll('#history-table tr[data-batch]').length > {before}")
    assert page.locator("#history-table tr[data-batch]").first.locator(".pill").inner_text() == "已提交"
    page.close()


def test_browser_district_user_sees_only_its_own_schools(browser, server: str) -> None:
    page = _page_as(browser, server, "haidian")
    rows = page.locator("#school-table tr[data-org]")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.org)")) == [SCHOOL, OTHER_SCHOOL]
    page.wait_for_selector("#district-map[data-ready='1']")
    codes = page.evaluate("window.edubrainMap.getOption().series[0].data.filter(d => d.code).map(d => d.code)")
    assert codes == ["110108"]  # ECharts lists the other regions too, but with no data
    assert CHAOYANG_SCHOOL not in page.content()
    response = page.goto(f"{server}/district/110105")
    assert response is not None and response.status == 403
    page.goto(f"{server}/district/110108")
    statuses = page.locator("#status-table tr[data-school]").evaluate_all("rows => rows.map(r => r.dataset.school)")
    assert sorted(statuses) == [SCHOOL, OTHER_SCHOOL]
    page.close()


def test_browser_cockpit_map_renders_all_16_districts(browser, server: str, catalog: Catalog) -> None:
    page = _page_as(browser, server, "city")
    page.wait_for_selector("#district-map[data-ready='1']")
    page.wait_for_timeout(500)  # let the first frame paint
    names = page.evaluate(
        "window.edubrainMap.getOption().series[0].data.filter(d => typeof d.value === 'number' && d.code).map(d => d.name)"
    )
    districts = {c.zh for c in catalog.code_table("district").codes if not c.legacy}
    assert len(names) == 16 and set(names) == districts
    regions = page.evaluate(
        "(() => { const m = echarts.getMap('beijing'); return (m.geoJSON || m.geoJson).features.length; })()"
    )
    assert regions == 16
    screenshot_is_not_blank(page.locator("#district-map").screenshot(), what="map screenshot")
    page.select_option("#map-indicator", "teachers")
    assert page.evaluate("window.edubrainMap.getOption().series[0].name") == "教职工数"
    centre = page.evaluate(
        """(() => {
            const geo = (echarts.getMap('beijing').geoJSON || echarts.getMap('beijing').geoJson);
            const haidian = geo.features.find(f => f.properties.name === '海淀区');
            return window.edubrainMap.convertToPixel({seriesIndex: 0}, haidian.properties.cp);
        })()"""
    )
    box = page.locator("#district-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + centre[0], box["y"] + centre[1])
    page.wait_for_url(f"{server}/district/110108")
    page.close()


def test_browser_missing_chromium_skips_but_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tests.web.conftest as module

    monkeypatch.setattr(module, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        module.need_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        module.need_chromium()
