"""Smart-campus fixtures: the API city (two Haidian schools, users per role) with a Chaoyang school and its
administrator, an auditor and a Haidian analyst; files of each evidence kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.analytics.smart_campus import load_framework
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.api.conftest import PASSWORD, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CHAOYANG_SCHOOL, write_csv

MORE_USERS = {
    "cyschool": ("school_admin", CHAOYANG_SCHOOL),
    "auditor": ("auditor", "110000"),
    "hdanalyst": ("district_analyst", "110108"),
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FULL_SCORES = {i.id: i.max for i in load_framework().self_indicators()}
"""Every self-assessed indicator at its maximum."""


def build_smart_campus_city(folder: Path, database_url: str | None = None) -> ApiCity:
    """The API city of :func:`tests.api.conftest.populate`, a Chaoyang school and :data:`MORE_USERS`."""
    settings = (
        Settings(home=folder / "home", database_url=database_url) if database_url else Settings(home=folder / "home")
    )
    home = Home(settings, get_catalog())
    city = populate(home, folder)
    chaoyang = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是"],
    ]
    assert ingest_file(home, write_csv(folder / "cy.csv", chaoyang), "schools", "110105").report.status == "committed"
    with session_scope(home.engine) as session:
        for username, (role, org) in MORE_USERS.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, [])
            user = identity.get_user(session, username)
            city.tokens[username] = tokens.issue_tokens(
                session, home.settings, identity.principal_of(session, user)
            ).access_token
    return city


@pytest.fixture(params=BACKENDS)
def scity(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ApiCity]:
    """A fresh smart-campus city on each operational database (SQLite, and PostgreSQL when configured)."""
    url, schema = backend_url(request.param, tmp_path)
    city = build_smart_campus_city(tmp_path, url)
    with city.client:
        yield city
    city.home.engine.dispose()
    drop_schema(schema)
