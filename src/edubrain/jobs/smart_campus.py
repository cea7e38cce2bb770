"""The smart-campus job: compute ``smart_campus_scores`` from platform data and the evaluation workflow.

The derived dataset is bound to the workflow: its self-assessed scores and states live in the operational database
(:mod:`edubrain.governance.smart_campus`), not in the lake. So it is not an engine-neutral lake transform of the
parity suite: the platform values are one Ibis expression run on the configured engine
(:func:`~edubrain.analytics.smart_campus.platform_values`, small per-school aggregates), the assessments are read
from the store, and the scoring, 达标 and shortlist are Polars (:mod:`edubrain.analytics.smart_campus`). The
commit's lineage records the version of each lake input and, as ``smart_campus_assessments``, the workflow's
revision (the count of its events), so :func:`is_stale` notices a new platform version and a workflow step alike.
The post-commit derivation (entry point ``smart_campus``) recomputes it after exchange sessions; the facade
(:mod:`edubrain.smart_campus`) after each workflow step.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.analytics.smart_campus import load_framework, platform_values, score_schools, shortlist
from edubrain.governance.smart_campus import assessment_tables, revision
from edubrain.governance.smart_campus_designations import designation_table
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.transforms import Transform, register, run

JOB = "smart_campus"
DATASET = "smart_campus_scores"
INPUTS = ("schools", "school_infrastructure", "facility_indicators", "training_coverage")
ASSESSMENTS = "smart_campus_assessments"
"""The lineage entry holding the workflow's revision."""
PLATFORM = "smart_campus_platform_values"
PLATFORM_INPUTS = ("school_infrastructure", "facility_indicators", "training_coverage")

register(
    Transform(
        name=PLATFORM,
        inputs=PLATFORM_INPUTS,
        build=lambda t: platform_values(
            load_framework(), t["school_infrastructure"], t["facility_indicators"], t["training_coverage"]
        ),
        key=("school_code", "school_year", "indicator_id"),
        feeds=(DATASET,),
    )
)
"""The engine part of ``smart_campus_scores`` (platform values per school, year and indicator): parity-tested."""


@dataclass(frozen=True)
class SmartCampusRun:
    """What a run wrote: the version and row count of ``smart_campus_scores``, and the inputs read."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def _base(schools: pl.DataFrame, states: pl.DataFrame) -> pl.DataFrame:
    """Every stored school in every year with an assessment, with its state (``none`` without one)."""
    years = states.select("school_year").unique()
    grid = schools.join(years, how="cross")
    grid = grid.join(states.drop("district_code"), on=["school_code", "school_year"], how="left")
    extra = states.join(grid, on=["school_code", "school_year"], how="anti")  # assessed, not in the schools table
    both = pl.concat([grid.with_columns(pl.col("state").fill_null("none")), extra.select(grid.columns)])
    return both.select("school_code", "district_code", "school_year", "state")


def compute_scores(home: Home, engine: LakeEngine) -> tuple[pl.DataFrame, dict[str, int | None]]:
    """The rows of ``smart_campus_scores`` and the input versions (and workflow revision) they were computed from."""
    framework = load_framework()
    read: dict[str, int | None] = {d: home.lake.version(d) for d in INPUTS}
    read[ASSESSMENTS] = revision(home)
    platform = pl.from_arrow(run(home, engine, PLATFORM, read)[0])
    schools_table = engine.table(home.lake, home.catalog.dataset("schools"), read["schools"])
    schools = pl.from_arrow(engine.collect(schools_table.select("school_code", "district_code").distinct()))
    states, self_scores = assessment_tables(home)
    assert isinstance(platform, pl.DataFrame) and isinstance(schools, pl.DataFrame)
    scores = score_schools(framework, _base(schools, states), platform, self_scores)
    ranked = shortlist(scores, framework).select(
        "school_code", "school_year", pl.col("rank").alias("shortlist_rank"), "explanation_zh", "explanation_en"
    )
    scores = scores.join(ranked, on=["school_code", "school_year"], how="left")
    marked = designation_table(home).with_columns(designated=pl.lit(1, pl.Int64))
    scores = scores.join(marked, on=["school_code", "school_year"], how="left").with_columns(
        pl.col("designated").fill_null(0)
    )
    return scores.select(home.catalog.dataset(DATASET).field_names), read


def run_smart_campus(home: Home, engine: LakeEngine | None = None) -> SmartCampusRun:
    """Compute and replace ``smart_campus_scores`` (one new lake version with its lineage)."""
    own = engine is None
    eng = engine or open_engine(home.settings)
    try:
        rows, read = compute_scores(home, eng)
        version = write_derived(home, DATASET, rows.to_arrow(), job=JOB, inputs=read)
    finally:
        if own:
            eng.close()
    return SmartCampusRun({DATASET: version}, {DATASET: rows.height}, read)


def is_stale(home: Home) -> bool:
    """True when a lake input or the workflow changed since the scores were computed.

    Nothing is stale before the first workflow event: with no assessment there is no year of evaluation.
    """
    recorded = computed_from(home, DATASET)
    current_revision = revision(home)
    if recorded is None:
        return current_revision > 0
    current = {d: home.lake.version(d) for d in INPUTS} | {ASSESSMENTS: current_revision}
    return any(recorded.get(d) != v for d, v in current.items())


class SmartCampusDerivation:
    """The post-commit derivation of ``smart_campus_scores`` (entry point ``smart_campus``).

    It reads ``facility_indicators`` and ``training_coverage``, so it runs after those derivations.
    """

    after = ("facilities", "training")

    def is_stale(self, home: Home) -> bool:
        """See :func:`is_stale`."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write ``smart_campus_scores``; return its id."""
        run_smart_campus(home)
        return [DATASET]


DERIVATION = SmartCampusDerivation()
"""The instance the entry point names."""
