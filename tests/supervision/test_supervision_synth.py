"""The synthetic providers: valid codes but the planted one, files hooked into a generated city, truth beside."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from edubrain.analytics.supervision import uscc_valid
from edubrain.catalog import get_catalog
from edubrain.synth.config import SynthConfig
from edubrain.synth.supervision import DATASETS, district_tables, read_truth, write_supervision


def test_supervision_synth_codes_valid_except_planted() -> None:
    tables = district_tables(7, "110108", 7, 2025, 0.01)
    valid = uscc_valid(tables["training_providers"]["provider_code"]).to_list()
    assert valid == tables["truth"]["code_valid"].to_list() and valid.count(False) == 1
    assert tables["training_providers"]["provider_code"].str.slice(2, 6).unique().to_list() == ["110108"]


def test_supervision_synth_writes_district_files_and_truth(tmp_path: Path) -> None:
    config = SynthConfig(out=tmp_path, districts=("110105",))
    empty = pl.DataFrame(schema={"seq": pl.Int64, "path": pl.String, "dataset": pl.String, "org": pl.String,
                                 "school_year": pl.Int64, "mode": pl.String, "format": pl.String, "rows": pl.Int64,
                                 "district": pl.String, "expected": pl.String})  # fmt: skip
    manifest = write_supervision(config, get_catalog(), empty)
    assert manifest["dataset"].to_list() == list(DATASETS) and set(manifest["org"]) == {"110105"}
    assert all((tmp_path / p).exists() for p in manifest["path"])
    assert read_truth(tmp_path).filter(pl.col("planted") == "serious")["expected_grade"].to_list() == ["D"]
