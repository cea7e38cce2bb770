"""Public-service fixtures: the API city (Haidian and Chaoyang administrators, the city, a citizen) with a Haidian
analyst and an auditor, on each operational database; helpers to get principals and file cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.governance import identity, tokens
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.api.conftest import PASSWORD, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS

MORE_USERS = {"hdanalyst": ("district_analyst", "110108"), "auditor": ("auditor", "110000")}
HAIDIAN_TEXT = "我叫张三，电话13812345678，海淀区某小学食堂饭菜不卫生，孩子吃完午饭腹泻，希望尽快处理。"
CHAOYANG_TEXT = "朝阳区一所中学的老师体罚学生，还在家长群里公开成绩排名，请相关部门核实。"


def build_city(folder: Path, database_url: str) -> ApiCity:
    """The API city of :func:`tests.api.conftest.populate` and :data:`MORE_USERS`."""
    from edubrain.catalog import get_catalog
    from edubrain.config import Settings

    home = Home(Settings(home=folder / "home", database_url=database_url), get_catalog())
    city = populate(home, folder)
    with session_scope(home.engine) as session:
        for username, (role, org) in MORE_USERS.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, [])
            user = identity.get_user(session, username)
            city.tokens[username] = tokens.issue_tokens(
                session, home.settings, identity.principal_of(session, user)
            ).access_token
    return city


def principal(home: Home, username: str) -> Principal:
    """The principal of a stored user."""
    with session_scope(home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, username))


@pytest.fixture(params=BACKENDS)
def pcity(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ApiCity]:
    """A fresh city on each operational database (SQLite, and PostgreSQL when configured)."""
    url, schema = backend_url(request.param, tmp_path)
    city = build_city(tmp_path, url)
    with city.client:
        yield city
    city.home.engine.dispose()
    drop_schema(schema)
