"""The monitoring job over a small synthetic city loaded through the exchange.

The planted network shortfalls (``network-truth/``) are recovered exactly from ``monitoring_indicators``;
resubmitting one school's infrastructure changes exactly that school's, its district's and the city's values;
the lineage names every input version; the post-commit derivation runs only when an input changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from edubrain.config import Settings
from edubrain.exchange.derive import derivations
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.jobs.monitoring import CURRENT, DATASET, HISTORY, is_stale, run_monitoring
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from edubrain.synth.network_shortfalls import INDICATORS, read_truth

LOADED = {"districts", "schools", "classes", "school_infrastructure", "students", "teachers", "teacher_assignments"}
ORG_KEY = ["indicator_id", "org_code", "school_year"]


@dataclass(frozen=True)
class MonitoringCity:
    """A loaded city and where its generated files are."""

    home: Home
    out: Path


@pytest.fixture(scope="module")
def mcity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MonitoringCity]:
    """Three districts, three school years, the datasets the indicators read, loaded in one bulk session."""
    root = tmp_path_factory.mktemp("monitoring")
    config = SynthConfig(
        scale=0.02, seed=15, years=3, out=root / "city", districts=("110105", "110108", "110119"),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )  # fmt: skip
    manifest = generate(config)
    manifest.filter(pl.col("dataset").is_in(list(LOADED))).write_csv(config.out / "manifest.csv")
    home = Home(Settings(home=root / "home"))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    yield MonitoringCity(home, config.out)
    home.engine.dispose()


def _indicators(home: Home) -> pl.DataFrame:
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(DATASET)))
    assert isinstance(frame, pl.DataFrame)
    return frame.select(home.catalog.dataset(DATASET).field_names)


def _differ(column: str) -> pl.Expr:
    """A value changed: null on one side only, or more than a rounding apart (DuckDB adds floats in any order)."""
    a, b = pl.col(column), pl.col(f"{column}_after")
    if column in ("value", "numerator", "denominator", "target", "progress"):
        apart = (a - b).abs() > 1e-9 * pl.max_horizontal(a.abs(), pl.lit(1.0))
        return (a.is_null() != b.is_null()) | apart.fill_null(False)
    return a.ne_missing(b)


def test_the_session_computed_the_indicators_with_their_lineage(mcity: MonitoringCity) -> None:
    home = mcity.home
    assert home.lake.version(DATASET) is not None, "the post-commit derivation did not run"
    assert not is_stale(home)
    lineage = json.loads(next(e["edubrain.lineage"] for e in home.lake.history(DATASET) if "edubrain.lineage" in e))
    assert lineage["job"] == "monitoring"
    assert lineage["inputs"] == {d: home.lake.version(d) for d in (*CURRENT, *HISTORY)}
    frame = _indicators(home)
    assert set(frame.get_column("org_level")) == {"city", "district", "school"}
    assert frame.filter(pl.col("org_level") == "district").get_column("org_code").n_unique() == 3


def test_the_planted_shortfalls_are_recovered_exactly(mcity: MonitoringCity) -> None:
    truth = read_truth(mcity.out)
    assert truth.filter(pl.col("planted").is_not_null() & pl.col("short")).height >= 3 * 3  # every kind, every year
    schools = _indicators(mcity.home).filter(
        (pl.col("org_level") == "school") & pl.col("indicator_id").is_in(list(INDICATORS))
    )
    missed = schools.filter(pl.col("met") == False)  # noqa: E712  (a null met is not a shortfall)
    found = set(missed.select("org_code", "school_year", "indicator_id").iter_rows())
    expected = set(truth.filter(pl.col("short")).select("school_code", "school_year", "indicator_id").iter_rows())
    assert found == expected
    boundary = truth.filter(pl.col("planted") == "boundary").select("school_code", "school_year", "indicator_id")
    at_target = schools.join(
        boundary.rename({"school_code": "org_code"}), on=["org_code", "school_year", "indicator_id"], how="semi"
    )
    assert at_target.height == boundary.height > 0 and at_target.get_column("met").all()


def test_district_counts_of_schools_meeting_the_target_agree_with_the_truth(mcity: MonitoringCity) -> None:
    frame = _indicators(mcity.home)
    schools = frame.filter((pl.col("org_level") == "school") & (pl.col("indicator_id") == "school_gigabit_access"))
    short = read_truth(mcity.out).filter(pl.col("short") & (pl.col("indicator_id") == "school_gigabit_access"))
    districts = frame.filter((pl.col("org_level") == "district") & (pl.col("indicator_id") == "school_gigabit_access"))
    for row in districts.iter_rows(named=True):
        mine = schools.filter(
            (pl.col("parent_code") == row["org_code"]) & (pl.col("school_year") == row["school_year"])
        )
        missing = short.filter(
            pl.col("school_code").is_in(mine.get_column("org_code").implode())
            & (pl.col("school_year") == row["school_year"])
        ).height
        assert row["schools"] == mine.height
        assert row["schools_met"] == mine.height - missing
        assert row["value"] == 100 * (mine.height - missing) / mine.height


def test_changing_one_schools_infrastructure_changes_exactly_its_school_district_and_city(
    mcity: MonitoringCity, tmp_path: Path
) -> None:
    home = mcity.home
    before = _indicators(home)
    infra = pl.from_arrow(home.lake.read(home.catalog.dataset("school_infrastructure")))
    assert isinstance(infra, pl.DataFrame)
    year = int(infra.get_column("school_year").max())  # type: ignore[arg-type]
    row = infra.filter((pl.col("school_year") == year) & (pl.col("wireless_coverage_pct") >= 100)).sort("school_code")
    school = str(row.get_column("school_code")[0])
    district = str(before.filter(pl.col("org_code") == school).get_column("parent_code")[0])
    changed = (
        row.head(1)
        .select([c for c in row.columns if not c.startswith("_")])
        .with_columns(pl.lit(42.5).alias("wireless_coverage_pct"))
    )
    path = tmp_path / "infrastructure.csv"
    changed.write_csv(path)
    assert ingest_file(home, path, "school_infrastructure", school).report.status == "committed"
    after = _indicators(home)  # the session's derivation recomputed it
    assert not is_stale(home)
    joined = before.join(after, on=ORG_KEY, how="full", suffix="_after", coalesce=True)
    differs = joined.filter(pl.any_horizontal(_differ(c) for c in before.columns if c not in ORG_KEY))
    assert set(differs.get_column("org_code")) == {school, district, "110000"}
    assert set(differs.get_column("school_year")) == {year}
    assert set(differs.get_column("indicator_id")) == {"wireless_coverage", "wireless_full_coverage"}
    mine = after.filter((pl.col("org_code") == school) & (pl.col("school_year") == year))
    assert dict(mine.select("indicator_id", "value").iter_rows())["wireless_coverage"] == 42.5


def test_the_derivation_is_registered_and_not_stale_without_infrastructure(tmp_path: Path) -> None:
    assert "monitoring" in derivations()
    home = Home(Settings(home=tmp_path / "home"))
    db.upgrade(home.settings.resolved_database_url)
    assert not is_stale(home)  # nothing reported yet: nothing to compute
    result = run_monitoring(home)  # an empty home still gets an empty, well-formed dataset
    assert result.rows[DATASET] == 0 and result.inputs["students"] is None
    home.engine.dispose()
