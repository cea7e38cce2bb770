"""数据来源 of a school's submission values: the page context of evidence from the submission batches.

The evidence page (:func:`edubrain.web.pages_profiles.evidence_page`) shows lake rows for most values; a school's
``batches``, ``accepted_row_share`` and ``up_to_date_share`` rest on the operational database's submission
batches instead (:mod:`edubrain.profiles.batch_evidence`, ``Evidence.store == "operational"``). This module
arranges that evidence for ``profiles_evidence_batches.html``: the year's batches (each linking to its report
page, which applies its own scope) and, for timeliness, one row per dataset with its last committed batch.
"""

from __future__ import annotations

from typing import Any

from edubrain.catalog.labels import FREQUENCY_ZH
from edubrain.profiles import Evidence, EvidenceRow, EvidenceSet
from edubrain.web.messages import pick, t
from edubrain.web.render import Page


def _dataset(page: Page, dataset_id: str) -> str:
    found = page.home.catalog.datasets.get(dataset_id)
    return pick(page.lang, found.title_zh, found.title_en) if found else dataset_id


def _time(value: object) -> str:
    return "–" if value is None else str(value).replace("T", " ")[:19]


def _batches(page: Page, found: EvidenceSet | Evidence) -> list[dict[str, Any]]:
    """The batches as table rows: id, dataset title, status in words, counts, creation time, table version."""
    out = []
    for r in found.rows:
        v = r.values
        out.append(
            {
                "id": r.batch_id or "",
                "dataset": _dataset(page, str(v["dataset"])),
                "dataset_id": v["dataset"],
                "status": t(f"status_{v['status']}", page.lang),
                "status_id": v["status"],
                "rows_read": v["rows_read"],
                "rows_accepted": v["rows_accepted"],
                "created_at": _time(v["created_at"]),
                "version": "–" if r.version is None else r.version,
            }
        )
    return out


def _timeliness(page: Page, rows: tuple[EvidenceRow, ...]) -> list[dict[str, Any]]:
    """One row per dataset the school committed: its frequency, last commit, days since, and the verdict."""
    out = []
    for r in rows:
        v = r.values
        frequency = str(v["update_frequency"])
        out.append(
            {
                "dataset": _dataset(page, str(v["dataset"])),
                "dataset_id": v["dataset"],
                "frequency": FREQUENCY_ZH.get(frequency, frequency) if page.lang == "zh" else frequency,
                "max_days": v["max_days"],
                "last_batch": r.batch_id or "",
                "last_committed": v["last_committed"],
                "as_of": v["as_of"],
                "days_since": v["days_since"],
                "up_to_date": bool(v["up_to_date"]),
            }
        )
    return out


def _filters(page: Page, filters: dict[str, Any]) -> list[tuple[str, str]]:
    """The selection in words: school, year, creation dates, statuses, as-of day, the profile's computation time."""
    out = []
    for name, value in filters.items():
        if name in ("status", "status_not"):
            shown = t("list_sep", page.lang).join(t(f"status_{s}", page.lang) for s in value)
        elif name == "created_at":
            shown = f"{value[0]} – {value[1]}"
        elif name == "finished_by":
            shown = _time(value)
        else:
            shown = str(value)
        out.append((t(f"ev_f_{name}", page.lang), shown))
    return out


def batch_evidence_context(page: Page, found: Evidence) -> dict[str, Any]:
    """What ``profiles_evidence_batches.html`` shows of operational evidence (besides value, method and back link)."""
    timeliness = found.dataset != "submission_batches"
    batches = found.more[0] if timeliness and found.more else (None if timeliness else found)
    return {
        "source": t("ev_timeliness_source" if timeliness else "ev_batches_source", page.lang),
        "computed_at": _time(found.computed_at),
        "filters": _filters(page, found.filters),
        "timeliness": _timeliness(page, found.rows) if timeliness else None,
        "batches": _batches(page, batches) if batches is not None else [],
        "batch_total": 0 if batches is None else batches.total,
        "withheld": bool(found.masked),
    }
