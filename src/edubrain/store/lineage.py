"""The lineage of a derived dataset's versions, read from its lake table's log.

:func:`edubrain.jobs.derived.write_derived` records, in each commit's metadata,
the job that computed the version and the version of every input it read;
Delta Lake records how many rows the commit wrote. Together they answer
"where did this version come from" without any other store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from edubrain.store.lake import Lake


@dataclass(frozen=True)
class Lineage:
    """Where one version of a derived dataset came from.

    Attributes:
        version: The derived table's version.
        job: The job that computed it (``fitness.score``).
        inputs: The version read of each input dataset (``None`` when it had none).
        rows: Rows written (the whole table: a derived version replaces the previous one).
    """

    version: int
    job: str
    inputs: dict[str, int | None]
    rows: int | None


def derived_lineage(lake: Lake, dataset_id: str) -> dict[int, Lineage]:
    """The lineage of each version of ``dataset_id`` written by a derived-dataset job, by version."""
    found = {}
    for commit in lake.history(dataset_id):
        raw = commit.get("edubrain.lineage")
        if raw is None:
            continue
        lineage = json.loads(raw)
        rows = (commit.get("operationMetrics") or {}).get("num_added_rows")
        version = int(commit["version"])
        found[version] = Lineage(version, str(lineage.get("job", "")), dict(lineage.get("inputs", {})), rows)
    return found
