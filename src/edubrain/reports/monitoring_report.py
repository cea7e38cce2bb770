"""The 年度信息化监测报告 (annual informatization monitoring report) for 督导: one governed entry, PDF or XLSX.

:func:`monitoring_report` is what the adapters (``GET /monitoring/report``,
``GET /api/v1/monitoring/report``, ``edubrain monitoring report``) call: it
checks who may have the report of which area, assembles it through the
governed facades (:func:`~edubrain.reports.monitoring_build.build_report`),
renders it (:mod:`~edubrain.reports.monitoring_pdf`,
:mod:`~edubrain.reports.monitoring_xlsx`, both pure) and records one
``export`` event in the audit trail per report. Guide: ``docs/monitoring-report.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from edubrain.governance.identity import Principal
from edubrain.governance.list_exports import record_list_export
from edubrain.home import Home
from edubrain.reports.monitoring_build import ReportNotFound, ReportRequestError, build_report, check_area
from edubrain.reports.monitoring_model import MonitoringReport
from edubrain.reports.monitoring_pdf import render_html, render_pdf
from edubrain.reports.monitoring_xlsx import render_xlsx

FORMATS = ("pdf", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SECTIONS = ("cover", "summary", "comparison_or_below_target", "training", "facilities", "methods", "lineage")
"""What the file holds (the audit event's ``fields``)."""


@dataclass(frozen=True)
class ReportFile:
    """A rendered report: its bytes, media type, file name and the model it was rendered from."""

    content: bytes
    media_type: str
    filename: str
    report: MonitoringReport

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers of the download: an attachment, never cached (it holds what only its reader may see)."""
        return {"Content-Disposition": f'attachment; filename="{self.filename}"', "Cache-Control": "no-store"}


def monitoring_report(home: Home, principal: Principal, *, year: int, area: str, fmt: str = "pdf") -> ReportFile:
    """The report of ``area`` (``110000`` or a district code) for school ``year`` as ``fmt`` (``pdf`` or ``xlsx``).

    Example:
        >>> found = monitoring_report(home, district_admin, year=2025, area="110108", fmt="xlsx")  # doctest: +SKIP
        >>> found.filename  # doctest: +SKIP
        'monitoring-report-110108-2025.xlsx'

    Raises:
        ReportRequestError: an unknown format.
        ReportNotFound: an unknown area, or a year without monitoring values for the area.
        AccessDenied: the reader may not have this area's report (schools, teachers, students, parents, the
            public; a district asking for another area).
    """
    if fmt not in FORMATS:
        raise ReportRequestError(
            f"不支持的报告格式 {fmt}（可用 pdf、xlsx）", f"Unknown report format {fmt} (pdf or xlsx)", format=fmt
        )
    check_area(home, principal, area)
    report = build_report(home, principal, year, area)
    content = render_pdf(report) if fmt == "pdf" else render_xlsx(report)
    record_list_export(
        home, principal, dataset="monitoring_indicators", fields=SECTIONS, rows=len(report.lines), file_format=fmt,
        detail={"kind": "monitoring_report", "area": area, "year": year,
                "versions": {lin.dataset: lin.version for lin in report.lineage},
                "also_read": ["training_coverage", "facility_area_indicators", "schools"]},
    )  # fmt: skip
    return ReportFile(content, MEDIA_TYPES[fmt], f"monitoring-report-{area}-{year}.{fmt}", report)


__all__ = [
    "FORMATS",
    "MonitoringReport",
    "ReportFile",
    "ReportNotFound",
    "ReportRequestError",
    "build_report",
    "monitoring_report",
    "render_html",
    "render_pdf",
    "render_xlsx",
]
