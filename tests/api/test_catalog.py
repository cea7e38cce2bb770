"""/api/v1/catalog and /api/v1/code-tables: list, show, exports, templates."""

from __future__ import annotations

import io
import json
import zipfile

from openpyxl import load_workbook

from tests.api.conftest import ApiCity, assert_error


def test_catalog_lists_every_dataset(shared: ApiCity) -> None:
    body = shared.client.get("/api/v1/catalog").json()
    assert body["count"] == len(shared.home.catalog.datasets)
    assert "students" in {d["id"] for d in body["data"]}


def test_catalog_shows_a_dataset_declaration(shared: ApiCity) -> None:
    body = shared.client.get("/api/v1/catalog/students").json()
    assert body["primary_key"] == ["student_id"]
    assert {f["name"]: f["classification"] for f in body["fields"]}["id_number"] == "L4"


def test_catalog_unknown_dataset_is_404_with_both_languages(shared: ApiCity) -> None:
    error = assert_error(shared.client.get("/api/v1/catalog/nope"), 404, "unknown_dataset")
    assert "nope" in error["message_zh"] and "nope" in error["message_en"]
    assert error["details"] == {"dataset": "nope"}


def test_catalog_template_is_an_xlsx_with_chinese_headers(shared: ApiCity) -> None:
    response = shared.client.get("/api/v1/catalog/students/template")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book.worksheets[0][1]]
    assert any("全国学籍号" in str(h) for h in headers)
    assert_error(shared.client.get("/api/v1/catalog/nope/template"), 404, "unknown_dataset")
    assert_error(shared.client.get("/api/v1/catalog/students/template?lang=fr"), 422, "invalid_request")


def test_catalog_frictionless_export_is_a_zip_with_the_package(shared: ApiCity) -> None:
    response = shared.client.get("/api/v1/catalog/export/frictionless")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    package = json.loads(archive.read("datapackage.json"))
    assert {r["name"] for r in package["resources"]} >= {"students", "code_sex"}
    assert "data/students.csv" in archive.namelist()


def test_catalog_dcat_export_uses_the_server_address(shared: ApiCity) -> None:
    response = shared.client.get("/api/v1/catalog/export/dcat")
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert document["@type"] == "dcat:Catalog"
    assert document["@id"] == "http://testserver/api/v1/catalog/"


def test_code_tables_list_and_show(shared: ApiCity) -> None:
    tables = shared.client.get("/api/v1/code-tables").json()
    assert "sex" in {t["id"] for t in tables}
    sex = shared.client.get("/api/v1/code-tables/sex").json()
    assert {c["code"] for c in sex["codes"]} >= {"1", "2"}
    assert_error(shared.client.get("/api/v1/code-tables/nope"), 404, "unknown_code_table")
