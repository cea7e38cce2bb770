"""Fixtures of the synthetic-city tests: small generated cities, made once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: longer synthetic-city runs (deselect with -m 'not slow')")


@dataclass(frozen=True)
class City:
    """A generated city: its configuration and manifest."""

    config: SynthConfig
    manifest: pl.DataFrame

    @property
    def root(self) -> Path:
        return self.config.out

    def read(self, dataset: str, year: int | None = None) -> pl.DataFrame:
        """All clean files of a dataset (and year) as one frame of field-named text columns."""
        from edubrain.catalog import get_catalog
        from edubrain.exchange.headers import map_headers
        from edubrain.exchange.readers import read_source

        spec = get_catalog().dataset(dataset)
        chosen = self.manifest.filter((pl.col("dataset") == dataset) & pl.col("expected").is_null())
        if year is not None:
            chosen = chosen.filter(pl.col("school_year") == year)
        frames = []
        for path in chosen.get_column("path"):
            source = read_source(self.root / path)
            mapping = map_headers(source.headers, spec)
            frames.append(source.frame.select([pl.col(f"c{p}").alias(n) for n, (p, _) in mapping.columns.items()]))
        return pl.concat(frames, how="diagonal")


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> City:
    """The whole city at 0.5% scale, three school years."""
    config = SynthConfig(scale=0.005, seed=11, years=3, out=tmp_path_factory.mktemp("city"))
    return City(config, generate(config))


@pytest.fixture(scope="session")
def dirty_district(tmp_path_factory: pytest.TempPathFactory) -> City:
    """Two small districts at 1% scale, two years, a mistake in 60% of the school files, every file format."""
    config = SynthConfig(
        scale=0.01,
        seed=7,
        years=2,
        dirty=0.6,
        out=tmp_path_factory.mktemp("dirty"),
        districts=("110109", "110119"),
        formats=FormatMix(gbk_csv=0.3, utf8_chinese=0.15, xlsx=0.4),
    )
    return City(config, generate(config))
