"""A credit-bank city for the service tests: two learners, reviewers of two institutions, a city administrator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.credit_bank import service as bank
from edubrain.governance import identity, tokens
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.db import session_scope
from edubrain.store.orgs import seed_organisations
from tests.api.conftest import PASSWORD, backend_url, drop_schema
from tests.conftest import BACKENDS

INSTITUTION = "110108"
OTHER_INSTITUTION = "110105"
USERS = {
    "city": ("city_admin", "110000"),
    "ann": ("learner", "110000"),
    "bo": ("learner", "110000"),
    "rev": ("credit_reviewer", INSTITUTION),
    "rev2": ("credit_reviewer", OTHER_INSTITUTION),
    "dist": ("district_admin", INSTITUTION),
}
COURSE = {"kind": "course", "formality": "non_formal", "setting": "out_of_school", "title": "数据分析基础",
          "provider": "市社区学院", "credits": 4, "completed_on": "2025-06-30", "code": "DA101", "category": "major"}  # fmt: skip


@dataclass
class Bank:
    """A home with users, their principals and tokens, and the learners' account ids."""

    home: Home
    principals: dict[str, Principal] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


def build_bank(folder: Path, url: str) -> Bank:
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    bank_city = Bank(home)
    with session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
        for username, (role, org) in USERS.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, [])
        for username in USERS:
            principal = identity.principal_of(session, identity.get_user(session, username))
            bank_city.principals[username] = principal
            bank_city.tokens[username] = tokens.issue_tokens(session, home.settings, principal).access_token
    city = bank_city.principals["city"]
    bank_city.accounts["ann"] = bank.open_account(
        home, city, "安一", username="ann", student_number="G110108201503151234"
    ).id
    bank_city.accounts["bo"] = bank.open_account(home, city, "薄二", username="bo").id
    return bank_city


@pytest.fixture(params=BACKENDS)
def bank_city(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Bank]:
    """A fresh credit-bank city on each operational database."""
    url, schema = backend_url(request.param, tmp_path)
    found = build_bank(tmp_path, url)
    yield found
    found.home.engine.dispose()
    drop_schema(schema)
