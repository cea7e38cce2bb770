"""The fitness job: score ``fitness_tests`` from the lake and write the derived fitness datasets.

Reads ``fitness_tests`` and ``schools`` (for each school's district) at their
current versions on the configured engine (DuckDB or Spark), scores every row
with :func:`edubrain.analytics.fitness.score_expr`, replaces student numbers by
keyed pseudonyms, and writes ``fitness_scores``, ``fitness_indicators`` and
``fitness_warnings`` as one new version each, with their lineage
(:func:`edubrain.jobs.derived.write_derived`). The three lake transforms are
registered for the engine parity suite (``tests/parity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from edubrain.analytics.fitness import indicators_expr, score_expr, warnings_expr
from edubrain.analytics.fitness.scoring import score_columns
from edubrain.analytics.fitness.standard import load_standard
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.home import Home
from edubrain.jobs.derived import write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.transforms import Transform, register

if TYPE_CHECKING:
    from ibis.expr.types import Table

JOB = "fitness.score"
INPUTS: tuple[str, ...] = ("fitness_tests", "schools")
DERIVED: tuple[str, ...] = ("fitness_scores", "fitness_indicators", "fitness_warnings")
ORG_COLUMNS: tuple[str, ...] = ("student_id", "school_code", "district_code", "class_id", "school_year")


@dataclass(frozen=True)
class FitnessRun:
    """What a run wrote: the version and row count of each derived dataset, and the input versions read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def scored_tests(tables: Mapping[str, Table]) -> Table:
    """``fitness_tests`` with each school's district, scored; still keyed by the student number (never stored)."""
    tests, schools = tables["fitness_tests"], tables["schools"]
    districts = schools.select(s_code=schools["school_code"], district_code=schools["district_code"]).distinct()
    joined = tests.left_join(districts, tests["school_code"] == districts["s_code"])
    keep = [c for c in tests.columns if not c.startswith("_")]
    scored = score_expr(joined.select(*[joined[c] for c in keep], district_code=joined["district_code"]))
    raw = [i.field for i in load_standard().scored_items if i.field]
    return scored.select(*ORG_COLUMNS, "grade", "sex", *raw, *score_columns())


register(
    Transform(
        name="fitness_scores",
        inputs=INPUTS,
        build=scored_tests,
        key=("student_id", "school_year"),
        feeds=("fitness_scores",),
    )
)
register(
    Transform(
        name="fitness_indicators",
        inputs=INPUTS,
        build=lambda tables: indicators_expr(scored_tests(tables)),
        key=("level", "org_code", "school_year", "grade", "sex"),
        feeds=("fitness_indicators",),
    )
)
register(
    Transform(
        name="fitness_warnings",
        inputs=INPUTS,
        build=lambda tables: warnings_expr(scored_tests(tables)),
        key=("school_year", "school_code", "check", "item"),
        feeds=("fitness_warnings",),
    )
)


def run_fitness(home: Home, engine: LakeEngine | None = None) -> FitnessRun:
    """Score the current ``fitness_tests`` and replace the three derived fitness datasets.

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
        scored = eng.collect(scored_tests(tables))
        indicators = eng.collect(indicators_expr(eng.arrow(scored)))
        warnings = eng.collect(warnings_expr(eng.arrow(scored)))
    finally:
        if own:
            eng.close()
    key = pseudonym_key(home.settings)
    frame = pl.from_arrow(scored)
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_columns(
        student_pseudonym=pseudonymise(frame.get_column("student_id"), "student", key),
        pseudonym_key_id=pl.lit(key.key_id),
    ).drop("student_id")
    names = home.catalog.dataset("fitness_scores").field_names
    rows = {
        "fitness_scores": frame.select(names).to_arrow(),
        "fitness_indicators": indicators,
        "fitness_warnings": warnings,
    }
    versions: dict[str, int] = {}
    for dataset_id in DERIVED:
        table = rows[dataset_id].select(home.catalog.dataset(dataset_id).field_names)
        lineage: dict[str, int | None] = dict(inputs)
        if dataset_id != "fitness_scores":
            lineage["fitness_scores"] = versions["fitness_scores"]
        versions[dataset_id] = write_derived(home, dataset_id, table, job=JOB, inputs=lineage)
    return FitnessRun(versions, {d: rows[d].num_rows for d in DERIVED}, inputs)


def is_stale(home: Home) -> bool:
    """True when ``fitness_tests`` has a version that ``fitness_scores`` was not computed from."""
    tests = home.lake.version("fitness_tests")
    if tests is None:
        return False
    return _scored_from(home) != tests


def _scored_from(home: Home) -> int | None:
    """The ``fitness_tests`` version the current ``fitness_scores`` was computed from (None if never)."""
    import json

    if home.lake.version("fitness_scores") is None:
        return None
    for entry in home.lake.history("fitness_scores"):
        lineage = entry.get("edubrain.lineage")
        if lineage:
            value = json.loads(lineage).get("inputs", {}).get("fitness_tests")
            return int(value) if value is not None else None
    return None
