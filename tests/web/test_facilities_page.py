"""设施与应用 (/monitoring/facilities) and GET /api/v1/facilities/indicators: scoped, bilingual, phone-sized."""

from __future__ import annotations

import re

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.governance import identity, tokens
from edubrain.store.db import session_scope
from tests.facilities_city import FacilityCity, facility_city
from tests.web.conftest import Client, clients, make_app, screenshot_is_not_blank, served_page

PATH = "/monitoring/facilities"
API = "/api/v1/facilities/indicators"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> FacilityCity:
    return facility_city(tmp_path_factory)


@pytest.fixture(scope="module")
def app(city: FacilityCity) -> FastAPI:
    return make_app(city.home)


@pytest.fixture(scope="module")
def as_user(app: FastAPI) -> Client:
    return clients(app)


def token(city: FacilityCity, username: str) -> dict[str, str]:
    with session_scope(city.home.engine) as session:
        principal = identity.principal_of(session, identity.get_user(session, username))
        access = tokens.issue_tokens(session, city.home.settings, principal).access_token
    return {"Authorization": f"Bearer {access}"}


def visible_text(html: str) -> str:
    """The page's text without its tags and embedded scripts (what a person reads)."""
    body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def orgs_in(html: str) -> list[str]:
    table = re.search(r'<table class="grid" id="facilities-children">(.*?)</table>', html, re.S)
    return re.findall(r'data-org="([^"]+)"', table.group(1)) if table else []


def test_facilities_city_page_shows_districts_trend_usage_and_satisfaction(as_user: Client) -> None:
    response = as_user("city").get(PATH)
    assert response.status_code == 200, response.text
    html = response.text
    assert "校园设施、应用使用与满意度" in html and "设备在线率" in html
    assert orgs_in(html) == ["110108", "110119"]
    for table in ("facilities-trend-table", "facilities-kinds", "facilities-usage", "facilities-satisfaction"):
        assert f'id="{table}"' in html, table
    text = visible_text(html)
    assert '{"' not in text and '":' not in text  # no raw JSON for a person to read
    assert 'href="/monitoring/facilities"' in html  # the navigation entry


def test_facilities_page_in_english(as_user: Client) -> None:
    html = as_user("haidian").get(PATH, params={"lang": "en"}).text
    assert "Campus facilities, application usage and satisfaction" in html
    assert "Devices online" in html and "设备在线率" not in visible_text(html)


def test_facilities_district_sees_its_schools_only(as_user: Client, city: FacilityCity) -> None:
    client = as_user("haidian")
    html = client.get(PATH).text
    schools = orgs_in(html)
    assert schools and all(s.startswith("110108") for s in schools)
    assert client.get(PATH, params={"org": city.school}).status_code == 200
    for foreign in ("110119", city.yanqing_school, "110000"):
        assert client.get(PATH, params={"org": foreign}).status_code == 403, foreign


def test_facilities_school_sees_itself_only(as_user: Client, city: FacilityCity) -> None:
    client = as_user("school")
    html = client.get(PATH).text
    assert city.school in html and orgs_in(html) == []
    assert "facilities-offline" in html  # its own devices (offline list or the note that none was offline)
    for foreign in (city.other_school, "110108", "110000", city.yanqing_school):
        assert client.get(PATH, params={"org": foreign}).status_code == 403, foreign


@pytest.mark.parametrize("username", ["teacher", "citizen"])
def test_facilities_page_refuses_roles_without_scope(as_user: Client, username: str) -> None:
    client = as_user(username)
    assert client.get(PATH).status_code == 403
    assert 'href="/monitoring/facilities"' not in client.get("/").text


def test_facilities_rest_is_scoped_like_the_page(city: FacilityCity, app: FastAPI) -> None:
    client = TestClient(app)
    rows = {u: client.get(API, headers=token(city, u)).json() for u in ("city", "haidian", "school")}
    levels = {r["level"] for r in rows["city"]["data"]}
    assert levels == {"city", "district", "school"}
    assert {r["org_code"] for r in rows["school"]["data"]} == {city.school}
    haidian = {(r["level"], r["org_code"]) for r in rows["haidian"]["data"]}
    assert ("district", "110108") in haidian and ("district", "110119") not in haidian
    assert all(o.startswith("110108") for level, o in haidian if level == "school")
    assert not any(level == "city" for level, _ in haidian)
    for username in ("teacher", "citizen"):
        assert client.get(API, headers=token(city, username)).status_code == 403
    assert client.get(API).status_code == 401
    one = client.get(API, params={"indicator": "device_online_rate", "org": "110108"}, headers=token(city, "city"))
    assert {r["indicator"] for r in one.json()["data"]} == {"device_online_rate"}


def test_facilities_generic_dataset_read_is_scoped_too(city: FacilityCity, app: FastAPI) -> None:
    """Red team: another school reading the datasets directly sees only its own rows, and no district totals."""
    client = TestClient(app)
    own = client.get("/api/v1/datasets/facility_indicators/rows", params={"limit": 1000}, headers=token(city, "other"))
    assert own.status_code == 200, own.text
    assert {r["school_code"] for r in own.json()["data"]} == {city.other_school}
    area = client.get("/api/v1/datasets/facility_area_indicators/rows", headers=token(city, "other"))
    assert area.status_code == 403
    devices = client.get(
        "/api/v1/datasets/facility_device_months/rows", params={"limit": 1000}, headers=token(city, "other")
    )
    assert {r["school_code"] for r in devices.json()["data"]} == {city.other_school}


def test_facilities_page_values_are_the_derived_values(as_user: Client, city: FacilityCity) -> None:
    stored = pl.from_arrow(city.home.lake.read(city.home.catalog.dataset("facility_area_indicators")))
    assert isinstance(stored, pl.DataFrame)
    last = stored.get_column("month").max()
    rate = stored.filter(
        (pl.col("level") == "city") & (pl.col("month") == last)
        & (pl.col("indicator") == "device_online_rate") & (pl.col("category") == "*")
    ).get_column("value")[0]  # fmt: skip
    html = as_user("city").get(PATH).text
    headline = re.search(r'id="facilities-headline">(.*?)</section>', html, re.S)
    assert headline and f"{rate * 100:.1f}%" in headline.group(1)


def test_facilities_page_renders_in_chromium_at_phone_width(city: FacilityCity) -> None:
    with served_page(city.home, "haidian", PATH, charts=("facilities-trend",), settle_ms=300) as page:
        page.set_viewport_size({"width": 375, "height": 800})
        page.wait_for_timeout(300)
        text = page.inner_text("main")
        assert "设备在线率" in text and "{" not in text
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide at 375px"
        screenshot_is_not_blank(page.screenshot(full_page=True), what="facilities page at 375px")
