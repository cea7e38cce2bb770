"""District bar charts of the city's annual monitoring report, as inline SVG built from the comparison table.

Pure: a :class:`~edubrain.reports.monitoring_model.MonitoringReport` in, SVG text out. Each chart draws one
indicator's district values exactly as the 各区对比 table holds them (the same :class:`ComparisonCell` s, labelled
with the same rounding the table prints), with the target as a dashed red line: bars meeting the target green,
bars below it orange, a withheld or missing value as “—” without a bar. No script, no network; WeasyPrint draws
inline SVG, so the PDF needs nothing more.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from edubrain.reports.monitoring_model import MonitoringReport

CHARTED = ("smart_campus_standard_rate", "school_gigabit_access")
"""The indicators charted per district (those with values), in this order."""
WIDTH, BAR_AREA, TOP, LEFT, ROW = 640, 400, 24, 96, 18
COLOURS = {True: "#2e7d32", False: "#e67e22", None: "#9e9e9e"}


def label(value: float | None, unit: str, percent: bool) -> str:
    """The value as the comparison table prints it (one decimal for a percentage, else two); ``—`` when missing."""
    if value is None:
        return "—"
    digits = 1 if percent else 2
    text = f"{value:,.{digits}f}"
    return f"{text}{unit}" if unit in ("", "%") else f"{text} {unit}"


def district_chart(report: MonitoringReport, indicator_id: str) -> Markup:
    """One indicator's horizontal bar chart by district with its target line (empty without a district value)."""
    lines = {line.indicator_id: (i, line) for i, line in enumerate(report.lines)}
    if indicator_id not in lines or not report.comparison:
        return Markup("")
    index, line = lines[indicator_id]
    cells = [(row, row.cells[index]) for row in report.comparison]
    values = [c.value for _, c in cells if c.value is not None]
    if not values:
        return Markup("")
    target = line.target
    top = max([*values, target or 0.0, 100.0 if line.percent else 0.0]) or 1.0
    scale = BAR_AREA / top
    height = TOP + ROW * len(cells) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="district-chart" data-indicator="{escape(indicator_id)}" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(line.name_zh)} / {escape(line.name_en)}">',
        f'<text x="0" y="14" font-size="11" font-weight="bold">{escape(line.name_zh)}（各区）'
        f'<tspan font-weight="normal" fill="#555"> {escape(line.name_en)} by district</tspan></text>',
    ]
    for i, (row, cell) in enumerate(cells):
        y = TOP + i * ROW
        text = label(cell.value, line.unit_zh, line.percent)
        parts.append(f'<text x="{LEFT - 6}" y="{y + 12}" font-size="9" text-anchor="end">{escape(row.name_zh)}</text>')
        width = 0.0 if cell.value is None else max(cell.value, 0.0) * scale
        value_attr = "" if cell.value is None else repr(float(cell.value))
        parts.append(
            f'<rect class="bar" data-org="{escape(row.org_code)}" data-value="{value_attr}" x="{LEFT}" y="{y + 2}" '
            f'width="{width:.2f}" height="{ROW - 5}" fill="{COLOURS[cell.met]}"/>'
        )
        parts.append(
            f'<text class="bar-label" data-org="{escape(row.org_code)}" x="{LEFT + width + 4:.2f}" y="{y + 12}" '
            f'font-size="9">{escape(text)}</text>'
        )
    if target is not None:
        x = LEFT + target * scale
        bottom = TOP + ROW * len(cells)
        parts.append(
            f'<line class="target" data-target="{float(target)!r}" x1="{x:.2f}" y1="{TOP - 4}" x2="{x:.2f}" '
            f'y2="{bottom}" stroke="#c0392b" stroke-dasharray="4 3" stroke-width="1.2"/>'
        )
        parts.append(
            f'<text x="{x:.2f}" y="{bottom + 14}" font-size="9" fill="#c0392b" text-anchor="middle">目标 Target '
            f"{escape(label(target, line.unit_zh, line.percent))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
