"""The synthetic city's planted self-assessments: the evaluation recovers every planted 达标 status exactly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.jobs.monitoring import run_monitoring
from edubrain.jobs.smart_campus import is_stale, run_smart_campus
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from edubrain.synth.smart_campus import SHARES, load_planted, read_truth


@dataclass(frozen=True)
class PlantedCity:
    home: Home
    root: Path
    stored: int


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlantedCity]:
    root = tmp_path_factory.mktemp("smart-campus-synth")
    config = SynthConfig(scale=0.05, seed=11, years=1, out=root / "city", districts=("110108", "110119"),
                         formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0))  # fmt: skip
    generate(config)
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    stored = load_planted(home, config.out)
    yield PlantedCity(home, config.out, stored)
    home.engine.dispose()


def _scores(home: Home) -> pl.DataFrame:
    found = pl.from_arrow(home.lake.read(home.catalog.dataset("smart_campus_scores")))
    assert isinstance(found, pl.DataFrame)
    return found


def test_smart_campus_planted_statuses_are_recovered_exactly(planted: PlantedCity) -> None:
    truth = read_truth(planted.root)
    assert set(truth.get_column("planted")) == set(SHARES) and truth.height >= 10
    assert planted.stored == truth.filter(pl.col("planted") != "none").height
    assert is_stale(planted.home)
    run = run_smart_campus(planted.home)
    assert not is_stale(planted.home) and run.inputs["smart_campus_assessments"] > 0
    got = _scores(planted.home).select("school_code", "school_year", "state", "meets_standard")
    joined = truth.join(got, on=["school_code", "school_year"], how="full", suffix="_got", coalesce=True)
    assert joined.height == truth.height  # every school of the city has exactly one row
    assert joined.filter(pl.col("state") != pl.col("state_got")).is_empty()
    assert joined.filter(pl.col("meets_standard") != pl.col("meets_standard_got")).is_empty()


def test_smart_campus_rate_is_measured_by_the_monitoring_indicator(planted: PlantedCity) -> None:
    run_smart_campus(planted.home)
    truth = read_truth(planted.root)
    run_monitoring(planted.home)
    rows = pl.from_arrow(planted.home.lake.read(planted.home.catalog.dataset("monitoring_indicators")))
    assert isinstance(rows, pl.DataFrame)
    city = rows.filter((pl.col("indicator_id") == "smart_campus_standard_rate") & (pl.col("org_code") == "110000"))
    expected = 100.0 * truth.get_column("meets_standard").sum() / truth.height
    assert city.height == 1 and city.get_column("value")[0] == pytest.approx(expected)
    assert city.get_column("target")[0] == 85.0


def test_smart_campus_planting_is_deterministic(planted: PlantedCity, tmp_path: Path) -> None:
    from edubrain.synth.smart_campus import plant

    schools = read_truth(planted.root).select("school_code").with_columns(district_code=pl.lit("110108"))
    first = plant(tmp_path / "a", schools, 2025, 11).get_column("planted").to_list()
    assert plant(tmp_path / "b", schools, 2025, 11).get_column("planted").to_list() == first
