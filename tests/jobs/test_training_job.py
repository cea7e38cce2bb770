"""The training job on a synthetic city: the planted shortfalls are recovered exactly, the forecast is backtested.

The city tops everyone up to 72 hours a year, so every shortfall in it is planted and listed in its truth files
(edubrain.synth.training_gaps); the job, reading the lake the exchange loaded, must find exactly those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from edubrain.config import Settings
from edubrain.home import Home
from edubrain.jobs.training import DATASET, is_stale, run_backtest, run_training
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from edubrain.synth.training_gaps import read_truth

LOADED = {"schools", "classes", "teachers", "teacher_assignments", "training_records"}
LAST = 2025


@pytest.fixture(scope="module")
def training_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Home, pl.DataFrame]]:
    """Three districts at 1 % scale, four years, their staff and training loaded through the exchange."""
    root: Path = tmp_path_factory.mktemp("training")
    config = SynthConfig(
        scale=0.01,
        seed=15,
        years=4,
        out=root / "city",
        districts=("110108", "110105", "110119"),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    manifest = generate(config)
    manifest.filter(pl.col("dataset").is_in(list(LOADED))).write_csv(config.out / "manifest.csv")
    home = Home(Settings(home=root / "home"))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    yield home, read_truth(config.out)
    home.engine.dispose()


def _rows(home: Home) -> pl.DataFrame:
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(DATASET)))
    assert isinstance(frame, pl.DataFrame)
    return frame


def _pairs(frame: pl.DataFrame) -> set[tuple[str, int]]:
    return set(zip(frame.get_column("teacher_id").to_list(), frame.get_column("year").to_list(), strict=True))


def test_training_the_load_derives_training_coverage(training_city: tuple[Home, pl.DataFrame]) -> None:
    home, _ = training_city
    rows = _rows(home)  # written by the post-commit derivation at the end of the bulk session
    assert rows.height > 0 and not is_stale(home)
    assert rows.get_column("as_of").max() == rows.get_column("as_of").min()  # one judgement date: the data's


def test_training_every_planted_shortfall_is_found_and_nothing_else(training_city: tuple[Home, pl.DataFrame]) -> None:
    home, truth = training_city
    run = run_training(home, as_of=dt.date(LAST, 12, 31))  # every year complete: met or missed
    assert run.as_of == dt.date(LAST, 12, 31)
    rows = _rows(home)
    assert set(rows.get_column("status").unique()) == {"met", "missed"}
    planted = truth.filter(pl.col("kind").is_in(["principal_short", "teacher_short", "untrained"]))
    assert planted.filter(pl.col("kind") == "principal_short").height >= 2  # principals below 32 h in a year
    assert _pairs(rows.filter(pl.col("status") == "missed")) == _pairs(planted)
    short = rows.join(truth.filter(pl.col("kind").str.ends_with("_short")), on=["teacher_id", "year"])
    assert (short.get_column("hours") == short.get_column("hours_right")).all()  # the hours too
    principals = rows.filter(pl.col("is_principal") & (pl.col("status") == "missed"))
    assert principals.get_column("hours").max() < 32


def test_training_people_untrained_for_three_years_are_found(training_city: tuple[Home, pl.DataFrame]) -> None:
    home, truth = training_city
    run_training(home, as_of=dt.date(LAST, 12, 31))
    last = _rows(home).filter(pl.col("year") == LAST)
    untrained = set(last.filter(pl.col("trained_3y") == False).get_column("teacher_id").to_list())  # noqa: E712
    expected = set(truth.filter(pl.col("kind") == "untrained_3y").get_column("teacher_id").to_list())
    assert untrained == expected and len(expected) >= 3
    assert last.filter(pl.col("trained_3y").is_null()).height == 0  # four years of data: every window observed


def test_training_on_the_data_date_the_people_behind_are_the_planted_ones(
    training_city: tuple[Home, pl.DataFrame],
) -> None:
    home, truth = training_city
    run = run_training(home)  # the latest training reported: early December of the last year
    assert run.as_of is not None and run.as_of.year == LAST and run.as_of < dt.date(LAST, 12, 31)
    last = _rows(home).filter(pl.col("year") == LAST)
    behind = truth.filter(
        (pl.col("year") == LAST) & pl.col("kind").is_in(["principal_short", "teacher_short", "untrained"])
    )
    assert _pairs(last.filter(pl.col("status") == "at_risk")) == _pairs(behind)
    assert set(last.get_column("status").unique()) == {"met", "at_risk"}


def test_training_backtest_measures_the_forecast_of_30_june(training_city: tuple[Home, pl.DataFrame]) -> None:
    home, truth = training_city
    result = run_backtest(home, years=[2023, 2024, LAST])
    assert [r["year"] for r in result.rows] == [2023, 2024, LAST]
    for row in result.rows:
        assert row["as_of"] == dt.date(row["year"], 6, 30)
        planted = truth.filter(
            (pl.col("year") == row["year"]) & pl.col("kind").is_in(["principal_short", "teacher_short", "untrained"])
        )
        assert row["missed"] == planted.height  # the outcome is the planted truth
        assert 0 < row["hits"] <= min(row["missed"], row["forecast_miss"])
        assert row["recall"] >= 0.5, row  # a planted year with a fraction of the hours is mostly seen by June


def test_training_backtest_years_default_to_those_with_history_and_an_end(
    training_city: tuple[Home, pl.DataFrame],
) -> None:
    home, _ = training_city
    # data 2022-2025, the latest training in early December 2025: 2022 has no history, 2025 no known end
    assert [r["year"] for r in run_backtest(home).rows] == [2023, 2024]
