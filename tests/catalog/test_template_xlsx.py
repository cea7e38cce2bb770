"""Tests for the Excel submission template (synthetic catalog only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from edubrain.catalog.models import ClassificationLevel, Code, CodeTable, Dataset
from edubrain.catalog.registry import Catalog
from edubrain.catalog.template_xlsx import (
    fixed_length,
    sheet_title,
    template_headers,
    titles_not_in_aliases,
    write_template,
)


def _field(name: str, title_zh: str, kind: str, **extra: object) -> dict[str, object]:
    title_en = name.replace("_", " ").capitalize()
    return {
        "name": name,
        "title_zh": title_zh,
        "title_en": title_en,
        "aliases": [title_zh, name],
        "type": kind,
        **extra,
    }


@pytest.fixture
def synthetic() -> Catalog:
    """One dataset with text, code, integer, number, date and yes/no columns."""
    sex = CodeTable(
        id="sex",
        title_zh="性别",
        title_en="Sex",
        standard="GB/T 2261.1",
        sources=["synthetic"],
        codes=[
            Code(code="1", zh="男", en="Male"),
            Code(code="2", zh="女", en="Female"),
            Code(code="9", zh="旧代码", en="Old code", legacy=True),
            Code(code="0", zh="分类", en="Heading", category=True),
        ],
    )
    pupils = Dataset.model_validate(
        {
            "id": "pupils",
            "title_zh": "合成学生",
            "title_en": "Synthetic pupils",
            "description_zh": "合成数据。",
            "description_en": "Synthetic data.",
            "owner_level": "school",
            "primary_key": ["pupil_id"],
            "org_field": "school_code",
            "sharing": "conditional",
            "update_frequency": "termly",
            "fields": [
                _field("pupil_id", "学生编号", "string", required=True, classification="L3"),
                _field("school_code", "学校标识码", "string", required=True, pattern="^[0-9]{10}$"),
                _field("sex", "性别", "code", code_table="sex", required=True),
                _field("school_year", "学年", "integer", minimum=2000, maximum=2100),
                _field("height_cm", "身高", "number", unit="cm", minimum=80, maximum=230),
                _field("birth_date", "出生日期", "date"),
                _field("exempt", "免测", "boolean"),
            ],
        }
    )
    levels = {
        lv: ClassificationLevel(id=lv, rank=r, title_zh=zh, title_en=lv, description_zh="-", description_en="-")
        for r, (lv, zh) in enumerate([("L2", "内部"), ("L3", "个人信息")], start=2)
    }
    return Catalog(datasets={"pupils": pupils}, code_tables={"sex": sex}, levels=levels)


@pytest.fixture
def workbook_path(synthetic: Catalog, tmp_path: Path) -> Path:
    """The Chinese template of the synthetic dataset."""
    return write_template(synthetic.dataset("pupils"), synthetic, tmp_path / "t" / "pupils.xlsx")


def _validation_for(sheet: Worksheet, column: str) -> DataValidation:
    matches = [dv for dv in sheet.data_validations.dataValidation if f"{column}2:{column}" in str(dv.sqref)]
    assert len(matches) == 1
    return matches[0]


def _range_values(book_path: Path, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    book = load_workbook(book_path)
    return [row[0].value for row in book[sheet_name.strip("'")][cells.replace("$", "")]]


def test_write_template_opens_with_data_sheet_first_then_instructions_and_codes(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    assert book.sheetnames == ["合成学生", "填写说明", "代码表"]


def test_write_template_headers_are_chinese_titles_in_field_order(workbook_path: Path, synthetic: Catalog) -> None:
    sheet = load_workbook(workbook_path).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == ["学生编号", "学校标识码", "性别", "学年", "身高", "出生日期", "免测"]
    assert headers == template_headers(synthetic.dataset("pupils"), "zh")
    assert sheet.max_row == 1


def test_write_template_english_headers_use_title_en(synthetic: Catalog, tmp_path: Path) -> None:
    path = write_template(synthetic.dataset("pupils"), synthetic, tmp_path / "en.xlsx", lang="en")
    book = load_workbook(path)
    assert book.sheetnames == ["Synthetic pupils", "Instructions", "Codes"]
    assert [cell.value for cell in book.worksheets[0][1]][:3] == ["Pupil id", "School code", "Sex"]


def test_write_template_header_row_is_bold_frozen_and_required_in_red(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["A1"].font.color.rgb.endswith("C00000")  # required
    assert sheet["D1"].font.color is None or not sheet["D1"].font.color.rgb.endswith("C00000")


def test_write_template_code_column_drop_down_lists_valid_codes(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path).worksheets[0]
    rule = _validation_for(sheet, "C")
    assert rule.type == "list"
    assert _range_values(workbook_path, rule.formula1) == ["1", "2"]  # legacy 9 and heading 0 left out
    assert "1 男" in rule.prompt


def test_write_template_code_sheet_lists_code_and_name(workbook_path: Path) -> None:
    codes = load_workbook(workbook_path)["代码表"]
    rows = [tuple(c.value for c in row[:2]) for row in codes.iter_rows(min_row=2)]
    assert rows == [("代码", "名称"), ("1", "男"), ("2", "女")]


def test_write_template_numeric_and_date_columns_are_range_checked(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path).worksheets[0]
    year, height, born = (_validation_for(sheet, c) for c in "DEF")
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", "between", "2000", "2100")
    assert (height.type, height.formula1, height.formula2) == ("decimal", "80", "230")
    assert born.type == "date"


def test_write_template_yes_no_column_offers_shi_fou(workbook_path: Path) -> None:
    rule = _validation_for(load_workbook(workbook_path).worksheets[0], "G")
    assert (rule.type, rule.formula1) == ("list", '"是,否"')


def test_write_template_text_columns_are_text_formatted_and_fixed_length_checked(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path).worksheets[0]
    assert sheet.column_dimensions["B"].number_format == "@"
    assert sheet.column_dimensions["C"].number_format == "@"
    assert sheet.column_dimensions["F"].number_format == "yyyy-mm-dd"
    rule = _validation_for(sheet, "B")
    assert (rule.type, rule.operator, rule.formula1) == ("textLength", "equal", "10")


def test_write_template_instructions_explain_every_column(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["填写说明"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == "表头")
    assert rows[start][:4] == ["表头", "字段名", "类型", "必填"]
    table = {row[1]: row for row in rows[start + 1 :]}
    assert list(table) == ["pupil_id", "school_code", "sex", "school_year", "height_cm", "birth_date", "exempt"]
    assert table["height_cm"][4:6] == ["cm", "80–230"]
    assert table["school_code"][6] == "^[0-9]{10}$"
    assert table["sex"][7] == "性别（sex）"
    assert table["pupil_id"][8] == "L3 个人信息"


def test_write_template_rejects_unknown_language(synthetic: Catalog, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lang"):
        write_template(synthetic.dataset("pupils"), synthetic, tmp_path / "x.xlsx", lang="fr")


def test_titles_not_in_aliases_lists_english_titles_only(synthetic: Catalog) -> None:
    assert titles_not_in_aliases(synthetic, "zh") == []
    missing = titles_not_in_aliases(synthetic, "en")
    assert ("pupils", "sex", "Sex") in missing
    assert len(missing) == len(synthetic.dataset("pupils").fields)


@pytest.mark.parametrize(
    ("pattern", "length"),
    [("^[0-9]{10}$", 10), ("^[0-9]{6}$", 6), ("^[GJL][0-9]{17}[0-9X]$", None), (None, None)],
)
def test_fixed_length_reads_single_class_repeat_patterns(pattern: str | None, length: int | None) -> None:
    assert fixed_length(pattern) == length


def test_sheet_title_removes_forbidden_characters_and_truncates() -> None:
    assert sheet_title("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h"
    assert len(sheet_title("长" * 40)) == 31


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_write_template_headers_map_back_to_fields_through_the_exchange(
    synthetic: Catalog, tmp_path: Path, lang: str
) -> None:
    headers_module = pytest.importorskip("edubrain.exchange.headers")
    readers = pytest.importorskip("edubrain.exchange.readers")
    dataset = synthetic.dataset("pupils")
    path = write_template(dataset, synthetic, tmp_path / f"pupils.{lang}.xlsx", lang=lang)
    source = readers.read_source(path)
    mapping = headers_module.map_headers(source.headers, dataset)
    assert mapping.unmapped == []
    assert list(mapping.columns) == dataset.field_names
