"""``/api/v1/training``: coverage and the action list over REST, and who may not read them (red team)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity, assert_error, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, SCHOOL, student_rows
from tests.training.conftest import submit_training_city

BASE = "/api/v1/training"


@pytest.fixture(scope="module", params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCity]:
    """The API city (users per role) with the training city submitted, and a parent of a pupil of SCHOOL."""
    folder = tmp_path_factory.mktemp("training-api")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    city = populate(home, folder)
    submit_training_city(home, folder)
    pupil = str(student_rows(1, SCHOOL, CLASS, 0)[1][0])
    with session_scope(home.engine) as session:
        identity.add_user(session, "parent", "correct horse battery staple", SCHOOL)
        identity.grant(session, "parent", "parent", SCHOOL, [pupil])
        principal = identity.principal_of(session, identity.get_user(session, "parent"))
        city.tokens["parent"] = tokens.issue_tokens(session, home.settings, principal).access_token
    with city.client:
        yield city
    home.engine.dispose()
    drop_schema(schema)


def test_training_api_district_gets_its_list_with_names(api: ApiCity) -> None:
    response = api.client.get(f"{BASE}/at-risk", params={"district": "110108"}, headers=api.auth("haidian"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["year"], body["count"]) == (2025, 2)
    assert [(p["teacher_id"], p["name"], p["hours_needed"]) for p in body["people"]] == [
        ("T110800001", "张校长", 28.0),
        ("T110800004", "赵老师", 67.0),
    ]


def test_training_api_list_downloads_as_csv(api: ApiCity) -> None:
    response = api.client.get(f"{BASE}/at-risk", params={"format": "csv"}, headers=api.auth("school1"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["teacher_id"], r["name"], r["school_code"]) for r in rows] == [("T110800001", "张校长", SCHOOL)]


def test_training_api_coverage_per_organisation(api: ApiCity) -> None:
    response = api.client.get(f"{BASE}/coverage", params={"year": 2024}, headers=api.auth("analyst"))
    assert response.status_code == 200, response.text
    body = response.json()
    city = next(r for r in body["rows"] if r["level"] == "city" and r["role"] == "principal")
    assert (body["year"], city["people"], city["missed"], city["met_share"]) == (2024, 3, 1, pytest.approx(2 / 3))
    assert body["targets"][0]["quote"].endswith("三年实现全覆盖。")


@pytest.mark.parametrize(
    ("user", "params"),
    [
        ("chaoyang", {"district": "110108"}),  # another district's user
        ("chaoyang", {"school": SCHOOL}),
        ("school2", {"school": SCHOOL}),  # another school's user
        ("school1", {"district": "110108"}),
        ("teacher", {}),  # a teacher
        ("parent", {}),  # a parent
        ("citizen", {}),
    ],
)
@pytest.mark.parametrize("path", ["at-risk", "coverage"])
def test_training_api_refuses_readers_outside_the_scope(
    api: ApiCity, user: str, params: dict[str, str], path: str
) -> None:
    for fmt in ({}, {"format": "csv"}) if path == "at-risk" else ({},):
        response = api.client.get(f"{BASE}/{path}", params={**params, **fmt}, headers=api.auth(user))
        error = assert_error(response, 403, "access_denied")
        assert "T1108" not in response.text and "张校长" not in response.text, error


def test_training_api_needs_a_caller(api: ApiCity) -> None:
    assert_error(api.client.get(f"{BASE}/at-risk"), 401)


def test_training_api_other_school_sees_only_its_staff(api: ApiCity) -> None:
    response = api.client.get(f"{BASE}/at-risk", headers=api.auth("school2"))
    assert [p["teacher_id"] for p in response.json()["people"]] == ["T110800004"]
    response = api.client.get(f"{BASE}/at-risk", params={"school": OTHER_SCHOOL}, headers=api.auth("school2"))
    assert response.status_code == 200
