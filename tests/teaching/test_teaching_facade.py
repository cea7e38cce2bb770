"""The governed teaching facade on the tiny city: derivations ran, scope by school, unknown exam ids, roles."""

from __future__ import annotations

import pytest

from edubrain.governance.readpath import AccessDenied
from edubrain.home import Home
from edubrain.teaching import ExamNotFound, exam_items, exams, item_options, school_effects
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.teaching.conftest import (
    CHAOYANG,
    CITY_ANALYST,
    HAIDIAN,
    OTHER_ADMIN,
    PARENT,
    SCHOOL_ADMIN,
    TEACHER,
    exam_id,
)


def test_teaching_the_derivations_wrote_statistics_and_effects_after_the_sessions(teaching_home: Home) -> None:
    for dataset in ("exam_item_statistics", "exam_item_options", "school_value_added"):
        assert teaching_home.lake.version(dataset) is not None, dataset
    found = exams(teaching_home, CITY_ANALYST)
    assert sorted(e.exam_id for e in found) == sorted(exam_id(s) for s in (SCHOOL, OTHER_SCHOOL, CHAOYANG_SCHOOL))
    assert all(e.persons == 60 and e.items == 20 and e.alpha is not None and e.alpha > 0.6 for e in found)


def test_teaching_planted_bad_items_are_flagged_with_reasons(teaching_home: Home) -> None:
    found = exam_items(teaching_home, SCHOOL_ADMIN, exam_id(SCHOOL))
    by_no = {i.item_no: i for i in found.items}
    assert "negative_discrimination" in by_no[7].flags and by_no[7].discrimination < 0
    assert any("区分度为负" in r for r in by_no[7].reasons_zh) and by_no[7].reasons_en
    options = item_options(teaching_home, SCHOOL_ADMIN, exam_id(SCHOOL), 11)
    lure = next(o for o in options.options if o.option == "C")
    assert not lure.is_key and lure.rate_upper > lure.rate_lower and lure.flag == "distractor_positive"
    assert found.kr20 is None and found.alpha_lower is not None and found.alpha_lower < found.exam.alpha
    assert len(found.items) == 20 and by_no[15].item_type == "2" and by_no[15].key is None


def test_teaching_school_sees_only_its_exams_and_another_schools_id_answers_as_unknown(teaching_home: Home) -> None:
    assert [e.exam_id for e in exams(teaching_home, SCHOOL_ADMIN)] == [exam_id(SCHOOL)]
    assert exams(teaching_home, SCHOOL_ADMIN, school=OTHER_SCHOOL) == ()
    with pytest.raises(ExamNotFound) as other:
        exam_items(teaching_home, SCHOOL_ADMIN, exam_id(OTHER_SCHOOL))
    with pytest.raises(ExamNotFound) as unknown:
        exam_items(teaching_home, SCHOOL_ADMIN, "IA999999999920251514")
    for lang in ("zh", "en"):  # the same answer, up to the id asked for
        assert other.value.message(lang).replace(exam_id(OTHER_SCHOOL), "X") == unknown.value.message(lang).replace(
            "IA999999999920251514", "X"
        )
    with pytest.raises(ExamNotFound):
        item_options(teaching_home, OTHER_ADMIN, exam_id(SCHOOL), 11)


def test_teaching_district_sees_its_schools_exams_not_another_districts(teaching_home: Home) -> None:
    assert sorted(e.school_code for e in exams(teaching_home, HAIDIAN)) == [SCHOOL, OTHER_SCHOOL]
    with pytest.raises(ExamNotFound):
        exam_items(teaching_home, HAIDIAN, exam_id(CHAOYANG_SCHOOL))
    assert [e.school_code for e in exams(teaching_home, CHAOYANG)] == [CHAOYANG_SCHOOL]


@pytest.mark.parametrize("who", [TEACHER, PARENT], ids=["teacher", "parent"])
def test_teaching_teachers_and_parents_read_neither(teaching_home: Home, who: object) -> None:
    with pytest.raises(AccessDenied):
        exams(teaching_home, who)  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        school_effects(teaching_home, who)  # type: ignore[arg-type]


def test_teaching_value_added_orders_planted_effects_and_scopes_them(teaching_home: Home) -> None:
    city = school_effects(teaching_home, CITY_ANALYST)
    assert (city.school_year, city.subject, city.years) == (2025, "14", (2025,))
    effects = {s.school_code: s for s in city.schools}
    assert effects[SCHOOL].effect > effects[OTHER_SCHOOL].effect > effects[CHAOYANG_SCHOOL].effect
    assert effects[SCHOOL].position == "above" and effects[CHAOYANG_SCHOOL].position == "below"
    assert all(s.lower < s.effect < s.upper and s.students == 60 for s in city.schools)
    assert city.model_students == 180 and city.model_schools == 3 and 0.5 < (city.prior_slope or 0) < 0.9
    assert "不得据此排名" in city.warning_zh and "must not be ranked" in city.warning_en
    assert {s.school_code for s in school_effects(teaching_home, HAIDIAN).schools} == {SCHOOL, OTHER_SCHOOL}
    own = school_effects(teaching_home, SCHOOL_ADMIN)
    assert [s.school_code for s in own.schools] == [SCHOOL] and own.overlapping_pairs is None
