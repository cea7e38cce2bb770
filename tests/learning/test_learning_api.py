"""``/api/v1/learning``: typed JSON for the allowed, the one error shape (403) for everyone else."""

from __future__ import annotations

import pytest

from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.synth.learning_records import PLANTED_WEAK
from tests.api.conftest import assert_error
from tests.conftest import CLASS
from tests.learning.conftest import OTHER_PUPILS, PUPILS, PURPOSE, LearningCity

API = "/api/v1/learning"


def _get(learning: LearningCity, user: str, path: str, **params: str):  # type: ignore[no-untyped-def]
    return learning.city.client.get(API + path, params=params, headers=learning.city.auth(user))


def test_the_class_heat_map_as_json(learning: LearningCity) -> None:
    response = _get(learning, "teacher", "/mastery/class", class_id=CLASS, purpose=PURPOSE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"class_id", "school_code", "thresholds", "points", "learners", "summary", "ignored", "small_cell_min"}  # fmt: skip
    assert body["thresholds"] == {"mastered": 0.95, "weak": 0.6}
    assert len(body["learners"]) == 4 and all(len(r["cells"]) == len(body["points"]) for r in body["learners"])
    assert not any(s in response.text for s in PUPILS)
    assert _get(learning, "teacher", "/classes", purpose=PURPOSE).json() == [CLASS]


def test_a_pupil_and_a_parent_read_their_own(learning: LearningCity) -> None:
    key = pseudonym_key(learning.home.settings)
    own = _get(learning, "pupil0", "/mastery/learner")
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["pseudonym"] == pseudonym(PUPILS[0], "student", key)
    weak = next(r for r in body["recommendations"] if r["point"]["id"] == PLANTED_WEAK)
    assert weak["reason"] == "weak" and weak["resources"] and weak["why_zh"] and weak["why_en"]
    assert [d["id"] for d in body["domains"]] == ["NA", "GG", "SP", "IP"]
    children = _get(learning, "parent1", "/learners").json()
    assert [c["pseudonym"] for c in children] == [pseudonym(PUPILS[1], "student", key)]


@pytest.mark.parametrize(
    ("user", "path", "params"),
    [
        ("teacher_other_class", "/mastery/class", {"class_id": CLASS, "purpose": PURPOSE}),
        ("teacher_other_school", "/mastery/class", {"class_id": CLASS, "purpose": PURPOSE}),
        ("haidian", "/mastery/class", {"class_id": CLASS, "purpose": PURPOSE}),
        ("citizen", "/mastery/class", {"class_id": CLASS, "purpose": PURPOSE}),
        ("parent1", "/mastery/class", {"class_id": CLASS}),
        ("teacher", "/mastery/class", {"class_id": CLASS}),  # no purpose
        ("parent_other", "/mastery/learner", {"pseudonym": "OWN0"}),
        ("pupil0", "/mastery/learner", {"pseudonym": "OWN1"}),
        ("teacher_other_school", "/mastery/learner", {"pseudonym": "OWN0", "purpose": PURPOSE}),
    ],
)
def test_everyone_else_gets_403(learning: LearningCity, user: str, path: str, params: dict[str, str]) -> None:
    key = pseudonym_key(learning.home.settings)
    params = {k: pseudonym(PUPILS[int(v[-1])], "student", key) if v.startswith("OWN") else v for k, v in params.items()}
    response = _get(learning, user, path, **params)
    assert_error(response, 403)
    assert not any(s in response.text for s in PUPILS + OTHER_PUPILS)


def test_the_catalog_is_public_to_users_and_the_schema_is_typed(learning: LearningCity) -> None:
    body = _get(learning, "citizen", "/knowledge-points").json()
    assert len(body["points"]) >= 30 and body["points"][0]["bkt"] == {"prior": 0.4, "learn": 0.15, "guess": 0.2, "slip": 0.1}  # fmt: skip
    schema = learning.city.client.get("/openapi.json").json()
    ref = schema["paths"][f"{API}/mastery/class"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref["$ref"].endswith("/ClassMastery")
    assert "LearnerMastery" in schema["components"]["schemas"]
    assert learning.city.client.get(f"{API}/mastery/learner").status_code == 401
