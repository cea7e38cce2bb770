"""Mapping headers as written to catalog fields, and the header problems reported once per file."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from edubrain.catalog import Catalog
from edubrain.exchange.headers import map_headers, normalise_header
from tests.exchange.conftest import STUDENT_HEADERS, Validator, as_table, problems, student


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("全国学籍号", "student_id"),
        ("学籍号", "student_id"),
        ("学籍号（必填）", "student_id"),
        ("学籍号(必填)", "student_id"),
        ("【必填】学籍号", "student_id"),
        ("学 籍 号", "student_id"),
        ("Student_ID", "student_id"),
        ("STUDENT-ID", "student_id"),
        ("ｓｔｕｄｅｎｔ＿ｉｄ", "student_id"),
        ("National student number", "student_id"),
        ("出生日期[YYYY-MM-DD]", "birth_date"),
        ("出生日期（YYYY-MM-DD）", "birth_date"),
        ("birthday", "birth_date"),
        ("Birth Date", "birth_date"),
        ("身份证号*", "id_number"),
        ("公民身份号码：", "id_number"),
        ("Gender", "sex"),
        ("性别码", "sex"),
        ("　姓名　", "name"),
    ],
)
def test_headers_map_titles_aliases_and_english_names_to_the_field(catalog: Catalog, header: str, field: str) -> None:
    mapping = map_headers([header], catalog.dataset("students"))
    assert mapping.columns == {field: (0, header)}
    assert mapping.unmapped == []


def test_headers_mapping_keeps_each_header_as_written_with_its_position(catalog: Catalog) -> None:
    mapping = map_headers(["姓名", "学籍号（必填）", "备注"], catalog.dataset("students"))
    assert mapping.columns == {"name": (0, "姓名"), "student_id": (1, "学籍号（必填）")}
    assert mapping.unmapped == [(2, "备注")]


def test_headers_every_catalog_label_maps_to_its_own_field_with_a_note_appended(catalog: Catalog) -> None:
    for dataset in catalog.datasets.values():
        for spec in dataset.fields:
            for label in (spec.name, spec.title_zh, spec.title_en, *spec.aliases):
                mapping = map_headers([f"{label}（备注）"], dataset)
                assert mapping.columns == {spec.name: (0, f"{label}（备注）")}, (dataset.id, label)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        (" 学籍号（必填）", "学籍号"),
        ("Student_ID", "studentid"),
        ("ＳＣＨＯＯＬ　ＣＯＤＥ", "schoolcode"),
        ("(备注)", "(备注)"),
    ],
)
def test_headers_normalise_folds_width_case_spaces_and_notes(text: str, folded: str) -> None:
    assert normalise_header(text) == folded


def test_headers_unmapped_header_is_reported_once_with_a_did_you_mean_hint(check: Validator) -> None:
    rows = [{**student(seq), "家庭住趾": "北京"} for seq in range(1, 6)]
    found = problems(check("students", rows))
    assert len(found) == 1
    (problem,) = found
    assert (problem["rule"], problem["row"], problem["column"]) == ("unmapped_header", None, "家庭住趾")
    assert "是否应为“家庭住址”" in problem["message_zh"]
    assert "did you mean 'Home address'" in problem["message_en"]


def test_headers_unmapped_header_with_nothing_close_has_no_hint(check: Validator) -> None:
    (problem,) = problems(check("students", [{**student(), "备注": "x"}]), "unmapped_header")
    assert problem["column"] == "备注"
    assert "是否应为" not in problem["message_zh"] and "did you mean" not in problem["message_en"]


def test_headers_two_headers_for_one_field_are_a_duplicate_header(check: Validator) -> None:
    rows = [{**student(seq), "学生姓名": f"别名{seq}"} for seq in range(1, 4)]
    found = problems(check("students", rows))
    assert [p["rule"] for p in found] == ["duplicate_header"]
    assert found[0]["field"] == "name" and found[0]["column"] == "学生姓名" and found[0]["row"] is None
    assert "姓名" in found[0]["message_zh"] and "学生姓名" in found[0]["message_en"]


def test_headers_missing_required_column_is_reported_once_not_per_row(check: Validator) -> None:
    rows = [{k: v for k, v in student(seq).items() if k != "姓名"} for seq in range(1, 21)]
    found = problems(check("students", rows))
    assert [(p["rule"], p["field"], p["row"]) for p in found] == [("missing_required_column", "name", None)]
    assert "姓名" in found[0]["message_zh"] and "'Name'" in found[0]["message_en"]


def test_headers_missing_optional_column_is_not_a_problem(check: Validator) -> None:
    rows = [{k: v for k, v in student().items() if k not in ("身份证号", "班级编号")}]
    assert problems(check("students", rows)) == []


def test_headers_empty_header_cell_in_the_middle_is_reported_as_unmapped(check: Validator) -> None:
    row = student()
    table = as_table([row])
    table[0].insert(1, "")
    table[1].insert(1, "x")
    (problem,) = problems(check("students", table), "unmapped_header")
    assert problem["column"] == "（空表头）"


def test_headers_csv_trailing_empty_column_is_ignored_like_xlsx(check: Validator) -> None:
    table = as_table([student(1), student(2)])
    table = [[*row, ""] for row in table]
    assert problems(check("students", table)) == []


def test_headers_file_with_canonical_headers_has_no_header_problems(check: Validator) -> None:
    v = check("students", [student(1), student(2)])
    assert v.mapping.unmapped == [] and v.mapping.duplicates == {} and v.mapping.missing_required == []
    assert list(v.mapping.columns.values())[: len(STUDENT_HEADERS)] == [(i, h) for i, h in enumerate(STUDENT_HEADERS)]


_HEADER_TEXT = st.text(
    alphabet=st.sampled_from(list("学籍号姓名出生日期abcXYZ _-·:*()[]【】（）［］：ＡＢｃ０１　\t")),
    max_size=24,
)


@given(_HEADER_TEXT)
def test_headers_normalise_is_idempotent_for_header_like_text(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once


@given(st.text(max_size=24))
@example("e(x)\u0301")  # a combining mark after a note: composes only once the note is gone
@example("\u1100(x)\u1161")  # Hangul jamo around a note
def test_headers_normalise_is_idempotent(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once
