"""FastAPI's own 404, 405 and 422 answer in the one error shape; the OpenAPI document declares it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from edubrain.api.app import create_app
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from tests.api.conftest import ApiCity, assert_error


def test_errors_unknown_path_is_404_in_the_error_shape(shared: ApiCity) -> None:
    error = assert_error(shared.client.get("/api/v1/nothing-here"), 404, "not_found")
    assert "/api/v1/nothing-here" in error["message_en"]


def test_errors_wrong_method_is_405_in_the_error_shape(shared: ApiCity) -> None:
    assert_error(shared.client.delete("/api/v1/catalog"), 405, "method_not_allowed")


def test_errors_bad_query_parameter_is_422_in_the_error_shape(shared: ApiCity) -> None:
    response = shared.client.get("/api/v1/datasets/students/rows?limit=0", headers=shared.auth("city"))
    error = assert_error(response, 422, "invalid_request")
    assert error["details"]["problems"][0]["loc"] == ["query", "limit"]


def test_errors_every_operation_declares_the_error_body(shared: ApiCity) -> None:
    spec = shared.client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            failing = {s: r for s, r in operation["responses"].items() if s.startswith(("4", "5"))}
            if path == "/metrics":
                continue
            assert "422" in failing, (method, path)
            for status, response in failing.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_errors_authenticated_routes_declare_401(shared: ApiCity) -> None:
    spec = shared.client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                assert "401" in operation["responses"], (method, path)


def test_errors_an_unexpected_failure_is_500_in_the_error_shape_without_internals(tmp_path: Path) -> None:
    broken = Home(Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path}/missing/dir/x.db"), get_catalog())
    with TestClient(create_app(broken), raise_server_exceptions=False) as client:
        response = client.post("/api/v1/auth/login", json={"username": "a", "password": "b"})
    error = assert_error(response, 500, "internal_error")
    assert set(error["details"]) == {"error_id"} and "sqlite" not in response.text
    assert "OperationalError" not in response.text
