"""A small synthetic city for the early warning: Haidian at 1 % scale, two school years, loaded through the exchange.

The generator plants pupils at risk and distractors in the last year and writes the truth beside the files
(:mod:`edubrain.synth.at_risk`); the load's post-commit derivation writes ``student_risk_flags``. The city is
generated once per session and loaded once per operational database (SQLite, and PostgreSQL when configured).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from edubrain.api.app import create_app
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity, tokens
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.at_risk import read_truth
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.api.conftest import backend_url, drop_schema
from tests.conftest import BACKENDS

DISTRICT = "110108"
LOADED = (
    "schools", "classes", "students", "teachers", "teacher_assignments", "exam_scores", "fitness_tests",
    "student_status_changes", "student_conduct", "student_attendance",
)  # fmt: skip
PASSWORD = "correct horse battery staple"


@dataclass
class RiskCity:
    """The loaded city, its truth, a teacher's class with flagged pupils, and an API client with users."""

    home: Home
    truth: pl.DataFrame
    root: Path
    school: str
    other_school: str
    class_id: str
    other_class: str
    client: TestClient
    tokens: dict[str, str]

    def pseudonym_of(self, student_id: str) -> str:
        """The keyed pseudonym of a student number in this home."""
        return pseudonym(student_id, "student", pseudonym_key(self.home.settings))

    def auth(self, user: str) -> dict[str, str]:
        """The Authorization header of ``user``."""
        return {"Authorization": f"Bearer {self.tokens[user]}"}


def principal(role: str, org: str, level: str, refs: tuple[str, ...] = ()) -> Principal:
    """A principal with one grant."""
    return Principal(
        id=f"t-{role}-{org}-{'-'.join(refs)}", name=f"{role}@{org}", grants=(Grant(role, org, level, refs),)
    )


@pytest.fixture(scope="session")
def generated_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated files (once per session), with the manifest cut to the datasets the flags need."""
    root = tmp_path_factory.mktemp("at-risk-city")
    config = SynthConfig(
        scale=0.01,
        seed=18,
        years=2,
        out=root,
        districts=(DISTRICT,),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    manifest = generate(config)
    manifest.filter(pl.col("dataset").is_in(list(LOADED))).write_csv(root / "manifest.csv")
    return root


def _users(home: Home, city: dict[str, tuple[str, str, list[str]]]) -> dict[str, str]:
    issued = {}
    with db.session_scope(home.engine) as session:
        for username, (role, org, refs) in city.items():
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, refs)
            found = identity.principal_of(session, identity.get_user(session, username))
            issued[username] = tokens.issue_tokens(session, home.settings, found).access_token
    return issued


@pytest.fixture(scope="module", params=BACKENDS)
def risk_city(
    request: pytest.FixtureRequest, generated_city: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RiskCity]:
    """The city loaded on one operational database, with users per role."""
    folder = tmp_path_factory.mktemp("at-risk-home")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, generated_city, "bulk").rejected == []
    truth = read_truth(generated_city)
    at_risk = truth.filter(pl.col("at_risk"))
    busiest = at_risk.group_by("school_code", "class_id").len().sort("len", "class_id", descending=[True, False])
    school, class_id = busiest.row(0)[:2]
    others = truth.filter(pl.col("school_code") == school, pl.col("class_id") != class_id, pl.col("at_risk"))
    other_class = str(others.get_column("class_id").sort()[0])
    other_school = str(truth.filter(pl.col("school_code") != school).get_column("school_code").sort()[0])
    users = {
        "teacher": ("teacher", school, [class_id]), "other_teacher": ("teacher", school, [other_class]),
        "school": ("school_admin", school, []), "other_school": ("school_admin", other_school, []),
        "district": ("district_admin", DISTRICT, []), "chaoyang": ("district_admin", "110105", []),
        "city": ("city_admin", "110000", []),
        "parent": ("parent", school, [str(at_risk.filter(pl.col("class_id") == class_id)["student_id"][0])]),
    }  # fmt: skip
    client = TestClient(create_app(home))
    city = RiskCity(
        home, truth, generated_city, school, other_school, class_id, other_class, client, _users(home, users)
    )
    with client:
        yield city
    home.engine.dispose()
    drop_schema(schema)
