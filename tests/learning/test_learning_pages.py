"""The learning pages: navigation only for those who can use them, the heat map, the learner page, zh and en."""

from __future__ import annotations

import re

import pytest

from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.synth.learning_records import PLANTED_WEAK
from tests.api.conftest import PASSWORD
from tests.conftest import CLASS
from tests.learning.conftest import PUPILS, PURPOSE, LearningCity
from tests.web.conftest import login

NAV = {"/learning/mastery": "nav-learning-class", "/learning/me": "nav-learning-own"}


def _client(learning: LearningCity, user: str):  # type: ignore[no-untyped-def]
    return login(learning.city.client.app, user, PASSWORD)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("user", "links"),
    [("teacher", {"/learning/mastery"}), ("school1", {"/learning/mastery"}), ("pupil0", {"/learning/me"}),
     ("parent1", {"/learning/me"}), ("haidian", set()), ("city", set()), ("citizen", set())],
)  # fmt: skip
def test_the_nav_links_only_to_pages_the_user_can_use(learning: LearningCity, user: str, links: set[str]) -> None:
    client = _client(learning, user)
    home = client.get("/").text
    shown = {path for path, anchor in NAV.items() if f'id="{anchor}"' in home}
    assert shown == links
    for path in NAV:  # every link shown opens; every other one is refused
        status = client.get(path).status_code
        assert (status == 200) == (path in links), (path, status)


def test_the_teacher_chooses_a_purpose_then_sees_the_heat_map(learning: LearningCity) -> None:
    client = _client(learning, "teacher")
    first = client.get("/learning/mastery").text
    assert 'id="learning-purpose-first"' in first and "learning-heatmap" not in first
    page = client.get("/learning/mastery", params={"purpose": PURPOSE, "class_id": CLASS}).text
    assert page.count("<tr data-learner=") == 4
    assert page.count('class="lrn-cell') == 4 * 12 and 'id="learning-legend"' in page
    assert f'data-point="{PLANTED_WEAK}" data-status="weak"' in page
    assert "测**" in page and not any(s in page for s in PUPILS)
    assert "班级知识点掌握度" in page and '{"' not in page.split("<main>")[1]
    english = client.get("/learning/mastery", params={"purpose": PURPOSE, "class_id": CLASS, "lang": "en"}).text
    heading = re.search(r"<h1>(.*?)</h1>", english)
    assert heading and heading.group(1) == "Class mastery of knowledge points"
    assert "Class mean" in english and "Legend" in english
    drill = re.search(r'<a href="(/learning/mastery/learner/[^"]+)"', page)
    assert drill
    pupil = client.get(drill.group(1).replace("&amp;", "&"))
    assert pupil.status_code == 200 and 'id="learning-recommendations"' in pupil.text
    no_purpose = client.get(drill.group(1).split("?")[0])
    assert no_purpose.status_code == 303 and no_purpose.headers["location"] == "/learning/mastery"


def test_the_learner_page_of_a_pupil_and_of_a_parent(learning: LearningCity) -> None:
    own = _client(learning, "pupil0").get("/learning/me").text
    assert "我的学习掌握度" in own and f'data-point="{PLANTED_WEAK}" data-reason="weak"' in own
    assert "数与代数" in own and "推荐资源" not in own.split("<main>")[0]
    child = _client(learning, "parent1").get("/learning/me", params={"lang": "en"}).text
    assert "My child&#39;s learning mastery" in child or "My child's learning mastery" in child
    assert "Number and algebra" in child


def test_attackers_get_refusals_and_no_data(learning: LearningCity) -> None:
    key = pseudonym_key(learning.home.settings)
    other_child = pseudonym(PUPILS[1], "student", key)
    assert _client(learning, "parent_other").get("/learning/me", params={"pseudonym": other_child}).status_code == 403
    assert _client(learning, "pupil0").get("/learning/me", params={"pseudonym": other_child}).status_code == 403
    stranger = _client(learning, "teacher_other_class")
    page = stranger.get("/learning/mastery", params={"purpose": PURPOSE, "class_id": CLASS})
    assert page.status_code == 200 and 'id="learning-no-classes"' in page.text and "lrn-cell" not in page.text
    drill = stranger.get(
        f"/learning/mastery/learner/{pseudonym(PUPILS[0], 'student', key)}", params={"purpose": PURPOSE}
    )
    assert drill.status_code == 403
