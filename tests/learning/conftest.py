"""Learning fixtures: the API city (two Haidian schools with pupils) with synthetic answers stored through the LRS,
and users around the class: its teacher, a teacher of another class of the school, the other school's teacher,
a pupil, its parent, another family's parent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity, tokens
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.synth.learning_records import write_class_records
from tests.api.conftest import OTHER_CLASS, PASSWORD, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, SCHOOL, student_rows

PUPILS = [str(row[0]) for row in student_rows(4, SCHOOL, CLASS, 0)[1:]]
OTHER_PUPILS = [str(row[0]) for row in student_rows(3, OTHER_SCHOOL, OTHER_CLASS, 10)[1:]]
PURPOSE = "teaching"
EXTRA_USERS = {
    "pupil0": ("student", SCHOOL, (PUPILS[0],)),
    "parent1": ("parent", SCHOOL, (PUPILS[1],)),
    "parent_other": ("parent", OTHER_SCHOOL, (OTHER_PUPILS[0],)),
    "teacher_other_class": ("teacher", SCHOOL, ("C2025X",)),
    "teacher_other_school": ("teacher", OTHER_SCHOOL, (OTHER_CLASS,)),
}
"""username -> (role, organisation, refs), besides tests.api.conftest.USERS (teacher = CLASS's teacher)."""


@dataclass
class LearningCity:
    city: ApiCity
    principals: dict[str, Principal]
    stored: int

    @property
    def home(self) -> Home:
        return self.city.home

    def who(self, username: str) -> Principal:
        return self.principals[username]


def build(home: Home, folder) -> LearningCity:  # type: ignore[no-untyped-def]
    city = populate(home, folder)
    principals: dict[str, Principal] = {}
    with session_scope(home.engine) as session:
        for username, (role, org, refs) in EXTRA_USERS.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, list(refs))
            user = identity.principal_of(session, identity.get_user(session, username))
            city.tokens[username] = tokens.issue_tokens(session, home.settings, user).access_token
        for username in ("teacher", "school1", "school2", "haidian", "city", "citizen", *EXTRA_USERS):
            principals[username] = identity.principal_of(session, identity.get_user(session, username))
    stored = write_class_records(home, principals["school1"], PUPILS, seed=7)
    stored += write_class_records(home, principals["school2"], OTHER_PUPILS, seed=8)
    return LearningCity(city, principals, stored)


@pytest.fixture(scope="module", params=BACKENDS)
def learning(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LearningCity]:
    """A populated city with synthetic answers, shared by a module's tests (they only read)."""
    folder = tmp_path_factory.mktemp("learning")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    built = build(home, folder / "files")
    with built.city.client:
        yield built
    home.engine.dispose()
    drop_schema(schema)
