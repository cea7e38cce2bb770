"""The training job: compute ``training_coverage`` from the lake, and backtest its forecast.

Reads ``training_records``, ``teachers``, ``teacher_assignments`` and ``schools`` at their current versions on the
configured engine (DuckDB or Spark), builds the person-year rows with the pure transform
:func:`edubrain.analytics.training.coverage_expr` and writes ``training_coverage`` as one new version with its
lineage (the input versions read; the judgement date is in every row's ``as_of``). The transform is registered for
the engine parity suite (``tests/parity``). After an exchange session that changed an input it runs by itself
(:class:`TrainingDerivation`, entry point ``training``); ``edubrain training run`` runs it on demand, on any date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from edubrain.analytics.training import INPUTS, KEY, coverage_expr, load_targets
from edubrain.analytics.training.backtest import backtest_expr
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.transforms import Transform, register

JOB = "training"
DATASET = "training_coverage"

register(
    Transform(
        name=DATASET,
        inputs=INPUTS,
        build=lambda tables: coverage_expr(tables),
        key=KEY,
        feeds=(DATASET,),
    )
)


@dataclass(frozen=True)
class TrainingRun:
    """What a run wrote: the version and rows of ``training_coverage``, the inputs read and the judgement date."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]
    as_of: dt.date | None


def run_training(home: Home, engine: LakeEngine | None = None, as_of: dt.date | None = None) -> TrainingRun:
    """Compute ``training_coverage`` from the current inputs and replace it.

    Args:
        home: The EduBrain home.
        engine: The engine to run on (default: the configured one, opened and closed here).
        as_of: The judgement date (default: the end date of the latest training reported).

    Returns:
        The version written, its rows, the input versions read and the judgement date used.
    """
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        tables = {d: eng.table(home.lake, home.catalog.dataset(d), inputs[d]) for d in INPUTS}
        table = eng.collect(coverage_expr(tables, load_targets(), as_of))
        table = table.select(home.catalog.dataset(DATASET).field_names)
        version = write_derived(home, DATASET, table, job=JOB, inputs=inputs)
    finally:
        if own:
            eng.close()
    dates = table.column("as_of").drop_null().unique().to_pylist() if table.num_rows else []
    return TrainingRun({DATASET: version}, {DATASET: table.num_rows}, inputs, dates[0] if dates else as_of)


@dataclass(frozen=True)
class Backtest:
    """The forecast's backtest: one row per year (see :mod:`edubrain.analytics.training.backtest`) and the inputs."""

    rows: list[dict[str, Any]]
    inputs: dict[str, int | None]


def backtest_years(home: Home, engine: LakeEngine) -> list[int]:
    """Years worth a backtest: after the first year of records, up to the last whose 31 December has data after it."""
    records = engine.table(home.lake, home.catalog.dataset("training_records"), home.lake.version("training_records"))
    span = engine.collect(records.aggregate(first=records["year"].min(), last=records["end_date"].max())).to_pylist()
    if not span or span[0]["first"] is None:
        return []
    first, last = int(span[0]["first"]), span[0]["last"]
    final = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    return list(range(first + 1, final + 1))


def run_backtest(
    home: Home, years: Sequence[int] | None = None, engine: LakeEngine | None = None, day: str | None = None
) -> Backtest:
    """Forecast each of ``years`` on ``day`` and compare with how it ended (precision, recall).

    Args:
        home: The EduBrain home.
        years: The years (default :func:`backtest_years`: every year with history before it and a known end).
        engine: The engine to run on (default: the configured one).
        day: ``MM-DD`` of the forecast (default the targets' ``backtest_day``, 06-30).

    Raises:
        ValueError: there is no year to backtest, or ``day`` is not a date.
    """
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        chosen = list(years) if years else backtest_years(home, eng)
        tables = {d: eng.table(home.lake, home.catalog.dataset(d), inputs[d]) for d in INPUTS}
        rows = eng.collect(backtest_expr(tables, chosen, load_targets(), day)).to_pylist()
    finally:
        if own:
            eng.close()
    rows.sort(key=lambda r: r["year"])
    return Backtest(rows, inputs)


def is_stale(home: Home) -> bool:
    """True when an input has a version ``training_coverage`` was not computed from (never without training data)."""
    if home.lake.version("training_records") is None:
        return False
    wanted = {d: home.lake.version(d) for d in INPUTS}
    return computed_from(home, DATASET) != wanted


class TrainingDerivation:
    """The post-commit derivation of ``training_coverage`` (:mod:`edubrain.exchange.derive`).

    Registered as the entry point ``training`` of the group ``edubrain.derivations`` in ``pyproject.toml``.
    """

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the lineage of ``training_coverage``."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write ``training_coverage``; return its id."""
        return sorted(run_training(home).versions)


DERIVATION = TrainingDerivation()
"""The instance the entry point names."""
