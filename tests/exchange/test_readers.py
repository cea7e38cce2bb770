"""Reading submitted files: encodings, XLSX cells, JSON Lines, row numbers and unreadable files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from edubrain.errors import InputFileError
from edubrain.exchange.readers import ROW_COLUMN, SourceTable, read_source


def _rows(source: SourceTable) -> list[tuple[object, ...]]:
    """Data rows as (row number, cell texts...)."""
    return source.frame.select(ROW_COLUMN, *[f"c{i}" for i in range(len(source.headers))]).rows()


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            for col, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=number, column=col, value=value)
    book.save(path)
    return path


# CSV and encodings


def test_readers_utf8_csv_keeps_every_value_as_written(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学校标识码,民族,身份证号\n0101080001,01,11010820190305001x\n", encoding="utf-8")
    source = read_source(path)
    assert (source.encoding, source.file_format, source.name) == ("utf-8", "csv", "s.csv")
    assert source.headers == ["学校标识码", "民族", "身份证号"]
    assert _rows(source) == [(2, "0101080001", "01", "11010820190305001x")]


def test_readers_utf8_bom_is_detected_and_kept_out_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("学籍号,姓名\nG1,张三\n".encode("utf-8-sig"))
    source = read_source(path)
    assert source.encoding == "utf-8-sig"
    assert source.headers == ["学籍号", "姓名"]
    assert _rows(source) == [(2, "G1", "张三")]


def test_readers_gbk_csv_is_detected_without_being_told(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("学籍号,姓名,民族\nG1,张三,汉族\n".encode("gbk"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert source.headers == ["学籍号", "姓名", "民族"]
    assert _rows(source) == [(2, "G1", "张三", "汉族")]


@pytest.mark.parametrize("name", ["张𠀀", "李㐀"], ids=["ext-b", "ext-a"])
def test_readers_gb18030_only_characters_in_a_name_survive(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    path = tmp_path / "s.csv"
    path.write_bytes(f"学籍号,姓名\nG1,{name}\n".encode("gb18030"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert _rows(source) == [(2, "G1", name)]


def test_readers_undecodable_bytes_raise_input_file_error_with_the_byte_position(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"a,b\n1,\xff\n")
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert caught.value.details["byte"] == 6
    assert "6" in caught.value.zh and "byte 6" in caught.value.en


def test_readers_bom_file_with_undecodable_bytes_is_an_input_file_error_at_the_file_offset(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "学籍号\n".encode() + b"\xff\n")
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert caught.value.details["byte"] == 13
    assert "13" in caught.value.zh and "byte 13" in caught.value.en


def test_readers_gbk_file_with_an_ascii_header_is_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("school_code,name\n1101080001,张三\n".encode("gbk"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert _rows(source) == [(2, "1101080001", "张三")]


def test_readers_sha256_is_the_hash_of_the_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("学籍号\nG1\n".encode("gbk"))
    assert read_source(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_readers_txt_suffix_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.TXT"
    path.write_text("学籍号\nG1\n", encoding="utf-8")
    assert _rows(read_source(path)) == [(2, "G1")]


def test_readers_txt_file_is_reported_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("学籍号\nG1\n", encoding="utf-8")
    assert read_source(path).file_format == "csv"


def test_readers_csv_row_numbers_count_the_header_as_row_one(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名\r\nG1,甲\r\nG2,乙\r\nG3,丙\r\n", encoding="utf-8")
    assert [r[0] for r in _rows(read_source(path))] == [2, 3, 4]


def test_readers_csv_row_after_a_blank_line_keeps_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名\nG1,甲\n\nG2,乙\n", encoding="utf-8")
    numbered = {r[0]: r[1] for r in _rows(read_source(path))}
    assert numbered[2] == "G1" and numbered[4] == "G2"


def test_readers_csv_blank_lines_are_skipped_like_xlsx_and_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名\nG1,甲\n\n,\nG2,乙\n \n\n", encoding="utf-8")
    assert _rows(read_source(path)) == [(2, "G1", "甲"), (5, "G2", "乙")]


def test_readers_csv_trailing_column_without_header_but_with_values_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名,\nG1,甲,\nG2,乙,备注\n", encoding="utf-8")
    source = read_source(path)
    assert source.headers == ["学籍号", "姓名", ""]
    assert _rows(source) == [(2, "G1", "甲", None), (3, "G2", "乙", "备注")]


def test_readers_csv_trailing_empty_columns_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名,,\nG1,甲,,\n", encoding="utf-8")
    source = read_source(path)
    assert source.headers == ["学籍号", "姓名"]
    assert _rows(source) == [(2, "G1", "甲")]


def test_readers_csv_header_only_file_has_headers_and_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名\n", encoding="utf-8")
    source = read_source(path)
    assert source.headers == ["学籍号", "姓名"]
    assert source.frame.height == 0


def test_readers_csv_row_with_more_fields_than_headers_is_an_input_file_error(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("学籍号,姓名\nG1,甲,多余\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert "ragged.csv" in caught.value.zh and "ragged.csv" in caught.value.en


def test_readers_csv_row_with_fewer_fields_reads_the_rest_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("学籍号,姓名,民族\nG1,甲\n", encoding="utf-8")
    assert _rows(read_source(path)) == [(2, "G1", "甲", None)]


@pytest.mark.parametrize(
    "content", [b"", b"\n", b"\n1,2\n", b",,\n1,2,3\n"], ids=["empty", "newline", "blank-first-line", "empty-headers"]
)
def test_readers_file_without_a_header_row_is_an_input_file_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert "表头" in caught.value.zh and "no header row" in caught.value.en


def test_readers_missing_file_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        read_source(tmp_path / "nope.csv")
    assert "nope.csv" in caught.value.en and "不存在" in caught.value.zh


@pytest.mark.parametrize("name", ["roster.xls", "roster.json", "roster"])
def test_readers_unknown_suffix_is_an_input_file_error_naming_the_formats(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("学籍号\nG1\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert ".csv" in caught.value.en and ".xlsx" in caught.value.en and ".jsonl" in caught.value.en


# XLSX


def test_readers_xlsx_reads_the_first_sheet_by_default(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"学生": [["学籍号", "姓名"], ["G1", "甲"]], "说明": [["说明"], ["x"]]})
    source = read_source(path)
    assert (source.file_format, source.encoding) == ("xlsx", "binary")
    assert source.headers == ["学籍号", "姓名"]
    assert _rows(source) == [(2, "G1", "甲")]


def test_readers_xlsx_reads_a_sheet_chosen_by_name(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"说明": [["请填写第二页"]], "学生": [["学籍号", "姓名"], ["G1", "甲"]]})
    source = read_source(path, sheet="学生")
    assert source.headers == ["学籍号", "姓名"]
    assert _rows(source) == [(2, "G1", "甲")]


def test_readers_xlsx_missing_sheet_is_an_error_listing_the_sheets(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"说明": [["x"]], "学生": [["学籍号"]]})
    with pytest.raises(InputFileError) as caught:
        read_source(path, sheet="教师")
    assert "教师" in caught.value.en and "说明, 学生" in caught.value.en
    assert "教师" in caught.value.zh


def test_readers_xlsx_numeric_cells_come_back_as_text_without_a_decimal_point(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"S": [["学校标识码", "学年", "学时", "身高"], [1101080001, 2025.0, 1.5, 120]]})
    assert _rows(read_source(path)) == [(2, "1101080001", "2025", "1.5", "120")]


def test_readers_xlsx_date_cells_come_back_as_iso_dates(tmp_path: Path) -> None:
    rows: list[list[object]] = [["出生日期", "开始时间"], [dt.date(2019, 3, 5), dt.datetime(2019, 3, 5, 0, 0)]]
    rows.append([dt.datetime(2019, 3, 6, 8, 30), None])
    path = _xlsx(tmp_path / "s.xlsx", {"S": rows})
    assert _rows(read_source(path)) == [(2, "2019-03-05", "2019-03-05"), (3, "2019-03-06T08:30:00", None)]


def test_readers_xlsx_boolean_cells_come_back_as_one_and_zero(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"S": [["是否公办"], [True], [False]]})
    assert _rows(read_source(path)) == [(2, "1"), (3, "0")]


def test_readers_xlsx_blank_rows_are_dropped_but_row_numbers_stay_as_shown(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["学籍号", "姓名"],
        ["G1", "甲"],
        [None, None],
        [None, None],
        ["G2", "乙"],
        [None, "  "],
        [None, "丙"],
    ]
    path = _xlsx(tmp_path / "s.xlsx", {"S": rows})
    assert _rows(read_source(path)) == [(2, "G1", "甲"), (5, "G2", "乙"), (7, None, "丙")]


def test_readers_xlsx_trailing_empty_header_cells_are_not_columns(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"S": [["学籍号", "姓名", None, None], ["G1", "甲", None, "备注"]]})
    source = read_source(path)
    assert source.headers == ["学籍号", "姓名"]
    assert _rows(source) == [(2, "G1", "甲")]


def test_readers_xlsx_header_cells_are_trimmed(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"S": [[" 学籍号 ", "姓名"], ["G1", "甲"]]})
    assert read_source(path).headers == ["学籍号", "姓名"]


def test_readers_xlsx_empty_workbook_has_no_header_row(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", {"S": []})
    with pytest.raises(InputFileError, match="no header row"):
        read_source(path)


def test_readers_broken_xlsx_is_an_input_file_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert "broken.xlsx" in caught.value.en and "broken.xlsx" in caught.value.zh


# JSON Lines


def _jsonl(path: Path, lines: list[object | str]) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_readers_jsonl_values_come_back_as_text(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "s.jsonl",
        [
            {"学籍号": "G1", "学年": 2025, "学时": 1.5, "备注": None},
            {"学籍号": " G2 ", "学年": 2024, "学时": 2.0, "备注": "x"},
        ],
    )
    source = read_source(path)
    assert (source.file_format, source.encoding) == ("jsonl", "utf-8")
    assert source.headers == ["学籍号", "学年", "学时", "备注"]
    assert _rows(source) == [(1, "G1", "2025", "1.5", None), (2, "G2", "2024", "2.0", "x")]


def test_readers_jsonl_booleans_come_back_as_one_and_zero(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"是否公办": True}, {"是否公办": False}])
    assert _rows(read_source(path)) == [(1, "1"), (2, "0")]


def test_readers_jsonl_numbers_and_strings_mixed_in_one_field_are_all_text(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学年": 2025}, {"学年": "2024"}])
    assert _rows(read_source(path)) == [(1, "2025"), (2, "2024")]


def test_readers_jsonl_fields_missing_from_some_lines_are_empty(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学籍号": "G1"}, {"学籍号": "G2", "姓名": "乙"}])
    source = read_source(path)
    assert source.headers == ["学籍号", "姓名"]
    assert _rows(source) == [(1, "G1", None), (2, "G2", "乙")]


def test_readers_jsonl_blank_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", ["", {"学籍号": "G1"}, "", "   ", {"学籍号": "G2"}])
    assert _rows(read_source(path)) == [(2, "G1"), (5, "G2")]


def test_readers_ndjson_suffix_is_json_lines(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.ndjson", [{"学籍号": "G1"}])
    assert read_source(path).file_format == "jsonl"


def test_readers_jsonl_nested_value_is_an_error_naming_the_field(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学籍号": "G1", "监护人": {"姓名": "甲"}}])
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert caught.value.details["column"] == "监护人"
    assert "监护人" in caught.value.zh and "nested" in caught.value.en


def test_readers_jsonl_array_value_is_an_error(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学籍号": "G1", "电话": ["139", "138"]}])
    with pytest.raises(InputFileError, match="电话"):
        read_source(path)


def test_readers_jsonl_invalid_line_is_an_error_naming_its_line_number(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学籍号": "G1"}, "", '{"学籍号": "G2"'])
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert caught.value.details["row"] == 3
    assert "第 3 行" in caught.value.zh and "line 3" in caught.value.en


def test_readers_jsonl_line_that_is_not_an_object_is_an_error_naming_it(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学籍号": "G1"}, '["G2"]'])
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert caught.value.details["row"] == 2 and "not an object" in caught.value.en


def test_readers_jsonl_with_only_blank_lines_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no header row"):
        read_source(path)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["u2028", "u2029", "nel"])
def test_readers_jsonl_line_separator_inside_a_string_is_part_of_the_value(tmp_path: Path, separator: str) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"姓名": f"甲{separator}乙"}, {"姓名": "丙"}])
    assert _rows(read_source(path)) == [(1, f"甲{separator}乙"), (2, "丙")]


DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "9" * 100_000


@pytest.mark.parametrize(
    ("value", "en"),
    [
        (DEEP, "nested too deeply"),
        ('{"a":' * 5_000 + "1" + "}" * 5_000, "nested too deeply"),
        ("[" * 500 + "]" * 500, "nested"),
        (HUGE, "digits"),
        ("9" * 4_000, "digits"),
        ("-" + HUGE, "digits"),
    ],
    ids=["deep-array", "deep-object", "array-500", "int-100000-digits", "int-4000-digits", "negative-100000-digits"],
)
def test_readers_jsonl_hostile_value_is_an_error_naming_file_and_line(tmp_path: Path, value: str, en: str) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_text('{"学籍号": "G1", "学年": 2025}\n\n{"学籍号": "G2", "学年": ' + value + "}\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_source(path)
    assert caught.value.details["row"] == 3
    assert "hostile.jsonl" in caught.value.en and "line 3" in caught.value.en and en in caught.value.en
    assert "hostile.jsonl" in caught.value.zh and "第 3 行" in caught.value.zh
    assert len(caught.value.en) < 300 and len(caught.value.zh) < 300


def test_readers_jsonl_long_but_ordinary_numbers_still_read(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "s.jsonl", [{"学年": 2025, "身高": 0.5}, '{"学年": 2024, "身高": 1.' + "5" * 300 + "}"])
    assert [row[1] for row in _rows(read_source(path))] == ["2025", "2024"]
