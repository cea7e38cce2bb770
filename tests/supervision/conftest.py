"""A city with training providers in two districts (Haidian 110108, Chaoyang 110105), submitted by each district.

The register, inspections and complaints are the synthetic city's (``edubrain.synth.supervision``, planted kinds
with their expected grades); each district submits its own three files through the exchange, so the grades are
written by the post-commit derivation, as in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.synth.supervision import DATASETS, district_tables
from edubrain.synth.writer import TableWriter
from tests.api.conftest import ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS

END_YEAR = 2025
DISTRICTS = {"110108": 7, "110105": 4}
"""District code -> index (the synthetic draw)."""


def submit_providers(home: Home, folder: Path) -> pl.DataFrame:
    """Submit each district's providers, inspections and complaints; return the planted truth of both."""
    writer = TableWriter(folder, home.catalog)
    truths = []
    for code, index in DISTRICTS.items():
        tables = district_tables(20250901, code, index, END_YEAR, 0.01)
        truths.append(tables["truth"])
        for dataset in DATASETS:
            written = writer.write(tables[dataset], dataset, f"{code}/{dataset}", "utf8-bom")
            assert ingest_file(home, written.path, dataset, code).report.status == "committed"
    return pl.concat(truths)


@pytest.fixture(scope="module", params=BACKENDS)
def city(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ApiCity, pl.DataFrame]]:
    """The API city (users per role) with both districts' providers submitted, and the planted truth."""
    folder = tmp_path_factory.mktemp("supervision")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    api = populate(home, folder)
    truth = submit_providers(home, folder / "files")
    with api.client:
        yield api, truth
    home.engine.dispose()
    drop_schema(schema)
