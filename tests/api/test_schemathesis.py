"""Property-based conformance of the API to its own OpenAPI document (schemathesis).

For every operation, generated requests (valid and invalid) must get no 5xx,
and every response must match a documented status, content type and schema.
Bounded: a few examples per operation, with a city administrator's token (a node's key for the exchange).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import create_engine, text

from edubrain.api.app import create_app
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from tests.api.conftest import ApiCity, drop_schema, populate
from tests.conftest import PG_URL

FOLDER = Path(tempfile.gettempdir()) / f"edubrain-schemathesis-{uuid.uuid4().hex}"  # created by the fixture only
SCHEMA = f"t_{uuid.uuid4().hex[:12]}" if PG_URL else None
"""On PostgreSQL when EDUBRAIN_TEST_DATABASE_URL is set (it refuses what SQLite lets pass, such as NUL in text)."""
URL = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{SCHEMA}" if PG_URL else None
HOME = Home(Settings(home=FOLDER / "home", database_url=URL), get_catalog())  # nothing opened until the fixture runs
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(HOME)).exclude(
    path="/api/v1/auth/logout"  # it would revoke the token the other operations use
)
CITY: dict[str, ApiCity] = {}


@pytest.fixture(scope="module", autouse=True)
def populated() -> Iterator[None]:
    if PG_URL:
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'create schema "{SCHEMA}"'))
        admin.dispose()
    CITY["city"] = populate(HOME, FOLDER / "files")
    yield
    HOME.engine.dispose()
    drop_schema(SCHEMA)
    shutil.rmtree(FOLDER, ignore_errors=True)


UPLOADS = {"/api/v1/submissions", "/api/v1/exchange/{dataset_id}/batches", "/api/v1/iot/readings"}
"""Operations taking a file (or rows): a schema-valid upload is rarely a valid table, and is rightly refused (422)."""


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    upload = case.operation.path in UPLOADS and case.method == "POST"
    # an xAPI statement has rules beyond its JSON Schema (one IFI, IRIs): a schema-valid body is rightly refused (400)
    upload |= case.operation.path == "/xAPI/statements" and case.method in ("POST", "PUT")
    excluded = [positive_data_acceptance] if upload else []
    caller = "node" if case.operation.path.startswith("/api/v1/exchange/") else "city"
    case.call_and_validate(headers=CITY["city"].auth(caller), excluded_checks=excluded)
