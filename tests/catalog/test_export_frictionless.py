"""Tests for the Frictionless Data Package export (synthetic catalog only)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from edubrain.catalog.export_frictionless import (
    BOOLEAN_FALSE_VALUES,
    BOOLEAN_TRUE_VALUES,
    export_frictionless,
    table_schema,
    xsd_pattern,
)
from edubrain.catalog.models import ClassificationLevel, Code, CodeTable, Dataset
from edubrain.catalog.registry import Catalog, load_catalog
from edubrain.catalog.template_xlsx import BOOLEAN_CHOICES
from edubrain.errors import CatalogError

frictionless = pytest.importorskip("frictionless")


def _field(name: str, title_zh: str, kind: str, **extra: object) -> dict[str, object]:
    title_en = name.replace("_", " ").capitalize()
    return {"name": name, "title_zh": title_zh, "title_en": title_en, "type": kind, **extra}


def _dataset(dataset_id: str, key: str, fields: list[dict], **extra: object) -> Dataset:
    return Dataset.model_validate(
        {
            "id": dataset_id,
            "title_zh": f"合成{dataset_id}",
            "title_en": f"Synthetic {dataset_id}",
            "description_zh": "合成数据。",
            "description_en": "Synthetic data.",
            "owner_level": "school",
            "primary_key": [key],
            "org_field": "school_code",
            "sharing": "conditional",
            "update_frequency": "termly",
            "fields": fields,
            **extra,
        }
    )


def _table(table_id: str, codes: list[Code]) -> CodeTable:
    return CodeTable(
        id=table_id,
        title_zh=f"{table_id}代码",
        title_en=f"{table_id} codes",
        standard="synthetic",
        sources=["synthetic"],
        codes=codes,
    )


@pytest.fixture
def synthetic() -> Catalog:
    """Two small datasets, two code tables (one with a legacy code)."""
    sex = _table(
        "sex",
        [
            Code(code="1", zh="男", en="Male"),
            Code(code="2", zh="女", en="Female"),
            Code(code="9", zh="旧代码", en="Old code", legacy=True),
            Code(code="0", zh="分类", en="Heading", category=True),
        ],
    )
    grade = _table("grade", [Code(code="01", zh="一年级", en="Grade 1"), Code(code="02", zh="二年级", en="Grade 2")])
    school_code = _field("school_code", "学校标识码", "string", required=True, pattern="^[0-9]{10}$")
    schools = _dataset("schools", "school_code", [school_code, _field("is_public", "是否公办", "boolean")])
    pupils = _dataset(
        "pupils",
        "pupil_id",
        [
            _field("pupil_id", "学生编号", "string", pattern="^P[0-9]{6}$"),
            school_code,
            _field("sex", "性别", "code", code_table="sex", required=True),
            _field("grade", "年级", "code", code_table="grade"),
            _field("birth_date", "出生日期", "date"),
            _field("school_year", "学年", "integer", minimum=2000, maximum=2100),
            _field("height_cm", "身高", "number", unit="cm", minimum=80, maximum=230),
        ],
        rules=[{"kind": "reference", "fields": ["school_code"], "dataset": "schools", "to": ["school_code"]}],
    )
    level = ClassificationLevel(
        id="L2", rank=2, title_zh="内部", title_en="Internal", description_zh="-", description_en="-"
    )
    return Catalog(
        datasets={"schools": schools, "pupils": pupils},
        code_tables={"sex": sex, "grade": grade},
        levels={"L2": level},
    )


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _resource(path: Path, schema: dict) -> frictionless.Resource:
    # frictionless refuses absolute paths unless given a base path
    return frictionless.Resource(
        path=path.name,
        basepath=str(path.parent),
        schema=frictionless.Schema.from_descriptor(schema),
    )


def _validate_csv(path: Path, schema: dict) -> frictionless.Report:
    return _resource(path, schema).validate()


PUPIL_HEADER = ["pupil_id", "school_code", "sex", "grade", "birth_date", "school_year", "height_cm"]
GOOD_PUPIL = ["P000001", "0110000001", "1", "01", "2015-09-01", "2024", "131.5"]


def test_export_frictionless_package_passes_frictionless_validate(synthetic: Catalog, tmp_path: Path) -> None:
    path = export_frictionless(synthetic, tmp_path / "pkg")
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["type", "note"])


def test_export_frictionless_resource_paths_exist_with_field_name_headers(synthetic: Catalog, tmp_path: Path) -> None:
    path = export_frictionless(synthetic, tmp_path / "pkg")
    package = json.loads(path.read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert names == {"schools", "pupils", "code_sex", "code_grade"}
    for resource in package["resources"]:
        file = path.parent / resource["path"]
        assert file.is_file()
        header = file.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_export_frictionless_code_table_csv_lists_all_codes(synthetic: Catalog, tmp_path: Path) -> None:
    path = export_frictionless(synthetic, tmp_path / "pkg")
    with (path.parent / "code_tables" / "sex.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["code"], r["zh"], r["en"], r["legacy"], r["category"]) for r in rows] == [
        ("1", "男", "Male", "false", "false"),
        ("2", "女", "Female", "false", "false"),
        ("9", "旧代码", "Old code", "true", "false"),
        ("0", "分类", "Heading", "false", "true"),
    ]


def test_export_frictionless_code_fields_have_foreign_keys_to_code_tables(synthetic: Catalog, tmp_path: Path) -> None:
    path = export_frictionless(synthetic, tmp_path / "pkg")
    package = json.loads(path.read_text(encoding="utf-8"))
    pupils = next(r for r in package["resources"] if r["name"] == "pupils")
    keys = {tuple(fk["fields"]): fk["reference"] for fk in pupils["schema"]["foreignKeys"]}
    assert keys[("sex",)] == {"resource": "code_sex", "fields": ["code"]}
    assert keys[("grade",)] == {"resource": "code_grade", "fields": ["code"]}
    assert keys[("school_code",)] == {"resource": "schools", "fields": ["school_code"]}


def test_export_frictionless_package_rejects_row_with_unknown_school(synthetic: Catalog, tmp_path: Path) -> None:
    path = export_frictionless(synthetic, tmp_path / "pkg")
    _write(path.parent / "data" / "schools.csv", [["school_code", "is_public"], ["0110000001", "是"]])
    bad = ["P000002", "0119999999", "2", "02", "2015-01-01", "2024", "120"]
    _write(path.parent / "data" / "pupils.csv", [PUPIL_HEADER, GOOD_PUPIL, bad])
    report = frictionless.validate(str(path))
    assert not report.valid
    assert [e[0] for e in report.flatten(["type"])] == ["foreign-key"]


def test_table_schema_maps_types_and_constraints(synthetic: Catalog) -> None:
    schema = table_schema(synthetic.dataset("pupils"), synthetic)
    fields = {f["name"]: f for f in schema["fields"]}
    assert schema["primaryKey"] == ["pupil_id"]
    assert "foreignKeys" not in schema
    assert fields["pupil_id"]["constraints"] == {"required": True, "pattern": "P[0-9]{6}"}
    assert fields["pupil_id"]["title"] == "学生编号"
    assert fields["sex"]["type"] == "string"
    assert fields["sex"]["constraints"]["enum"] == ["1", "2"]
    assert fields["birth_date"]["type"] == "date"
    assert fields["school_year"]["constraints"] == {"minimum": 2000, "maximum": 2100}
    assert isinstance(fields["school_year"]["constraints"]["minimum"], int)
    assert fields["height_cm"]["type"] == "number"
    assert fields["height_cm"]["x-edubrain"]["unit"] == "cm"


def test_table_schema_accepts_a_good_csv(synthetic: Catalog, tmp_path: Path) -> None:
    data = _write(tmp_path / "pupils.csv", [PUPIL_HEADER, GOOD_PUPIL])
    report = _validate_csv(data, table_schema(synthetic.dataset("pupils"), synthetic))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        ("pupil_id", "X000001", "constraint-error"),
        ("school_code", "110000001", "constraint-error"),
        ("sex", "9", "constraint-error"),
        ("sex", "0", "constraint-error"),
        ("sex", "", "constraint-error"),
        ("birth_date", "2015/09/01", "type-error"),
        ("school_year", "1999", "constraint-error"),
        ("height_cm", "tall", "type-error"),
    ],
)
def test_table_schema_rejects_a_bad_row(
    synthetic: Catalog, tmp_path: Path, column: str, value: str, error: str
) -> None:
    bad = ["P000002", *GOOD_PUPIL[1:]]  # a new key: only ``column`` is wrong
    bad[PUPIL_HEADER.index(column)] = value
    data = _write(tmp_path / "pupils.csv", [PUPIL_HEADER, GOOD_PUPIL, bad])
    report = _validate_csv(data, table_schema(synthetic.dataset("pupils"), synthetic))
    assert not report.valid
    assert report.flatten(["rowNumber", "fieldName", "type"]) == [[3, column, error]]


def test_table_schema_reads_template_yes_no_choices_as_booleans(synthetic: Catalog, tmp_path: Path) -> None:
    rows = [["school_code", "is_public"], ["0110000001", "是"], ["0110000002", "否"], ["0110000003", "true"]]
    data = _write(tmp_path / "schools.csv", rows)
    resource = _resource(data, table_schema(synthetic.dataset("schools"), synthetic))
    values = [row["is_public"] for row in resource.read_rows()]
    assert values == [True, False, True]
    for true_value, false_value in BOOLEAN_CHOICES.values():
        assert true_value in BOOLEAN_TRUE_VALUES and false_value in BOOLEAN_FALSE_VALUES


def test_table_schema_boolean_spellings_match_the_exchange() -> None:
    fields = pytest.importorskip("edubrain.exchange.fields")
    exchange_true, exchange_false = getattr(fields, "_TRUE", None), getattr(fields, "_FALSE", None)
    if exchange_true is None or exchange_false is None:
        pytest.skip("the exchange no longer exposes its boolean spellings")
    assert {v.lower() for v in BOOLEAN_TRUE_VALUES} == set(exchange_true)
    assert {v.lower() for v in BOOLEAN_FALSE_VALUES} == set(exchange_false)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("^[0-9]{10}$", "[0-9]{10}"), ("[A-Z]+", "[A-Z]+"), ("^a\\$", "a\\$")],
)
def test_xsd_pattern_strips_only_anchors(pattern: str, expected: str) -> None:
    assert xsd_pattern(pattern) == expected


def test_export_frictionless_packaged_catalog_passes_frictionless_validate(tmp_path: Path) -> None:
    try:
        packaged = load_catalog()
    except CatalogError as exc:  # the registry's own tests report a broken catalog
        pytest.skip(f"packaged catalog does not load: {exc}")
    path = export_frictionless(packaged, tmp_path / "pkg")
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["type", "note"])
