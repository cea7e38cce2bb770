"""The graded-supervision job: compute the providers' credit items, grades and public list from the lake.

Reads ``training_providers``, ``provider_inspections`` and ``provider_complaints`` at their current versions (a few
thousand rows a district: collected to Arrow on the configured engine, scored with the vectorised polars functions
of :mod:`edubrain.analytics.supervision`), and writes ``provider_credit_items``, ``provider_credit_grades`` and
``provider_public_grades`` as new versions with their lineage. After an exchange session that changed an input it
runs by itself (:class:`SupervisionDerivation`, entry point ``supervision``); ``edubrain supervision run`` runs it on
demand, on any judgement date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from edubrain.analytics.supervision import INPUTS, credit_grades, credit_items, judgement_date, load_credit_model
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine

JOB = "supervision"
GRADES, ITEMS, PUBLIC = "provider_credit_grades", "provider_credit_items", "provider_public_grades"
OUTPUTS = (ITEMS, GRADES, PUBLIC)


@dataclass(frozen=True)
class SupervisionRun:
    """What a run wrote: versions and rows per derived dataset, the inputs read and the judgement date."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]
    as_of: dt.date | None


def _frame(eng: LakeEngine, home: Home, dataset: str, version: int | None) -> pl.DataFrame:
    frame = pl.from_arrow(eng.collect(eng.table(home.lake, home.catalog.dataset(dataset), version)))
    assert isinstance(frame, pl.DataFrame)
    return frame.select(home.catalog.dataset(dataset).field_names)


def run_supervision(home: Home, engine: LakeEngine | None = None, as_of: dt.date | None = None) -> SupervisionRun:
    """Score every registered provider and replace the three derived datasets.

    Args:
        home: The EduBrain home.
        engine: The engine to read with (default: the configured one, opened and closed here).
        as_of: The judgement date (default: the latest inspection or complaint date; today without records).
    """
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        providers, inspections, complaints = (_frame(eng, home, d, inputs[d]) for d in INPUTS)
    finally:
        if own:
            eng.close()
    model = load_credit_model()
    day = as_of or judgement_date(inspections, complaints) or dt.date.today()
    items = credit_items(inspections, complaints, providers, model, day).with_columns(pl.lit(day).alias("as_of"))
    grades = credit_grades(providers, inspections, items, model, day)
    tables = {ITEMS: items, GRADES: grades, PUBLIC: grades}
    versions, rows = {}, {}
    for name in OUTPUTS:
        table = tables[name].select(home.catalog.dataset(name).field_names).to_arrow()
        versions[name] = write_derived(home, name, table, job=JOB, inputs=inputs)
        rows[name] = table.num_rows
    return SupervisionRun(versions, rows, inputs, day)


def is_stale(home: Home) -> bool:
    """True when an input has a version the grades were not computed from (never without a provider register)."""
    if home.lake.version("training_providers") is None:
        return False
    wanted = {d: home.lake.version(d) for d in INPUTS}
    return any(computed_from(home, name) != wanted for name in OUTPUTS)


class SupervisionDerivation:
    """The post-commit derivation of the credit grades (entry point ``supervision`` of ``edubrain.derivations``)."""

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the lineage of the derived datasets."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write the three datasets; return their ids."""
        return sorted(run_supervision(home).versions)


DERIVATION = SupervisionDerivation()
"""The instance the entry point names."""
