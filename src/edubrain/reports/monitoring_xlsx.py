"""The 年度信息化监测报告 as an Excel workbook: one sheet per section, Chinese headers, frozen header rows.

Pure: a :class:`~edubrain.reports.monitoring_model.MonitoringReport` in, XLSX
bytes out. Values are the datasets' own numbers (not rounded); the cell format
rounds them for display (``0.0`` for percentages 0-100, ``0.00`` for other
units, ``0.0%`` for shares 0-1). Text is defused against formula injection
(:func:`edubrain.governance.export_safety.safe_cell`): school names come from
submissions.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from edubrain.governance.export_safety import safe_cell
from edubrain.reports.monitoring_model import STATUS, MonitoringReport
from edubrain.reports.monitoring_pdf import ROLES

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
PERCENT, DECIMAL, SHARE, INTEGER = "0.0", "0.00", "0.0%", "0"
Column = tuple[str, int, str | None]
"""A column: its header, its width in characters, and its number format (None: general)."""


def _sheet(book: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append([header for header, _, _ in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for i, (_, width, fmt) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = width
        if fmt is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
    sheet.freeze_panes = "A2"
    return sheet


def _cover(book: Workbook, r: MonitoringReport) -> None:
    rows: list[list[Any]] = [
        ["报告", r.title_zh], ["Report", r.title_en], ["监测范围", f"{r.area_zh}（{r.area_code}）"],
        ["学年", f"{r.year}—{r.year + 1}"], ["生成时间（UTC）", r.generated_at],
        ["小单元格最小人数", r.small_cell_min],
        *[[f"数据版本：{lin.title_zh}", f"{lin.dataset} v{lin.version if lin.version is not None else '—'}"]
          for lin in r.lineage],
    ]  # fmt: skip
    _sheet(book, "封面", [("项目", 22, None), ("内容", 90, None)], rows)


def _summary(book: Workbook, r: MonitoringReport) -> None:
    names = {g.id: g.name_zh for g in r.goals}
    rows: list[list[Any]] = []
    for g in r.goals:
        for x in g.lines:
            rows.append([
                names[x.goal], x.indicator_id, x.name_zh, x.unit_zh, x.value, x.numerator, x.denominator, x.target,
                "越高越好" if x.direction == "higher" else "越低越好", x.progress, STATUS[x.status][0], x.reason_zh,
                x.previous, x.change, x.change_reason_zh, x.schools, x.schools_met,
            ])  # fmt: skip
        for p in g.pending:
            rows.append([names[p.goal], "", p.name_zh, "", None, None, None, None, "", None,
                         STATUS["not_measured"][0], p.reason_zh, None, None, "", None, None])  # fmt: skip
    columns: list[Column] = [
        ("目标（七个全面）", 24, None), ("指标编号", 26, None), ("指标", 30, None), ("单位", 8, None),
        ("指标值", 10, DECIMAL), ("分子", 10, DECIMAL), ("分母", 10, DECIMAL), ("目标值", 8, DECIMAL),
        ("方向", 10, None), ("目标进度", 10, SHARE), ("状态", 10, None), ("说明", 36, None), ("上年值", 10, DECIMAL),
        ("同比变化", 10, DECIMAL), ("同比说明", 24, None), ("计入学校数", 10, INTEGER), ("达标学校数", 10, INTEGER),
    ]  # fmt: skip
    _sheet(book, "目标达成", columns, rows)


def _comparison(book: Workbook, r: MonitoringReport) -> None:
    lines = r.lines
    columns: list[Column] = [("区划代码", 10, None), ("区", 12, None)]
    columns += [(f"{x.name_zh}（{x.unit_zh}）", 16, PERCENT if x.percent else DECIMAL) for x in lines]
    columns += [("达标指标数", 10, INTEGER), ("有目标且有值的指标数", 12, INTEGER)]
    rows = [[row.org_code, row.name_zh, *[c.value for c in row.cells], row.met, row.judged] for row in r.comparison]
    _sheet(book, "各区对比", columns, rows)


def _below(book: Workbook, r: MonitoringReport) -> None:
    columns: list[Column] = [
        ("学校标识码", 14, None), ("学校名称", 30, None), ("指标编号", 26, None), ("指标", 28, None),
        ("单位", 8, None), ("指标值", 10, DECIMAL), ("目标值", 10, DECIMAL), ("说明", 30, None),
    ]  # fmt: skip
    rows = [
        [b.school_code, b.school_name, b.indicator_id, b.indicator_zh, b.unit_zh, b.value, b.target,
         "按小单元格规则不显示" if b.suppressed else ""]
        for b in r.below_target
    ]  # fmt: skip
    _sheet(book, "未达标学校", columns, rows)


def _training(book: Workbook, r: MonitoringReport) -> None:
    t = r.training
    columns: list[Column] = [
        ("单位代码", 10, None), ("单位", 12, None), ("人员", 10, None), ("人数", 8, INTEGER), ("年度达标人数", 10, INTEGER),
        ("年度达标率", 10, SHARE), ("有未达标风险人数", 12, INTEGER), ("已未达标人数", 10, INTEGER),
        ("三年窗口内可观察人数", 12, INTEGER), ("三年覆盖人数", 10, INTEGER), ("三年覆盖率", 10, SHARE),
        ("三年参训率", 10, SHARE), ("培训年度", 8, None), ("评估日", 12, None),
    ]  # fmt: skip
    rows = [
        [x.org_code, x.name_zh, ROLES[x.role][0], x.people, x.met, x.met_share, x.at_risk, x.missed, x.window_observed,
         x.covered, x.covered_share, x.trained_share, t.year, t.as_of]
        for x in (*t.area, *t.districts)
    ]  # fmt: skip
    _sheet(book, "培训覆盖", columns, rows)


def _facilities(book: Workbook, r: MonitoringReport) -> None:
    columns: list[Column] = [
        ("单位代码", 10, None), ("单位", 12, None), ("设备在线率（%）", 12, PERCENT), ("设备故障（设备·天）", 12, INTEGER),
        ("学生月活跃率（%）", 12, PERCENT), ("教师月活跃率（%）", 12, PERCENT), ("满意度均分（1–5）", 12, DECIMAL),
        ("月份数", 8, INTEGER), ("不显示的月度单元格", 12, INTEGER),
    ]  # fmt: skip
    rows = [
        [f.org_code, f.name_zh, f.online_rate, f.faults, f.student_active, f.teacher_active, f.satisfaction,
         f.months, f.withheld]
        for f in r.facilities
    ]  # fmt: skip
    _sheet(book, "设施与应用", columns, rows)


def _methods(book: Workbook, r: MonitoringReport) -> None:
    columns: list[Column] = [
        ("指标编号", 26, None), ("指标", 28, None), ("计算方法", 70, None), ("Formula", 70, None), ("目标值", 8, DECIMAL),
        ("单位", 8, None), ("责任单位", 20, None), ("规划章节", 30, None), ("规划原文", 70, None), ("数据来源", 40, None),
    ]  # fmt: skip
    rows = [
        [m.indicator_id, m.name_zh, m.formula_zh, m.formula_en, m.target, m.unit_zh, m.owner_zh, m.source_section,
         m.source_quote, "、".join(m.datasets)]
        for m in r.methods
    ]  # fmt: skip
    _sheet(book, "方法与来源", columns, rows)


def _lineage(book: Workbook, r: MonitoringReport) -> None:
    columns: list[Column] = [("数据集", 28, None), ("名称", 28, None), ("版本", 8, INTEGER), ("计算所用输入", 80, None)]
    rows = [
        [lin.dataset, lin.title_zh, lin.version,
         "，".join(f"{n} v{v if v is not None else '—'}" for n, v in lin.inputs)]
        for lin in r.lineage
    ]  # fmt: skip
    _sheet(book, "数据血缘", columns, rows)


def render_xlsx(report: MonitoringReport) -> bytes:
    """The report as an XLSX workbook (sheets: 封面, 目标达成, 各区对比 or 未达标学校, 培训覆盖, 设施与应用, 方法与来源, 数据血缘)."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    _cover(book, report)
    _summary(book, report)
    (_comparison if report.area_level == "city" else _below)(book, report)
    for section in (_training, _facilities, _methods, _lineage):
        section(book, report)
    sink = io.BytesIO()
    book.save(sink)
    return sink.getvalue()
