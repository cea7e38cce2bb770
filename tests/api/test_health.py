"""/healthz and /metrics."""

from __future__ import annotations

import shutil

from tests.api.conftest import ApiCity, assert_error


def test_health_ok_when_database_and_lake_are_usable(shared: ApiCity) -> None:
    body = shared.client.get("/healthz").json()
    assert body == {"status": "ok", "checks": {"database": "ok", "lake": "ok"}}


def test_health_is_503_in_the_error_shape_when_the_lake_is_gone(fresh: ApiCity) -> None:
    shutil.rmtree(fresh.home.lake.root)
    error = assert_error(fresh.client.get("/healthz"), 503, "unhealthy")
    assert error["details"]["checks"]["database"] == "ok" and "missing" in error["details"]["checks"]["lake"]


def test_metrics_count_requests_by_route_template(shared: ApiCity) -> None:
    shared.client.get("/api/v1/catalog/students")
    shared.client.get("/api/v1/catalog/nope")
    shared.client.get("/no/such/path")
    text = shared.client.get("/metrics", headers=shared.auth("city")).text  # a city_admin (tests/security/test_http.py)
    assert 'edubrain_http_requests_total{method="GET",route="/api/v1/catalog/{dataset_id}",status="200"}' in text
    assert 'route="/api/v1/catalog/{dataset_id}",status="404"' in text
    assert 'route="unmatched",status="404"' in text
    assert "edubrain_http_request_duration_seconds_bucket" in text
    assert "/api/v1/catalog/students" not in text
