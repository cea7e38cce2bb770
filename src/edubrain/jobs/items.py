"""The item-analysis job: compute ``exam_item_statistics`` and ``exam_item_options`` from ``exam_item_results``.

Reads ``exam_item_results`` (and ``schools`` for each school's district) at their current versions on the
configured engine (DuckDB or Spark), hands the rows to :func:`edubrain.analytics.items.exams.analyse_exams`
(numpy, exam by exam) and writes both derived datasets, each as one new version with its lineage. The statistics
need each exam's persons × items matrix (covariances, the upper and lower 27 % by total score), which is numpy
work on the collected rows, not an Ibis expression: so the engines share the read, and there is no transform for
the parity suite. After an exchange session that changed an input it runs by itself (:class:`ItemsDerivation`,
entry point ``items``); ``edubrain teaching items-run`` runs it on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from edubrain.analytics.items.exams import analyse_exams
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.store.lake import lake_schema

JOB = "items"
INPUTS = ("exam_item_results", "schools")
OUTPUTS = ("exam_item_statistics", "exam_item_options")


@dataclass(frozen=True)
class ItemsRun:
    """What a run wrote: the version and rows of each output, and the input versions read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def _frame(home: Home, eng: LakeEngine, dataset: str, version: int | None) -> pl.DataFrame:
    frame = pl.from_arrow(eng.collect(eng.table(home.lake, home.catalog.dataset(dataset), version)))
    assert isinstance(frame, pl.DataFrame)
    return frame


def shaped(home: Home, dataset: str, frame: pl.DataFrame) -> pa.Table:
    """``frame`` as exactly the catalog columns of ``dataset`` (missing ones null), in its lake types."""
    spec = home.catalog.dataset(dataset)
    schema = pa.schema([lake_schema(spec).field(f) for f in spec.field_names])
    if not frame.height:
        return schema.empty_table()
    columns = [pl.col(f) if f in frame.columns else pl.lit(None).alias(f) for f in spec.field_names]
    return frame.select(columns).to_arrow().cast(schema)


def run_items(home: Home, engine: LakeEngine | None = None) -> ItemsRun:
    """Compute the item statistics and option rates of every exam and replace both datasets."""
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        results = _frame(home, eng, "exam_item_results", inputs["exam_item_results"])
        schools = _frame(home, eng, "schools", inputs["schools"]).select("school_code", "district_code")
    finally:
        if own:
            eng.close()
    found = analyse_exams(results)
    items = found.items
    if items.height:
        items = items.join(schools, on="school_code", how="left")
    versions: dict[str, int] = {}
    rows: dict[str, int] = {}
    for dataset, frame in zip(OUTPUTS, (items, found.options), strict=True):
        table = shaped(home, dataset, frame)
        versions[dataset] = write_derived(home, dataset, table, job=JOB, inputs=inputs)
        rows[dataset] = table.num_rows
    return ItemsRun(versions, rows, inputs)


def is_stale(home: Home) -> bool:
    """True when an input has a version the statistics were not computed from (never without item results)."""
    if home.lake.version("exam_item_results") is None:
        return False
    wanted = {d: home.lake.version(d) for d in INPUTS}
    return any(computed_from(home, d) != wanted for d in OUTPUTS)


class ItemsDerivation:
    """The post-commit derivation of ``exam_item_statistics`` and ``exam_item_options`` (entry point ``items``)."""

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the outputs' lineage."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write both datasets; return their ids."""
        return sorted(run_items(home).versions)


DERIVATION = ItemsDerivation()
"""The instance the entry point names."""
