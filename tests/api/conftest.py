"""API fixtures: a small city (two Haidian schools with students) with one user per role, and a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from edubrain.api.app import create_app
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.db import session_scope
from edubrain.store.orgs import seed_organisations
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, PG_URL, SCHOOL, schools_rows, student_rows, write_csv

PASSWORD = "correct horse battery staple"
OTHER_CLASS = "C2025B"
USERS = {
    "city": ("city_admin", "110000", ()),
    "analyst": ("city_analyst", "110000", ()),
    "haidian": ("district_admin", "110108", ()),
    "chaoyang": ("district_admin", "110105", ()),
    "school1": ("school_admin", SCHOOL, ()),
    "school2": ("school_admin", OTHER_SCHOOL, ()),
    "teacher": ("teacher", SCHOOL, (CLASS,)),
    "citizen": ("public", "110000", ()),
}
"""username -> (role, organisation, refs)."""


@dataclass
class ApiCity:
    """An app over a populated home, with an access token per user and a node API key for Haidian."""

    home: Home
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)
    node_key: str = ""

    def auth(self, user: str) -> dict[str, str]:
        """The Authorization header of ``user`` (or of the node for ``node``)."""
        token = self.node_key if user == "node" else self.tokens[user]
        return {"Authorization": f"Bearer {token}"}


def backend_url(backend: str, folder: Path) -> tuple[str, str | None]:
    """A database URL for ``backend`` and the PostgreSQL schema made for it (None for SQLite)."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'edubrain.db'}", None
    assert PG_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'create schema "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str | None) -> None:
    if schema is None or PG_URL is None:
        return
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'drop schema "{schema}" cascade'))
    admin.dispose()


def populate(home: Home, folder: Path) -> ApiCity:
    """Initialise ``home``, store schools, classes and students of two schools, add users and a node key."""
    db.upgrade(home.settings.resolved_database_url)
    with session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    folder.mkdir(parents=True, exist_ok=True)
    assert (
        ingest_file(home, write_csv(folder / "s.csv", schools_rows()), "schools", "110108").report.status == "committed"
    )
    header = ["班级编号", "学校标识码", "学年", "年级", "班级名称"]
    for school, class_id, n, start in ((SCHOOL, CLASS, 4, 0), (OTHER_SCHOOL, OTHER_CLASS, 3, 10)):
        classes = write_csv(folder / f"c{school}.csv", [header, [class_id, school, 2025, "11", "一年级1班"]])
        assert ingest_file(home, classes, "classes", school).report.status == "committed"
        students = write_csv(folder / f"st{school}.csv", student_rows(n, school, class_id, start))
        assert ingest_file(home, students, "students", school).report.status == "committed"
    city = ApiCity(home, TestClient(create_app(home)))
    with session_scope(home.engine) as session:
        for username, (role, org, refs) in USERS.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, list(refs))
        for username in USERS:
            user = identity.get_user(session, username)
            city.tokens[username] = tokens.issue_tokens(
                session, home.settings, identity.principal_of(session, user)
            ).access_token
        _, city.node_key = tokens.create_api_key(session, "haidian-node", "110108")
    return city


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCity]:
    """A populated city shared by the read-only tests of a module."""
    folder = tmp_path_factory.mktemp("api")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    city = populate(home, folder)
    with city.client:
        yield city
    home.engine.dispose()
    drop_schema(schema)


@pytest.fixture
def fresh(tmp_path: Path, database_url: str) -> Iterator[ApiCity]:
    """A populated city of its own, for tests that write."""
    home = Home(Settings(home=tmp_path / "home", database_url=database_url), get_catalog())
    city = populate(home, tmp_path / "files")
    with city.client:
        yield city
    home.engine.dispose()


def assert_error(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    """The response is the one JSON error shape with ``status`` (and ``code``); returns the error."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message_zh", "message_en", "details"}, error
    assert error["message_zh"] and error["message_en"]
    if code is not None:
        assert error["code"] == code, error
    return error
