"""The governed facade: who sees which pupil's mastery, masked, audited; attackers see nothing and infer nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from edubrain.governance.audit import AuditEvent
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.governance.scope import AccessDenied
from edubrain.learning import class_mastery, classes, learner_choices, learner_mastery, may_view_class, may_view_own
from edubrain.store.db import session_scope
from edubrain.synth.learning_records import PLANTED_WEAK
from tests.api.conftest import OTHER_CLASS
from tests.conftest import CLASS
from tests.learning.conftest import OTHER_PUPILS, PUPILS, PURPOSE, LearningCity


def _p(city: LearningCity, student_id: str) -> str:
    return pseudonym(student_id, "student", pseudonym_key(city.home.settings))


def test_the_teacher_sees_its_class_masked_with_the_planted_weak_point(learning: LearningCity) -> None:
    found = class_mastery(learning.home, learning.who("teacher"), CLASS, PURPOSE)
    assert {r.pseudonym for r in found.learners} == {_p(learning, s) for s in PUPILS}
    assert all(r.name and "*" in r.name for r in found.learners)  # masked as the profile pickers do
    text = found.model_dump_json()
    assert not any(s in text for s in PUPILS + OTHER_PUPILS)  # never a 学籍号
    first = next(r for r in found.learners if r.pseudonym == _p(learning, PUPILS[0]))
    cell = next(c for c in first.cells if c.point == PLANTED_WEAK)
    assert cell.status == "weak" and cell.attempts == 6
    assert all(p.grade <= 2 for p in found.points) and len(found.points) == 12
    assert all(s.learners == 4 and s.suppressed is None for s in found.summary)  # its own class: every value


def test_class_and_learner_reads_are_audited_with_the_declared_purpose(learning: LearningCity) -> None:
    class_mastery(learning.home, learning.who("teacher"), CLASS, PURPOSE)
    with session_scope(learning.home.engine) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "lrs_read").order_by(AuditEvent.seq)))  # fmt: skip
    last = events[-1]
    assert last.actor_role == "teacher" and last.purpose == PURPOSE and last.minors
    assert not any(s in json.dumps(last.detail) for s in PUPILS)
    learner_mastery(learning.home, learning.who("pupil0"))
    with session_scope(learning.home.engine) as session:
        mine = session.scalars(select(AuditEvent).where(AuditEvent.action == "lrs_read").order_by(AuditEvent.seq.desc())).first()  # fmt: skip
    assert mine is not None and mine.purpose == "self_access" and mine.actor_role == "student"


def test_staff_must_declare_a_purpose(learning: LearningCity) -> None:
    with pytest.raises(AccessDenied) as caught:
        class_mastery(learning.home, learning.who("teacher"), CLASS, None)
    assert caught.value.details.get("purpose_required")


def test_a_student_sees_itself_and_a_parent_its_child_only(learning: LearningCity) -> None:
    own = learner_mastery(learning.home, learning.who("pupil0"))
    assert own.pseudonym == _p(learning, PUPILS[0])
    assert any(r.point.id == PLANTED_WEAK and r.reason == "weak" for r in own.recommendations)
    child = learner_mastery(learning.home, learning.who("parent1"))
    assert child.pseudonym == _p(learning, PUPILS[1])
    assert sum(d.answered for d in child.domains) == 12
    for who, other in (("pupil0", PUPILS[1]), ("parent1", PUPILS[0]), ("parent_other", PUPILS[1])):
        with pytest.raises(AccessDenied) as known:
            learner_mastery(learning.home, learning.who(who), _p(learning, other))
        with pytest.raises(AccessDenied) as unknown:
            learner_mastery(learning.home, learning.who(who), "P" + "A" * 20)
        assert known.value.en.replace(_p(learning, other), "X") == unknown.value.en.replace("P" + "A" * 20, "X")


@pytest.mark.parametrize("attacker", ["teacher_other_class", "teacher_other_school", "school2"])
def test_staff_outside_the_class_cannot_open_it_nor_its_pupils(learning: LearningCity, attacker: str) -> None:
    """Same error for the class as for a class that does not exist: no mastery, no aggregate, no existence."""
    who = learning.who(attacker)
    with pytest.raises(AccessDenied) as real:
        class_mastery(learning.home, who, CLASS, PURPOSE)
    with pytest.raises(AccessDenied) as made_up:
        class_mastery(learning.home, who, "C-NONE", PURPOSE)
    assert real.value.en.replace(CLASS, "X") == made_up.value.en.replace("C-NONE", "X")
    assert CLASS not in classes(learning.home, who, PURPOSE)
    with pytest.raises(AccessDenied):
        learner_mastery(learning.home, who, _p(learning, PUPILS[0]), purpose=PURPOSE)
    assert _p(learning, PUPILS[0]) not in {c.pseudonym for c in learner_choices(learning.home, who, PURPOSE)}


def test_the_other_schools_teacher_sees_only_its_own_class(learning: LearningCity) -> None:
    found = class_mastery(learning.home, learning.who("teacher_other_school"), OTHER_CLASS, PURPOSE)
    assert {r.pseudonym for r in found.learners} == {_p(learning, s) for s in OTHER_PUPILS}
    assert classes(learning.home, learning.who("teacher_other_school"), PURPOSE) == [OTHER_CLASS]


@pytest.mark.parametrize("outsider", ["haidian", "city", "citizen"])
def test_district_city_and_public_read_no_mastery(learning: LearningCity, outsider: str) -> None:
    who = learning.who(outsider)
    assert not may_view_class(learning.home, who) and not may_view_own(learning.home, who)
    with pytest.raises(AccessDenied):
        class_mastery(learning.home, who, CLASS, PURPOSE)
    with pytest.raises(AccessDenied):
        learner_mastery(learning.home, who, _p(learning, PUPILS[0]), purpose=PURPOSE)


def test_families_do_not_get_the_class_page_and_staff_not_the_family_page(learning: LearningCity) -> None:
    home = learning.home
    assert may_view_own(home, learning.who("pupil0")) and not may_view_class(home, learning.who("pupil0"))
    assert may_view_own(home, learning.who("parent1")) and not may_view_class(home, learning.who("parent1"))
    assert may_view_class(home, learning.who("teacher")) and not may_view_own(home, learning.who("teacher"))
    assert may_view_class(home, learning.who("school1"))
    with pytest.raises(AccessDenied):
        class_mastery(home, learning.who("parent1"), CLASS, PURPOSE)


def test_the_teacher_drills_down_to_one_pupil(learning: LearningCity) -> None:
    found = learner_mastery(learning.home, learning.who("teacher"), _p(learning, PUPILS[0]), purpose=PURPOSE, class_id=CLASS)  # fmt: skip
    own = learner_mastery(learning.home, learning.who("pupil0"))
    assert found.model_dump(exclude={"name"}) == own.model_dump(exclude={"name"})
