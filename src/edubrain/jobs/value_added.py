"""The value-added job: compute ``school_value_added`` from ``exam_scores`` (and ``schools`` for districts).

Reads the two inputs at their current versions on the configured engine (the columns the model needs, through an
Ibis projection, so DuckDB or Spark), pairs each pupil's score with the same subject's a year earlier
(:func:`edubrain.analytics.value_added.prior_pairs`) and fits the random-intercept model per school year and subject
(statsmodels MixedLM; numpy, not an Ibis expression, hence no transform in the parity suite). Only the newest
:data:`YEARS` school years are fitted (each fit holds a year's pupils of one subject in memory). After an exchange
session that changed an input it runs by itself (:class:`ValueAddedDerivation`, entry point ``value_added``);
``edubrain teaching value-added-run`` runs it on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.analytics.value_added import fit_value_added, prior_pairs
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.items import shaped

JOB = "value_added"
DATASET = "school_value_added"
INPUTS = ("exam_scores", "schools")
YEARS = 3
"""The newest school years fitted on each run."""
COLUMNS = ("student_id", "school_code", "school_year", "term", "grade", "subject", "score", "full_score")


@dataclass(frozen=True)
class ValueAddedRun:
    """What a run wrote: the version and rows of ``school_value_added``, the inputs read and the years fitted."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]
    years: list[int]


def _read(home: Home, eng: LakeEngine, inputs: dict[str, int | None]) -> tuple[pl.DataFrame, pl.DataFrame]:
    scores = eng.table(home.lake, home.catalog.dataset("exam_scores"), inputs["exam_scores"]).select(*COLUMNS)
    schools = eng.table(home.lake, home.catalog.dataset("schools"), inputs["schools"])
    frames = [
        pl.from_arrow(eng.collect(scores)),
        pl.from_arrow(eng.collect(schools.select("school_code", "district_code"))),
    ]
    assert all(isinstance(f, pl.DataFrame) for f in frames)
    return frames[0], frames[1]  # type: ignore[return-value]


def run_value_added(home: Home, engine: LakeEngine | None = None, years: list[int] | None = None) -> ValueAddedRun:
    """Fit the model for ``years`` (default the newest :data:`YEARS` with a prior year) and replace the dataset."""
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        inputs = {d: home.lake.version(d) for d in INPUTS}
        scores, schools = _read(home, eng, inputs)
    finally:
        if own:
            eng.close()
    pairs = prior_pairs(scores) if scores.height else pl.DataFrame()
    available = sorted(pairs.get_column("school_year").unique().to_list()) if pairs.height else []
    chosen = [y for y in available if y in years] if years else available[-YEARS:]
    found = fit_value_added(pairs, chosen) if chosen else pl.DataFrame()
    if found.height:
        found = found.join(schools, on="school_code", how="left")
    table = shaped(home, DATASET, found)
    version = write_derived(home, DATASET, table, job=JOB, inputs=inputs)
    return ValueAddedRun({DATASET: version}, {DATASET: table.num_rows}, inputs, chosen)


def is_stale(home: Home) -> bool:
    """True when an input has a version the effects were not computed from (never without exam scores)."""
    if home.lake.version("exam_scores") is None:
        return False
    return computed_from(home, DATASET) != {d: home.lake.version(d) for d in INPUTS}


class ValueAddedDerivation:
    """The post-commit derivation of ``school_value_added`` (entry point ``value_added``)."""

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the dataset's lineage."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Fit and write ``school_value_added``; return its id."""
        return sorted(run_value_added(home).versions)


DERIVATION = ValueAddedDerivation()
"""The instance the entry point names."""
