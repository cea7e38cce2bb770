"""Export the catalog as a DCAT (version 3) catalog in JSON-LD.

One ``dcat:Catalog`` published by the Beijing Municipal Education
Commission, with one ``dcat:Dataset`` per catalog dataset: identifier,
titles and descriptions in Chinese and English, keywords, the EU data theme
``EDUC``, the update frequency as an EU frequency-vocabulary URI where one
fits, a rights statement for the sharing class (无条件共享 / 有条件共享 /
不予共享) and a CSV and a Parquet distribution.

Spec: W3C Data Catalog Vocabulary (DCAT) Version 3,
https://www.w3.org/TR/vocab-dcat-3/; EU vocabularies (frequency, file type,
data theme, language) at https://publications.europa.eu/resource/authority/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from edubrain.catalog.models import OWNER_LEVEL_ZH, SHARING_ZH, Dataset
from edubrain.catalog.registry import Catalog

DEFAULT_BASE_URI = "https://edubrain.example/catalog/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

CONTEXT: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}

FREQUENCIES: dict[str, str] = {
    "continuous": "UPDATE_CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "termly": "ANNUAL_2",
    "semiannual": "ANNUAL_2",
    "yearly": "ANNUAL",
    "annual": "ANNUAL",
    "biennial": "BIENNIAL",
    "irregular": "IRREG",
    "never": "NEVER",
}
"""``update_frequency`` -> code in the EU frequency vocabulary.

A school year has two terms, so ``termly`` is ``ANNUAL_2`` (semiannual).
A value missing here gets no ``dct:accrualPeriodicity``.
"""

SHARING_STATEMENTS: dict[str, tuple[str, str]] = {
    "unconditional": (
        "无条件共享：可提供给所有政务部门共享使用。",
        "Shared unconditionally: may be provided to every government department.",
    ),
    "conditional": (
        "有条件共享：按规定的条件、用途和权限提供给相关部门使用；个人信息按分级脱敏并留痕审计。",
        "Shared on conditions: provided to authorised departments for a stated "
        "purpose; personal data masked by classification level and audited.",
    ),
    "none": (
        "不予共享：不向其他部门提供。",
        "Not shared: not provided to other departments.",
    ),
}
"""Rights statement (zh, en) for each sharing class of 政务数据共享."""

SHARING_EN: dict[str, str] = {
    "unconditional": "Shared unconditionally",
    "conditional": "Shared on conditions",
    "none": "Not shared",
}

PUBLISHER_ZH = "北京市教育委员会"
PUBLISHER_EN = "Beijing Municipal Education Commission"
PUBLISHER_HOMEPAGE = "http://jw.beijing.gov.cn/"

DISTRIBUTIONS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV", "text/csv", "CSV"),
    "parquet": ("Parquet", "application/vnd.apache.parquet", "PARQUET"),
}
"""Distribution key -> (label, IANA media type, EU file-type code)."""


def _text(zh: str, en: str) -> list[dict[str, str]]:
    return [{"@value": zh, "@language": "zh"}, {"@value": en, "@language": "en"}]


def _ref(uri: str) -> dict[str, str]:
    return {"@id": uri}


def dataset_uri(dataset_id: str, base_uri: str = DEFAULT_BASE_URI) -> str:
    """Return the URI of a dataset in the DCAT export."""
    return f"{base_uri}dataset/{dataset_id}"


def publisher(base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """Return the publisher node: the Beijing Municipal Education Commission."""
    return {
        "@id": f"{base_uri}agent/bjedu",
        "@type": "foaf:Organization",
        "foaf:name": _text(PUBLISHER_ZH, PUBLISHER_EN),
        "foaf:homepage": _ref(PUBLISHER_HOMEPAGE),
    }


def accrual_periodicity(update_frequency: str) -> str | None:
    """Map ``update_frequency`` to an EU frequency URI; None when none fits."""
    code = FREQUENCIES.get(update_frequency.strip().lower())
    return f"{EU_AUTHORITY}frequency/{code}" if code else None


def _keywords(dataset: Dataset) -> list[dict[str, str]]:
    zh = [dataset.title_zh, "教育", OWNER_LEVEL_ZH[dataset.owner_level]]
    zh.append(SHARING_ZH[dataset.sharing])
    en = [dataset.title_en, "education", f"{dataset.owner_level} level"]
    return [{"@value": k, "@language": "zh"} for k in zh] + [{"@value": k, "@language": "en"} for k in en]


def _distribution(dataset: Dataset, key: str, base_uri: str) -> dict[str, Any]:
    label, media_type, file_type = DISTRIBUTIONS[key]
    uri = dataset_uri(dataset.id, base_uri)
    return {
        "@id": f"{uri}/distribution/{key}",
        "@type": "dcat:Distribution",
        "dct:title": _text(f"{dataset.title_zh}（{label}）", f"{dataset.title_en} ({label})"),
        "dcat:accessURL": _ref(uri),
        "dcat:downloadURL": _ref(f"{uri}.{key}"),
        "dcat:mediaType": _ref(f"{IANA_MEDIA_TYPES}{media_type}"),
        "dct:format": _ref(f"{EU_AUTHORITY}file-type/{file_type}"),
    }


def dcat_dataset(dataset: Dataset, base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """Describe one dataset as a ``dcat:Dataset`` node."""
    zh, en = SHARING_STATEMENTS[dataset.sharing]
    node: dict[str, Any] = {
        "@id": dataset_uri(dataset.id, base_uri),
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.id,
        "dct:title": _text(dataset.title_zh, dataset.title_en),
        "dct:description": _text(dataset.description_zh, dataset.description_en),
        "dct:publisher": _ref(publisher(base_uri)["@id"]),
        "dcat:keyword": _keywords(dataset),
        "dcat:theme": _ref(f"{EU_AUTHORITY}data-theme/EDUC"),
        "dct:language": [
            _ref(f"{EU_AUTHORITY}language/ZHO"),
            _ref(f"{EU_AUTHORITY}language/ENG"),
        ],
        "dct:accessRights": {
            "@type": "dct:RightsStatement",
            "rdfs:label": _text(SHARING_ZH[dataset.sharing], SHARING_EN[dataset.sharing]),
            "dct:description": _text(zh, en),
        },
    }
    frequency = accrual_periodicity(dataset.update_frequency)
    if frequency:
        node["dct:accrualPeriodicity"] = _ref(frequency)
    if dataset.derived_from:
        node["prov:wasDerivedFrom"] = [_ref(dataset_uri(source, base_uri)) for source in dataset.derived_from]
    node["dcat:distribution"] = [_distribution(dataset, key, base_uri) for key in DISTRIBUTIONS]
    return node


def dcat_catalog(catalog: Catalog, base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """Describe the whole catalog as a JSON-LD document (a ``dcat:Catalog``)."""
    datasets = sorted(catalog.datasets.values(), key=lambda d: d.id)
    return {
        "@context": CONTEXT,
        "@id": base_uri,
        "@type": "dcat:Catalog",
        "dct:title": _text("教育数据大脑数据目录", "EduBrain data catalog"),
        "dct:description": _text(
            "北京市教育数据大脑的数据集目录：市、区、校三级报送与共享的教育数据。",
            "Datasets of the Beijing education data platform, submitted and "
            "shared by the city, its districts and its schools.",
        ),
        "dct:publisher": publisher(base_uri),
        "dct:language": [
            _ref(f"{EU_AUTHORITY}language/ZHO"),
            _ref(f"{EU_AUTHORITY}language/ENG"),
        ],
        "dcat:themeTaxonomy": _ref(f"{EU_AUTHORITY}data-theme"),
        "dcat:dataset": [dcat_dataset(d, base_uri) for d in datasets],
    }


def export_dcat(catalog: Catalog, out_path: Path, base_uri: str = DEFAULT_BASE_URI) -> Path:
    """Write the catalog as DCAT 3 JSON-LD to ``out_path``.

    Args:
        catalog: The catalog to export.
        out_path: The file to write (UTF-8 JSON; parent folders are created).
        base_uri: Prefix of every URI minted for the catalog, its datasets
            and distributions; should end with ``/``.

    Returns:
        ``out_path``.

    """
    if not base_uri.endswith(("/", "#")):
        base_uri += "/"
    document = dcat_catalog(catalog, base_uri)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    out_path.write_text(text + "\n", encoding="utf-8")
    return out_path


__all__ = [
    "DEFAULT_BASE_URI",
    "FREQUENCIES",
    "accrual_periodicity",
    "dataset_uri",
    "dcat_catalog",
    "dcat_dataset",
    "export_dcat",
    "publisher",
]
