"""Clean output loads through the exchange with zero problems; dirty output yields exactly the injected ones."""

from __future__ import annotations

import json

import polars as pl
import pytest

from edubrain.exchange.ingest import Exchange
from edubrain.exchange.readers import read_source
from edubrain.home import Home
from edubrain.synth.config import SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.synth.conftest import City


def _problems(frame: pl.DataFrame) -> set[tuple[int | None, str, str]]:
    return {(p["row"], p["column"], p["rule"]) for p in frame.select("row", "column", "rule").to_dicts()}


def test_clean_city_loads_with_zero_problems(home: Home, tmp_path_factory: pytest.TempPathFactory) -> None:
    config = SynthConfig(scale=0.01, seed=2, years=2, out=tmp_path_factory.mktemp("clean"), districts=("110119",))
    manifest = generate(config)
    summary = load_city(home, config.out)
    assert summary.rejected == []
    assert sum(summary.problems.values()) == 0
    assert summary.files == manifest.height
    stored = home.lake.count("students")
    last = manifest.filter((pl.col("dataset") == "students") & (pl.col("school_year") == config.end_year))
    assert stored == last.get_column("rows").sum(), "graduates and leavers retired by the yearly rosters"


def test_dirty_files_yield_exactly_the_injected_problems(home: Home, dirty_district: City) -> None:
    dirty = dirty_district.manifest.filter(pl.col("expected").is_not_null())
    assert dirty.height >= 10
    kinds = set()
    with Exchange(home) as exchange:
        for entry in dirty_district.manifest.to_dicts():
            result = exchange.submit(
                read_source(dirty_district.root / entry["path"]), entry["dataset"], entry["org"], mode=entry["mode"]
            )
            if entry["expected"] is None:
                assert result.problems.is_empty(), (entry["path"], result.problems.head(3).to_dicts())
                continue
            expected = json.loads((dirty_district.root / entry["expected"]).read_text(encoding="utf-8"))
            kinds.add(expected["mistake"])
            want = {(p["row"], p["column"], p["rule"]) for p in expected["problems"]}
            assert _problems(result.problems) == want, entry["path"]
            assert result.report.status == "rejected"
    assert len(kinds) >= 6
    assert {"xlsx", "gbk", "utf8-bom"} <= set(dirty.get_column("format"))


@pytest.mark.slow
def test_bulk_load_of_a_dirty_city_rejects_only_the_dirty_files(home: Home, dirty_district: City) -> None:
    summary = load_city(home, dirty_district.root, "bulk")
    dirty = dirty_district.manifest.filter(pl.col("expected").is_not_null()).get_column("path").to_list()
    assert sorted(summary.rejected) == sorted(dirty)
