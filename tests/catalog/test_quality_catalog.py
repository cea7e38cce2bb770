"""The comprehensive-quality datasets and their code tables: declared, sourced, and turned into templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from edubrain.catalog import Catalog
from edubrain.catalog.models import ReferenceRule
from edubrain.catalog.template_xlsx import write_template
from edubrain.exchange.headers import map_headers

STUDENT_RECORDS = ("student_activities", "student_awards", "student_conduct", "info_literacy")
CODE_TABLES = {
    "quality_domain": ["1", "2", "3", "4", "5"],
    "activity_type": ["11", "12", "21", "22", "23", "24", "25"],
    "conduct_type": ["1", "2", "3"],
    "conduct_rating": ["1", "2", "3", "4"],
    "literacy_dimension": ["1", "2", "3", "4"],
    "portfolio_category": ["1", "2", "3", "4"],
}


def test_quality_code_tables_accept_their_codes_and_not_the_headings(catalog: Catalog) -> None:
    for table_id, codes in CODE_TABLES.items():
        assert catalog.code_table(table_id).valid_codes() == codes, table_id
    assert catalog.code_table("activity_type").label("1") == "艺术素养"  # a heading, not submittable


def test_quality_code_tables_cite_two_sources_and_say_what_was_confirmed(catalog: Catalog) -> None:
    for table_id in CODE_TABLES:
        table = catalog.code_table(table_id)
        assert len(table.sources) >= 2, table_id
        assert all("http" in source or "shared/seed" in source for source in table.sources), table_id
    # the Beijing document numbers that could not be confirmed are no longer cited
    assert "京教基二〔2018〕1号" not in " ".join(catalog.code_table("quality_domain").sources)
    assert "学籍管理办法》：学生操行" not in " ".join(catalog.code_table("conduct_rating").sources)
    assert "待合格" in (catalog.code_table("conduct_rating").notes or "")


def test_quality_student_records_refer_to_the_schools_roster(catalog: Catalog) -> None:
    for dataset_id in STUDENT_RECORDS:
        dataset = catalog.dataset(dataset_id)
        rules = [r for r in dataset.rules if isinstance(r, ReferenceRule)]
        assert [(r.dataset, r.fields, r.to) for r in rules] == [
            ("students", ["student_id", "school_code"], ["student_id", "school_code"])
        ], dataset_id
        assert dataset.field("student_id").classification == "L4"
        assert dataset.field("student_id").pii == "student_number"
        assert dataset.org_field == "school_code"
    portfolio = catalog.dataset("teacher_portfolio")
    assert [r.dataset for r in portfolio.rules if isinstance(r, ReferenceRule)] == ["teachers"]


def test_quality_field_code_tables_and_ranges(catalog: Catalog) -> None:
    assert catalog.dataset("student_activities").field("activity_type").code_table == "activity_type"
    assert catalog.dataset("student_awards").field("domain").code_table == "quality_domain"
    assert catalog.dataset("student_awards").field("award_level").code_table == "training_type"
    assert catalog.dataset("student_conduct").field("rating").code_table == "conduct_rating"
    score = catalog.dataset("info_literacy").field("score")
    assert (score.minimum, score.maximum) == (0, 100)
    assert catalog.dataset("info_literacy").primary_key == ["student_id", "school_year", "dimension"]


def test_quality_chinese_titles_map_back_to_their_fields(catalog: Catalog) -> None:
    for dataset_id in (*STUDENT_RECORDS, "teacher_portfolio"):
        dataset = catalog.dataset(dataset_id)
        mapping = map_headers([spec.title_zh for spec in dataset.fields], dataset)
        assert not mapping.unmapped and not mapping.duplicates, dataset_id
        assert list(mapping.columns) == dataset.field_names, dataset_id


def _validation_for(sheet: Worksheet, column: str) -> DataValidation:
    matches = [dv for dv in sheet.data_validations.dataValidation if f"{column}2:{column}" in str(dv.sqref)]
    assert len(matches) == 1, column
    return matches[0]


def _range_values(book_path: Path, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    book = load_workbook(book_path)
    return [str(row[0].value) for row in book[sheet_name.strip("'")][cells.replace("$", "")]]


@pytest.fixture
def activities_template(catalog: Catalog, tmp_path: Path) -> Path:
    return write_template(catalog.dataset("student_activities"), catalog, tmp_path / "activities.xlsx")


def test_quality_activities_template_has_chinese_headers(activities_template: Path) -> None:
    book = load_workbook(activities_template)
    assert book.sheetnames[0] == "学生综合实践与艺术活动"
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers == [
        "记录编号",
        "全国学籍号",
        "学校标识码",
        "学年",
        "学期",
        "活动类别",
        "活动名称",
        "活动日期",
        "学时",
    ]


def test_quality_activities_template_drop_down_offers_the_activity_codes_without_headings(
    activities_template: Path,
) -> None:
    sheet = load_workbook(activities_template).worksheets[0]
    rule = _validation_for(sheet, "F")
    assert rule.type == "list"
    assert _range_values(activities_template, rule.formula1) == ["11", "12", "21", "22", "23", "24", "25"]
    assert "22 志愿服务" in (rule.prompt or "")
    hours = _validation_for(sheet, "I")
    assert (hours.type, hours.formula1, hours.formula2) == ("decimal", "0", "200")


def test_quality_conduct_template_offers_the_four_ratings(catalog: Catalog, tmp_path: Path) -> None:
    path = write_template(catalog.dataset("student_conduct"), catalog, tmp_path / "conduct.xlsx")
    sheet = load_workbook(path).worksheets[0]
    rule = _validation_for(sheet, "G")
    assert _range_values(path, rule.formula1) == ["1", "2", "3", "4"]
