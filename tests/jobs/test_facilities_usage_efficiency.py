"""Usage efficiency on the synthetic city: the planted low-use applications are recovered exactly, and the page
and REST show the efficiency indicators inside the reader's scope."""

from __future__ import annotations

import re

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.analytics.facilities.efficiency import load_thresholds
from edubrain.synth.facilities import APPS, read_low_use_truth
from tests.facilities_city import FacilityCity, facility_city
from tests.web.conftest import Client, clients, make_app
from tests.web.test_facilities_page import API, PATH, token

EFFICIENCY = ("weekly_active_rate", "minutes_per_active_user", "low_use", "app_school_reach", "apps_in_use_share")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> FacilityCity:
    return facility_city(tmp_path_factory)


@pytest.fixture(scope="module")
def app(city: FacilityCity) -> FastAPI:
    return make_app(city.home)


def _area(city: FacilityCity) -> pl.DataFrame:
    frame = pl.from_arrow(city.home.lake.read(city.home.catalog.dataset("facility_area_indicators")))
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_facilities_planted_low_use_applications_are_recovered_exactly(city: FacilityCity) -> None:
    planted = read_low_use_truth(city.root)
    assert planted and not set(planted) & set(APPS)
    flags = _area(city).filter((pl.col("level") == "city") & (pl.col("indicator") == "low_use"))
    assert flags.filter(pl.col("value").is_null()).is_empty()  # no city cell is small
    flagged = flags.filter(pl.col("value") == 1.0)
    assert sorted(set(flagged.get_column("app_id").to_list())) == sorted(planted)
    months = flags.get_column("month").n_unique()
    assert flagged.height == months * len(planted)  # flagged in every month, for the one role it was bought for
    assert set(flagged.get_column("denominator").to_list()) == {load_thresholds().low_use_below}


def test_facilities_weekly_active_rate_is_user_weeks_over_eligible_weeks(city: FacilityCity) -> None:
    rates = _area(city).filter((pl.col("indicator") == "weekly_active_rate") & pl.col("value").is_not_null())
    assert rates.height > 0
    assert (
        rates.get_column("value") - rates.get_column("numerator") / rates.get_column("denominator")
    ).abs().max() < 1e-12  # type: ignore[operator]
    monthly = _area(city).filter(pl.col("indicator") == "active_user_rate")
    both = rates.join(monthly, on=["level", "district_code", "month", "category", "app_id"], suffix="_m")
    assert both.height > 0 and (both["value"] <= both["value_m"] + 1e-12).all()  # a week's actives are the month's
    minutes = _area(city).filter((pl.col("indicator") == "minutes_per_active_user") & pl.col("value").is_not_null())
    assert minutes.height > 0 and minutes.get_column("value").min() > 0  # type: ignore[operator]


def test_facilities_reach_counts_reporting_schools_and_ranks_the_planted_application_last(city: FacilityCity) -> None:
    reach = _area(city).filter((pl.col("level") == "city") & (pl.col("indicator") == "app_school_reach"))
    schools = _area(city).filter((pl.col("level") == "city") & (pl.col("indicator") == "apps_in_use_share"))
    assert reach.height > 0 and schools.height == reach.get_column("month").n_unique()
    planted = read_low_use_truth(city.root)
    for month, cells in reach.group_by("month"):
        by_app = dict(zip(cells["app_id"], cells["value"], strict=True))
        assert set(by_app) == {*APPS, *planted}, month
        assert max(by_app[a] for a in planted) < min(by_app[a] for a in APPS), (month, by_app)
        assert cells["denominator"].n_unique() == 1  # every application over the same reporting schools
        share = schools.filter(pl.col("month") == month[0]).row(0, named=True)
        assert share["numerator"] == cells["numerator"].sum()  # the apps in use add up over the applications
        assert share["denominator"] == cells["denominator"][0] * len(by_app)


def test_facilities_page_shows_the_efficiency_columns_and_the_low_use_flag(app: FastAPI, city: FacilityCity) -> None:
    as_user: Client = clients(app)
    html = as_user("city").get(PATH).text
    planted = read_low_use_truth(city.root)[0]
    row = re.search(rf'<tr data-app="{planted}" data-role="1"[^>]*>(.*?)</tr>', html, re.S)
    assert row and "低使用" in row.group(1)
    assert re.search(r'<tr data-app="bjedu-smart" data-role="2"[^>]*>.*?正常使用', html, re.S)
    assert "周活跃率" in html and 'id="facilities-low-use"' in html and "5%" in html
    assert re.findall(r'<tr data-app="([^"]+)"><td>', html.split('id="facilities-reach"')[1].split("</table>")[0])
    assert 'id="facilities-apps-in-use"' in html
    english = as_user("city").get(PATH, params={"lang": "en"}).text
    assert "Weekly active rate" in english and "Low use" in english


def test_facilities_rest_gives_the_efficiency_rows_inside_the_scope(city: FacilityCity, app: FastAPI) -> None:
    client = TestClient(app)
    for indicator in EFFICIENCY:
        found = client.get(API, params={"indicator": indicator}, headers=token(city, "city")).json()["data"]
        assert found and {r["indicator"] for r in found} == {indicator}
    school = client.get(API, params={"indicator": "low_use"}, headers=token(city, "school")).json()["data"]
    assert school and {r["org_code"] for r in school} == {city.school}
    district = client.get(API, params={"indicator": "low_use"}, headers=token(city, "haidian")).json()["data"]
    assert {r["level"] for r in district} <= {"district", "school"}
    assert all(r["org_code"].startswith("110108") for r in district)
    for outside in ("110119", city.yanqing_school, "110199"):  # another district, its school, no such district
        found = client.get(API, params={"indicator": "low_use", "org": outside}, headers=token(city, "haidian"))
        assert found.status_code == 200 and found.json() == {"data": [], "count": 0}  # the same empty answer
