"""The version history of a dataset, read from its lake table's log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edubrain.store.lake import Lake


@dataclass(frozen=True)
class VersionEntry:
    """One version of a dataset's table."""

    version: int
    time: str
    operation: str
    batch_id: str | None
    org: str | None
    mode: str | None
    file: str | None
    added: int
    changed: int
    retired: int


def dataset_history(lake: Lake, dataset_id: str) -> list[VersionEntry]:
    """Versions of ``dataset_id``, newest first, with the batch that made each."""
    entries = []
    for h in lake.history(dataset_id):
        stamp = dt.datetime.fromtimestamp(h["timestamp"] / 1000, dt.UTC).isoformat(timespec="seconds")
        entries.append(
            VersionEntry(
                version=int(h["version"]),
                time=stamp,
                operation=str(h.get("operation", "")),
                batch_id=h.get("edubrain.batch_id"),
                org=h.get("edubrain.org"),
                mode=h.get("edubrain.mode"),
                file=h.get("edubrain.file"),
                added=int(h.get("edubrain.rows_added", 0)),
                changed=int(h.get("edubrain.rows_changed", 0)),
                retired=int(h.get("edubrain.rows_retired", 0)),
            )
        )
    return entries
