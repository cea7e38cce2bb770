"""Writing a derived dataset: whole-table replacement, lineage in the commit, strict columns."""

from __future__ import annotations

import dataclasses
import json

import pyarrow as pa
import pytest

from edubrain.catalog.models import Dataset
from edubrain.errors import CatalogError
from edubrain.home import Home
from edubrain.jobs.derived import write_derived

DERIVED = {
    "id": "birth_totals",
    "title_zh": "出生合计",
    "title_en": "Birth totals",
    "description_zh": "测试用派生数据集",
    "description_en": "A derived dataset for tests",
    "owner_level": "city",
    "primary_key": ["year"],
    "org_field": "org",
    "sharing": "unconditional",
    "update_frequency": "yearly",
    "derived_from": ["births"],
    "fields": [
        {"name": "org", "title_zh": "机构", "title_en": "Org", "type": "string", "classification": "L1"},
        {"name": "year", "title_zh": "年份", "title_en": "Year", "type": "integer", "classification": "L1"},
        {"name": "births", "title_zh": "出生", "title_en": "Births", "type": "integer", "classification": "L1"},
    ],
}


@pytest.fixture
def derived_home(home: Home) -> Home:
    datasets = {**home.catalog.datasets, "birth_totals": Dataset.model_validate(DERIVED)}
    return Home(home.settings, dataclasses.replace(home.catalog, datasets=datasets))


def _rows(years: list[int]) -> pa.Table:
    return pa.table({"org": ["110000"] * len(years), "year": years, "births": [100 * y for y in years]})


def test_each_run_replaces_the_table_and_records_its_inputs(derived_home: Home) -> None:
    first = write_derived(derived_home, "birth_totals", _rows([2020, 2021]), job="test", inputs={"births": 3})
    second = write_derived(derived_home, "birth_totals", _rows([2022]), job="test", inputs={"births": 4})
    assert (first, second) == (0, 1)
    dataset = derived_home.catalog.dataset("birth_totals")
    assert derived_home.lake.read(dataset).column("year").to_pylist() == [2022]
    assert sorted(derived_home.lake.read(dataset, version=0).column("year").to_pylist()) == [2020, 2021]
    newest = derived_home.lake.history("birth_totals")[0]
    assert json.loads(newest["edubrain.lineage"]) == {"inputs": {"births": 4}, "job": "test"}


def test_columns_must_match_the_catalog(derived_home: Home) -> None:
    with pytest.raises(CatalogError, match="missing"):
        write_derived(derived_home, "birth_totals", _rows([2020]).drop(["births"]), job="t", inputs={})
    assert derived_home.lake.version("birth_totals") is None


def test_a_submitted_dataset_is_not_derived(home: Home) -> None:
    with pytest.raises(CatalogError, match="not a derived dataset"):
        write_derived(home, "births", pa.table({"year": [2020]}), job="t", inputs={})


def test_chunks_are_written_as_one_version(derived_home: Home) -> None:
    version = write_derived(
        derived_home, "birth_totals", (_rows([y]) for y in (2020, 2021, 2022)), job="t", inputs={"births": 1}
    )
    dataset = derived_home.catalog.dataset("birth_totals")
    assert version == 0
    assert sorted(derived_home.lake.read(dataset).column("year").to_pylist()) == [2020, 2021, 2022]


def test_a_bad_chunk_leaves_the_previous_version(derived_home: Home) -> None:
    write_derived(derived_home, "birth_totals", _rows([2019]), job="t", inputs={})

    def chunks():
        yield _rows([2020])
        yield _rows([2021]).drop(["births"])

    with pytest.raises(Exception, match="missing"):
        write_derived(derived_home, "birth_totals", chunks(), job="t", inputs={})
    dataset = derived_home.catalog.dataset("birth_totals")
    assert derived_home.lake.version("birth_totals") == 0
    assert derived_home.lake.read(dataset).column("year").to_pylist() == [2019]
