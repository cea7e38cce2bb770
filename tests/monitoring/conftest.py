"""Monitoring fixtures: the API city (two Haidian schools, users per role) with a Chaoyang school and two years of
infrastructure reports, submitted as real batches so the post-commit derivation computes ``monitoring_indicators``.

The reported values are chosen so every indicator's value is known: see :data:`INFRASTRUCTURE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.api.conftest import PASSWORD, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL, write_csv

INFRA_HEADER = [
    "school_code", "school_year", "internet_bandwidth_mbps", "class_bandwidth_mbps", "wireless_coverage_pct",
    "teacher_terminals", "student_terminals", "smart_classrooms",
]  # fmt: skip
INFRASTRUCTURE = [
    [SCHOOL, 2024, 500, 50, 90, 10, 20, 0],
    [SCHOOL, 2025, 1000, 100, 100, 12, 30, 1],
    [OTHER_SCHOOL, 2025, 10000, 100, 95.5, 8, 10, 1],
    [CHAOYANG_SCHOOL, 2025, 100, 20, 80, 6, 4, 0],
]
"""Reported infrastructure: the first school short of every network target in 2024 and meeting them in 2025."""
MORE_USERS = {"cyschool": ("school_admin", CHAOYANG_SCHOOL, ()), "pupil": ("student", SCHOOL, ("G0",))}


def build_monitoring_city(folder: Path, database_url: str | None = None) -> ApiCity:
    """The API city of :func:`tests.api.conftest.populate` with a Chaoyang school and :data:`INFRASTRUCTURE`."""
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
    infra = write_csv(folder / "infra.csv", [INFRA_HEADER, *INFRASTRUCTURE])
    assert ingest_file(home, infra, "school_infrastructure", "110000").report.status == "committed"
    with session_scope(home.engine) as session:
        for username, (role, org, refs) in MORE_USERS.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, list(refs))
            user = identity.get_user(session, username)
            city.tokens[username] = tokens.issue_tokens(
                session, home.settings, identity.principal_of(session, user)
            ).access_token
    return city


@pytest.fixture(scope="module", params=BACKENDS)
def mcity(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCity]:
    """The monitoring city on each operational database (SQLite, and PostgreSQL when configured)."""
    folder = tmp_path_factory.mktemp("monitoring-api")
    url, schema = backend_url(request.param, folder)
    city = build_monitoring_city(folder, url)
    with city.client:
        yield city
    city.home.engine.dispose()
    drop_schema(schema)
