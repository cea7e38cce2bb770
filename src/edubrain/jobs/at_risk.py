"""The early-warning job: compute ``student_risk_flags`` from the lake (学生发展风险预警).

Reads ``students``, ``student_attendance``, ``exam_scores``, ``fitness_scores``, ``student_status_changes``,
``student_conduct`` and ``schools`` at their current versions, computes the indicators and the points model of
:mod:`edubrain.analytics.at_risk` (vectorised polars) for every pupil registered in the roster's newest school
year, replaces the student number by its keyed pseudonym and writes ``student_risk_flags`` as one new version with
its lineage. After an exchange session that changed an input it runs by itself (:class:`AtRiskDerivation`, entry
point ``at_risk``, after ``fitness`` whose output it reads); ``edubrain at-risk run`` runs it on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.analytics.at_risk import INPUTS, indicators, judged_year, load_rules, score
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived

JOB = "at_risk"
DATASET = "student_risk_flags"


@dataclass(frozen=True)
class AtRiskRun:
    """What a run wrote: the version and rows of ``student_risk_flags``, the inputs read, the year and flags."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]
    school_year: int | None
    flagged: int


def _frame(home: Home, dataset: str, version: int | None) -> pl.DataFrame:
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(dataset), version))
    assert isinstance(frame, pl.DataFrame)
    return frame


def scored_pupils(home: Home, inputs: dict[str, int | None]) -> tuple[pl.DataFrame, int | None]:
    """Indicators, points and flags of every pupil of the judged year, still by ``student_id``, and the year."""
    tables = {d: _frame(home, d, inputs[d]) for d in INPUTS}
    year = judged_year(tables["students"])
    if year is None:
        return pl.DataFrame(), None
    key = pseudonym_key(home.settings)
    ids = tables["students"].select("student_id").unique()
    ids = ids.with_columns(pseudonymise(ids.get_column("student_id"), "student", key).alias("student_pseudonym"))
    tables["fitness_scores"] = tables["fitness_scores"].join(ids, on="student_pseudonym", how="inner")
    scored = score(indicators(tables, year), load_rules())
    districts = tables["schools"].select("school_code", "district_code").unique("school_code")
    scored = scored.join(districts, on="school_code", how="left").join(ids, on="student_id", how="left")
    return scored.with_columns(pl.lit(key.key_id).alias("pseudonym_key_id")), year


def run_at_risk(home: Home) -> AtRiskRun:
    """Compute ``student_risk_flags`` from the current inputs and replace it."""
    inputs = {d: home.lake.version(d) for d in INPUTS}
    scored, year = scored_pupils(home, inputs)
    fields = home.catalog.dataset(DATASET).field_names
    table = (scored if year is not None else pl.DataFrame(schema={f: pl.String for f in fields})).select(fields)
    version = write_derived(home, DATASET, table.to_arrow(), job=JOB, inputs=inputs, sort_by=["school_code"])
    flagged = int(table.get_column("flagged").cast(pl.Boolean).sum()) if table.height else 0
    return AtRiskRun({DATASET: version}, {DATASET: table.height}, inputs, year, flagged)


def is_stale(home: Home) -> bool:
    """True when an input has a version the flags were not computed from (never without attendance data)."""
    if home.lake.version("student_attendance") is None:
        return False
    return computed_from(home, DATASET) != {d: home.lake.version(d) for d in INPUTS}


class AtRiskDerivation:
    """The post-commit derivation of ``student_risk_flags`` (:mod:`edubrain.exchange.derive`).

    Registered as the entry point ``at_risk`` of the group ``edubrain.derivations`` in ``pyproject.toml``; runs
    after ``fitness`` (it reads ``fitness_scores``).
    """

    after = ("fitness",)

    def is_stale(self, home: Home) -> bool:
        """True when an input version differs from the lineage of ``student_risk_flags``."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write ``student_risk_flags``; return its id."""
        return sorted(run_at_risk(home).versions)


DERIVATION = AtRiskDerivation()
"""The instance the entry point names."""
