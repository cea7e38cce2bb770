"""Tests for the generated catalog pages (synthetic catalog, plus a freshness check)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edubrain.catalog.docs import (
    GENERATED_MARK,
    render_dataset_markdown,
    render_index_markdown,
    write_catalog_docs,
)
from edubrain.catalog.labels import range_text, rule_text
from edubrain.catalog.models import ClassificationLevel, Code, CodeTable, Dataset, FieldSpec
from edubrain.catalog.registry import Catalog, load_catalog
from edubrain.errors import CatalogError

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "catalog"


def _field(name: str, title_zh: str, kind: str, **extra: object) -> dict[str, object]:
    title_en = name.replace("_", " ").capitalize()
    return {"name": name, "title_zh": title_zh, "title_en": title_en, "type": kind, **extra}


def _dataset(dataset_id: str, title_zh: str, fields: list[dict], **extra: object) -> Dataset:
    return Dataset.model_validate(
        {
            "id": dataset_id,
            "title_zh": title_zh,
            "title_en": f"Synthetic {dataset_id}",
            "description_zh": f"{title_zh}的合成说明。",
            "description_en": f"Synthetic description of {dataset_id}.",
            "owner_level": "school",
            "primary_key": [fields[0]["name"]],
            "org_field": "school_code",
            "sharing": "conditional",
            "update_frequency": "termly",
            "fields": fields,
            **extra,
        }
    )


@pytest.fixture
def synthetic() -> Catalog:
    """Two datasets; the second has one rule of each kind the pages describe."""
    school_code = _field("school_code", "学校标识码", "string", required=True, pattern="^[0-9]{10}$")
    schools = _dataset("schools", "合成学校", [school_code])
    pupils = _dataset(
        "pupils",
        "合成学生",
        [
            _field("pupil_id", "学生编号", "string", required=True, classification="L3"),
            school_code,
            _field("sex", "性别", "code", code_table="sex", aliases=["性别", "sex"]),
            _field("id_number", "身份证件号", "string", classification="L4"),
            _field("birth_date", "出生日期", "date"),
            _field("grade", "年级", "string"),
            _field("start_date", "开始日期", "date"),
            _field("end_date", "结束日期", "date"),
            _field("hours", "学时", "number", unit="学时", minimum=0, maximum=8784),
        ],
        derived_from=["schools"],
        rules=[
            {
                "kind": "reference",
                "fields": ["school_code"],
                "dataset": "schools",
                "to": ["school_code"],
                "title_zh": "学校须已登记",
                "title_en": "school must exist",
            },
            {"kind": "id_birth_date", "id_field": "id_number", "birth_date_field": "birth_date"},
            {"kind": "id_sex", "id_field": "id_number", "sex_field": "sex"},
            {"kind": "student_number_id", "student_number_field": "pupil_id", "id_field": "id_number"},
            {"kind": "age_for_grade", "birth_date_field": "birth_date", "grade_field": "grade"},
            {
                "kind": "compare",
                "left": "end_date",
                "op": ">=",
                "right": "start_date",
                "title_zh": "结束不早于开始",
                "title_en": "end not before start",
            },
            {
                "kind": "group_sum_max",
                "group_by": ["pupil_id"],
                "field": "hours",
                "maximum": 8784,
                "title_zh": "学时不超过全年小时数",
                "title_en": "hours within a year",
            },
        ],
    )
    sex = CodeTable(
        id="sex",
        title_zh="性别",
        title_en="Sex",
        standard="GB/T 2261.1",
        sources=["synthetic"],
        codes=[
            Code(code="1", zh="男", en="Male", aliases=["M"]),
            Code(code="9", zh="旧代码", en="Old", legacy=True),
            Code(code="0", zh="分类", en="Heading", category=True),
        ],
    )
    levels = {
        lv: ClassificationLevel(id=lv, rank=r, title_zh=zh, title_en=en, description_zh="-", description_en="-")
        for r, (lv, zh, en) in enumerate(
            [("L2", "内部", "Internal"), ("L3", "个人信息", "Personal"), ("L4", "敏感个人信息", "Sensitive")], start=2
        )
    }
    return Catalog(datasets={"schools": schools, "pupils": pupils}, code_tables={"sex": sex}, levels=levels)


def test_render_dataset_markdown_zh_has_title_properties_fields_and_rules(synthetic: Catalog) -> None:
    page = render_dataset_markdown(synthetic.dataset("pupils"), synthetic, "zh")
    assert page.startswith("# 合成学生（`pupils`）\n")
    assert "| 共享属性 | 有条件共享 |" in page
    assert "| 更新频率 | 每学期 |" in page
    assert "| 最高分级 | L4 敏感个人信息 |" in page
    assert "| 来源数据集 | [合成学校](schools.md) |" in page
    assert "| `hours` | 学时 | 数值 |  | 0–8784；单位 学时 |" in page
    assert "[性别（sex）](code_tables.md#sex)" in page
    assert "## 校验规则" in page
    assert page.count("\n- ") == len(synthetic.dataset("pupils").rules)


def test_render_dataset_markdown_en_uses_english_titles(synthetic: Catalog) -> None:
    page = render_dataset_markdown(synthetic.dataset("pupils"), synthetic, "en")
    assert page.startswith("# Synthetic pupils (`pupils`)\n")
    assert "| Sharing | Shared on conditions |" in page
    assert "## Validation rules" in page
    assert "| `pupil_id` | Pupil id | text | yes |" in page
    assert "学生编号" not in page


def test_render_dataset_markdown_escapes_pipes_in_cells(synthetic: Catalog) -> None:
    spec = synthetic.dataset("schools").fields[0].model_copy(update={"pattern": "^(A|B)$"})
    dataset = synthetic.dataset("schools").model_copy(update={"fields": [spec]})
    assert "`^(A\\|B)$`" in render_dataset_markdown(dataset, synthetic, "zh")


@pytest.mark.parametrize(
    ("index", "zh_part"),
    [
        (0, "学校标识码（`school_code`） 须对应数据集 [合成学校](schools.md) 中的 `school_code`：学校须已登记"),
        (1, "身份证件号（`id_number`） 中的出生日期须与 出生日期（`birth_date`） 一致"),
        (2, "第 17 位"),
        (3, "以 G 开头的 学生编号（`pupil_id`）"),
        (4, "允许相差 2 岁"),
        (5, "结束不早于开始（`end_date >= start_date`）"),
        (6, "按 `pupil_id` 分组，`hours` 之和 ≤ 8784"),
    ],
)
def test_rule_text_describes_each_rule_kind(synthetic: Catalog, index: int, zh_part: str) -> None:
    dataset = synthetic.dataset("pupils")
    assert zh_part in rule_text(dataset.rules[index], dataset, synthetic, "zh")
    assert not re.search(r"[\u4e00-\u9fff]", rule_text(dataset.rules[index], dataset, synthetic, "en"))


def test_range_text_covers_open_and_closed_ranges() -> None:
    def spec(**bounds: float) -> FieldSpec:
        return FieldSpec(name="x", title_zh="x", title_en="x", type="number", **bounds)

    assert range_text(spec(minimum=0, maximum=1.5)) == "0–1.5"
    assert range_text(spec(minimum=-40)) == "≥ -40"
    assert range_text(spec(maximum=9)) == "≤ 9"
    assert range_text(spec()) == ""


def test_render_index_markdown_links_every_dataset(synthetic: Catalog) -> None:
    index = render_index_markdown(synthetic, "zh")
    assert "[合成学校](schools.md)" in index and "[合成学生](pupils.md)" in index
    assert "| L4 | 敏感个人信息 | - |" in index


def test_write_catalog_docs_writes_index_code_tables_and_one_page_per_dataset(
    synthetic: Catalog, tmp_path: Path
) -> None:
    written = write_catalog_docs(synthetic, tmp_path / "docs")
    assert [p.name for p in written] == ["README.md", "code_tables.md", "pupils.md", "schools.md"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(GENERATED_MARK)
        for target in re.findall(r"\]\(([a-z_]+\.md)", text):
            assert (tmp_path / "docs" / target).is_file(), f"{path.name} links to missing {target}"


def test_write_catalog_docs_puts_chinese_before_english(synthetic: Catalog, tmp_path: Path) -> None:
    write_catalog_docs(synthetic, tmp_path)
    page = (tmp_path / "pupils.md").read_text(encoding="utf-8")
    assert page.index("# 合成学生") < page.index("\n---\n") < page.index("# Synthetic pupils")
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert index.index("# 数据目录") < index.index("# Data catalog")


def test_write_catalog_docs_code_tables_page_marks_legacy_codes_headings_and_aliases(
    synthetic: Catalog, tmp_path: Path
) -> None:
    write_catalog_docs(synthetic, tmp_path)
    page = (tmp_path / "code_tables.md").read_text(encoding="utf-8")
    assert '<a id="sex"></a>' in page
    assert "| `1` | 男 | Male | M |" in page
    assert "| `9` | 旧代码 | Old | 已停用 / legacy |" in page
    assert "| `0` | 分类 | Heading | 分类标题 / category heading |" in page


def test_write_catalog_docs_removes_stale_generated_pages_only(synthetic: Catalog, tmp_path: Path) -> None:
    (tmp_path / "dropped.md").write_text(f"{GENERATED_MARK}\n\n# old\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# hand-written\n", encoding="utf-8")
    write_catalog_docs(synthetic, tmp_path)
    assert not (tmp_path / "dropped.md").exists()
    assert (tmp_path / "notes.md").exists()


def test_render_dataset_markdown_rejects_unknown_language(synthetic: Catalog) -> None:
    with pytest.raises(ValueError, match="lang"):
        render_dataset_markdown(synthetic.dataset("pupils"), synthetic, "de")


def test_docs_catalog_pages_match_the_packaged_catalog(tmp_path: Path) -> None:
    if not DOCS_DIR.is_dir():
        pytest.skip("docs/catalog has not been generated")
    try:
        packaged = load_catalog()
    except CatalogError as exc:  # the registry's own tests report a broken catalog
        pytest.skip(f"packaged catalog does not load: {exc}")
    fresh = {p.name: p.read_text(encoding="utf-8") for p in write_catalog_docs(packaged, tmp_path)}
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS_DIR.glob("*.md")}
    stale = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert not stale, (
        f"docs/catalog is out of date ({', '.join(stale)}); regenerate with: .venv/bin/python -c "
        '"from pathlib import Path; from edubrain.catalog import get_catalog; '
        "from edubrain.catalog.docs import write_catalog_docs; "
        "write_catalog_docs(get_catalog(), Path('docs/catalog'))\""
    )
