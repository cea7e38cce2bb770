"""``make demo``'s learning records: the demo teacher's class gets answers through the LRS, once, whatever reruns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.governance.identity import Principal
from edubrain.home import Home
from edubrain.learning import class_mastery, learner_mastery
from edubrain.store.db import session_scope
from edubrain.synth.demo import create_demo_accounts
from edubrain.synth.learning_records import write_demo_class
from tests.api.conftest import backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS
from tests.learning.conftest import PURPOSE


@pytest.fixture(scope="module", params=BACKENDS)
def demo_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    folder = tmp_path_factory.mktemp("learning-demo")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    city = populate(home, folder / "files")
    with city.client:
        create_demo_accounts(home, "demo-password-learning-1")
        yield home
    home.engine.dispose()
    drop_schema(schema)


def _who(home: Home, username: str) -> Principal:
    with session_scope(home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, username))


def test_the_demo_teacher_and_student_see_the_written_answers_and_a_rerun_adds_none(demo_home: Home) -> None:
    klass, stored = write_demo_class(demo_home)
    assert klass == CLASS and stored == 4 * 12 * 6  # 4 pupils, 12 points of grades 1–2, 6 answers each
    found = class_mastery(demo_home, _who(demo_home, "demo_teacher"), klass, PURPOSE)
    assert len(found.learners) == 4 and all(c.attempts == 6 for r in found.learners for c in r.cells)
    write_demo_class(demo_home)  # the same ids and statements: stored once
    again = class_mastery(demo_home, _who(demo_home, "demo_teacher"), klass, PURPOSE)
    assert again.model_dump() == found.model_dump()
    own = learner_mastery(demo_home, _who(demo_home, "demo_student"))
    assert sum(d.answered for d in own.domains) == 12
