"""The governed facade of public service (接诉即办 / 未诉先办): what pages, the API and the CLI call.

Intake and citizens' lookup (:mod:`edubrain.governance.public_service`), the office work queue and steps
(:mod:`edubrain.governance.public_service_work`), the hotline import, SLA figures, and burst alerts on daily topic
counts (:mod:`edubrain.public_service.alerts`). Everything is scoped and audited by governance; see
docs/public-service.md.
"""

from edubrain.analytics.routing import load_taxonomy
from edubrain.governance.public_service import (
    CHANNELS,
    INTAKE_PER_HOUR,
    STATUSES,
    CaseNotFound,
    CaseRefused,
    CitizenView,
    RateLimited,
    Receipt,
    districts,
    file_case,
    lookup,
    may_use,
    rate,
)
from edubrain.governance.public_service_import import COLUMNS, ImportRejected, ImportResult, import_cases
from edubrain.governance.public_service_stats import SlaLine, daily_counts, sla_summary
from edubrain.governance.public_service_work import STEPS, CaseDetail, CaseEvent, CaseLine, act, case_detail, list_cases
from edubrain.public_service.alerts import BurstAlert, burst_alerts

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "INTAKE_PER_HOUR",
    "STATUSES",
    "STEPS",
    "BurstAlert",
    "CaseDetail",
    "CaseEvent",
    "CaseLine",
    "CaseNotFound",
    "CaseRefused",
    "CitizenView",
    "ImportRejected",
    "ImportResult",
    "RateLimited",
    "Receipt",
    "SlaLine",
    "act",
    "burst_alerts",
    "case_detail",
    "daily_counts",
    "districts",
    "file_case",
    "import_cases",
    "list_cases",
    "load_taxonomy",
    "lookup",
    "may_use",
    "rate",
    "sla_summary",
]
