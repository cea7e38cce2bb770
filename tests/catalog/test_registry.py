"""Loading the catalog: the packaged declarations hold together, and a broken copy fails naming its file."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.catalog.models import ReferenceRule
from edubrain.catalog.registry import DATA_DIR, load_catalog
from edubrain.errors import CatalogError, UnknownDatasetError

DATASETS = {
    "births",
    "classes",
    "districts",
    "exam_scores",
    "exam_item_results",
    "exam_item_statistics",
    "exam_item_options",
    "school_value_added",
    "fitness_indicators",
    "fitness_scores",
    "fitness_tests",
    "fitness_warnings",
    "app_usage_events",
    "facility_area_indicators",
    "facility_device_months",
    "facility_indicators",
    "info_literacy",
    "iot_devices",
    "iot_readings",
    "learning_statements",
    "monitoring_indicators",
    "place_backtests",
    "place_forecasts",
    "place_history",
    "school_infrastructure",
    "school_profiles",
    "schools",
    "student_activities",
    "student_attendance",
    "student_awards",
    "student_conduct",
    "student_profiles",
    "student_risk_flags",
    "student_status_changes",
    "students",
    "teacher_assignments",
    "satisfaction_surveys",
    "teacher_portfolio",
    "teacher_profiles",
    "teachers",
    "smart_campus_scores",
    "training_coverage",
    "training_records",
    # graded supervision and campus safety (issue 18)
    "training_providers",
    "provider_inspections",
    "provider_complaints",
    "provider_credit_grades",
    "provider_credit_items",
    "provider_public_grades",
    "campus_safety_incidents",
    "campus_safety_counts",
    "campus_safety_warnings",
}


def test_registry_packaged_catalog_has_the_submitted_and_derived_datasets(catalog: Catalog) -> None:
    assert set(catalog.datasets) == DATASETS
    derived = {d.id for d in catalog.datasets.values() if d.derived_from}
    assert {d.id for d in catalog.datasets.values() if d.exported_from} == {"learning_statements"}
    assert {d.id for d in catalog.datasets.values() if d.derived} == derived | {"learning_statements"}
    assert derived == {
        "facility_area_indicators",
        "facility_device_months",
        "facility_indicators",
        "fitness_indicators",
        "fitness_scores",
        "fitness_warnings",
        "monitoring_indicators",
        "place_backtests",
        "place_forecasts",
        "place_history",
        "school_profiles",
        "student_profiles",
        "student_risk_flags",
        "teacher_profiles",
        "smart_campus_scores",
        "training_coverage",
        "exam_item_statistics",
        "exam_item_options",
        "school_value_added",
        "provider_credit_grades",
        "provider_credit_items",
        "provider_public_grades",
        "campus_safety_counts",
        "campus_safety_warnings",
    }
    for dataset_id in derived:
        assert set(catalog.dataset(dataset_id).derived_from) <= set(catalog.datasets), dataset_id


def test_registry_every_code_field_names_a_declared_code_table(catalog: Catalog) -> None:
    for dataset in catalog.datasets.values():
        for spec in dataset.fields:
            if spec.type == "code":
                assert spec.code_table in catalog.code_tables, (dataset.id, spec.name)
                assert catalog.code_table(spec.code_table).valid_codes(), (dataset.id, spec.name)


def test_registry_every_reference_rule_resolves_to_a_dataset_and_fields(catalog: Catalog) -> None:
    checked = 0
    for dataset in catalog.datasets.values():
        for rule in dataset.rules:
            if isinstance(rule, ReferenceRule):
                target = catalog.dataset(rule.dataset)
                assert set(rule.to) <= set(target.field_names), (dataset.id, rule)
                assert set(rule.fields) <= set(dataset.field_names), (dataset.id, rule)
                checked += 1
    assert checked >= 10


def test_registry_every_field_is_on_the_classification_scale(catalog: Catalog) -> None:
    for dataset in catalog.datasets.values():
        assert {f.classification for f in dataset.fields} <= set(catalog.levels), dataset.id


def test_registry_primary_key_and_organisation_fields_are_required(catalog: Catalog) -> None:
    for dataset in catalog.datasets.values():
        for name in {*dataset.primary_key, dataset.org_field}:
            assert dataset.field(name).required, (dataset.id, name)


def test_registry_field_patterns_compile(catalog: Catalog) -> None:
    for dataset in catalog.datasets.values():
        for spec in dataset.fields:
            if spec.pattern:
                re.compile(spec.pattern)


def test_registry_code_table_ids_match_their_file_names(catalog: Catalog) -> None:
    assert set(catalog.code_tables) == {p.stem for p in (DATA_DIR / "code_tables").glob("*.yaml")}


def test_registry_unknown_dataset_error_lists_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(UnknownDatasetError) as caught:
        catalog.dataset("pupils")
    assert "pupils" in caught.value.en and "students" in caught.value.en and "pupils" in caught.value.zh


def test_registry_unknown_code_table_is_a_catalog_error(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="nope"):
        catalog.code_table("nope")


# broken copies


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the packaged catalog data to break."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load_error(data_dir: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_dir)
    return caught.value


def test_registry_copy_of_the_packaged_data_loads(data_dir: Path, catalog: Catalog) -> None:
    assert set(load_catalog(data_dir).datasets) == set(catalog.datasets)


def test_registry_invalid_yaml_names_the_file(data_dir: Path) -> None:
    (data_dir / "datasets" / "students.yaml").write_text("id: students\nfields: [unclosed\n", encoding="utf-8")
    error = _load_error(data_dir)
    assert "students.yaml" in error.zh and "students.yaml" in error.en and "YAML" in error.en
    assert error.details["file"].endswith("students.yaml")


def test_registry_unknown_code_table_names_the_file_and_the_table(data_dir: Path) -> None:
    _edit(data_dir / "datasets" / "students.yaml", "code_table: sex,", "code_table: gender,")
    error = _load_error(data_dir)
    assert "students.yaml" in error.zh and "students.yaml" in error.en and "gender" in error.en


def test_registry_duplicate_code_names_the_code_table_file(data_dir: Path) -> None:
    path = data_dir / "code_tables" / "sex.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + '  - {code: "1", zh: "男", en: "Male again"}\n', encoding="utf-8"
    )
    error = _load_error(data_dir)
    assert "sex.yaml" in error.zh and "sex.yaml" in error.en and "duplicate code '1'" in error.en


def test_registry_rule_naming_an_unknown_field_names_the_file_and_the_field(data_dir: Path) -> None:
    _edit(data_dir / "datasets" / "students.yaml", "sex_field: sex}", "sex_field: gender}")
    error = _load_error(data_dir)
    assert "students.yaml" in error.zh and "students.yaml" in error.en and "gender" in error.en


def test_registry_reference_to_an_unknown_dataset_names_the_file(data_dir: Path) -> None:
    _edit(data_dir / "datasets" / "classes.yaml", "dataset: schools", "dataset: academies")
    error = _load_error(data_dir)
    assert "classes.yaml" in error.zh and "classes.yaml" in error.en and "academies" in error.en


def test_registry_dataset_id_not_matching_its_file_name_names_the_file(data_dir: Path) -> None:
    shutil.copy(data_dir / "datasets" / "students.yaml", data_dir / "datasets" / "pupils.yaml")
    error = _load_error(data_dir)
    assert "pupils.yaml" in error.zh and "pupils.yaml" in error.en


def test_registry_code_table_id_not_matching_its_file_name_names_the_file(data_dir: Path) -> None:
    shutil.copy(data_dir / "code_tables" / "sex.yaml", data_dir / "code_tables" / "gender.yaml")
    error = _load_error(data_dir)
    assert "gender.yaml" in error.zh and "gender.yaml" in error.en


def test_registry_unknown_classification_level_names_the_file(data_dir: Path) -> None:
    _edit(data_dir / "datasets" / "births.yaml", "classification: L1", "classification: L9")
    error = _load_error(data_dir)
    assert "births.yaml" in error.en and "L9" in error.en


def test_registry_unknown_key_in_a_dataset_names_the_file_and_the_place(data_dir: Path) -> None:
    _edit(data_dir / "datasets" / "births.yaml", "owner_level:", "owner: city\nowner_level:")
    error = _load_error(data_dir)
    assert "births.yaml" in error.en and error.details["location"] == "owner"


def test_registry_empty_dataset_file_names_the_file(data_dir: Path) -> None:
    (data_dir / "datasets" / "births.yaml").write_text("", encoding="utf-8")
    error = _load_error(data_dir)
    assert "births.yaml" in error.zh and "births.yaml" in error.en


def _classification_is_a_list(data_dir: Path) -> str:
    (data_dir / "classification.yaml").write_text("- id: L1\n", encoding="utf-8")
    return "classification.yaml"


def _dataset_is_not_utf8(data_dir: Path) -> str:
    (data_dir / "datasets" / "births.yaml").write_bytes("id: births\ntitle_zh: 出生人口\n".encode("gbk"))
    return "births.yaml"


def _classification_is_missing(data_dir: Path) -> str:
    (data_dir / "classification.yaml").unlink()
    return "classification.yaml"


@pytest.mark.parametrize(
    "breakage",
    [_classification_is_a_list, _dataset_is_not_utf8, _classification_is_missing],
    ids=["classification-list", "not-utf8", "classification-missing"],
)
def test_registry_unreadable_file_is_a_catalog_error_naming_it(data_dir: Path, breakage: Callable[[Path], str]) -> None:
    name = breakage(data_dir)
    error = _load_error(data_dir)
    assert name in error.zh and name in error.en


def test_registry_every_catalog_error_names_the_file_in_its_details(data_dir: Path) -> None:
    shutil.copy(data_dir / "datasets" / "students.yaml", data_dir / "datasets" / "pupils.yaml")
    assert _load_error(data_dir).details.get("file", "").endswith("pupils.yaml")
