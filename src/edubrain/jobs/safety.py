"""The campus safety job: counts and rates per school, term and type, and the CUSUM warnings, from the lake.

Reads ``campus_safety_incidents`` (collected: a few incidents a school a month), the pupils per school counted on
the engine from ``students`` (the current roster), and ``schools``; writes ``campus_safety_counts`` and
``campus_safety_warnings`` with their lineage. Runs after an exchange session that changed an input
(:class:`SafetyDerivation`, entry point ``safety``) or on demand (``edubrain safety run``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from edubrain.analytics.safety import INPUTS, monday, safety_counts, safety_warnings
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine

JOB = "safety"
COUNTS, WARNINGS = "campus_safety_counts", "campus_safety_warnings"
OUTPUTS = (COUNTS, WARNINGS)


@dataclass(frozen=True)
class SafetyRun:
    """What a run wrote: versions and rows per derived dataset, and the inputs read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def _polars(table: object) -> pl.DataFrame:
    frame = pl.from_arrow(table)  # type: ignore[arg-type]
    assert isinstance(frame, pl.DataFrame)
    return frame


def run_safety(home: Home, engine: LakeEngine | None = None) -> SafetyRun:
    """Compute and replace ``campus_safety_counts`` and ``campus_safety_warnings``."""
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        tables = {d: eng.table(home.lake, home.catalog.dataset(d), inputs[d]) for d in INPUTS}
        incidents = _polars(eng.collect(tables["campus_safety_incidents"]))
        students = tables["students"]
        pupils = _polars(eng.collect(students.group_by("school_code").aggregate(pupils=students.count())))
        schools = _polars(eng.collect(tables["schools"].select("school_code", "district_code")))
    finally:
        if own:
            eng.close()
    counts = safety_counts(incidents, pupils, schools)
    if incidents.height:
        first, last = incidents["incident_date"].min(), incidents["incident_date"].max()
        assert isinstance(first, dt.date) and isinstance(last, dt.date)
        start = monday(first)
        warnings = safety_warnings(incidents, schools, start, (last - start).days // 7 + 1)
    else:
        warnings = safety_warnings(incidents, schools, dt.date(2000, 1, 3), 1)
    versions, rows = {}, {}
    for name, frame in ((COUNTS, counts), (WARNINGS, warnings)):
        table = frame.select(home.catalog.dataset(name).field_names).to_arrow()
        versions[name] = write_derived(home, name, table, job=JOB, inputs=inputs)
        rows[name] = table.num_rows
    return SafetyRun(versions, rows, inputs)


def is_stale(home: Home) -> bool:
    """True when an input has a version the outputs were not computed from (never without incidents)."""
    if home.lake.version("campus_safety_incidents") is None:
        return False
    wanted = {d: home.lake.version(d) for d in INPUTS}
    return any(computed_from(home, name) != wanted for name in OUTPUTS)


class SafetyDerivation:
    """The post-commit derivation of campus safety (entry point ``safety`` of ``edubrain.derivations``)."""

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the outputs' lineage."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write both datasets; return their ids."""
        return sorted(run_safety(home).versions)


DERIVATION = SafetyDerivation()
"""The instance the entry point names."""
