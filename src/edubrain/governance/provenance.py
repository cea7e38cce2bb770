"""Provenance for profile evidence: a derived dataset's input versions, and where submitted batches landed.

Profiles (:mod:`edubrain.profiles`) show, for every value, the rows it was
computed from at the version the derived dataset read, and for every row
the batch that wrote it: its table version, its organisation and its commit
time. Adapters and :mod:`edubrain.profiles` never open the store; they ask
here. Batch records follow the record scope of
:class:`~edubrain.governance.scope.Scope`: only batches of organisations the
principal sees are described (class, self, children and public grants see
none, as for the submission history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.lineage import derived_lineage
from edubrain.store.snapshots import snapshots


@dataclass(frozen=True)
class BatchProvenance:
    """Where one batch landed.

    Attributes:
        batch_id: The batch (``_batch_id`` of its rows).
        version: The table version its commit made.
        org: The organisation that submitted it (None: the platform's own).
        committed_at: The commit time, ISO 8601 in UTC (seconds).
    """

    batch_id: str
    version: int
    org: str | None
    committed_at: str


def input_versions(home: Home, dataset_id: str, version: int | None) -> dict[str, int | None]:
    """The version of each input read by the job that wrote ``version`` of the derived dataset ``dataset_id``.

    The lineage of the newest version at or before ``version`` (a derived version replaces the whole table,
    so that commit made the rows of ``version``); ``{}`` when no lineage is recorded (or ``version`` is None).
    """
    if version is None:
        return {}
    found = snapshots(home.lake).memo((dataset_id,), ("lineage",), lambda: derived_lineage(home.lake, dataset_id))
    made = [v for v in found if v <= version]
    return dict(found[max(made)].inputs) if made else {}


def batch_provenance(home: Home, scope: Scope, dataset_id: str, batch_ids: Iterable[str]) -> dict[str, BatchProvenance]:
    """Each of ``batch_ids`` that committed to ``dataset_id``, by id: version, organisation and commit time.

    Only batches of organisations ``scope`` sees (:meth:`Scope.sees_org`; the platform's own batches, with no
    organisation, for every scope that sees any records) are returned; others are absent.
    """
    wanted = {b for b in batch_ids if b}
    if not wanted:
        return {}
    codes = scope.org_codes()
    if codes is not None and not codes:
        return {}
    found: dict[str, BatchProvenance] = {}
    by_batch = _commits_by_batch(home, dataset_id)
    for commit in (c for b in sorted(wanted) for c in by_batch.get(b, ())):
        batch = commit.get("edubrain.batch_id")
        if batch in found:
            continue
        org = commit.get("edubrain.org")
        if org is not None and not scope.sees_org(str(org)):
            continue
        stamp = dt.datetime.fromtimestamp(int(commit["timestamp"]) / 1000, dt.UTC).isoformat(timespec="seconds")
        found[str(batch)] = BatchProvenance(
            str(batch), int(commit["version"]), None if org is None else str(org), stamp
        )
    return found


def _commits_by_batch(home: Home, dataset_id: str) -> dict[str, list[dict[str, Any]]]:
    """The commit entries of the table by batch id, newest first, kept while its Delta log is unchanged.

    Reading the log (``Lake.history``) costs tens of milliseconds on a table of many batches; an evidence page
    asks for a few batches of it, so the index is built once per log state (a commit changes the state).
    """

    def build() -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = {}
        for commit in home.lake.history(dataset_id):
            batch = commit.get("edubrain.batch_id")
            if batch is not None:
                index.setdefault(str(batch), []).append(commit)
        return index

    return snapshots(home.lake).memo((dataset_id,), ("commits_by_batch",), build)
