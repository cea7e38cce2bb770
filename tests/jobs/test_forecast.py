"""The place-forecast jobs on a small synthetic city: extraction from the lake, the datasets written, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from edubrain.analytics.forecast import ForecastSettings
from edubrain.catalog import get_catalog
from edubrain.cli import app
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.jobs.forecast import read_inputs, read_scenario, run_backtest, run_place_forecast
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city

DISTRICTS = ("110109", "110119")
FAST = ForecastSettings(simulations=200)


@pytest.fixture(scope="module")
def synth_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, pl.DataFrame]:
    """Two small districts at 1% scale, seven school years (2019-2025), loaded district by district."""
    root = tmp_path_factory.mktemp("forecast-city")
    config = SynthConfig(scale=0.01, seed=5, years=7, out=root / "city", districts=DISTRICTS)
    manifest = generate(config, workers=1)
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    summary = load_city(home, config.out, "bulk")
    assert summary.rejected == []
    return home, manifest


def students_per_year(manifest: pl.DataFrame) -> list[float]:
    """Roster rows the generator wrote for each school year, oldest first (what the job must count)."""
    students = manifest.filter(pl.col("dataset") == "students")
    return (
        students.group_by("school_year")
        .agg(pl.col("rows").sum())
        .sort("school_year")["rows"]
        .cast(pl.Float64)
        .to_list()
    )


def test_forecast_job_reads_each_years_rosters_from_the_lake_versions(synth_city: tuple[Home, pl.DataFrame]) -> None:
    home, manifest = synth_city
    inputs = read_inputs(home)
    history = inputs.history
    assert history.districts == DISTRICTS
    assert history.years.tolist() == list(range(2019, 2026))
    assert history.counts.sum(axis=(0, 2)).tolist() == students_per_year(manifest)
    assert set(inputs.capacity["stage"]) == {"primary", "junior", "senior"}
    assert inputs.capacity["places"].sum() > 0
    assert all(v is not None for v in inputs.versions.values())


def test_forecast_job_writes_the_backtest_table_for_the_synthetic_city(synth_city: tuple[Home, pl.DataFrame]) -> None:
    home, _ = synth_city
    mape, version = run_backtest(home, horizons=5, settings=FAST)
    assert version is not None
    stored = pl.from_arrow(home.lake.read(home.catalog.dataset("place_backtests"), version))
    assert isinstance(stored, pl.DataFrame)
    assert stored.height == mape.height > 0
    assert set(stored["method"]) == {"cohort", "last_value", "linear_trend"}
    assert set(stored["stage"]) == {"2", "3", "4"}
    assert sorted(set(stored["horizon"])) == [1, 2, 3, 4]  # origins 2021-2024 with three years of history
    assert set(stored["district_code"]) == {*DISTRICTS, "110000"}
    city = mape.filter((pl.col("district_code") == "110000") & (pl.col("horizon") == 1))
    by = {(r["stage"], r["method"]): r["mape"] for r in city.iter_rows(named=True)}
    for stage in ("primary", "junior", "senior"):
        assert by[(stage, "cohort")] < by[(stage, "last_value")], stage
    lineage = json.loads(home.lake.history("place_backtests")[0]["edubrain.lineage"])
    assert set(lineage["inputs"]) == {"students", "births"}


def test_forecast_job_writes_place_forecasts_with_scenarios(
    synth_city: tuple[Home, pl.DataFrame], tmp_path: Path
) -> None:
    home, _ = synth_city
    path = tmp_path / "low.yaml"
    path.write_text("name: 出生减少10%\nchanges:\n  - {kind: births, factor: 0.9, from_year: 2025}\n", encoding="utf-8")
    run = run_place_forecast(home, horizon=8, scenarios=[read_scenario(path)], settings=FAST)
    stored = pl.from_arrow(home.lake.read(home.catalog.dataset("place_forecasts"), run.version))
    assert isinstance(stored, pl.DataFrame)
    assert stored.height == 2 * (len(DISTRICTS) + 1) * 3 * 8
    assert set(stored["scenario"]) == {"base", "出生减少10%"}
    assert stored["origin_year"].unique().to_list() == [2025]
    assert (stored["place_gap"] - (stored["demand"] - stored["planned_places"])).abs().max() < 1e-6
    both = stored.filter(
        (pl.col("district_code") == "110000") & (pl.col("stage") == "2") & (pl.col("school_year") == 2033)
    )
    base, low = (both.filter(pl.col("scenario") == s)["demand"][0] for s in ("base", "出生减少10%"))
    assert low < base
    lineage = json.loads(home.lake.history("place_forecasts")[0]["edubrain.lineage"])
    assert lineage["inputs"] == {k: home.lake.version(k) for k in ("births", "schools", "students")}


def test_forecast_job_writes_the_observed_history_in_the_same_run(synth_city: tuple[Home, pl.DataFrame]) -> None:
    home, manifest = synth_city
    run = run_place_forecast(home, horizon=2, settings=FAST)
    assert run.history_version is not None and run.history_version == home.lake.version("place_history")
    history = pl.from_arrow(home.lake.read(home.catalog.dataset("place_history")))
    assert isinstance(history, pl.DataFrame)
    assert history.columns == ["district_code", "stage", "school_year", "students", *history.columns[4:]]
    assert all(c.startswith("_") for c in history.columns[4:])  # lineage columns only: no person, no student id
    assert history["students"].dtype == pl.Int64
    assert set(history["district_code"]) == {*DISTRICTS, "110000"} and set(history["stage"]) == {"2", "3", "4"}
    city = history.filter(pl.col("district_code") == "110000").group_by("school_year").agg(pl.col("students").sum())
    assert city.sort("school_year")["students"].cast(pl.Float64).to_list() == students_per_year(manifest)
    districts = history.filter(pl.col("district_code") != "110000")
    assert districts["students"].sum() == history.filter(pl.col("district_code") == "110000")["students"].sum()
    lineage = json.loads(home.lake.history("place_history")[0]["edubrain.lineage"])
    assert lineage["inputs"] == {k: home.lake.version(k) for k in ("schools", "students")}
    before = home.lake.version("place_history")
    run_place_forecast(home, horizon=2, settings=FAST, write=False)
    assert home.lake.version("place_history") == before


def test_forecast_cli_prints_the_forecast_and_refuses_a_malformed_scenario(
    synth_city: tuple[Home, pl.DataFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = synth_city
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    runner = CliRunner()
    args = "forecast places --district 110119 --stage 初中 --horizon 3 --no-write --format json"
    result = runner.invoke(app, args.split())
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.stdout) if r["scenario"] == "base"]
    assert {(r["district_code"], r["stage"]) for r in rows} == {("110119", "junior")}
    assert [r["school_year"] for r in rows] == [2026, 2027, 2028]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchanges:\n  - {kind: births, factor: 0}\n", encoding="utf-8")
    result = runner.invoke(app, ["forecast", "places", "--scenario", str(bad), "--no-write"])
    assert result.exit_code != 0
    assert "changes[0].factor" in str(result.exception.zh) and str(bad) in str(result.exception.en)  # type: ignore[union-attr]


def test_forecast_job_counts_rosters_submitted_school_by_school(tmp_path: Path) -> None:
    """Per-school submissions interleave the schools' years; each school's roster of each year is still counted once."""
    config = SynthConfig(scale=0.01, seed=3, years=3, out=tmp_path / "city", districts=("110109",))
    manifest = generate(config, workers=1)
    home = Home(Settings(home=tmp_path / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "per-school").rejected == []
    history = read_inputs(home).history
    assert history.counts.sum(axis=(0, 2)).tolist() == students_per_year(manifest)
    assert home.lake.version("students") == manifest.filter(pl.col("dataset") == "students").height - 1
