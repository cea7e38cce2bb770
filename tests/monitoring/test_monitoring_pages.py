"""The 信息化监测 pages in process: the tree, the indicator page, drill-down, English, and red-team reads."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, ApiCity
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.web.conftest import login, make_app, page_data, rows_of

Login = Callable[[str], TestClient]
PAGE = "/monitoring/indicators/school_gigabit_access"


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


def test_the_tree_shows_the_seven_goals_their_indicators_and_what_is_not_measured(web: Login) -> None:
    html = _ok(web("city"), "/monitoring")
    assert len(re.findall(r'<li class="card m1-goal" data-goal="', html)) == 7
    assert "教育新型基础设施全面建成" in html and "网络安全保障能力全面增强" in html
    indicators = re.findall(r'<li data-indicator="([a-z0-9_]+)"', html)
    assert len(indicators) == 9 and "school_gigabit_access" in indicators and "smart_campus_standard_rate" in indicators
    assert "smart_campus_demonstration_schools" in indicators and "新型智慧校园示范校数" in html and "尚未监测" in html
    assert re.findall(r'<option value="(\d+)"', html) == ["2024", "2025"] and 'value="2025" selected' in html
    gigabit = re.search(r'data-indicator="school_gigabit_access">(.*?)</li>', html, re.S)
    assert gigabit and "66.7%" in gigabit.group(1) and "未达标" in gigabit.group(1) and "2 / 3 所" in gigabit.group(1)


def test_a_year_and_an_organisation_can_be_chosen(web: Login) -> None:
    html = _ok(web("city"), f"/monitoring?org={SCHOOL}&year=2024")
    assert "海淀示例一小" in html and 'value="2024" selected' in html
    gigabit = re.search(r'data-indicator="school_gigabit_access">(.*?)</li>', html, re.S)
    assert gigabit and "0.0%" in gigabit.group(1) and "未达标" in gigabit.group(1)


def test_the_indicator_page_has_its_metadata_trend_and_districts(web: Login) -> None:
    html = _ok(web("city"), PAGE)
    for text in ("学校千兆接入率", "≥ 1000 Mbps", "越高越好", "北京市教委信息中心", "加快新型基础设施建设，提升云网承载能力",
                 "学校千兆接入率、班级百兆接入率、校园无线网络覆盖率达到100%", "学年（9 月 1 日至次年 8 月 31 日）"):  # fmt: skip
        assert text in html, text
    assert re.search(r'id="indicator-target">100%<', html)
    chart = page_data(html, "monitoring-data")
    assert chart["years"] == ["2024–2025", "2025–2026"] and chart["values"] == [0.0, 100 * 2 / 3]
    assert chart["target"] == 100.0 and chart["percent"] is True
    assert rows_of(html, "children-table") == ["110105", "110108"]


def test_drilling_down_from_the_city_to_a_district_to_a_school(web: Login) -> None:
    client = web("city")
    district = _ok(client, f"{PAGE}?org=110108&year=2025")
    assert rows_of(district, "children-table") == [SCHOOL, OTHER_SCHOOL]
    assert f'href="{PAGE}?org={SCHOOL}&year=2025"' in district
    school = _ok(client, f"{PAGE}?org={SCHOOL}")
    assert 'id="children-table"' not in school and page_data(school, "monitoring-data")["values"] == [0.0, 100.0]
    crumbs = re.search(r'<nav class="crumbs" id="monitoring-crumbs">(.*?)</nav>', school, re.S)
    assert crumbs and re.findall(r'data-org="([0-9]+)"', crumbs.group(1)) == ["110000", "110108", SCHOOL]


def test_a_district_sees_its_schools_and_not_the_city_or_another_district(web: Login) -> None:
    client = web("haidian")
    html = _ok(client, PAGE)
    assert rows_of(html, "children-table") == [SCHOOL, OTHER_SCHOOL]
    assert CHAOYANG_SCHOOL not in html and "朝阳示例小学" not in html
    for org in ("110105", CHAOYANG_SCHOOL, "110000"):
        assert client.get(f"{PAGE}?org={org}").status_code == 403
        assert client.get(f"/monitoring?org={org}").status_code == 403


def test_red_team_a_school_sees_only_its_own_values_on_the_pages(web: Login) -> None:
    client = web("school1")
    tree = _ok(client, "/monitoring")
    assert "海淀示例一小" in tree and OTHER_SCHOOL not in tree and "海淀示例二小" not in tree
    page = _ok(client, PAGE)
    assert 'id="children-table"' not in page and page_data(page, "monitoring-data")["values"] == [0.0, 100.0]
    for org in (OTHER_SCHOOL, CHAOYANG_SCHOOL, "110108", "110105", "110000", "9999999999"):
        for url in (f"/monitoring?org={org}", f"{PAGE}?org={org}", f"{PAGE}?org={org}&year=2025"):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "95.5" not in response.text and "海淀示例二小" not in response.text
    unknown, other = client.get("/monitoring?org=9999999999").text, client.get(f"/monitoring?org={OTHER_SCHOOL}").text
    assert unknown.replace("9999999999", "X") == other.replace(OTHER_SCHOOL, "X")  # no existence oracle


def test_teachers_are_not_shown_the_pages(web: Login) -> None:
    client = web("teacher")
    assert 'href="/monitoring"' not in client.get("/").text
    assert client.get("/monitoring").status_code == 403 and client.get(PAGE).status_code == 403
    assert 'href="/monitoring"' in web("school1").get("/").text


def test_english_and_an_unknown_indicator(web: Login) -> None:
    html = _ok(web("city"), f"{PAGE}?lang=en")
    for text in ("Schools with gigabit internet access", "Higher is better", "Source in the plan", "Districts"):
        assert text in html, text
    tree = _ok(web("city"), "/monitoring?lang=en")
    assert "New education infrastructure fully built" in tree and "Not yet measured" in tree
    assert web("city").get("/monitoring/indicators/nope").status_code == 404
