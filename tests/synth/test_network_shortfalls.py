"""Planted network shortfalls: every kind planted every year, the files as the truth says, the rules still met."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.facts import districts
from edubrain.synth.generate import generate
from edubrain.synth.network_shortfalls import INDICATORS, KINDS, plant, read_truth, truth_path


def _infrastructure(root: Path) -> pl.DataFrame:
    files = sorted(root.rglob("*-school_infrastructure.csv"))
    return pl.concat(
        [pl.read_csv(f, schema_overrides={"school_code": pl.String}) for f in files], how="vertical_relaxed"
    )


def test_every_kind_is_planted_every_year_and_the_files_agree_with_the_truth(tmp_path: Path) -> None:
    config = SynthConfig(
        scale=0.02, seed=3, years=2, out=tmp_path / "city", districts=("110108",),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )  # fmt: skip
    generate(config)
    truth = read_truth(config.out)
    planted = truth.filter(pl.col("planted").is_not_null())
    assert {(k, y) for k, y in planted.select("planted", "school_year").unique().iter_rows()} == {
        (k, y) for k in KINDS for y in config.school_years
    }
    assert planted.filter(pl.col("planted") != "boundary").get_column("short").all()
    assert not planted.filter(pl.col("planted") == "boundary").get_column("short").any()
    written = _infrastructure(config.out)
    for indicator, (field, target, _) in INDICATORS.items():
        rows = truth.filter(pl.col("indicator_id") == indicator)
        joined = rows.join(written, on=["school_code", "school_year"])
        assert joined.height == rows.height and (joined.get_column("value") == joined.get_column(field)).all()
        short = written.filter(pl.col(field) < target)
        if indicator != "class_100m_access":  # every school of the synthetic city has classes
            assert short.height == rows.filter(pl.col("short")).height
    assert (written.get_column("class_bandwidth_mbps") <= written.get_column("internet_bandwidth_mbps")).all()


def test_planting_is_deterministic_and_keeps_unplanted_schools(tmp_path: Path) -> None:
    district = districts()[0]
    n = 40
    infra = pl.DataFrame(
        {
            "school_code": [f"{district.code}{i:04d}" for i in range(n)],
            "school_year": [2025] * n,
            "internet_bandwidth_mbps": [10000.0] * n,
            "class_bandwidth_mbps": [100.0] * n,
            "wireless_coverage_pct": [100.0] * n,
        }
    )
    classes = pl.DataFrame({"school_code": infra["school_code"], "school_year": [2025] * n})
    first = plant(infra, classes, district, 2025, tmp_path / "a", 9)
    again = plant(infra, classes, district, 2025, tmp_path / "b", 9)
    assert first.equals(again)
    assert (
        truth_path(tmp_path / "a", district.code, 2025).read_bytes()
        == truth_path(tmp_path / "b", district.code, 2025).read_bytes()
    )
    changed = np.flatnonzero(
        (first.get_column("internet_bandwidth_mbps") != 10000.0).to_numpy()
        | (first.get_column("class_bandwidth_mbps") != 100.0).to_numpy()
        | (first.get_column("wireless_coverage_pct") != 100.0).to_numpy()
    )
    truth = read_truth(tmp_path / "a")
    assert len(changed) == truth.filter(pl.col("planted").is_not_null()).get_column("school_code").n_unique()
    assert len(changed) == len(KINDS)  # 5 % of 40 schools, one per kind
