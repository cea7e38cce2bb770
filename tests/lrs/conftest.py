"""LRS fixtures: the API city (two Haidian schools with pupils) plus school node keys, a pupil and a parent."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.lrs.agents import LEARNER_HOMEPAGE
from edubrain.store.db import session_scope
from tests.api.conftest import OTHER_CLASS, PASSWORD, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, SCHOOL, student_rows

PUPILS = [str(row[0]) for row in student_rows(4, SCHOOL, CLASS, 0)[1:]]
"""The pupils of SCHOOL (class CLASS), as stored by ``populate``."""
OTHER_PUPILS = [str(row[0]) for row in student_rows(3, OTHER_SCHOOL, OTHER_CLASS, 10)[1:]]
V1 = {"X-Experience-API-Version": "1.0.3"}
V2 = {"X-Experience-API-Version": "2.0.0"}
VERB = "http://adlnet.gov/expapi/verbs/completed"
ACTIVITY = "https://edubrain.example/activities/math-unit-1"


@dataclass
class Lrs:
    """The API city with credentials for the LRS."""

    city: ApiCity
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def client(self) -> TestClient:
        return self.city.client

    @property
    def home(self) -> Home:
        return self.city.home

    def auth(self, who: str, version: dict[str, str] = V1) -> dict[str, str]:
        """Headers of ``who``: a school key (``app1``, ``app2``), ``basic1`` (HTTP Basic) or an API user."""
        if who == "basic1":
            raw = base64.b64encode(f"app:{self.keys['app1']}".encode()).decode()
            return {"Authorization": f"Basic {raw}", **version}
        token = self.keys.get(who) or self.city.tokens[who]
        return {"Authorization": f"Bearer {token}", **version}

    def post(self, who: str, body: Any, version: dict[str, str] = V1):  # type: ignore[no-untyped-def]
        return self.client.post("/xAPI/statements", json=body, headers=self.auth(who, version))

    def get(self, who: str, version: dict[str, str] = V1, **params: Any):  # type: ignore[no-untyped-def]
        return self.client.get("/xAPI/statements", params=params, headers=self.auth(who, version))


def pupil(student_id: str, name: str | None = None) -> dict[str, Any]:
    """The actor of a platform pupil."""
    agent: dict[str, Any] = {"objectType": "Agent", "account": {"homePage": LEARNER_HOMEPAGE, "name": student_id}}
    if name:
        agent["name"] = name
    return agent


def statement(actor: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A valid statement (a pupil of SCHOOL completed a unit), with ``extra`` properties."""
    body: dict[str, Any] = {
        "actor": actor or pupil(PUPILS[0], "测试0"),
        "verb": {"id": VERB, "display": {"zh-CN": "完成", "en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {"name": {"zh-CN": "第一单元", "en-US": "Unit 1"}},
        },  # fmt: skip
    }
    return body | extra


def new_id() -> str:
    return str(uuid.uuid4())


def _credentials(city: ApiCity) -> Lrs:
    lrs = Lrs(city)
    with session_scope(city.home.engine) as session:
        _, lrs.keys["app1"] = tokens.create_api_key(session, "school1-app", SCHOOL)
        _, lrs.keys["app2"] = tokens.create_api_key(session, "school2-app", OTHER_SCHOOL)
        for username, role_id, refs in (("pupil0", "student", [PUPILS[0]]), ("parent1", "parent", [PUPILS[1]]), ("teacher2", "teacher", ["C2025Z"])):  # fmt: skip
            identity.add_user(session, username, PASSWORD, SCHOOL)
            identity.grant(session, username, role_id, SCHOOL, refs)
            user = identity.principal_of(session, identity.get_user(session, username))
            lrs.keys[username] = tokens.issue_tokens(session, city.home.settings, user).access_token
    return lrs


@pytest.fixture(scope="module", params=BACKENDS)
def lrs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    """A populated city with LRS credentials, shared by a module's tests (each uses its own ids and activities)."""
    folder = tmp_path_factory.mktemp("lrs")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    city = populate(home, folder / "files")
    with city.client:
        yield _credentials(city)
    home.engine.dispose()
    drop_schema(schema)
