"""The facilities job recovers the synthetic city's planted offline devices and fault bursts exactly, with lineage."""

from __future__ import annotations

import json

import polars as pl
import pytest

from edubrain.jobs.facilities import DERIVED, is_stale
from edubrain.synth.facilities import read_truth
from tests.facilities_city import FacilityCity, facility_city


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> FacilityCity:
    return facility_city(tmp_path_factory)


def table(city: FacilityCity, dataset_id: str) -> pl.DataFrame:
    frame = pl.from_arrow(city.home.lake.read(city.home.catalog.dataset(dataset_id)))
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_facilities_planted_offline_devices_are_recovered_exactly(city: FacilityCity) -> None:
    offline, _ = read_truth(city.root)
    assert offline.height > 0
    months = table(city, "facility_device_months")
    found = months.filter((pl.col("expected_days") > 0) & ~pl.col("online")).select("device_id", "month")
    assert found.sort("device_id", "month").equals(offline.select("device_id", "month").sort("device_id", "month"))


def test_facilities_planted_fault_bursts_are_recovered_exactly(city: FacilityCity) -> None:
    _, faults = read_truth(city.root)
    assert faults.height > 0
    months = table(city, "facility_device_months")
    found = (
        months.filter(pl.col("fault_days") > 0).select("device_id", "month", "fault_days").sort("device_id", "month")
    )
    assert found.equals(faults.select("device_id", "month", "fault_days").sort("device_id", "month"))


def test_facilities_school_indicators_count_the_planted_faults(city: FacilityCity) -> None:
    _, faults = read_truth(city.root)
    rows = table(city, "facility_indicators").filter(
        (pl.col("indicator") == "device_faults") & (pl.col("category") == "*")
    )
    per_school = faults.group_by("school_code", "month").agg(pl.col("fault_days").sum().cast(pl.Float64))
    got = rows.filter(pl.col("value") > 0).select("school_code", "month", pl.col("value").alias("fault_days"))
    assert got.sort("school_code", "month").equals(per_school.sort("school_code", "month"))
    city_rows = table(city, "facility_area_indicators").filter(
        (pl.col("level") == "city") & (pl.col("indicator") == "device_faults") & (pl.col("category") == "*")
    )
    assert city_rows.get_column("value").sum() == faults.get_column("fault_days").sum()


def test_facilities_online_rate_is_online_devices_over_expected(city: FacilityCity) -> None:
    months = table(city, "facility_device_months").filter(pl.col("expected_days") > 0)
    month = int(months.get_column("month").max())  # type: ignore[arg-type]
    school = months.filter(pl.col("month") == month).get_column("school_code")[0]
    mine = months.filter((pl.col("month") == month) & (pl.col("school_code") == school))
    row = table(city, "facility_indicators").filter(
        (pl.col("school_code") == school) & (pl.col("month") == month)
        & (pl.col("indicator") == "device_online_rate") & (pl.col("category") == "*")
    )  # fmt: skip
    assert row.get_column("numerator")[0] == mine.get_column("online").sum()
    assert row.get_column("denominator")[0] == mine.height
    assert row.get_column("value")[0] == pytest.approx(mine.get_column("online").mean())


def test_facilities_small_survey_cells_are_hidden_with_their_complements(city: FacilityCity) -> None:
    rows = table(city, "facility_indicators").filter(pl.col("indicator") == "mean_satisfaction")
    small = rows.filter(pl.col("suppressed") == "small_cell")
    assert small.height > 0 and small.get_column("category").unique().to_list() == ["4"]  # the managers' 3 sheets
    hidden = rows.filter(pl.col("suppressed").is_not_null())
    assert hidden.get_column("value").null_count() == hidden.height
    assert hidden.get_column("people").null_count() == hidden.height
    shown = rows.filter(pl.col("suppressed").is_null())
    assert (shown.get_column("people") >= city.home.settings.small_cell_min).all()
    # no total shown with exactly one hidden part (the total less the shown parts would give it away)
    parts = (
        rows.filter(pl.col("category") != "*")
        .group_by("school_code", "month", "app_id")
        .agg(pl.col("suppressed").is_not_null().sum().alias("hidden"))
    )
    totals = rows.filter((pl.col("category") == "*") & pl.col("suppressed").is_null())
    leaks = parts.join(totals, on=["school_code", "month", "app_id"]).filter(pl.col("hidden") == 1)
    assert leaks.is_empty(), leaks


def test_facilities_lineage_names_every_input_and_nothing_is_stale(city: FacilityCity) -> None:
    home = city.home
    for dataset_id, inputs in DERIVED.items():
        entry = next(e for e in home.lake.history(dataset_id) if e.get("edubrain.lineage"))
        lineage = json.loads(entry["edubrain.lineage"])
        assert lineage["job"] == "facilities"
        assert lineage["inputs"] == {d: home.lake.version(d) for d in inputs}
    assert not is_stale(home)
