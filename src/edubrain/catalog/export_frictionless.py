"""Export the catalog as a Frictionless Data Package.

Every dataset becomes a tabular resource whose Table Schema is derived from
its declaration (types, required, ranges, patterns, code-table enums,
primary key); every code table becomes a resource too, so that code fields
can name it in a foreign key. The package is written beside the CSV files it
describes: an empty UTF-8 CSV (header row only) per dataset and a filled one
per code table, so ``frictionless validate datapackage.json`` passes.

Spec: Frictionless Data Package and Table Schema,
https://specs.frictionlessdata.io/ (v1 profiles, understood by v2 tools).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from edubrain.catalog.models import CodeTable, Dataset, FieldSpec, ReferenceRule
from edubrain.catalog.registry import Catalog

FRICTIONLESS_TYPES: dict[str, str] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "date": "date",
    "boolean": "boolean",
    "code": "string",
}
"""Frictionless field type for each catalog field type (code = constrained string)."""


def _spellings(*words: str) -> list[str]:
    return list(dict.fromkeys(v for w in words for v in (w, w.capitalize(), w.upper())))


BOOLEAN_TRUE_VALUES: list[str] = _spellings("true", "1", "是", "yes", "y", "t", "√")
"""Cell texts read as true: the spellings the exchange accepts, in lower, Title and UPPER case."""

BOOLEAN_FALSE_VALUES: list[str] = _spellings("false", "0", "否", "no", "n", "f", "×")
"""Cell texts read as false."""

DATASET_DIR = "data"
CODE_TABLE_DIR = "code_tables"
CODE_TABLE_COLUMNS = ["code", "zh", "en", "legacy", "category"]
PACKAGE_METADATA: dict[str, Any] = {
    "name": "edubrain-catalog",
    "title": "教育数据大脑数据目录 / EduBrain data catalog",
    "description": "北京市教育数据大脑的数据集与代码表。"
    " Datasets and code tables of the Beijing education data platform.",
    "profile": "tabular-data-package",
    "keywords": ["教育", "education", "北京", "Beijing"],
}


def code_table_resource_name(table_id: str) -> str:
    """Return the package resource name of the code table ``table_id``."""
    return f"code_{table_id}"


def table_schema(dataset: Dataset, catalog: Catalog, *, foreign_keys: bool = False) -> dict[str, Any]:
    """Derive the Frictionless Table Schema of one dataset.

    Args:
        dataset: The dataset declaration.
        catalog: The catalog holding the dataset's code tables.
        foreign_keys: Add ``foreignKeys`` to the code-table resources and to
            the datasets named by reference rules. Only meaningful inside the
            package written by :func:`export_frictionless`; leave it off to
            validate a lone CSV (code fields are still checked by ``enum``).

    Returns:
        A Table Schema descriptor (a JSON-ready dict).

    Raises:
        CatalogError: a code field names a code table the catalog lacks.

    """
    keys = set(dataset.primary_key)
    schema: dict[str, Any] = {
        "fields": [_field(spec, catalog, spec.name in keys) for spec in dataset.fields],
        "primaryKey": list(dataset.primary_key),
        "missingValues": [""],
    }
    if foreign_keys:
        references = _foreign_keys(dataset, catalog)
        if references:
            schema["foreignKeys"] = references
    return schema


def _field(spec: FieldSpec, catalog: Catalog, is_key: bool) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": spec.name,
        "title": spec.title_zh,
        "description": _field_description(spec),
        "type": FRICTIONLESS_TYPES[spec.type],
        "format": "default",
    }
    if spec.type == "boolean":
        descriptor["trueValues"] = BOOLEAN_TRUE_VALUES
        descriptor["falseValues"] = BOOLEAN_FALSE_VALUES
    constraints = _constraints(spec, catalog, is_key)
    if constraints:
        descriptor["constraints"] = constraints
    descriptor["x-edubrain"] = _extension(spec)
    return descriptor


def _field_description(spec: FieldSpec) -> str:
    zh = spec.description_zh or spec.title_zh
    en = spec.description_en or spec.title_en
    unit = f"（单位 / unit: {spec.unit}）" if spec.unit else ""
    return f"{zh} / {en}{unit}"


def _extension(spec: FieldSpec) -> dict[str, Any]:
    """Catalog facts with no Table Schema property (kept under ``x-edubrain``)."""
    extra: dict[str, Any] = {
        "title_en": spec.title_en,
        "catalog_type": spec.type,
        "classification": spec.classification,
        "aliases": list(spec.aliases),
    }
    for key in ("unit", "code_table", "pii", "check_digit"):
        value = getattr(spec, key)
        if value is not None:
            extra[key] = value
    return extra


def _constraints(spec: FieldSpec, catalog: Catalog, is_key: bool) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    if spec.required or is_key:
        constraints["required"] = True
    if spec.type in ("integer", "number"):
        cast = int if spec.type == "integer" else float
        if spec.minimum is not None:
            constraints["minimum"] = cast(spec.minimum)
        if spec.maximum is not None:
            constraints["maximum"] = cast(spec.maximum)
    if spec.pattern:
        constraints["pattern"] = xsd_pattern(spec.pattern)
    if spec.code_table:
        constraints["enum"] = catalog.code_table(spec.code_table).valid_codes()
    return constraints


def xsd_pattern(pattern: str) -> str:
    """Strip the ``^``/``$`` anchors from ``pattern``.

    Table Schema patterns are XML Schema regular expressions, which always
    match the whole value and treat ``^`` and ``$`` as ordinary characters.
    """
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    return pattern


def _foreign_keys(dataset: Dataset, catalog: Catalog) -> list[dict[str, Any]]:
    references: list[dict[str, Any]] = []
    for spec in dataset.fields:
        if spec.code_table:
            target = catalog.code_table(spec.code_table).id
            references.append(
                {
                    "fields": [spec.name],
                    "reference": {
                        "resource": code_table_resource_name(target),
                        "fields": ["code"],
                    },
                }
            )
    for rule in dataset.rules:
        if isinstance(rule, ReferenceRule) and rule.dataset in catalog.datasets:
            resource = "" if rule.dataset == dataset.id else rule.dataset
            references.append(
                {
                    "fields": list(rule.fields),
                    "reference": {"resource": resource, "fields": list(rule.to)},
                }
            )
    return references


def dataset_resource(dataset: Dataset, catalog: Catalog) -> dict[str, Any]:
    """Describe ``dataset`` as a package resource (path ``data/<id>.csv``)."""
    return {
        "name": dataset.id,
        "path": f"{DATASET_DIR}/{dataset.id}.csv",
        "profile": "tabular-data-resource",
        "title": dataset.title_zh,
        "description": f"{dataset.description_zh}\n\n{dataset.title_en}: {dataset.description_en}",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema(dataset, catalog, foreign_keys=True),
    }


def code_table_resource(table: CodeTable) -> dict[str, Any]:
    """Describe a code table as a package resource (``code_tables/<id>.csv``)."""
    text = {"type": "string", "constraints": {"required": True}}
    return {
        "name": code_table_resource_name(table.id),
        "path": f"{CODE_TABLE_DIR}/{table.id}.csv",
        "profile": "tabular-data-resource",
        "title": f"{table.title_zh}（{table.standard}）",
        "description": f"{table.title_en} ({table.standard})",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "sources": [{"title": source} for source in table.sources],
        "schema": {
            "fields": [
                {"name": "code", "title": "代码", **text},
                {"name": "zh", "title": "名称", **text},
                {"name": "en", "title": "Name", **text},
                {"name": "legacy", "title": "已停用 / legacy", "type": "boolean"},
                {"name": "category", "title": "分类标题 / category heading", "type": "boolean"},
            ],
            "primaryKey": ["code"],
            "missingValues": [""],
        },
    }


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _code_rows(table: CodeTable) -> list[list[str]]:
    flag = {True: "true", False: "false"}
    return [[c.code, c.zh, c.en, flag[c.legacy], flag[c.category]] for c in table.codes]


def export_frictionless(catalog: Catalog, out_dir: Path) -> Path:
    """Write the catalog as a Frictionless Data Package under ``out_dir``.

    Writes ``datapackage.json``, an empty CSV (header row only, UTF-8) per
    dataset under ``data/`` and a CSV per code table (``code, zh, en,
    legacy, category``) under ``code_tables/``. Existing files of the same names are
    overwritten; other files are left alone.

    Args:
        catalog: The catalog to export.
        out_dir: The package folder; created when missing.

    Returns:
        The path of ``datapackage.json``.

    """
    out_dir.mkdir(parents=True, exist_ok=True)
    resources: list[dict[str, Any]] = []
    for dataset in sorted(catalog.datasets.values(), key=lambda d: d.id):
        _write_csv(out_dir / DATASET_DIR / f"{dataset.id}.csv", dataset.field_names, [])
        resources.append(dataset_resource(dataset, catalog))
    for table in sorted(catalog.code_tables.values(), key=lambda t: t.id):
        _write_csv(out_dir / CODE_TABLE_DIR / f"{table.id}.csv", CODE_TABLE_COLUMNS, _code_rows(table))
        resources.append(code_table_resource(table))
    package = {**PACKAGE_METADATA, "resources": resources}
    path = out_dir / "datapackage.json"
    text = json.dumps(package, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


__all__ = [
    "BOOLEAN_FALSE_VALUES",
    "BOOLEAN_TRUE_VALUES",
    "FRICTIONLESS_TYPES",
    "code_table_resource",
    "code_table_resource_name",
    "dataset_resource",
    "export_frictionless",
    "table_schema",
    "xsd_pattern",
]
