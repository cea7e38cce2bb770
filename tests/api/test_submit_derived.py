"""Nobody submits a dataset the platform computes: not even the city may upload rows into a derived dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from edubrain.catalog import get_catalog
from tests.api.conftest import ApiCity
from tests.conftest import SCHOOL, write_csv

DERIVED = sorted(d.id for d in get_catalog().datasets.values() if d.derived)


def test_the_catalog_has_derived_and_exported_datasets() -> None:
    assert {"student_profiles", "school_profiles", "fitness_scores", "learning_statements"} <= set(DERIVED)


@pytest.mark.parametrize("dataset", DERIVED)
def test_a_city_admin_cannot_submit_rows_into_a_derived_dataset(shared: ApiCity, tmp_path: Path, dataset: str) -> None:
    fields = get_catalog().dataset(dataset).field_names
    path = write_csv(tmp_path / "planted.csv", [fields, [SCHOOL if f == "school_code" else "2025" for f in fields]])
    before = shared.home.lake.version(dataset)
    response = shared.client.post(
        "/api/v1/submissions",
        data={"dataset": dataset},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        headers=shared.auth("city"),
    )
    assert response.status_code == 403, response.text
    body = response.json()["error"]
    assert "不能报送" in body["message_zh"] and "cannot be submitted" in body["message_en"]
    assert shared.home.lake.version(dataset) == before
