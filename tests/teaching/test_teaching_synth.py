"""The item-level synthetic exams: reproducible, in the generated city for the last two years, with a template."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from openpyxl import load_workbook

from edubrain.catalog import Catalog
from edubrain.catalog.template_xlsx import template_headers, write_template
from edubrain.synth.config import SynthConfig
from edubrain.synth.exam_items import exam_item_results
from edubrain.synth.generate import YEARLY, generate


def _pupils() -> pl.DataFrame:
    return pl.DataFrame(
        {"student_id": ["G110108201301010011", "G110108201301010022"] * 15, "school": "1101080001", "class_id": "C1",
         "grade": [4, 7] * 15, "ability": [0.1 * i for i in range(30)]},
        schema_overrides={"grade": pl.Int8},
    )  # fmt: skip


def test_teaching_item_results_are_reproducible_and_one_exam_per_grade() -> None:
    first = exam_item_results(_pupils(), seed=5, district_index=2, year=2025)
    assert first.equals(exam_item_results(_pupils(), seed=5, district_index=2, year=2025))
    assert not first.equals(exam_item_results(_pupils(), seed=6, district_index=2, year=2025))
    assert sorted(first.get_column("exam_id").unique()) == ["IA110108000120251514", "IA110108000120252214"]
    assert (first.get_column("score") <= first.get_column("max_score")).all()


def test_teaching_generated_city_has_item_results_for_the_last_two_years(tmp_path: Path, catalog: Catalog) -> None:
    assert YEARLY.index("exam_item_results") == YEARLY.index("exam_scores") + 1  # after the roster it references
    config = SynthConfig(scale=0.002, years=3, end_year=2025, out=tmp_path / "city", districts=("110101",), seed=3)
    manifest = generate(config, catalog)
    items = manifest.filter(pl.col("dataset") == "exam_item_results")
    assert set(items.get_column("school_year")) == {2024, 2025} and items.get_column("rows").sum() > 0
    first = tmp_path / "city" / items.get_column("path")[0]
    header = first.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["考试编号", "学校标识码"] or header[:2] == ["exam_id", "school_code"]


def test_teaching_xlsx_template_is_generated_from_the_catalog(tmp_path: Path, catalog: Catalog) -> None:
    dataset = catalog.dataset("exam_item_results")
    path = write_template(dataset, catalog, tmp_path / "exam_item_results.xlsx")
    sheet = load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[1]][: len(template_headers(dataset))] == template_headers(dataset)
    assert "题号" in template_headers(dataset) and "作答选项" in template_headers(dataset)
