"""A small city for the web app's tests: three schools in two districts, a class, five pupils, one user per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.conftest import CHAOYANG_SCHOOL, CLASS, SCHOOL, home_with_schools, student_rows, write_csv

PASSWORD = "web-test-password-1"
USERS = {
    # username: (org, role, refs)
    "city": ("110000", "city_analyst", None),
    "cityadmin": ("110000", "city_admin", None),
    "haidian": ("110108", "district_admin", None),
    "chaoyang": ("110105", "district_admin", None),
    "school": (SCHOOL, "school_admin", None),
    "teacher": (SCHOOL, "teacher", [CLASS]),
    "auditor": ("110000", "auditor", None),
}


def build_city(folder: Path, catalog: Catalog) -> Home:
    """Haidian's two schools with a class and five pupils, a Chaoyang school, and the users of :data:`USERS`."""
    home = home_with_schools(folder, catalog)
    chaoyang = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办", "小学规划学位数"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是", 800],
    ]
    assert ingest_file(home, write_csv(folder / "cy.csv", chaoyang), "schools", "110105").report.status == "committed"
    pupils = write_csv(folder / "pupils.csv", student_rows(5))
    assert ingest_file(home, pupils, "students", SCHOOL).report.status == "committed"
    with session_scope(home.engine) as session:
        for name, (org, role, refs) in USERS.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
    return home


def make_app(home: Home) -> FastAPI:
    """The real app (the API's ``create_app``, which mounts the web app)."""
    from edubrain.api.app import create_app
    from edubrain.web.cockpit import IndicatorCache

    app = create_app(home)
    app.state.web_indicators = IndicatorCache(recheck_seconds=0)  # see every submission at once
    return app


@pytest.fixture(scope="module")
def web_home(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Home]:
    home = build_city(tmp_path_factory.mktemp("webcity"), catalog)
    yield home
    home.engine.dispose()


@pytest.fixture(scope="module")
def app(web_home: Home) -> FastAPI:
    return make_app(web_home)


def login(app: FastAPI, username: str, password: str = PASSWORD) -> TestClient:
    """A client logged in as ``username``."""
    client = TestClient(app, follow_redirects=False)
    response = client.post("/login", data={"username": username, "password": password, "next": "/"})
    assert response.status_code == 303, response.text
    return client


@pytest.fixture(scope="module")
def as_user(app: FastAPI):  # type: ignore[no-untyped-def]
    clients: dict[str, TestClient] = {}

    def get(username: str) -> TestClient:
        if username not in clients:
            clients[username] = login(app, username)
        return clients[username]

    return get
