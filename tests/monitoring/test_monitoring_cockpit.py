"""The monitoring cockpit in process: the map's districts per scope, the drill to a district's schools and to one
school, the tabs of the monitoring pages, English, and red-team reads of the drill parameters."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from edubrain.governance.identity import Grant, Principal
from edubrain.governance.scope import AccessDenied
from edubrain.monitoring import goals
from edubrain.monitoring.cockpit import cockpit, school_card
from tests.api.conftest import PASSWORD, ApiCity
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.web.conftest import login, make_app, page_data, rows_of

Login = Callable[[str], TestClient]
PAGE = "/monitoring/cockpit"
WIRELESS = f"{PAGE}?indicator=wireless_coverage&year=2025"
CITY = Principal("c", "city", (Grant("city_analyst", "110000", "city"),))
HAIDIAN = Principal("h", "haidian", (Grant("district_analyst", "110108", "district"),))
SCHOOL1 = Principal("s", "school1", (Grant("school_admin", SCHOOL, "school"),))


@pytest.fixture(scope="module")
def web(mcity: ApiCity) -> Login:
    app = make_app(mcity.home)
    made: dict[str, TestClient] = {}

    def get(user: str) -> TestClient:
        if user not in made:
            made[user] = login(app, user, PASSWORD)
        return made[user]

    return get


def _ok(client: TestClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response.text


def test_the_city_map_has_sixteen_districts_coloured_against_the_target(mcity: ApiCity) -> None:
    found = cockpit(mcity.home, CITY, "wireless_coverage", 2025)
    assert len(found.districts) == 16 and all(d.visible for d in found.districts)
    values = {d.code: d.value.value for d in found.districts if d.value is not None}
    assert values == {"110105": 80.0, "110108": (100 + 95.5) / 2}
    assert [d.value.met for d in found.districts if d.value is not None] == [False, False]
    city = {t.indicator.id: t for t in found.trends}["school_gigabit_access"]
    assert [(v.school_year, v.value) for v in city.values] == [(2024, 0.0), (2025, pytest.approx(100 * 2 / 3))]


def test_a_district_map_shows_only_its_own_district_with_a_value(mcity: ApiCity) -> None:
    found = cockpit(mcity.home, HAIDIAN, "wireless_coverage", 2025)
    assert [d.code for d in found.districts if d.visible] == ["110108"]
    assert [d.code for d in found.districts if d.value is not None] == ["110108"]
    assert found.org_code == "110108" and found.trends[0].values[0].org_code == "110108"


def test_a_school_has_no_map_and_its_own_card(mcity: ApiCity) -> None:
    found = cockpit(mcity.home, SCHOOL1)
    assert found.districts == () and found.org_code == SCHOOL
    card = school_card(mcity.home, SCHOOL1, SCHOOL, 2025)
    wireless = {t.indicator.id: t for t in card.trends}["wireless_coverage"]
    assert [v.value for v in wireless.values] == [90.0, 100.0] and card.parent_code == "110108"
    for outsider in (OTHER_SCHOOL, CHAOYANG_SCHOOL, "9999999999", "110108", "x"):
        with pytest.raises(AccessDenied):
            school_card(mcity.home, SCHOOL1, outsider)


def test_the_page_drills_from_the_map_to_a_district_and_a_school(web: Login, mcity: ApiCity) -> None:
    client = web("city")
    html = _ok(client, WIRELESS)
    chart = page_data(html, "cockpit-data")
    assert len(chart["map"]["districts"]) == 16 and chart["map"]["target"] == 100.0
    assert rows_of(html, "district-table") == [d["code"] for d in chart["map"]["districts"]]
    declared = {f"own-{i.id}" for g in goals(mcity.home) for i in g.indicators}
    assert set(chart["sparks"]) == declared and chart["sparks"]["own-wireless_coverage"]["target"] == 100.0
    district = _ok(client, f"{WIRELESS}&district=110108")
    assert rows_of(district, "schools-table") == [OTHER_SCHOOL, SCHOOL]  # below target first
    assert re.search(rf'<tr data-org="{OTHER_SCHOOL}" class="m4-below">', district)
    link = f"{WIRELESS}&district=110108&school={SCHOOL}#school-card".replace("&", "&amp;")
    assert f'href="{link}"' in district
    school = _ok(client, f"{WIRELESS}&district=110108&school={SCHOOL}")
    assert rows_of(school, "school-values", "data-indicator")[:2] == ["school_gigabit_access", "class_100m_access"]
    assert page_data(school, "cockpit-data")["sparks"]["school-wireless_coverage"]["values"] == [90.0, 100.0]
    assert "2024: 90.0% → 2025: 100.0%" in school


def test_a_district_admin_sees_other_districts_without_values(web: Login) -> None:
    html = _ok(web("haidian"), WIRELESS)
    districts = page_data(html, "cockpit-data")["map"]["districts"]
    shown = [d for d in districts if d["visible"]]
    assert [d["code"] for d in shown] == ["110108"] and len(districts) == 16
    assert all(d["value"] is None and d["code"] is None for d in districts if not d["visible"])
    assert rows_of(html, "district-table") == ["110108"] and "朝阳示例小学" not in html
    assert rows_of(html, "schools-table") == [OTHER_SCHOOL, SCHOOL]  # its own district's schools at once


@pytest.mark.parametrize(
    ("user", "query"),
    [
        ("haidian", "district=110105"),
        ("haidian", "district=999999"),
        ("haidian", f"school={CHAOYANG_SCHOOL}"),
        ("haidian", "school=9999999999"),
        ("school1", f"school={OTHER_SCHOOL}"),
        ("school1", "school=9999999999"),
        ("school1", "district=110108"),
        ("city", f"district={SCHOOL}"),
        ("city", "school=110108"),
    ],
)
def test_red_team_the_drill_refuses_what_is_outside_the_scope_like_what_does_not_exist(
    web: Login, user: str, query: str
) -> None:
    response = web(user).get(f"{WIRELESS}&{query}")
    assert response.status_code == 403, (user, query, response.status_code)
    assert "95.5" not in response.text and "朝阳示例小学" not in response.text and "海淀示例二小" not in response.text


def test_red_team_an_outsider_school_reads_like_an_unknown_one(web: Login) -> None:
    client = web("haidian")
    outsider = client.get(f"{WIRELESS}&school={CHAOYANG_SCHOOL}").text.replace(CHAOYANG_SCHOOL, "X")
    unknown = client.get(f"{WIRELESS}&school=9999999999").text.replace("9999999999", "X")
    assert outsider == unknown


def test_a_school_sees_its_own_values_and_no_map(web: Login) -> None:
    html = _ok(web("school1"), PAGE)
    assert 'id="cockpit-map"' not in html and page_data(html, "cockpit-data")["map"] is None
    assert re.search(rf'id="school-card" data-school="{SCHOOL}"', html) and OTHER_SCHOOL not in html


def test_one_monitoring_entry_in_the_header_and_tabs_for_its_pages(web: Login) -> None:
    html = _ok(web("city"), "/monitoring")
    menu = re.search(r'<nav id="site-menu">(.*?)</nav>', html, re.S)
    assert menu and re.findall(r'href="(/monitoring[^"]*)"', menu.group(1)) == ["/monitoring"]
    tabs = re.search(r'<nav class="tabs" id="section-tabs"[^>]*>(.*?)</nav>', html, re.S)
    links = re.findall(r'href="([^"]+)"', tabs.group(1)) if tabs else []
    assert links[:2] == ["/monitoring", PAGE] and {"/monitoring/facilities", "/monitoring/training"} <= set(links)
    cockpit_page = _ok(web("city"), PAGE)
    assert re.search(r'<a href="/monitoring/cockpit" id="tab-m4-title" class="on"', cockpit_page)
    assert re.search(r'<a href="/monitoring" id="nav-monitoring" class="on"', cockpit_page)


def test_teachers_and_the_public_are_refused_and_not_shown_the_cockpit(web: Login) -> None:
    for user in ("teacher", "citizen"):
        client = web(user)
        assert client.get(PAGE).status_code == 403
        assert PAGE not in client.get("/").text


def test_english_cockpit_and_an_unknown_indicator(web: Login) -> None:
    html = _ok(web("city"), f"{WIRELESS}&district=110108&lang=en")
    assert "Monitoring cockpit" in html and "Schools of Haidian" in html
    assert page_data(html, "cockpit-data")["map"]["regions"]["海淀区"].startswith("Haidian")
    assert web("city").get(f"{PAGE}?indicator=nope").status_code == 404
