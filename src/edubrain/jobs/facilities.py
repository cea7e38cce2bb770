"""The facilities job: IoT device months and the facility, usage and satisfaction indicators, from the lake.

Reads ``iot_devices``, ``iot_readings``, ``app_usage_events``,
``satisfaction_surveys`` and, for districts and denominators, ``schools``,
``students`` and ``teachers``, at their current versions on the configured
engine (DuckDB or Spark); builds :func:`~edubrain.analytics.facilities.device_months_expr`
and :func:`~edubrain.analytics.facilities.indicators_expr`; withholds small
cells for every reader (:func:`~edubrain.analytics.facilities.suppress_small_cells`,
k = ``EDUBRAIN_SMALL_CELL_MIN``) and writes three derived datasets, each one
new version with its lineage: ``facility_device_months``,
``facility_indicators`` (school rows) and ``facility_area_indicators``
(district and city rows). The two lake transforms are registered for the
engine parity suite (``tests/parity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from edubrain.analytics.facilities import device_months_expr, indicators_expr, suppress_small_cells
from edubrain.analytics.facilities.efficiency import load_thresholds
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.transforms import Transform, register

if TYPE_CHECKING:
    from ibis.expr.types import Table

JOB = "facilities"
SOURCES: tuple[str, ...] = ("iot_devices", "iot_readings", "app_usage_events", "satisfaction_surveys")
"""The facility datasets themselves: with none of them stored there is nothing to derive."""
DEVICE_INPUTS: tuple[str, ...] = ("iot_devices", "iot_readings", "schools")
INPUTS: tuple[str, ...] = (*SOURCES, "schools", "students", "teachers")
DERIVED: dict[str, tuple[str, ...]] = {
    "facility_device_months": DEVICE_INPUTS,
    "facility_indicators": INPUTS,
    "facility_area_indicators": INPUTS,
}
"""Each derived dataset and the lake inputs it is computed from."""
INDICATOR_KEY = ("level", "org_code", "month", "indicator", "category", "app_id")


@dataclass(frozen=True)
class FacilitiesRun:
    """What a run wrote: the version and row count of each derived dataset, and the input versions read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def build_device_months(tables: Mapping[str, Table]) -> Table:
    """``facility_device_months`` rows."""
    return device_months_expr(tables["iot_devices"], tables["iot_readings"], tables["schools"])


def build_indicators(tables: Mapping[str, Table]) -> Table:
    """Every indicator row (all levels), before small-cell suppression."""
    names = ("schools", "students", "teachers", "app_usage_events", "satisfaction_surveys")
    inputs = {"facility_device_months": build_device_months(tables), **{n: tables[n] for n in names}}
    limits = load_thresholds()
    return indicators_expr(inputs, low_use_below=limits.low_use_below, min_active=limits.min_active_users)


register(
    Transform(
        name="facility_device_months",
        inputs=DEVICE_INPUTS,
        build=build_device_months,
        key=("device_id", "month"),
        feeds=("facility_device_months",),
    )
)
register(
    Transform(
        name="facility_indicators",
        inputs=INPUTS,
        build=build_indicators,
        key=INDICATOR_KEY,
        feeds=("facility_indicators", "facility_area_indicators"),
    )
)


def split_levels(rows: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The suppressed indicator rows as the two datasets: school rows, and district and city rows."""
    school = rows.filter(pl.col("level") == "school").rename(
        {"org_code": "school_code", "parent_code": "district_code"}
    )
    area = rows.filter(pl.col("level") != "school").rename({"org_code": "district_code"})
    return {"facility_indicators": school, "facility_area_indicators": area}


def run_facilities(home: Home, engine: LakeEngine | None = None) -> FacilitiesRun:
    """Compute and replace the three facility datasets from the current lake.

    Args:
        home: The EduBrain home.
        engine: The engine to run on (default: the configured one, opened and closed here).

    Returns:
        Versions written, row counts and the input versions read.
    """
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        tables = {d: eng.table(home.lake, home.catalog.dataset(d), inputs[d]) for d in INPUTS}
        frames = {"facility_device_months": _frame(eng.collect(build_device_months(tables)))}
        indicators = suppress_small_cells(_frame(eng.collect(build_indicators(tables))), home.settings.small_cell_min)
        frames.update(split_levels(indicators))
    finally:
        if own:
            eng.close()
    versions: dict[str, int] = {}
    for dataset_id, frame in frames.items():
        names = home.catalog.dataset(dataset_id).field_names
        lineage = {d: inputs[d] for d in DERIVED[dataset_id]}
        versions[dataset_id] = write_derived(home, dataset_id, frame.select(names).to_arrow(), job=JOB, inputs=lineage)
    return FacilitiesRun(versions, {d: f.height for d, f in frames.items()}, inputs)


def _frame(table: object) -> pl.DataFrame:
    frame = pl.from_arrow(table)  # type: ignore[arg-type]
    assert isinstance(frame, pl.DataFrame)
    return frame


def is_stale(home: Home) -> bool:
    """True when an input changed since a facility dataset was computed; never while no facility data is stored."""
    current = {d: home.lake.version(d) for d in INPUTS}
    if all(current[d] is None for d in SOURCES):
        return False
    return any(computed_from(home, d) != {i: current[i] for i in inputs} for d, inputs in DERIVED.items())


class FacilitiesDerivation:
    """The post-commit derivation of the facility datasets (:mod:`edubrain.exchange.derive`).

    Registered as the entry point ``facilities`` of the group ``edubrain.derivations`` in ``pyproject.toml``.
    """

    def is_stale(self, home: Home) -> bool:
        """True when an input has a version the facility datasets were not computed from."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Recompute the facility datasets; return their ids."""
        return sorted(run_facilities(home).versions)


DERIVATION = FacilitiesDerivation()
"""The instance the entry point names."""
