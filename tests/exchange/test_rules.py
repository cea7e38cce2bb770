"""Rules across fields and rows, each with a failing example and a passing neighbour, through ``validate``.

Rules: duplicate_key, reference, scope, id_birth_date, id_sex,
student_number_id, age_for_grade, compare, group_sum_max.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl
import pytest

from edubrain.exchange.report import group_problems
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, national_id
from tests.exchange.conftest import (
    OTHER_CLASS,
    OTHER_TEACHER,
    TEACHER,
    Validator,
    assert_bilingual,
    problems,
    rules_found,
    stored_keys,
    student,
    training,
)

MISSING_SCHOOL = "1101089999"


def _with_students(*student_ids: str) -> Callable[[str, list[str]], pl.DataFrame | None]:
    """A key lookup whose store also holds these students of :data:`SCHOOL`."""
    frame = pl.DataFrame({"student_id": list(student_ids), "school_code": [SCHOOL] * len(student_ids)})

    def keys(dataset: str, fields: list[str]) -> pl.DataFrame | None:
        return frame.select(fields) if dataset == "students" else stored_keys(dataset, fields)

    return keys


# duplicate_key


def test_rules_duplicate_key_reports_every_occurrence_naming_the_first_row(check: Validator) -> None:
    rows = [student(1), student(1), student(2), student(1)]
    v = check("students", rows)
    assert rules_found(v) == {"duplicate_key"}
    found = problems(v)
    key = student(1)["全国学籍号"]
    assert [(p["row"], p["column"], p["value"]) for p in found] == [
        (2, "全国学籍号", key),
        (3, "全国学籍号", key),
        (5, "全国学籍号", key),
    ]
    for p in found:
        assert "出现 3 次（首次在第 2 行）" in p["message_zh"]
        assert "occurs 3 times in the file (first at row 2)" in p["message_en"]
        assert_bilingual(p, list(rows[0]))


def test_rules_distinct_keys_are_not_duplicates(check: Validator) -> None:
    assert problems(check("students", [student(1), student(2), student(3)])) == []


def test_rules_empty_keys_are_required_problems_not_duplicates(check: Validator) -> None:
    v = check("students", [student(1, cells={"全国学籍号": ""}), student(2, cells={"全国学籍号": ""})])
    assert rules_found(v) == {"required"}


def test_rules_composite_key_is_duplicate_only_when_every_part_repeats(check: Validator) -> None:
    sid = "G" + national_id(birth="20190305", seq=1)
    header = ["考试编号", "全国学籍号", "学校标识码", "学年", "学期", "年级", "学科", "成绩", "满分"]
    table: list[list[object]] = [
        header,
        ["E1", sid, SCHOOL, 2025, 1, "11", "11", 90, 100],
        ["E1", sid, SCHOOL, 2025, 1, "11", "12", 80, 100],
        ["E2", sid, SCHOOL, 2025, 1, "11", "11", 70, 100],
        ["E1", sid, SCHOOL, 2025, 1, "11", "11", 95, 100],
    ]
    v = check("exam_scores", table, keys=_with_students(sid))
    found = problems(v)
    assert [(p["row"], p["rule"]) for p in found] == [(2, "duplicate_key"), (5, "duplicate_key")]
    assert found[0]["value"] == "E1"  # the cell of the column named; the message names the whole key
    assert f"主键（考试编号 E1，全国学籍号 {sid}，学科 11）" in found[0]["message_zh"]
    assert f"Primary key (考试编号 E1, 全国学籍号 {sid}, 学科 11)" in found[0]["message_en"]


# reference


def test_rules_reference_flags_a_school_that_is_not_stored(check: Validator) -> None:
    rows = [student(1, cells={"班级编号": ""}), student(2, cells={"学校标识码": MISSING_SCHOOL, "班级编号": ""})]
    v = check("students", rows)
    assert rules_found(v) == {"reference"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "学校标识码", MISSING_SCHOOL)
    assert "schools" in problem["message_en"] and "学校须已登记" in problem["message_zh"]
    assert_bilingual(problem, list(rows[0]))


def test_rules_composite_reference_flags_a_class_of_another_school(check: Validator) -> None:
    rows = [
        student(1, cells={"学校标识码": OTHER_SCHOOL, "班级编号": OTHER_CLASS}),
        student(2, cells={"学校标识码": OTHER_SCHOOL, "班级编号": CLASS}),
    ]
    v = check("students", rows)
    assert rules_found(v) == {"reference"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "班级编号", CLASS)
    assert f"（班级编号 {CLASS}，学校标识码 {OTHER_SCHOOL}）" in problem["message_zh"]
    assert "|" not in problem["message_zh"] + problem["message_en"]
    assert "classes" in problem["message_en"] and "班级须属于本校" in problem["message_zh"]
    assert_bilingual(problem, list(rows[0]))


def test_rules_reference_with_an_empty_part_is_not_checked(check: Validator) -> None:
    assert problems(check("students", [student(1, cells={"班级编号": ""})])) == []


def test_rules_reference_to_a_dataset_with_no_rows_flags_every_row(check: Validator) -> None:
    def no_classes(dataset: str, fields: list[str]) -> pl.DataFrame | None:
        return None if dataset == "classes" else stored_keys(dataset, fields)

    v = check("students", [student(1), student(2)], keys=no_classes)
    assert [(p["row"], p["rule"], p["column"]) for p in problems(v)] == [
        (2, "reference", "班级编号"),
        (3, "reference", "班级编号"),
    ]


def test_rules_one_missing_school_in_many_rows_is_one_problem_group(check: Validator) -> None:
    rows = [student(seq, cells={"学校标识码": MISSING_SCHOOL, "班级编号": ""}) for seq in range(1, 41)]
    groups = group_problems(check("students", rows).problems)
    assert len(groups) == 1
    (group,) = groups
    assert (group.rule, group.column, group.value, group.count) == ("reference", "学校标识码", MISSING_SCHOOL, 40)
    assert group.rows == list(range(2, 12))


# scope


def test_rules_scope_flags_rows_of_an_organisation_outside_the_submitters(check: Validator) -> None:
    rows = [student(1), student(2, cells={"学校标识码": OTHER_SCHOOL, "班级编号": OTHER_CLASS})]
    v = check("students", rows, allowed_orgs=[SCHOOL])
    assert rules_found(v) == {"scope"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "学校标识码", OTHER_SCHOOL)
    assert "test org" in problem["message_en"] and "outside the scope" in problem["message_en"]
    assert "管辖范围" in problem["message_zh"]


def test_rules_scope_is_not_checked_for_the_city(check: Validator) -> None:
    rows = [student(1), student(2, cells={"学校标识码": OTHER_SCHOOL, "班级编号": OTHER_CLASS})]
    assert problems(check("students", rows, allowed_orgs=None)) == []


def test_rules_scope_with_nothing_allowed_flags_every_row(check: Validator) -> None:
    v = check("students", [student(1), student(2)], allowed_orgs=[])
    assert [(p["row"], p["rule"]) for p in problems(v)] == [(2, "scope"), (3, "scope")]


# 身份证号 cross-checks


def test_rules_id_birth_date_flags_a_birth_date_that_differs_from_the_id(check: Validator) -> None:
    rows = [student(1, birth="2019-03-05"), student(2, birth="2019-03-05", cells={"出生日期": "2019-03-06"})]
    v = check("students", rows)
    assert rules_found(v) == {"id_birth_date"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "出生日期", "2019-03-06")
    assert re.search(r"2019-?03-?05", problem["message_en"]) and "身份证号" in problem["message_zh"]
    assert_bilingual(problem, list(rows[0]))


def test_rules_id_sex_flags_a_sex_that_differs_from_digit_17(check: Validator) -> None:
    rows = [student(1, male=True, cells={"性别": "男"}), student(2, male=True, cells={"性别": "2"})]
    v = check("students", rows)
    assert rules_found(v) == {"id_sex"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "性别", "2")
    assert "digit 17" in problem["message_en"] and "第 17 位" in problem["message_zh"]
    assert_bilingual(problem, list(rows[0]))


@pytest.mark.parametrize("code", ["0", "9"])
def test_rules_id_sex_is_not_checked_for_unknown_or_unstated_sex(check: Validator, code: str) -> None:
    assert problems(check("students", [student(1, male=False, cells={"性别": code})])) == []


def test_rules_student_number_id_flags_a_g_number_carrying_another_id(check: Validator) -> None:
    someone_else = "G" + national_id(birth="20190305", seq=7)
    rows = [student(1), student(2, cells={"全国学籍号": someone_else})]
    v = check("students", rows)
    assert rules_found(v) == {"student_number_id"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "全国学籍号", someone_else)
    assert_bilingual(problem, list(rows[0]))


@pytest.mark.parametrize("prefix", ["J", "L"])
def test_rules_student_number_id_is_not_checked_for_j_or_l_numbers(check: Validator, prefix: str) -> None:
    number = prefix + national_id(birth="20190305", seq=7)
    assert problems(check("students", [student(1, cells={"全国学籍号": number})])) == []


# age_for_grade: school year 2025, tolerance 2 years, age taken on 31 August


@pytest.mark.parametrize(
    ("birth", "grade", "flagged"),
    [
        ("2019-03-05", "11", False),  # 6, the usual age for grade 1
        ("2017-08-31", "11", False),  # 8: exactly the tolerance
        ("2016-08-31", "11", True),  # 9: tolerance + 1
        ("2016-09-01", "11", False),  # born after 31 August: still 8 on 31 August 2025
        ("2021-08-31", "11", False),  # 4: exactly the tolerance below
        ("2021-09-01", "11", True),  # 3 on 31 August 2025
        ("2013-03-05", "21", False),  # 12, the usual age for junior year 1
        ("2019-03-05", "21", True),  # 6 in junior year 1
    ],
)
def test_rules_age_for_grade_uses_age_on_31_august_and_the_tolerance(
    check: Validator, birth: str, grade: str, flagged: bool
) -> None:
    v = check("students", [student(1, birth=birth, cells={"年级": grade})])
    assert rules_found(v) == ({"age_for_grade"} if flagged else set())


def test_rules_age_for_grade_message_names_the_age_grade_and_usual_age(check: Validator) -> None:
    rows = [student(1, birth="2016-08-31")]
    (problem,) = problems(check("students", rows))
    assert (problem["row"], problem["column"], problem["value"]) == (2, "出生日期", "2016-08-31")
    assert problem["message_en"] == "Age 9 from '出生日期' 2016-08-31 is implausible for '年级' 11 (usually 6)"
    assert "9 岁" in problem["message_zh"] and "通常 6 岁" in problem["message_zh"]


def test_rules_age_for_grade_uses_each_rows_school_year(check: Validator) -> None:
    rows = [
        student(1, birth="2016-03-05", cells={"学年": "2022"}),
        student(2, birth="2016-03-05", cells={"学年": "2025"}),
    ]
    assert [(p["row"], p["rule"]) for p in problems(check("students", rows))] == [(3, "age_for_grade")]


# compare


def test_rules_compare_flags_an_end_date_before_the_start_date(check: Validator) -> None:
    rows = [training("R1", cells={"结束日期": "2024-03-01"}), training("R2", cells={"结束日期": "2024-02-29"})]
    v = check("training_records", rows)
    assert rules_found(v) == {"compare"}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, "结束日期", "2024-02-29")
    assert "the end date must not be before the start date" in problem["message_en"]
    assert "结束日期不得早于开始日期" in problem["message_zh"]
    assert_bilingual(problem, list(rows[0]))


def test_rules_compare_of_numbers_flags_class_bandwidth_above_the_schools(check: Validator) -> None:
    table: list[list[object]] = [
        ["学校标识码", "学年", "互联网接入带宽", "班级带宽"],
        [SCHOOL, 2024, 1000, 1000],
        [SCHOOL, 2025, 1000, "1000.5"],
        [OTHER_SCHOOL, 2025, 500, ""],
    ]
    found = problems(check("school_infrastructure", table))
    assert [(p["row"], p["rule"], p["column"]) for p in found] == [(3, "compare", "班级带宽")]


# group_sum_max: a teacher's training hours in a year, at most 8784


def test_rules_group_sum_max_flags_every_row_of_a_group_over_the_maximum(check: Validator) -> None:
    rows = [
        training("R1", hours="5000"),
        training("R2", hours="4000"),
        training("R3", year="2025", hours="5000"),
        training("R4", teacher=OTHER_TEACHER, hours="4000"),
    ]
    v = check("training_records", rows)
    assert rules_found(v) == {"group_sum_max"}
    found = problems(v)
    assert [(p["row"], p["column"]) for p in found] == [(2, "学时"), (3, "学时")]
    assert "group total 9000" in found[0]["message_en"] and "8784" in found[0]["message_en"]
    assert "同组合计 9000" in found[0]["message_zh"]
    assert_bilingual(found[0], list(rows[0]))


@pytest.mark.parametrize(("second", "flagged"), [("4392", False), ("4392.5", True)])
def test_rules_group_sum_max_allows_exactly_the_maximum(check: Validator, second: str, flagged: bool) -> None:
    v = check(
        "training_records",
        [training("R1", teacher=TEACHER, hours="4392"), training("R2", teacher=TEACHER, hours=second)],
    )
    assert rules_found(v) == ({"group_sum_max"} if flagged else set())
