"""The monitoring job: compute ``monitoring_indicators`` from the lake and write it with its lineage.

Reads the inputs the declared formulas name
(:meth:`~edubrain.analytics.monitoring.definitions.MonitoringSet.inputs`) on
the configured engine (DuckDB or Spark): each at its current version, and a
roster read over its history (``students``: every data file ever live, so
each past school year counts its own pupils). Builds the indicators with
:func:`~edubrain.analytics.monitoring.monitoring_expr` and writes the derived
dataset as one new lake version whose commit records the version of every
input read (:func:`~edubrain.jobs.derived.write_derived`). The transform is
registered for the engine parity suite (``tests/parity``); the post-commit
derivation (entry point ``monitoring``) recomputes it when an input gained a
version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from edubrain.analytics.monitoring import load_monitoring, monitoring_expr
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.lakefiles import file_lifetimes
from edubrain.jobs.transforms import Transform, register
from edubrain.store.lake import lake_schema

if TYPE_CHECKING:
    from ibis.expr.types import Table

JOB = "monitoring"
DATASET = "monitoring_indicators"
KEY = ("indicator_id", "org_code", "school_year")
CURRENT, HISTORY = load_monitoring().inputs()
"""Inputs read at one version, and read over every version ever stored."""


@dataclass(frozen=True)
class MonitoringRun:
    """What a run wrote: the version and rows of ``monitoring_indicators``, and the input versions read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


register(
    Transform(
        name=DATASET,
        inputs=CURRENT,
        history=HISTORY,
        build=lambda tables: monitoring_expr(tables),
        key=KEY,
        feeds=(DATASET,),
    )
)


def _tables(home: Home, engine: LakeEngine) -> tuple[dict[str, Table], dict[str, int | None]]:
    """The input tables and the version read of each (a history input never stored is an empty table)."""
    tables: dict[str, Table] = {}
    read: dict[str, int | None] = {}
    for dataset_id in CURRENT:
        read[dataset_id] = home.lake.version(dataset_id)
        tables[dataset_id] = engine.table(home.lake, home.catalog.dataset(dataset_id), read[dataset_id])
    for dataset_id in HISTORY:
        if home.lake.version(dataset_id) is None:
            empty = lake_schema(home.catalog.dataset(dataset_id)).empty_table()
            tables[dataset_id] = engine.arrow(empty.append_column("_file", pa.array([], pa.string())))
            read[dataset_id] = None
            continue
        lifetimes, read[dataset_id] = file_lifetimes(home.lake, dataset_id)
        tables[dataset_id] = engine.history(lifetimes.get_column("path").to_list())
    return tables, read


def run_monitoring(home: Home, engine: LakeEngine | None = None) -> MonitoringRun:
    """Compute every monitoring indicator from the current inputs and replace ``monitoring_indicators``.

    Args:
        home: The EduBrain home.
        engine: The engine to run on (default: the configured one, opened and closed here).

    Returns:
        The version written, its row count and the input versions read.
    """
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        tables, read = _tables(home, eng)
        rows = eng.collect(monitoring_expr(tables)).select(home.catalog.dataset(DATASET).field_names)
        version = write_derived(home, DATASET, rows, job=JOB, inputs=read)
    finally:
        if own:
            eng.close()
    return MonitoringRun({DATASET: version}, {DATASET: rows.num_rows}, read)


def is_stale(home: Home) -> bool:
    """True when an input has a version the current indicators were not computed from.

    Nothing is stale before the first report of a dataset an indicator is measured on
    (:meth:`~edubrain.analytics.monitoring.definitions.MonitoringSet.measured_on`): with none, every value
    would be empty, so a home that holds only rosters computes nothing.
    """
    current = {d: home.lake.version(d) for d in (*CURRENT, *HISTORY)}
    recorded = computed_from(home, DATASET)
    if recorded is None:
        return any(current[d] is not None for d in load_monitoring().measured_on())
    return any(recorded.get(d) != v for d, v in current.items())


class MonitoringDerivation:
    """The post-commit derivation of ``monitoring_indicators`` (:mod:`edubrain.exchange.derive`).

    Registered as the entry point ``monitoring`` of the group ``edubrain.derivations`` in ``pyproject.toml``.
    It reads ``smart_campus_scores``, so after a submission it runs after the ``smart_campus`` derivation.
    """

    after = ("smart_campus",)

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the indicators' lineage (see :func:`is_stale`)."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write ``monitoring_indicators``; return its id."""
        return sorted(run_monitoring(home).versions)


DERIVATION = MonitoringDerivation()
"""The instance the entry point names."""
