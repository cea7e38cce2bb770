"""The governed campus safety facade (校园安全): a school's incidents, suppressed aggregates, warnings.

Adapters call only these functions; rules in :mod:`edubrain.campus_safety.overview` and docs/campus-safety.md.
"""

from edubrain.campus_safety.models import Incident, OrgRate, Pattern, SafetyOverview, SchoolIncidents, Warning
from edubrain.campus_safety.overview import may_read_safety, overview, school_incidents

__all__ = [
    "Incident",
    "OrgRate",
    "Pattern",
    "SafetyOverview",
    "SchoolIncidents",
    "Warning",
    "may_read_safety",
    "overview",
    "school_incidents",
]
