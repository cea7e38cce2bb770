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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa

from edubrain.analytics.fitness import indicators_expr, score_expr, warnings_expr
from edubrain.analytics.fitness.scoring import score_columns
from edubrain.analytics.fitness.standard import load_standard
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.home import Home
from edubrain.jobs.derived import write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.transforms import Build, Transform, register

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


def _register_fitness(dataset_id: str, build: Build, key: tuple[str, ...]) -> None:
    """Register the transform that builds the derived dataset ``dataset_id`` from :data:`INPUTS`."""
    register(Transform(name=dataset_id, inputs=INPUTS, build=build, key=key, feeds=(dataset_id,)))


_register_fitness("fitness_scores", scored_tests, ("student_id", "school_year"))
_register_fitness(
    "fitness_indicators",
    lambda tables: indicators_expr(scored_tests(tables)),
    ("level", "org_code", "school_year", "grade", "sex"),
)
_register_fitness(
    "fitness_warnings",
    lambda tables: warnings_expr(scored_tests(tables)),
    ("school_year", "school_code", "check", "item"),
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
        # The aggregates are small; the engine scores inside each query and streams, so no full score table
        # is ever held in this process.
        rows = {
            "fitness_indicators": eng.collect(indicators_expr(scored_tests(tables))),
            "fitness_warnings": eng.collect(warnings_expr(scored_tests(tables))),
        }
        tests = tables["fitness_tests"]
        years = sorted(eng.collect(tests.select("school_year").distinct()).column(0).to_pylist())
        key = pseudonym_key(home.settings)
        names = home.catalog.dataset("fitness_scores").field_names
        counted = {"fitness_scores": 0}

        def scores_by_year() -> Iterator[pa.Table]:
            # One school year at a time: the whole city's five years of scores never sit in memory at once.
            for year in years:
                part = {**tables, "fitness_tests": tests.filter(tests["school_year"] == year)}
                frame = pl.from_arrow(eng.collect(scored_tests(part)))
                assert isinstance(frame, pl.DataFrame)
                counted["fitness_scores"] += frame.height
                yield (
                    frame.with_columns(
                        student_pseudonym=pseudonymise(frame.get_column("student_id"), "student", key),
                        pseudonym_key_id=pl.lit(key.key_id),
                    )
                    .select(names)
                    .to_arrow()
                )

        versions: dict[str, int] = {
            "fitness_scores": write_derived(home, "fitness_scores", scores_by_year(), job=JOB, inputs=inputs)
        }
        for dataset_id in DERIVED[1:]:
            table = rows[dataset_id].select(home.catalog.dataset(dataset_id).field_names)
            lineage: dict[str, int | None] = {**inputs, "fitness_scores": versions["fitness_scores"]}
            versions[dataset_id] = write_derived(home, dataset_id, table, job=JOB, inputs=lineage)
    finally:
        if own:
            eng.close()
    sizes = {**counted, **{d: rows[d].num_rows for d in DERIVED[1:]}}
    return FitnessRun(versions, sizes, inputs)


def is_stale(home: Home) -> bool:
    """True when ``fitness_tests`` has a version that ``fitness_scores`` was not computed from."""
    tests = home.lake.version("fitness_tests")
    if tests is None:
        return False
    return _scored_from(home) != tests


class FitnessDerivation:
    """The post-commit derivation ``fitness_tests`` → the three fitness datasets (:mod:`edubrain.exchange.derive`).

    Registered as the entry point ``fitness`` of the group ``edubrain.derivations`` in ``pyproject.toml``.
    """

    def is_stale(self, home: Home) -> bool:
        """True when ``fitness_tests`` has a version the fitness datasets were not computed from."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Score the current ``fitness_tests`` and write the derived datasets; return their ids."""
        return sorted(run_fitness(home).versions)


DERIVATION = FitnessDerivation()
"""The instance the entry point names."""


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
