"""The fitness job on a small synthetic city: submission → derived datasets, lineage, pseudonyms, CLI, cards."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from edubrain.cli import app
from edubrain.config import Settings
from edubrain.errors import ValidationFailed
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.pseudonyms import PSEUDONYM_PATTERN
from edubrain.home import Home
from edubrain.jobs import fitness as job
from edubrain.jobs.transforms import REGISTRY
from edubrain.reports.fitness_card import class_cards
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city

DISTRICTS = ("110108", "110119")


@pytest.fixture(scope="module")
def fitness_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    """Two districts at 1 % scale, two school years, loaded in one bulk session (the hook scores it once)."""
    root = tmp_path_factory.mktemp("fitness-city")
    config = SynthConfig(
        scale=0.01,
        seed=5,
        years=2,
        out=root / "city",
        districts=DISTRICTS,
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    generate(config, workers=1)
    home = Home(Settings(home=root / "home"))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    yield home
    home.engine.dispose()


def _read(home: Home, dataset: str) -> pl.DataFrame:
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(dataset)))
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_fitness_submission_produces_pseudonymous_scores_with_lineage(fitness_city: Home) -> None:
    tests_version = fitness_city.lake.version("fitness_tests")
    assert tests_version is not None and not job.is_stale(fitness_city)
    scores = _read(fitness_city, "fitness_scores")
    tests = _read(fitness_city, "fitness_tests")
    assert scores.height == tests.height > 1000
    assert "student_id" not in scores.columns and "id_number" not in scores.columns
    assert scores["student_pseudonym"].str.contains(PSEUDONYM_PATTERN).all()
    assert not set(scores["student_pseudonym"]) & set(tests["student_id"])
    assert set(scores["status"]) <= {"complete", "exempt", "incomplete"} and "complete" in set(scores["status"])
    assert scores.filter(pl.col("status") == "complete")["total_score"].is_not_null().all()
    assert scores["district_code"].is_in(list(DISTRICTS)).all()
    lineage = json.loads(fitness_city.lake.history("fitness_scores")[0]["edubrain.lineage"])
    assert lineage == {
        "job": job.JOB,
        "inputs": {"fitness_tests": tests_version, "schools": lineage["inputs"]["schools"]},
    }
    indicators = json.loads(fitness_city.lake.history("fitness_indicators")[0]["edubrain.lineage"])
    assert indicators["inputs"]["fitness_scores"] == fitness_city.lake.version("fitness_scores")


def test_fitness_indicators_add_up_to_the_scores(fitness_city: Home) -> None:
    scores = _read(fitness_city, "fitness_scores")
    indicators = _read(fitness_city, "fitness_indicators")
    city = indicators.filter((pl.col("level") == "city") & (pl.col("grade") == "*") & (pl.col("sex") == "*"))
    years = sorted(scores["school_year"].unique())
    assert sorted(city["school_year"]) == years
    last = scores.filter(pl.col("school_year") == years[-1])
    tested = last.filter(pl.col("status") == "complete")
    row = city.filter(pl.col("school_year") == years[-1]).row(0, named=True)
    assert row["tested"] == tested.height and row["students"] == last.height
    good = tested["level"].is_in(["优秀", "良好"]).mean()
    assert row["excellent_good_rate"] == pytest.approx(good)
    assert row["mean_total"] == pytest.approx(tested["total_score"].mean())
    assert row["obesity_rate"] == pytest.approx((tested["bmi_band"] == "肥胖").mean())
    first = city.filter(pl.col("school_year") == years[0]).row(0, named=True)
    assert row["change_mean_total"] == pytest.approx(row["mean_total"] - first["mean_total"])
    assert set(indicators["level"]) == {"city", "district", "school", "class"}
    districts = indicators.filter((pl.col("level") == "district") & (pl.col("grade") == "*") & (pl.col("sex") == "*"))
    assert districts.filter(pl.col("school_year") == years[-1])["tested"].sum() == row["tested"]


def test_fitness_identical_values_at_one_school_raise_a_warning(fitness_city: Home, tmp_path: Path) -> None:
    tests = _read(fitness_city, "fitness_tests")
    year = tests["school_year"].max()
    school = (
        tests.filter(pl.col("school_year") == year).group_by("school_code").len().sort("len", descending=True)[0, 0]
    )
    rows = tests.filter((pl.col("school_code") == school) & (pl.col("school_year") == year))
    rows = rows.with_columns(sprint_50m_s=pl.lit(8.0)).select(fitness_city.catalog.dataset("fitness_tests").field_names)
    path = tmp_path / "fitness.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows.columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows.iter_rows())
    before = fitness_city.lake.version("fitness_scores")
    result = ingest_file(fitness_city, path, "fitness_tests", school)
    assert result.report.status == "committed", result.problems
    assert fitness_city.lake.version("fitness_scores") == (before or 0) + 1
    warnings = _read(fitness_city, "fitness_warnings")
    flagged = warnings.filter((pl.col("school_code") == school) & (pl.col("check") == "identical_values"))
    assert flagged.filter(pl.col("item") == "sprint_50m").height == 1
    assert flagged.filter(pl.col("item") == "sprint_50m")["value"][0] == 1.0


def test_fitness_transforms_are_registered_for_every_derived_fitness_dataset() -> None:
    fed = {d for t in REGISTRY.values() for d in t.feeds}
    assert {"fitness_scores", "fitness_indicators", "fitness_warnings"} <= fed


def test_fitness_cli_run_writes_new_versions(fitness_city: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUBRAIN_HOME", str(fitness_city.settings.home))
    before = fitness_city.lake.version("fitness_scores")
    result = CliRunner().invoke(app, ["fitness", "run", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["versions"]["fitness_scores"] == (before or 0) + 1
    assert out["rows"]["fitness_scores"] == fitness_city.lake.count("fitness_tests")


def test_fitness_class_cards_read_through_the_read_path(fitness_city: Home) -> None:
    tests = _read(fitness_city, "fitness_tests")
    year = tests["school_year"].max()
    first = tests.filter((pl.col("school_year") == year) & pl.col("class_id").is_not_null()).row(0, named=True)
    school, klass = first["school_code"], first["class_id"]
    principal = Principal(id="t-admin", name="admin", grants=(Grant("school_admin", school, "school"),))
    cards = class_cards(fitness_city, principal, school, klass, year, "teaching")
    pupils = tests.filter(
        (pl.col("school_code") == school) & (pl.col("class_id") == klass) & (pl.col("school_year") == year)
    )
    assert len(cards) == pupils.height
    assert all("*" not in c.name and c.name for c in cards)
    assert any(len(c.trend) == 2 for c in cards)
    other = Principal(id="t-other", name="other", grants=(Grant("school_admin", "1101080999", "school"),))
    assert class_cards(fitness_city, other, school, klass, year, "teaching") == []


def test_fitness_cli_score_writes_scores_for_the_national_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUBRAIN_HOME", str(tmp_path / "home"))
    source = tmp_path / "体测.csv"
    header = ["年级编号", "学籍号", "性别", "身高", "体重", "肺活量", "50米跑", "坐位体前屈", "立定跳远"]
    header += ["800米跑", "1000米跑", "一分钟仰卧起坐", "引体向上"]
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["21", "G1", "1", "160", "50", "3640", "7.8", "17.6", "225", "", "3'50\"", "", "14"])
        writer.writerow(["21", "G2", "女", "158", "48", "2750", "8.1", "21.8", "196", "3.35", "", "50", ""])
    output = tmp_path / "scored.csv"
    result = CliRunner().invoke(app, ["--lang", "zh", "fitness", "score", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    scored = pl.read_csv(output, infer_schema_length=0)
    assert scored.columns[: len(header)] == header
    assert scored["学年总分"].to_list() == ["102.0", "100.0"]
    assert scored["1000米跑附加分"].to_list() == ["1", None] and scored["等级"].to_list() == ["优秀", "优秀"]


def test_fitness_cli_score_refuses_impossible_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUBRAIN_HOME", str(tmp_path / "home"))
    source = tmp_path / "bad.csv"
    source.write_text("年级编号,性别,800米跑,50米跑\n21,2,3.75,40\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--lang", "en", "fitness", "score", str(source), "-o", str(tmp_path / "x.csv")])
    assert isinstance(result.exception, ValidationFailed) and result.exception.exit_code == 1
    assert "row 2, column '800米跑'" in result.exception.en and "seconds must be below 60" in result.exception.en
    assert "第 2 行“800米跑”" in result.exception.zh
    assert not (tmp_path / "x.csv").exists()
