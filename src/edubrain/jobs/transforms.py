"""The registry of lake transforms: each one an engine-neutral Ibis expression over lake tables.

A transform names the lake datasets it reads, builds one Ibis expression
from them (the analytics modules do the work; this module only wires them),
and names the derived datasets its result produces or feeds. Jobs run
transforms through :func:`run`, on whichever engine the settings choose;
the parity suite (``tests/parity``) runs every registered transform on
DuckDB and on Spark and compares the rows, and it fails when a derived
dataset of the catalog is fed by no registered transform, so a new
transform cannot be added without joining it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from edubrain.analytics.enrollment import enrollment_per_file
from edubrain.home import Home
from edubrain.jobs.engine import LakeEngine
from edubrain.jobs.lakefiles import file_lifetimes

if TYPE_CHECKING:
    from ibis.expr.types import Table

Build = Callable[[Mapping[str, "Table"]], "Table"]


@dataclass(frozen=True)
class Transform:
    """One lake transform.

    Attributes:
        name: Registry name.
        inputs: Lake datasets read, each at one version.
        history: Lake datasets read as every data file ever live up to the chosen version, each file once,
            with a ``_file`` column naming it (see :mod:`edubrain.jobs.lakefiles`).
        build: Builds the result expression from the input tables (by dataset id).
        key: Columns identifying a result row (the parity suite sorts by them).
        feeds: Derived datasets of the catalog that this result produces or is an input of.
        params: Builds small parameter tables that are not lake tables (identity links, submission
            statistics from the operational database), by name, from the home; each is passed to ``build``
            through the engine's ``arrow``.
    """

    name: str
    inputs: tuple[str, ...]
    build: Build
    key: tuple[str, ...]
    feeds: tuple[str, ...]
    history: tuple[str, ...] = ()
    params: Callable[[Home], Mapping[str, pa.Table]] | None = None


REGISTRY: dict[str, Transform] = {}


def register(transform: Transform) -> Transform:
    """Add ``transform`` to the registry (names are unique)."""
    if transform.name in REGISTRY:
        raise ValueError(f"transform {transform.name!r} is registered twice")
    REGISTRY[transform.name] = transform
    return transform


def run(
    home: Home, engine: LakeEngine, name: str, versions: Mapping[str, int | None] | None = None
) -> tuple[pa.Table, dict[str, int | None]]:
    """Run the transform ``name`` on ``engine``; return its rows and the version read of each input.

    Args:
        home: The EduBrain home (its lake and catalog).
        engine: The engine to run on.
        name: A registered transform.
        versions: Version of each input to read; an input not named is read at its newest version.
    """
    transform = REGISTRY[name]
    chosen = dict(versions or {})
    read: dict[str, int | None] = {}
    tables = {}
    for dataset_id in transform.inputs:
        version = chosen.get(dataset_id, home.lake.version(dataset_id))
        read[dataset_id] = version
        tables[dataset_id] = engine.table(home.lake, home.catalog.dataset(dataset_id), version)
    for dataset_id in transform.history:
        lifetimes, read[dataset_id] = file_lifetimes(home.lake, dataset_id, chosen.get(dataset_id))
        tables[dataset_id] = engine.history(lifetimes.get_column("path").to_list())
    for param, data in (transform.params(home) if transform.params else {}).items():
        tables[param] = engine.arrow(data)
    return engine.collect(transform.build(tables)), read


register(
    Transform(
        name="enrollment_per_file",
        inputs=(),
        history=("students",),
        build=lambda t: enrollment_per_file(t["students"]),
        key=("_file", "school_code", "school_year", "grade"),
        feeds=("place_forecasts", "place_history", "place_backtests"),
    )
)
