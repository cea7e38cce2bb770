"""The 年度信息化监测报告 as printable HTML and PDF (WeasyPrint, the template ``monitoring_report.html.j2``).

Pure: a :class:`~edubrain.reports.monitoring_model.MonitoringReport` in, a
document out. Chinese first; each heading carries its English name. Needs a
CJK font (Noto Sans/Serif CJK SC) for the PDF, as the other printed reports.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from edubrain.reports.monitoring_chart import CHARTED, district_chart
from edubrain.reports.monitoring_model import STATUS, MonitoringReport

TEMPLATE = "monitoring_report.html.j2"
ROLES = {"principal": ("校长", "Principals"), "teacher": ("其他教师", "Other teachers"), "all": ("合计", "All")}
LEVELS = {"city": ("全市", "City"), "district": ("区", "District")}


def number(value: float | None, unit: str = "", digits: int = 1) -> str:
    """``value`` rounded for print with its unit (``%`` joined, others after a space); ``—`` when missing."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return f"{text}{unit}" if unit in ("", "%") else f"{text} {unit}"


def share(value: float | None) -> str:
    """A share (0-1) as a percentage; ``—`` when missing."""
    return "—" if value is None else f"{100 * value:.1f}%"


def signed(value: float | None, unit: str = "", digits: int = 1) -> str:
    """A change with its sign (``+3.2``), in percentage points for a percentage."""
    if value is None:
        return "—"
    suffix = " 个百分点" if unit == "%" else (f" {unit}" if unit else "")
    return f"{value:+,.{digits}f}{suffix}"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("edubrain.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    env.filters.update(number=number, share=share, signed=signed)
    env.globals.update(STATUS=STATUS, ROLES=ROLES, LEVELS=LEVELS, CHARTED=CHARTED, district_chart=district_chart)
    return env


def render_html(report: MonitoringReport) -> str:
    """The report as one printable HTML document."""
    return _environment().get_template(TEMPLATE).render(r=report)


def render_pdf(report: MonitoringReport) -> bytes:
    """The report as a PDF (WeasyPrint; needs a CJK font such as Noto Sans/Serif CJK SC installed)."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(report)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
