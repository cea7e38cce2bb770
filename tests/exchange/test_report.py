"""The submission report groups problems by cause: one cause is one line however many rows it touches."""

from __future__ import annotations

import json

from edubrain.exchange.problems import empty_problems
from edubrain.exchange.report import EXAMPLE_ROWS, MAX_VALUE_GROUPS, ProblemGroup, SubmissionReport, group_problems
from tests.conftest import SCHOOL
from tests.exchange.conftest import Validator, student

MISSING_SCHOOL = "1101089999"
CLASS_HEADERS = ["班级编号", "学校标识码", "学年", "年级", "班级名称"]


def _classes(n: int, school: str = SCHOOL, grade: str = "11", start: int = 0) -> list[list[object]]:
    return [[f"C{i}", school, 2025, grade, f"{i}班"] for i in range(start, start + n)]


def test_report_ten_thousand_rows_with_the_same_missing_school_are_one_group(check: Validator) -> None:
    v = check("classes", [CLASS_HEADERS, *_classes(10_000, school=MISSING_SCHOOL)])
    assert v.problems.height == 10_000
    groups = group_problems(v.problems)
    assert len(groups) == 1
    (group,) = groups
    assert (group.rule, group.column, group.field, group.value) == (
        "reference",
        "学校标识码",
        "school_code",
        MISSING_SCHOOL,
    )
    assert group.count == 10_000
    assert group.rows == list(range(2, 2 + EXAMPLE_ROWS))
    assert MISSING_SCHOOL in group.message_zh and MISSING_SCHOOL in group.message_en


def test_report_unmapped_header_is_one_file_level_group_listed_first(check: Validator) -> None:
    table = [[*CLASS_HEADERS, "备注"], *[[*row, "x"] for row in _classes(30, school=MISSING_SCHOOL)]]
    groups = group_problems(check("classes", table).problems)
    assert [(g.rule, g.count) for g in groups] == [("unmapped_header", 1), ("reference", 30)]
    assert groups[0].rows == [] and groups[0].column == "备注" and groups[0].value is None


def test_report_file_level_groups_precede_larger_row_groups(check: Validator) -> None:
    rows = _classes(50, school=MISSING_SCHOOL)
    table = [["班级编号", "学校标识码", "学年", "班级名称", "备注"], *[[*row[:3], row[4], "x"] for row in rows]]
    groups = group_problems(check("classes", table).problems)
    assert {g.rule for g in groups[:2]} == {"unmapped_header", "missing_required_column"}
    assert [(g.rule, g.count) for g in groups[2:]] == [("reference", 50)]


def test_report_groups_are_ordered_by_how_many_rows_they_touch(check: Validator) -> None:
    rows = [
        *_classes(3, school="1101089998"),
        *_classes(5, school=MISSING_SCHOOL, start=3),
        *_classes(1, grade="99", start=8),
    ]
    groups = group_problems(check("classes", [CLASS_HEADERS, *rows]).problems)
    assert [(g.rule, g.value, g.count) for g in groups] == [
        ("reference", MISSING_SCHOOL, 5),
        ("reference", "1101089998", 3),
        ("code", "99", 1),
    ]
    assert groups[0].rows == [5, 6, 7, 8, 9]


def test_report_many_distinct_bad_codes_collapse_to_one_group_per_column(check: Validator) -> None:
    n = MAX_VALUE_GROUPS + 5
    rows = [student(seq, cells={"性别": f"S{seq}", "民族": f"E{seq}"}) for seq in range(1, n + 1)]
    groups = group_problems(check("students", rows).problems)
    assert sorted((g.rule, g.column, g.value, g.count) for g in groups) == [
        ("code", "性别", None, n),
        ("code", "民族", None, n),
    ]
    assert all(g.rows == list(range(2, 2 + EXAMPLE_ROWS)) for g in groups)


def test_report_up_to_twenty_distinct_bad_codes_keep_one_group_per_value(check: Validator) -> None:
    rows = _classes(MAX_VALUE_GROUPS, grade="X")
    rows = [[*row[:3], f"X{i}", row[4]] for i, row in enumerate(rows)]
    groups = group_problems(check("classes", [CLASS_HEADERS, *rows]).problems)
    assert len(groups) == MAX_VALUE_GROUPS
    assert {g.value for g in groups} == {f"X{i}" for i in range(MAX_VALUE_GROUPS)}
    assert {g.count for g in groups} == {1}


def test_report_rules_not_about_a_value_group_by_column_only(check: Validator) -> None:
    rows = [student(seq, cells={"姓名": ""}) for seq in range(1, 31)]
    groups = group_problems(check("students", rows).problems)
    assert [(g.rule, g.column, g.value, g.count) for g in groups] == [("required", "姓名", None, 30)]


def test_report_no_problems_means_no_groups() -> None:
    assert group_problems(empty_problems()) == []


def test_report_stored_form_keeps_at_most_200_groups_and_is_json() -> None:
    groups = [
        ProblemGroup(
            rule="code",
            column="年级",
            field="grade",
            value=str(i),
            count=1,
            rows=[i + 2],
            message_zh="坏",
            message_en="bad",
        )
        for i in range(250)
    ]
    report = SubmissionReport(
        batch_id="b",
        dataset="classes",
        org=SCHOOL,
        file="c.csv",
        file_format="csv",
        encoding="utf-8",
        sha256="0" * 64,
        mode="upsert",
        status="rejected",
        rows_read=250,
        rows_accepted=0,
        rows_rejected=250,
        problem_count=250,
        groups=groups,
    )
    stored = report.stored_form()
    assert len(stored["groups"]) == 200 and stored["problem_count"] == 250
    assert json.loads(json.dumps(stored, ensure_ascii=False))["groups"][0]["value"] == "0"
