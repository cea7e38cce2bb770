"""The Excel template a school or district fills in for one dataset.

Sheets, in order:

1. the data sheet (named after the dataset): one header per field, in
   Chinese (``title_zh``) or English (``title_en``), bold and frozen, red
   when required; each column has an input prompt and, where Excel can
   check it, a data validation (code drop-down, whole/decimal range, date,
   yes/no, fixed text length). Text and code columns are formatted as text
   (``@``) so leading zeros survive;
2. ``填写说明`` / ``Instructions``: general rules, then one row per column;
3. ``代码表`` / ``Codes`` (when the dataset has code fields): each code table
   used, code and name; the drop-downs point at it.

The exchange maps headers back to fields through each field's name, titles
and aliases; :func:`titles_not_in_aliases` lists headers that rely on the
titles (today every ``title_en``, no ``title_zh``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from edubrain.catalog.labels import (
    check_lang,
    code_table_label,
    level_label,
    number_text,
    range_text,
    type_label,
)
from edubrain.catalog.models import Code, CodeTable, Dataset, FieldSpec
from edubrain.catalog.registry import Catalog

LAST_ROW = 1_048_576
"""Excel's last row: validations cover the whole column below the header."""

REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
_FIXED_LENGTH = re.compile(r"^\^\[[^\]]+\]\{(\d+)\}\$$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

BOOLEAN_CHOICES: dict[str, tuple[str, str]] = {
    "zh": ("是", "否"),
    "en": ("true", "false"),
}
"""Drop-down values of a yes/no column; validation must read them as true/false."""

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "instructions_sheet": "填写说明",
        "codes_sheet": "代码表",
        "instructions_title": "《{title}》填写说明",
        "code_name": "代码|名称",
        "columns": "表头|字段名|类型|必填|单位|取值范围|格式（正则）|代码表|分级|说明",
        "required": "必填",
        "unit": "单位",
        "yes": "是",
        "choices": "可选：",
        "more": "…（见代码表）",
        "sep": "；",
        "error_title": "填写有误",
        "error": "“{header}”的值不符合要求：",
    },
    "en": {
        "instructions_sheet": "Instructions",
        "codes_sheet": "Codes",
        "instructions_title": "How to fill in: {title}",
        "code_name": "Code|Name",
        "columns": "Header|Field|Type|Required|Unit|Range|Pattern|Code table|Classification|Description",
        "required": "required",
        "unit": "unit",
        "yes": "yes",
        "choices": "one of: ",
        "more": "... (see Codes)",
        "sep": "; ",
        "error_title": "Invalid value",
        "error": "The value of '{header}' is not allowed: ",
    },
}

NOTES: dict[str, list[str]] = {
    "zh": [
        "在工作表“{sheet}”第 2 行起逐行填写，每行一条记录；不要修改、删除或调换第 1 行的表头。",
        "红色表头为必填项；主键为 {keys}，同一主键的记录不得重复。",
        "代码列只填代码，可从下拉列表选择；代码的含义见“代码表”工作表。",
        "日期按 YYYY-MM-DD 填写，如 2015-09-01；是/否列填“是”或“否”。",
        "文本列（如学校标识码）已设为文本格式，前导零会保留；从其他表格粘贴时请用“选择性粘贴 → 数值”。",
        "各列的数据分级见下表；含个人信息的文件须加密传输、妥善保管。",
    ],
    "en": [
        "Fill in the sheet '{sheet}' from row 2, one record per row; do not edit, "
        "delete or reorder the headers in row 1.",
        "Red headers are required; the key is {keys}: no two rows may share it.",
        "Code columns take the code only (pick it from the drop-down); the codes "
        "and their meanings are on the sheet 'Codes'.",
        "Dates as YYYY-MM-DD, e.g. 2015-09-01; yes/no columns take true or false.",
        "Text columns (e.g. school codes) are formatted as text so leading zeros "
        "are kept; paste from other files as values only.",
        "Each column's classification level is listed below; files holding "
        "personal information must be encrypted in transit and kept safe.",
    ],
}
COLUMN_WIDTHS = [20, 22, 12, 6, 8, 14, 24, 28, 18, 48]


def header_title(spec: FieldSpec, lang: str = "zh") -> str:
    """Return the header written for ``spec`` in a template in ``lang``."""
    return spec.title_zh if check_lang(lang) == "zh" else spec.title_en


def template_headers(dataset: Dataset, lang: str = "zh") -> list[str]:
    """Return the data-sheet headers of ``dataset``'s template, in field order."""
    return [header_title(spec, lang) for spec in dataset.fields]


def titles_not_in_aliases(catalog: Catalog, lang: str) -> list[tuple[str, str, str]]:
    """List template headers that are not among their field's aliases.

    Such a header loads only because the exchange's header mapping also
    matches ``title_zh`` and ``title_en``, not just the aliases.

    Returns:
        ``(dataset id, field name, header)`` for each such field.

    """
    return [
        (ds.id, spec.name, header_title(spec, lang))
        for ds in sorted(catalog.datasets.values(), key=lambda d: d.id)
        for spec in ds.fields
        if header_title(spec, lang) not in spec.aliases
    ]


def sheet_title(text: str) -> str:
    r"""Make ``text`` a legal sheet name (no ``[]:*?/\``, 31 characters at most)."""
    return _SHEET_FORBIDDEN.sub("_", text)[:31] or "Sheet"


def fixed_length(pattern: str | None) -> int | None:
    """Return the length forced by a pattern like ``^[0-9]{10}$``, else None."""
    match = _FIXED_LENGTH.match(pattern or "")
    return int(match.group(1)) if match else None


def column_width(spec: FieldSpec, header: str) -> float:
    """Return a column width (in characters) fitting the header and values."""
    header_width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in header)
    hints = {"date": 12, "integer": 10, "number": 10, "boolean": 8, "code": 10}
    hint = hints.get(spec.type, 16)
    length = fixed_length(spec.pattern)
    if length:
        hint = length + 3
    return float(min(max(header_width + 4, hint), 40))


def usable_codes(table: CodeTable) -> list[Code]:
    """Return the codes a new row may carry (no legacy codes, no category headings)."""
    valid = set(table.valid_codes())
    return [c for c in table.codes if c.code in valid]


def code_prompt(table: CodeTable, lang: str = "zh", limit: int = 180) -> str:
    """List the valid codes and names (``可选：1 男，2 女``), cut at ``limit``."""
    text = TEXT[check_lang(lang)]
    joiner = "，" if lang == "zh" else ", "
    pairs = [f"{c.code} {c.zh if lang == 'zh' else c.en}" for c in usable_codes(table)]
    listed = text["choices"] + joiner.join(pairs)
    if len(listed) > limit:
        listed = listed[: limit - len(text["more"])] + text["more"]
    return listed


def field_summary(spec: FieldSpec, catalog: Catalog, lang: str = "zh") -> str:
    """Summarise a column in one line: type, required, range, unit, codes."""
    text = TEXT[check_lang(lang)]
    parts = [type_label(spec.type, lang)]
    if spec.required:
        parts.append(text["required"])
    if range_text(spec):
        parts.append(range_text(spec))
    if spec.unit:
        parts.append(f"{text['unit']} {spec.unit}")
    if spec.code_table:
        parts.append(code_prompt(catalog.code_table(spec.code_table), lang))
    return text["sep"].join(parts)


def instruction_row(spec: FieldSpec, catalog: Catalog, lang: str = "zh") -> list[str]:
    """Return the row of the instructions table that explains ``spec``.

    Returns:
        Header, field name, type, required, unit, range, pattern, code table,
        classification level and description, as text.

    """
    text = TEXT[check_lang(lang)]
    table = code_table_label(catalog.code_table(spec.code_table), lang) if spec.code_table else ""
    description = spec.description_zh if lang == "zh" else spec.description_en
    return [
        header_title(spec, lang),
        spec.name,
        type_label(spec.type, lang),
        text["yes"] if spec.required else "",
        spec.unit or "",
        range_text(spec),
        spec.pattern or "",
        table,
        level_label(catalog, spec.classification, lang),
        description or "",
    ]


def _code_tables(dataset: Dataset, catalog: Catalog) -> list[CodeTable]:
    ids = dict.fromkeys(s.code_table for s in dataset.fields if s.code_table)
    return [catalog.code_table(table_id) for table_id in ids if table_id]


def _write_code_sheet(sheet: Worksheet, tables: list[CodeTable], lang: str) -> dict[str, str]:
    """Fill the code sheet; return table id -> drop-down range formula."""
    code_label, name_label = TEXT[lang]["code_name"].split("|")
    ranges: dict[str, str] = {}
    for index, table in enumerate(tables):
        col = 3 * index + 1
        letter = get_column_letter(col)
        title = sheet.cell(1, col, code_table_label(table, lang))
        title.font = HEADER_FONT
        title.comment = Comment(table.standard, "EduBrain", width=300, height=100)
        sheet.cell(2, col, code_label).font = HEADER_FONT
        sheet.cell(2, col + 1, name_label).font = HEADER_FONT
        codes = usable_codes(table)
        for row, code in enumerate(codes, start=3):
            sheet.cell(row, col, code.code).number_format = TEXT_FORMAT
            sheet.cell(row, col + 1, code.zh if lang == "zh" else code.en)
        sheet.column_dimensions[letter].width = 10
        sheet.column_dimensions[get_column_letter(col + 1)].width = 28
        last = 2 + len(codes)
        ranges[table.id] = f"{quote_sheetname(sheet.title)}!${letter}$3:${letter}${last}"
    sheet.freeze_panes = "A3"
    sheet.protection.sheet = True
    return ranges


def _rule(spec: FieldSpec, code_ranges: dict[str, str], lang: str) -> DataValidation:
    """Build the Excel check for one column (type ``None``: any value, prompt only)."""
    if spec.type == "code" and spec.code_table:
        return DataValidation(type="list", formula1=code_ranges[spec.code_table])
    if spec.type == "boolean":
        return DataValidation(type="list", formula1=f'"{",".join(BOOLEAN_CHOICES[lang])}"')
    if spec.type in ("integer", "number"):
        low = number_text(spec.minimum if spec.minimum is not None else -1e15)
        high = number_text(spec.maximum if spec.maximum is not None else 1e15)
        kind = "whole" if spec.type == "integer" else "decimal"
        return DataValidation(type=kind, operator="between", formula1=low, formula2=high)
    if spec.type == "date":
        low, high = (str(int(to_excel(day))) for day in DATE_RANGE)
        return DataValidation(type="date", operator="between", formula1=low, formula2=high)
    length = fixed_length(spec.pattern)
    if length:
        return DataValidation(type="textLength", operator="equal", formula1=str(length))
    return DataValidation()


def _column_validation(spec: FieldSpec, catalog: Catalog, code_ranges: dict[str, str], lang: str) -> DataValidation:
    rule = _rule(spec, code_ranges, lang)
    header = header_title(spec, lang)
    prompt = field_summary(spec, catalog, lang)
    rule.allow_blank = not spec.required
    rule.showInputMessage = True
    rule.promptTitle = header[:32]
    rule.prompt = prompt[:250]
    if rule.type is not None:
        rule.showErrorMessage = True
        rule.errorTitle = TEXT[lang]["error_title"]
        rule.error = (TEXT[lang]["error"].format(header=header) + prompt)[:220]
    return rule


def _header_comment(spec: FieldSpec, catalog: Catalog, lang: str) -> Comment:
    description = spec.description_zh if lang == "zh" else spec.description_en
    lines = [
        f"{header_title(spec, lang)} ({spec.name})",
        field_summary(spec, catalog, lang),
    ]
    lines += [line for line in (spec.pattern, description) if line]
    return Comment("\n".join(lines), "EduBrain", width=300, height=160)


def _write_data_sheet(
    sheet: Worksheet,
    dataset: Dataset,
    catalog: Catalog,
    code_ranges: dict[str, str],
    lang: str,
) -> None:
    for col, spec in enumerate(dataset.fields, start=1):
        letter = get_column_letter(col)
        header = header_title(spec, lang)
        cell = sheet.cell(1, col, header)
        cell.font = REQUIRED_FONT if spec.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = _header_comment(spec, catalog, lang)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column_width(spec, header)
        if spec.type in ("string", "code"):
            dimension.number_format = TEXT_FORMAT
        elif spec.type == "date":
            dimension.number_format = DATE_FORMAT
        rule = _column_validation(spec, catalog, code_ranges, lang)
        rule.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _write_instructions(sheet: Worksheet, dataset: Dataset, catalog: Catalog, data_sheet: str, lang: str) -> None:
    text = TEXT[lang]
    title = dataset.title_zh if lang == "zh" else dataset.title_en
    heading = sheet.cell(1, 1, text["instructions_title"].format(title=title))
    heading.font = Font(bold=True, size=14)
    sheet.cell(2, 1, dataset.description_zh if lang == "zh" else dataset.description_en)
    keys = "、".join(header_title(dataset.field(k), lang) for k in dataset.primary_key)
    notes = [note.format(sheet=data_sheet, keys=keys) for note in NOTES[lang]]
    for row, note in enumerate(notes, start=3):
        sheet.cell(row, 1, f"{row - 2}. {note}")
    header_row = 4 + len(notes)
    for col, label in enumerate(text["columns"].split("|"), start=1):
        sheet.cell(header_row, col, label).font = HEADER_FONT
        sheet.cell(header_row, col).fill = HEADER_FILL
    for row, spec in enumerate(dataset.fields, start=header_row + 1):
        for col, value in enumerate(instruction_row(spec, catalog, lang), start=1):
            sheet.cell(row, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)


def write_template(dataset: Dataset, catalog: Catalog, out_path: Path, lang: str = "zh") -> Path:
    """Write the Excel template of ``dataset`` to ``out_path``.

    Args:
        dataset: The dataset the template is for.
        catalog: The catalog holding its code tables and classification levels.
        out_path: The ``.xlsx`` file to write (parent folders are created).
        lang: ``zh`` (Chinese headers and instructions) or ``en``.

    Returns:
        ``out_path``.

    Raises:
        ValueError: ``lang`` is neither ``zh`` nor ``en``.
        CatalogError: a code field names a code table the catalog lacks.

    """
    text = TEXT[check_lang(lang)]
    book = Workbook()
    data = book.worksheets[0]
    data.title = sheet_title(dataset.title_zh if lang == "zh" else dataset.title_en)
    instructions = book.create_sheet(text["instructions_sheet"])
    tables = _code_tables(dataset, catalog)
    code_ranges: dict[str, str] = {}
    if tables:
        code_ranges = _write_code_sheet(book.create_sheet(text["codes_sheet"]), tables, lang)
    _write_data_sheet(data, dataset, catalog, code_ranges, lang)
    _write_instructions(instructions, dataset, catalog, data.title, lang)
    book.properties.title = text["instructions_title"].format(title=data.title)
    book.properties.creator = "EduBrain"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    book.save(out_path)
    return out_path


__all__ = [
    "BOOLEAN_CHOICES",
    "code_prompt",
    "column_width",
    "field_summary",
    "fixed_length",
    "header_title",
    "instruction_row",
    "sheet_title",
    "template_headers",
    "titles_not_in_aliases",
    "usable_codes",
    "write_template",
]
