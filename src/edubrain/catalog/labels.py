"""Readers' names for the catalog's declarations: field types, ranges, code tables, levels, rules.

Shared by the generated catalog pages (``catalog.docs``), the Excel template and the web catalog pages, so all of
them say the same thing in Chinese and in English.
"""

from __future__ import annotations

from edubrain.catalog.models import CodeTable, Dataset, FieldSpec, Rule
from edubrain.catalog.registry import Catalog

LANGS = ("zh", "en")

TYPE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "string": "文本",
        "integer": "整数",
        "number": "数值",
        "date": "日期（YYYY-MM-DD）",
        "boolean": "是/否",
        "code": "代码",
    },
    "en": {
        "string": "text",
        "integer": "whole number",
        "number": "number",
        "date": "date (YYYY-MM-DD)",
        "boolean": "true/false",
        "code": "code",
    },
}
"""A reader's name for each catalog field type."""

FREQUENCY_ZH = {
    "daily": "每日",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "termly": "每学期",
    "yearly": "每年",
}


RULE_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "reference": "{fields} 须对应数据集 {target} 中的 {to}",
        "id_birth_date": "{id_field} 中的出生日期须与 {birth_date_field} 一致",
        "id_sex": "{id_field} 第 17 位（奇数为男、偶数为女）须与 {sex_field} 一致",
        "student_number_id": "以 G 开头的 {student_number_field} 须为 G + 本人的 {id_field}",
        "age_for_grade": "按学年 8 月 31 日计算的年龄须与 {grade_field} 相符"
        "（依据 {birth_date_field}，允许相差 {tolerance_years} 岁）",
        "compare": "{title}（`{left} {op} {right}`）",
        "group_sum_max": "{title}（按 {group_by} 分组，{field} 之和 ≤ {maximum}）",
    },
    "en": {
        "reference": "{fields} must match {to} in the dataset {target}",
        "id_birth_date": "The birth date in {id_field} must equal {birth_date_field}",
        "id_sex": "The 17th digit of {id_field} (odd male, even female) must agree with {sex_field}",
        "student_number_id": "A {student_number_field} starting with G must be G "
        "followed by the student's own {id_field}",
        "age_for_grade": "Age on 31 August of the school year must fit "
        "{grade_field} (from {birth_date_field}, within {tolerance_years} years)",
        "compare": "{title} (`{left} {op} {right}`)",
        "group_sum_max": "{title} (grouped by {group_by}, sum of {field} ≤ {maximum})",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is ``zh`` or ``en``.

    Raises:
        ValueError: any other language.

    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def type_label(field_type: str, lang: str = "zh") -> str:
    """Name a catalog field type for readers (``integer`` -> ``整数``)."""
    return TYPE_LABELS[check_lang(lang)][field_type]


def number_text(value: float) -> str:
    """Write a number without a useless ``.0`` (``2000.0`` -> ``2000``)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def range_text(spec: FieldSpec) -> str:
    """Describe the range of a numeric field (``0–100``, ``≥ 0``), else ``""``."""
    if spec.type not in ("integer", "number"):
        return ""
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None:
        return f"{number_text(low)}–{number_text(high)}"
    if low is not None:
        return f"≥ {number_text(low)}"
    if high is not None:
        return f"≤ {number_text(high)}"
    return ""


def code_table_label(table: CodeTable, lang: str = "zh") -> str:
    """Name a code table with its id: ``人的性别代码（sex）``."""
    if check_lang(lang) == "zh":
        return f"{table.title_zh}（{table.id}）"
    return f"{table.title_en} ({table.id})"


def level_label(catalog: Catalog, level_id: str, lang: str = "zh") -> str:
    """Name a classification level: ``L3 个人信息``."""
    level = catalog.levels.get(level_id)
    if level is None:
        return level_id
    return f"{level.id} {level.title_zh if lang == 'zh' else level.title_en}"


def _field_ref(dataset: Dataset, name: str, lang: str) -> str:
    spec = dataset.field(name)
    if lang == "zh":
        return f"{spec.title_zh}（`{name}`）"
    return f"{spec.title_en} (`{name}`)"


def dataset_link(catalog: Catalog, dataset_id: str, lang: str) -> str:
    """Link a dataset's catalog page by its title in ``lang`` (its id in backticks when it is not declared)."""
    target = catalog.datasets.get(dataset_id)
    if target is None:
        return f"`{dataset_id}`"
    title = target.title_zh if lang == "zh" else target.title_en
    return f"[{title}]({dataset_id}.md)"


def rule_text(rule: Rule, dataset: Dataset, catalog: Catalog, lang: str = "zh") -> str:
    """Describe one validation rule in a sentence in ``lang``."""
    values: dict[str, object] = dict(rule.model_dump())
    for key, value in list(values.items()):
        if key.endswith("_field") and isinstance(value, str):
            values[key] = _field_ref(dataset, value, lang)
    if rule.kind == "reference":
        joiner = "、" if lang == "zh" else ", "
        values["fields"] = joiner.join(_field_ref(dataset, f, lang) for f in rule.fields)
        values["to"] = joiner.join(f"`{name}`" for name in rule.to)
        values["target"] = dataset_link(catalog, rule.dataset, lang)
    elif rule.kind == "group_sum_max":
        values["group_by"] = ", ".join(f"`{name}`" for name in rule.group_by)
        values["field"] = f"`{rule.field}`"
        values["maximum"] = number_text(rule.maximum)
    title = values.get("title_zh" if lang == "zh" else "title_en")
    values["title"] = title or ""
    sentence = RULE_TEXT[check_lang(lang)][rule.kind].format(**values)
    if rule.kind == "reference" and title:
        sentence += f"：{title}" if lang == "zh" else f": {title}"
    return sentence


__all__ = [
    "FREQUENCY_ZH",
    "TYPE_LABELS",
    "check_lang",
    "code_table_label",
    "dataset_link",
    "level_label",
    "number_text",
    "range_text",
    "rule_text",
    "type_label",
]
