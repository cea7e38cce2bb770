"""The 学位预测 page in process (ASGI client): scope per role, both languages, chart data, backtest, missing data."""

from __future__ import annotations

import re

import polars as pl

from edubrain.jobs.forecast import read_inputs
from tests.web.conftest import Client, page_data, rows_of
from tests.web.test_fitness_page_city import SynthWeb, lake_table


def chart(html: str) -> dict:
    return page_data(html, "forecast-data")


def forecasts(city: SynthWeb, stage: str = "2") -> pl.DataFrame:
    stored = lake_table(city.home, "place_forecasts")
    return stored.filter((pl.col("scenario") == "base") & (pl.col("stage") == stage))


def test_forecast_page_city_map_fan_and_backtest_equal_the_derived_datasets(user: Client, city: SynthWeb) -> None:
    response = user("city").get("/forecast")
    assert response.status_code == 200
    data = chart(response.text)
    primary = forecasts(city)
    year = data["link"]["year"]
    assert year == primary["origin_year"][0] + 5  # five years ahead by default
    at = primary.filter(pl.col("school_year") == year)
    expected = dict(at.filter(pl.col("district_code") != "110000").select("district_code", "place_gap").iter_rows())
    assert len(data["map"]) == 16 and {r["code"]: r["value"] for r in data["map"]} == expected
    assert {r["name"] for r in data["map"]} >= {"海淀区", "延庆区"}
    fan = data["fan"]
    whole = primary.filter(pl.col("district_code") == "110000").sort("school_year")
    for column in ("school_year", "demand", "lower_80", "upper_80", "lower_95", "upper_95"):
        assert fan[column] == whole[column].to_list(), column
    assert all(
        a <= b <= c <= d
        for a, b, c, d in zip(fan["lower_95"], fan["lower_80"], fan["upper_80"], fan["upper_95"], strict=True)
    )
    history = lake_table(city.home, "place_history")  # the page reads the derived dataset, never the students
    observed = history.filter((pl.col("district_code") == "110000") & (pl.col("stage") == "2")).sort("school_year")
    assert fan["history"]["school_year"] == observed["school_year"].to_list() == [2022, 2023, 2024, 2025]
    assert fan["history"]["students"] == observed["students"].to_list()
    counted = read_inputs(city.home).history.stage_table()
    counted = counted.filter((pl.col("district_code") == "110000") & (pl.col("stage") == "primary"))
    assert fan["history"]["students"] == counted.sort("school_year")["students"].to_list()
    assert sorted(rows_of(response.text, "gap-table", "data-district")) == sorted([*expected, "110000"])
    stored = lake_table(city.home, "place_backtests").filter(
        (pl.col("district_code") == "110000") & (pl.col("stage") == "2") & (pl.col("method") == "cohort")
    )
    assert rows_of(response.text, "backtest-table", "data-horizon") == [str(h) for h in sorted(stored["horizon"])]
    first = re.search(r'<tr data-horizon="1">(.*?)</tr>', response.text, re.S)
    assert first and f'data-method="cohort">{stored.filter(pl.col("horizon") == 1)["mape"][0]:.2f}<' in first.group(1)
    assert 'data-method="nces">0.3<' in first.group(1)
    assert "数据完全不同" in response.text and "NCES 2014-051" in response.text


def test_forecast_page_stage_year_and_district_are_chosen(user: Client, city: SynthWeb) -> None:
    junior = forecasts(city, "3")
    year = int(junior["school_year"].max())
    data = chart(user("city").get(f"/forecast?stage=junior&year={year}&district=110119").text)
    at = junior.filter(pl.col("school_year") == year)
    assert {r["code"]: r["value"] for r in data["map"]} == dict(
        at.filter(pl.col("district_code") != "110000").select("district_code", "place_gap").iter_rows()
    )
    yanqing = junior.filter(pl.col("district_code") == "110119").sort("school_year")
    assert data["fan"]["demand"] == yanqing["demand"].to_list()
    assert data["fan"]["planned_places"] == yanqing["planned_places"][0]


def test_forecast_page_district_sees_only_its_district(user: Client, city: SynthWeb) -> None:
    client = user("haidian")
    response = client.get("/forecast")
    assert response.status_code == 200
    data = chart(response.text)
    assert [r["code"] for r in data["map"]] == ["110108"]
    assert rows_of(response.text, "gap-table", "data-district") == ["110108"]
    haidian = forecasts(city).filter(pl.col("district_code") == "110108").sort("school_year")
    assert data["fan"]["upper_95"] == haidian["upper_95"].to_list()
    assert "110105" not in re.search(r'<select name="district".*?</select>', response.text, re.S).group(0)
    assert client.get("/forecast?district=110105").status_code == 403
    assert client.get("/forecast?district=110000").status_code == 403
    assert client.get("/forecast?district=999999").status_code == 404
    stored = lake_table(city.home, "place_backtests").filter(
        (pl.col("district_code") == "110108") & (pl.col("stage") == "2") & (pl.col("method") == "last_value")
    )
    first = re.search(r'<tr data-horizon="1">(.*?)</tr>', response.text, re.S)
    assert first and f'data-method="last_value">{stored.filter(pl.col("horizon") == 1)["mape"][0]:.2f}<' in first.group(
        1
    )


def test_forecast_page_is_closed_to_schools_with_the_standard_error_page(user: Client) -> None:
    for name in ("school", "teacher"):
        zh = user(name).get("/forecast?lang=zh")
        assert zh.status_code == 403
        assert "学位预测只对市级和区级用户开放" in zh.text and "返回驾驶舱" in zh.text
        assert 'href="/forecast"' not in zh.text  # not in the navigation either
    en = user("school").get("/forecast?lang=en")
    assert en.status_code == 403 and "open to city and district users only" in en.text
    user("school").get("/fitness?lang=zh")
    assert 'href="/forecast"' in user("city").get("/fitness").text


def test_forecast_page_in_english(user: Client) -> None:
    for name in ("city", "chaoyang"):
        response = user(name).get("/forecast?lang=en")
        assert response.status_code == 200
        assert 'lang="en"' in response.text and "School-place forecast" in response.text
        assert "Different data" in response.text and "Cohort survival" in response.text
        visible = re.sub(r'<script type="application/json".*?</script>', "", response.text, flags=re.S)
        assert "学位" not in visible and "小学" not in visible, name
        user(name).get("/forecast?lang=zh")


def test_forecast_page_tells_the_city_office_to_run_the_forecast(as_user) -> None:  # type: ignore[no-untyped-def]
    zh = as_user("city").get("/forecast?lang=zh")
    assert zh.status_code == 200 and 'id="forecast-missing"' in zh.text
    assert "请市教委信息中心运行 edubrain forecast places" in zh.text
    en = as_user("haidian").get("/forecast?lang=en")
    assert "the city data office should run edubrain forecast places" in en.text
    as_user("haidian").get("/forecast?lang=zh")
    assert as_user("school").get("/forecast").status_code == 403
