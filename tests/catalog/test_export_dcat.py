"""Tests for the DCAT 3 JSON-LD export (synthetic catalog only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edubrain.catalog.export_dcat import FREQUENCIES, accrual_periodicity, export_dcat
from edubrain.catalog.models import ClassificationLevel, Dataset
from edubrain.catalog.registry import Catalog

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


def _dataset(dataset_id: str, sharing: str, frequency: str, derived_from: list[str] | None = None) -> Dataset:
    return Dataset.model_validate(
        {
            "id": dataset_id,
            "title_zh": f"合成{dataset_id}",
            "title_en": f"Synthetic {dataset_id}",
            "description_zh": f"{dataset_id} 的合成说明。",
            "description_en": f"Synthetic description of {dataset_id}.",
            "owner_level": "district",
            "primary_key": ["code"],
            "org_field": "code",
            "sharing": sharing,
            "update_frequency": frequency,
            "derived_from": derived_from or [],
            "fields": [{"name": "code", "title_zh": "代码", "title_en": "Code", "type": "string", "required": True}],
        }
    )


@pytest.fixture
def synthetic() -> Catalog:
    """Three datasets covering the three sharing classes and mapped/unmapped frequencies."""
    datasets = [
        _dataset("open_facts", "unconditional", "yearly"),
        _dataset("rosters", "conditional", "termly"),
        _dataset("secrets", "none", "whenever", derived_from=["rosters"]),
    ]
    level = ClassificationLevel(
        id="L2", rank=2, title_zh="内部", title_en="Internal", description_zh="-", description_en="-"
    )
    return Catalog(datasets={d.id: d for d in datasets}, code_tables={}, levels={"L2": level})


@pytest.fixture
def document(synthetic: Catalog, tmp_path: Path) -> dict[str, Any]:
    """The exported JSON-LD, parsed."""
    path = export_dcat(synthetic, tmp_path / "out" / "dcat.jsonld", base_uri="https://data.test/cat/")
    return json.loads(path.read_text(encoding="utf-8"))


def _by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["dct:identifier"]: d for d in document["dcat:dataset"]}


def _values(node: list[dict[str, str]], lang: str) -> list[str]:
    return [item["@value"] for item in node if item["@language"] == lang]


def test_export_dcat_writes_one_dcat_dataset_per_catalog_dataset(document: dict[str, Any]) -> None:
    assert document["@type"] == "dcat:Catalog"
    assert "dcat" in document["@context"] and "dct" in document["@context"]
    assert sorted(_by_id(document)) == ["open_facts", "rosters", "secrets"]
    assert {d["@type"] for d in document["dcat:dataset"]} == {"dcat:Dataset"}


def test_export_dcat_titles_and_descriptions_are_tagged_zh_and_en(document: dict[str, Any]) -> None:
    rosters = _by_id(document)["rosters"]
    assert _values(rosters["dct:title"], "zh") == ["合成rosters"]
    assert _values(rosters["dct:title"], "en") == ["Synthetic rosters"]
    assert _values(rosters["dct:description"], "en") == ["Synthetic description of rosters."]
    assert "合成rosters" in _values(rosters["dcat:keyword"], "zh")


def test_export_dcat_publisher_is_the_beijing_education_commission(document: dict[str, Any]) -> None:
    publisher = document["dct:publisher"]
    assert _values(publisher["foaf:name"], "zh") == ["北京市教育委员会"]
    assert _values(publisher["foaf:name"], "en") == ["Beijing Municipal Education Commission"]
    assert {d["dct:publisher"]["@id"] for d in document["dcat:dataset"]} == {publisher["@id"]}


def test_export_dcat_frequency_maps_to_eu_vocabulary_or_is_omitted(document: dict[str, Any]) -> None:
    datasets = _by_id(document)
    assert datasets["open_facts"]["dct:accrualPeriodicity"] == {"@id": EU_FREQUENCY + "ANNUAL"}
    assert datasets["rosters"]["dct:accrualPeriodicity"] == {"@id": EU_FREQUENCY + "ANNUAL_2"}
    assert "dct:accrualPeriodicity" not in datasets["secrets"]


@pytest.mark.parametrize(
    ("dataset_id", "label"),
    [("open_facts", "无条件共享"), ("rosters", "有条件共享"), ("secrets", "不予共享")],
)
def test_export_dcat_access_rights_state_the_sharing_class(
    document: dict[str, Any], dataset_id: str, label: str
) -> None:
    rights = _by_id(document)[dataset_id]["dct:accessRights"]
    assert rights["@type"] == "dct:RightsStatement"
    assert _values(rights["rdfs:label"], "zh") == [label]
    assert _values(rights["rdfs:label"], "en")


def test_export_dcat_distributions_are_csv_and_parquet_under_base_uri(document: dict[str, Any]) -> None:
    distributions = _by_id(document)["rosters"]["dcat:distribution"]
    iana = "https://www.iana.org/assignments/media-types/"
    media = sorted(d["dcat:mediaType"]["@id"].removeprefix(iana) for d in distributions)
    assert media == ["application/vnd.apache.parquet", "text/csv"]
    for distribution in distributions:
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dcat:downloadURL"]["@id"].startswith("https://data.test/cat/dataset/rosters.")


def test_export_dcat_derived_from_links_source_datasets(document: dict[str, Any]) -> None:
    secrets = _by_id(document)["secrets"]
    assert secrets["prov:wasDerivedFrom"] == [{"@id": "https://data.test/cat/dataset/rosters"}]


def test_export_dcat_adds_missing_slash_to_base_uri(synthetic: Catalog, tmp_path: Path) -> None:
    path = export_dcat(synthetic, tmp_path / "dcat.jsonld", base_uri="https://data.test/cat")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert _by_id(document)["rosters"]["@id"] == "https://data.test/cat/dataset/rosters"


def test_accrual_periodicity_maps_every_declared_frequency_to_eu_uri() -> None:
    for name in FREQUENCIES:
        uri = accrual_periodicity(name)
        assert uri is not None and uri.startswith(EU_FREQUENCY)
    assert accrual_periodicity(" Yearly ") == EU_FREQUENCY + "ANNUAL"
    assert accrual_periodicity("fortnightly-ish") is None


def test_export_dcat_parses_as_rdf_with_one_dataset_each(synthetic: Catalog, tmp_path: Path) -> None:
    import rdflib  # a dev dependency: the test runs wherever the suite does

    path = export_dcat(synthetic, tmp_path / "dcat.jsonld")
    graph = rdflib.Graph().parse(str(path), format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = set(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(datasets) == len(synthetic.datasets)
    assert len(set(graph.subjects(rdflib.RDF.type, dcat.Distribution))) == 2 * len(synthetic.datasets)
    titles = set(graph.objects(rdflib.URIRef("https://edubrain.example/catalog/dataset/rosters"), rdflib.DCTERMS.title))
    assert rdflib.Literal("合成rosters", lang="zh") in titles
