"""Field-level rules, each with a failing example and a passing neighbour, through ``validate``.

Rules: required, type_integer, type_number, type_date, type_boolean, code,
code_legacy, minimum, maximum, pattern, check_digit.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubrain.catalog import Catalog
from edubrain.exchange.fields import code_lookup, gb11643_check_char, gb11643_valid
from tests.conftest import OTHER_SCHOOL, SCHOOL, national_id
from tests.exchange.conftest import (
    Row,
    Validator,
    as_table,
    assert_bilingual,
    problems,
    rules_found,
    school,
    student,
    training,
)

CASES = [
    # rule, dataset, header, failing value, passing neighbour
    ("required", "students", "姓名", "", "张三"),
    ("required", "students", "性别", "  ", "1"),
    ("required", "schools", "是否公办", "", "否"),
    ("type_integer", "students", "学年", "2025.5", "2025.0"),
    ("type_integer", "schools", "小学规划学位数", "1200人", "1200"),
    ("type_number", "training_records", "学时", "十六", "1,234.5"),
    ("type_date", "students", "出生日期", "2019-02-30", "2019/3/5"),
    ("type_date", "training_records", "开始日期", "2024-13-01", "2024.3.1"),
    ("type_boolean", "schools", "是否公办", "也许", "是"),
    ("code", "students", "性别", "3", "男"),
    ("code", "students", "民族", "汉", "汉族"),
    ("code", "students", "年级", "99", "一年级"),
    ("code", "schools", "办学类型", "21", "211"),
    ("code_legacy", "schools", "所在区", "110103", "110108"),
    ("minimum", "schools", "小学规划学位数", "-1", "0"),
    ("minimum", "training_records", "学时", "-0.5", "0"),
    ("maximum", "schools", "小学规划学位数", "20001", "20000"),
    ("pattern", "students", "监护人联系电话", "12345678901", "13912345678"),
    ("pattern", "training_records", "记录编号", "R 1", "R-1"),
]


def _ids(case: tuple[str, str, str, str, str]) -> str:
    rule, dataset, header, bad, _ = case
    return f"{rule}-{dataset}-{header}-{bad!r}"


def _good_then_bad(dataset: str, header: str, good: str, bad: str) -> list[Row]:
    """Two rows of ``dataset``: row 2 carries the passing value, row 3 the failing one."""
    if dataset == "students":
        return [student(1, cells={header: good}), student(2, cells={header: bad})]
    if dataset == "schools":
        return [school(SCHOOL, cells={header: good}), school(OTHER_SCHOOL, cells={header: bad})]
    return [training("R1", cells={header: good}), training("R2", cells={header: bad})]


@pytest.mark.parametrize(("rule", "dataset", "header", "bad", "good"), CASES, ids=[_ids(c) for c in CASES])
def test_fields_rule_flags_the_bad_value_and_passes_its_good_neighbour(
    check: Validator, rule: str, dataset: str, header: str, bad: str, good: str
) -> None:
    rows = _good_then_bad(dataset, header, good, bad)
    v = check(dataset, rows)
    assert rules_found(v) == {rule}
    (problem,) = problems(v)
    assert (problem["row"], problem["column"], problem["value"]) == (3, header, bad.strip() or None)
    assert_bilingual(problem, list(rows[0]))


def test_fields_problem_column_is_the_header_as_written_in_the_file(check: Validator) -> None:
    row = student(cells={"出生日期": "2019-02-30"})
    headers = ["出生日期（必填）" if h == "出生日期" else h for h in row]
    (problem,) = problems(check("students", as_table([row], headers)))
    assert (problem["rule"], problem["column"], problem["field"]) == ("type_date", "出生日期（必填）", "birth_date")
    assert "出生日期（必填）" in problem["message_zh"] and "出生日期（必填）" in problem["message_en"]


def test_fields_required_is_reported_for_every_empty_row(check: Validator) -> None:
    rows = [student(seq, cells={"姓名": "" if seq % 2 else f"测试{seq}"}) for seq in range(1, 8)]
    assert [p["row"] for p in problems(check("students", rows), "required")] == [2, 4, 6, 8]


@pytest.mark.parametrize(
    "text", ["2019-03-05", "2019/3/5", "20190305", "2019.3.5", "2019/03/05", "2019-3-5", "2019-03-05 00:00:00"]
)
def test_fields_type_date_accepts_the_usual_spellings(check: Validator, text: str) -> None:
    v = check("students", [student(birth="2019-03-05", cells={"出生日期": text})])
    assert problems(v) == []
    assert v.rows.get_column("birth_date").to_list() == [dt.date(2019, 3, 5)]


@pytest.mark.parametrize("text", ["2019-02-30", "2019-02-29", "2019/13/1", "190305", "2019年3月5日", "05/03/2019"])
def test_fields_type_date_rejects_impossible_or_ambiguous_dates(check: Validator, text: str) -> None:
    assert rules_found(check("students", [student(cells={"出生日期": text})])) == {"type_date"}


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("是", True),
        ("否", False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("Y", True),
        ("n", False),
        ("√", True),
        ("×", False),
    ],
)
def test_fields_type_boolean_accepts_yes_no_spellings(check: Validator, text: str, typed: bool) -> None:
    v = check("schools", [school(cells={"是否公办": text})])
    assert problems(v) == []
    assert v.rows.get_column("is_public").to_list() == [typed]


@pytest.mark.parametrize(
    ("header", "text", "code"),
    [
        ("性别", "1", "1"),
        ("性别", "男", "1"),
        ("性别", "男性", "1"),
        ("性别", "Male", "1"),
        ("性别", "MALE", "1"),
        ("性别", "m", "1"),
        ("民族", "01", "01"),
        ("民族", "1", "01"),
        ("民族", "汉族", "01"),
        ("民族", "han", "01"),
        ("学籍状态", "1", "01"),
        ("学籍状态", "在读", "01"),
        ("年级", "一年级", "11"),
        ("年级", "Primary grade 1", "11"),
    ],
)
def test_fields_code_accepts_code_labels_aliases_and_unpadded_numbers(
    check: Validator, header: str, text: str, code: str
) -> None:
    field = {"性别": "sex", "民族": "ethnicity", "学籍状态": "status", "年级": "grade"}[header]
    v = check("students", [student(cells={header: text})])
    assert problems(v) == []
    assert v.rows.get_column(field).to_list() == [code]


def test_fields_code_for_women_accepts_the_short_label(check: Validator) -> None:
    v = check("students", [student(male=False, cells={"性别": "女"})])
    assert problems(v) == []
    assert v.rows.get_column("sex").to_list() == ["2"]


def test_fields_school_type_category_heading_is_not_a_code(check: Validator) -> None:
    found = problems(
        check("schools", [school(cells={"办学类型": "2"}), school("1101080002", cells={"办学类型": "小学"})])
    )
    assert [(p["row"], p["rule"]) for p in found] == [(2, "code")]


def test_fields_code_lookup_skips_category_headings_and_adds_unpadded_numbers(catalog: Catalog) -> None:
    school_type = code_lookup(catalog.code_table("school_type"))
    assert "21" not in school_type and school_type["211"] == "211" and school_type["小学"] == "211"
    ethnicity = code_lookup(catalog.code_table("ethnicity"))
    assert ethnicity["1"] == "01" and ethnicity["56"] == "56" and ethnicity["汉族"] == "01"


def test_fields_code_message_lists_some_allowed_codes(check: Validator) -> None:
    (problem,) = problems(check("students", [student(cells={"性别": "3"})]))
    assert "1 男性" in problem["message_zh"] and "2 女性" in problem["message_zh"]
    assert "Sex" in problem["message_en"]


def test_fields_code_legacy_is_not_also_an_unknown_code(check: Validator) -> None:
    v = check("schools", [school(cells={"所在区": "110104"})])
    (problem,) = problems(v)
    assert (problem["rule"], problem["value"]) == ("code_legacy", "110104")
    assert "retired" in problem["message_en"] and "现行代码" in problem["message_zh"]


def test_fields_integer_accepts_a_trailing_zero_fraction_from_spreadsheets(check: Validator) -> None:
    v = check("schools", [school(cells={"小学规划学位数": "1200.00"})])
    assert problems(v) == []
    assert v.rows.get_column("planned_places_primary").to_list() == [1200]


def test_fields_number_accepts_thousands_separators(check: Validator) -> None:
    v = check("training_records", [training(hours="1,234.5")])
    assert problems(v) == []
    assert v.rows.get_column("hours").to_list() == [1234.5]


# check_digit (GB 11643-1999)


def test_fields_check_digit_flags_a_wrong_check_character(check: Validator) -> None:
    good = national_id(birth="20190305", seq=1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    v = check("students", [student(1), student(1, cells={"身份证号": bad, "全国学籍号": "G" + bad})])
    (problem,) = problems(v)
    assert (problem["rule"], problem["row"], problem["column"], problem["value"]) == ("check_digit", 3, "身份证号", bad)
    assert "GB 11643" in problem["message_en"] and "校验码" in problem["message_zh"]


def test_fields_check_digit_accepts_a_lower_case_x(check: Validator) -> None:
    seq = next(s for s in range(1, 100) if national_id(birth="20190305", seq=s).endswith("X"))
    nid = national_id(birth="20190305", seq=seq)
    v = check("students", [student(seq, cells={"身份证号": nid[:17] + "x"})])
    assert problems(v) == []
    assert v.rows.get_column("id_number").to_list() == [nid]


def test_fields_check_digit_is_not_checked_on_a_malformed_id(check: Validator) -> None:
    number = "J" + national_id(birth="20190305", seq=1)
    v = check("students", [student(cells={"身份证号": "11010820190305", "全国学籍号": number})])
    assert rules_found(v) == {"pattern"}


def _reference_check(text: str | None) -> bool | None:
    """GB 11643 verdict computed digit by digit: None unless 17 digits then a digit or X."""
    if text is None or not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        return None
    return gb11643_check_char(text[:17]) == text[17]


@pytest.mark.parametrize("published", ["11010519491231002X", "440524188001010014"])
def test_fields_gb11643_accepts_the_standards_published_examples(published: str) -> None:
    assert gb11643_check_char(published[:17]) == published[17]
    assert gb11643_valid(pl.Series([published])).to_list() == [True]


def test_fields_gb11643_malformed_values_have_no_verdict() -> None:
    values = [
        None,
        "",
        "1101051949123100",
        "11010519491231002x",
        "1101051949123100XX",
        "身份证号码一二三",
        "110105194912310021 ",
    ]
    assert gb11643_valid(pl.Series(values, dtype=pl.String)).to_list() == [None] * len(values)


_PREFIX = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(st.lists(_PREFIX, min_size=1, max_size=20))
def test_fields_gb11643_vectorised_check_agrees_with_the_scalar_one(prefixes: list[str]) -> None:
    ids, expected = [], []
    for prefix in prefixes:
        right = gb11643_check_char(prefix)
        for char in "0123456789X":
            ids.append(prefix + char)
            expected.append(char == right)
    assert gb11643_valid(pl.Series(ids)).to_list() == expected


_ID_LIKE = st.one_of(
    st.none(),
    st.text(alphabet="0123456789X", min_size=17, max_size=19),
    st.text(alphabet="0123456789Xx 中", min_size=0, max_size=19),
)


@given(st.lists(_ID_LIKE, max_size=30), st.integers(min_value=0, max_value=30))
def test_fields_gb11643_verdicts_match_the_digit_by_digit_check_on_any_text(values: list[str | None], cut: int) -> None:
    series = pl.concat(
        [pl.Series(values[:cut], dtype=pl.String), pl.Series(values[cut:], dtype=pl.String)], rechunk=False
    )
    assert gb11643_valid(series).to_list() == [_reference_check(v) for v in values]
