"""/api/v1/datasets: scope, masking, paging, filters, sorting and exports, all through the one read path."""

from __future__ import annotations

import io

import polars as pl
import pyarrow.parquet as pq
from openpyxl import load_workbook

from edubrain.governance.audit import list_events
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import OTHER_SCHOOL, SCHOOL

ROWS = "/api/v1/datasets/students/rows"


def test_datasets_a_school_user_sees_only_its_own_students(shared: ApiCity) -> None:
    body = shared.client.get(ROWS, headers=shared.auth("school1")).json()
    assert body["count"] == 4 and {r["school_code"] for r in body["data"]} == {SCHOOL}
    other = shared.client.get(ROWS, params={"filter": f"school_code:{OTHER_SCHOOL}"}, headers=shared.auth("school1"))
    assert other.json()["count"] == 0


def test_datasets_l4_fields_are_masked_for_a_role_without_clearance(shared: ApiCity) -> None:
    body = shared.client.get(ROWS, headers=shared.auth("school1")).json()
    assert {"name", "id_number", "student_id"} <= set(body["masked"])
    assert all("*" in r["name"] and "********" in r["id_number"] for r in body["data"])
    assert body["unmasked_personal"] == [] or "name" not in body["unmasked_personal"]


def test_datasets_a_purpose_unmasks_and_the_read_is_audited(shared: ApiCity) -> None:
    response = shared.client.get(ROWS, params={"purpose": "学籍管理"}, headers=shared.auth("school1"))
    body = response.json()
    assert body["purpose"] == "enrollment_management" and "name" in body["unmasked_personal"]
    assert not any("*" in r["name"] for r in body["data"])
    with session_scope(shared.home.engine) as session:
        events = list_events(session, action="read_unmasked")
    assert events and events[-1].purpose == "enrollment_management" and events[-1].row_count == 4


def test_datasets_an_analyst_sees_the_city_withheld_and_cannot_unmask(shared: ApiCity) -> None:
    body = shared.client.get(ROWS, headers=shared.auth("analyst")).json()
    assert body["count"] == 7
    assert all(r["name"] is None or "*" in r["name"] for r in body["data"])
    response = shared.client.get(ROWS, params={"purpose": "学籍管理"}, headers=shared.auth("analyst"))
    assert_error(response, 403, "access_denied")


def test_datasets_a_district_sees_its_schools_and_another_district_nothing(shared: ApiCity) -> None:
    assert shared.client.get(ROWS, headers=shared.auth("haidian")).json()["count"] == 7
    assert shared.client.get(ROWS, headers=shared.auth("chaoyang")).json()["count"] == 0


def test_datasets_a_teacher_sees_its_class_only(shared: ApiCity) -> None:
    body = shared.client.get(ROWS, headers=shared.auth("teacher")).json()
    assert body["count"] == 4 and {r["class_id"] for r in body["data"]} == {"C2025A"}


def test_datasets_paging_and_sorting(shared: ApiCity) -> None:
    first = shared.client.get(ROWS, params={"limit": 3, "sort": "-school_code"}, headers=shared.auth("city")).json()
    assert first["count"] == 7 and len(first["data"]) == 3 and first["data"][0]["school_code"] == OTHER_SCHOOL
    rest = shared.client.get(
        ROWS, params={"limit": 3, "offset": 6, "sort": "-school_code"}, headers=shared.auth("city")
    ).json()
    assert len(rest["data"]) == 1 and rest["data"][0]["school_code"] == SCHOOL


def test_datasets_filter_and_sort_on_a_masked_field_are_refused(shared: ApiCity) -> None:
    error = assert_error(shared.client.get(ROWS, params={"sort": "name"}, headers=shared.auth("school1")), 403)
    assert error["details"]["field"] == "name"
    assert_error(shared.client.get(ROWS, params={"filter": "name:测试1"}, headers=shared.auth("analyst")), 403)
    assert_error(shared.client.get(ROWS, params={"filter": "nope:1"}, headers=shared.auth("city")), 403)
    assert_error(shared.client.get(ROWS, params={"filter": "no-colon"}, headers=shared.auth("city")), 422)


def test_datasets_read_failures_have_the_error_shape(shared: ApiCity) -> None:
    assert_error(shared.client.get(ROWS), 401, "auth_error")
    assert_error(shared.client.get("/api/v1/datasets/nope/rows", headers=shared.auth("city")), 404, "unknown_dataset")
    assert_error(shared.client.get(ROWS, params={"version": 99}, headers=shared.auth("city")), 404, "lake_error")
    assert_error(shared.client.get(ROWS, params={"purpose": "好奇"}, headers=shared.auth("city")), 400, "policy_error")


def test_datasets_time_travel_reads_an_older_version(shared: ApiCity) -> None:
    body = shared.client.get(ROWS, params={"version": 0}, headers=shared.auth("city")).json()
    assert body["version"] == 0 and body["count"] == 4


def test_datasets_versions_lists_the_history(shared: ApiCity) -> None:
    entries = shared.client.get("/api/v1/datasets/students/versions", headers=shared.auth("haidian")).json()
    assert [e["version"] for e in entries] == [1, 0] and entries[0]["org"] == OTHER_SCHOOL
    own = shared.client.get("/api/v1/datasets/students/versions", headers=shared.auth("school1")).json()
    assert [e["version"] for e in own] == [0] and own[0]["org"] == SCHOOL  # another school's batches are not shown
    assert_error(shared.client.get("/api/v1/datasets/nope/versions", headers=shared.auth("city")), 404)


def test_datasets_export_csv_is_masked_scoped_and_audited(shared: ApiCity) -> None:
    response = shared.client.get("/api/v1/datasets/students/export?format=csv", headers=shared.auth("school1"))
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    frame = pl.read_csv(io.BytesIO(response.content))
    assert frame.height == 4 and all("*" in n for n in frame.get_column("name"))
    assert "attachment" in response.headers["content-disposition"]
    with session_scope(shared.home.engine) as session:
        events = [e for e in list_events(session, action="export") if e.dataset == "students"]
    assert events and events[-1].row_count == 4 and events[-1].detail["format"] == "csv"


def test_datasets_export_parquet_and_xlsx(shared: ApiCity) -> None:
    parquet = shared.client.get("/api/v1/datasets/students/export?format=parquet", headers=shared.auth("haidian"))
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 7 and "_batch_id" in table.column_names
    xlsx = shared.client.get("/api/v1/datasets/classes/export?format=xlsx", headers=shared.auth("school2"))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[0].values)
    assert rows[0][0] == "class_id" and len(rows) == 2 and rows[1][0] == "C2025B"


def test_datasets_export_failures_have_the_error_shape(shared: ApiCity) -> None:
    assert_error(shared.client.get("/api/v1/datasets/students/export"), 401)
    assert_error(shared.client.get("/api/v1/datasets/students/export?format=doc", headers=shared.auth("city")), 422)
    assert_error(shared.client.get("/api/v1/datasets/nope/export", headers=shared.auth("city")), 404)


def test_datasets_the_public_reads_no_students_and_no_versions_of_them(shared: ApiCity) -> None:
    assert_error(shared.client.get(ROWS, headers=shared.auth("citizen")), 403, "access_denied")
    assert_error(shared.client.get("/api/v1/datasets/students/versions", headers=shared.auth("citizen")), 403)
    schools = shared.client.get("/api/v1/datasets/schools/rows", headers=shared.auth("citizen")).json()
    assert schools["count"] == 2 and "planned_places_primary" not in schools["data"][0]
