"""The profiles job: compute ``student_profiles``, ``teacher_profiles`` and ``school_profiles`` from the lake.

Reads every input at its current version on the configured engine (DuckDB
or Spark), maps merged student numbers to their canonical number through the
identity links (:func:`edubrain.governance.identity_links.active_links`, an
engine parameter table), builds the profile tables with the pure transforms of
:mod:`edubrain.analytics.profiles`, replaces student numbers by keyed
pseudonyms and writes the three derived datasets, each one new version with
its lineage: the input versions read and, as ``identity_links``, the link
revision (:func:`edubrain.governance.identity_links.links_revision`), so a
merge or an undo makes the profiles stale. Student profiles are computed for
every school year in one query and streamed to the lake in chunks, so the
city's years never sit in this process at once. Each dataset is written in the order of its primary key
(pseudonym, teacher id, school code; then the year) in small row groups, so the read of one pupil, teacher
or school skips the other row groups by their statistics. The school profiles' submission quality
and timeliness come from the operational database's batches
(:class:`edubrain.store.models.SubmissionBatch`), summarised by
:func:`edubrain.analytics.profiles.schools.submission_stats`. The three
transforms are registered for the engine parity suite (``tests/parity``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa
from sqlalchemy import select

from edubrain.analytics.profiles.schools import school_profiles_expr, student_counts, submission_stats
from edubrain.analytics.profiles.students import student_locations_expr, student_profiles_expr
from edubrain.analytics.profiles.teachers import teacher_profiles_expr
from edubrain.governance.identity_links import active_links, links_revision
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.home import Home
from edubrain.jobs.derived import computed_from, write_derived
from edubrain.jobs.engine import LakeEngine, open_engine
from edubrain.jobs.fitness import scored_tests
from edubrain.jobs.transforms import Transform, register
from edubrain.store.db import session_scope
from edubrain.store.models import Organisation, SubmissionBatch

if TYPE_CHECKING:
    from ibis.expr.types import Table

JOB = "profiles"
LINKS = "identity_links"
"""Lineage key of the identity link revision."""
SUBMISSIONS = "submissions"
STUDENT_INPUTS: tuple[str, ...] = (
    "students",
    "exam_scores",
    "fitness_tests",
    "schools",
    "student_activities",
    "student_awards",
    "student_conduct",
    "info_literacy",
)
TEACHER_INPUTS: tuple[str, ...] = (
    "teachers",
    "teacher_assignments",
    "training_records",
    "teacher_portfolio",
    "exam_scores",
    "schools",
)
SCHOOL_INPUTS: tuple[str, ...] = (
    *STUDENT_INPUTS,
    "classes",
    "teacher_assignments",
    "school_infrastructure",
    "place_forecasts",
)
DERIVED: dict[str, tuple[str, ...]] = {
    "student_profiles": STUDENT_INPUTS,
    "teacher_profiles": TEACHER_INPUTS,
    "school_profiles": SCHOOL_INPUTS,
}
"""Each derived dataset and the lake inputs it is computed from."""
USES_LINKS = ("student_profiles", "school_profiles")
ALL_INPUTS: tuple[str, ...] = tuple(sorted({d for inputs in DERIVED.values() for d in inputs}))


@dataclass(frozen=True)
class ProfilesRun:
    """What a run wrote: version and row count of each derived dataset, and the inputs read (with the link revision)."""

    versions: dict[str, int]
    rows: dict[str, int]
    inputs: dict[str, int | None]


def _student_tables(tables: Mapping[str, Table]) -> dict[str, Table]:
    """The tables of :data:`edubrain.analytics.profiles.students.STUDENT_INPUTS` from the lake tables."""
    fitness = scored_tests({"fitness_tests": tables["fitness_tests"], "schools": tables["schools"]})
    out = {d: tables[d] for d in STUDENT_INPUTS}
    return {**out, "fitness": fitness, LINKS: tables[LINKS]}


def build_students(tables: Mapping[str, Table]) -> Table:
    """Student profile rows keyed by canonical ``student_id`` (not yet pseudonymised)."""
    return student_profiles_expr(_student_tables(tables))


def build_teachers(tables: Mapping[str, Table]) -> Table:
    """Teacher profile rows."""
    return teacher_profiles_expr({d: tables[d] for d in TEACHER_INPUTS})


def build_schools(tables: Mapping[str, Table]) -> Table:
    """School profile rows (the student counts from the student profile rows, merges applied)."""
    locations = student_locations_expr({**{d: tables[d] for d in STUDENT_INPUTS}, LINKS: tables[LINKS]})
    return _schools(tables, student_counts(locations))


def _schools(tables: Mapping[str, Table], counts: Table) -> Table:
    """School profile rows given the students per school and year."""
    names = ("schools", "classes", "teacher_assignments", "exam_scores", "school_infrastructure", "place_forecasts")
    return school_profiles_expr(
        {
            **{d: tables[d] for d in names},
            "fitness": _student_tables(tables)["fitness"],
            "student_counts": counts,
            "submissions": tables[SUBMISSIONS],
        }
    )


COUNT_SCHEMA = pa.schema(
    [pa.field("school_code", pa.string()), pa.field("school_year", pa.int64()), pa.field("students", pa.int64())]
)


def submissions(home: Home, today: dt.date | None = None) -> pa.Table:
    """Submission quality and timeliness per school and school year, from the operational database's batches."""
    with session_scope(home.engine) as session:
        rows = session.execute(
            select(
                SubmissionBatch.org_code,
                SubmissionBatch.dataset,
                SubmissionBatch.status,
                SubmissionBatch.rows_read,
                SubmissionBatch.rows_accepted,
                SubmissionBatch.created_at,
            )
        ).all()
        schools = list(session.scalars(select(Organisation.code).where(Organisation.level == "school")))
    columns = ["org_code", "dataset", "status", "rows_read", "rows_accepted", "created_at"]
    frame = pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "org_code": pl.String,
            "dataset": pl.String,
            "status": pl.String,
            "rows_read": pl.Int64,
            "rows_accepted": pl.Int64,
            "created_at": pl.Datetime("us"),
        },
        orient="row",
    ).select(columns)
    frequencies = {d.id: d.update_frequency for d in home.catalog.datasets.values() if not d.derived}
    return submission_stats(frame, frequencies, schools, today or dt.datetime.now(dt.UTC).date())


def _links(home: Home) -> dict[str, pa.Table]:
    return {LINKS: active_links(home)}


def _school_params(home: Home) -> dict[str, pa.Table]:
    return {LINKS: active_links(home), SUBMISSIONS: submissions(home)}


register(
    Transform(
        name="student_profiles",
        inputs=STUDENT_INPUTS,
        build=build_students,
        key=("student_id", "school_year"),
        feeds=("student_profiles",),
        params=_links,
    )
)
register(
    Transform(
        name="teacher_profiles",
        inputs=TEACHER_INPUTS,
        build=build_teachers,
        key=("teacher_id", "school_year"),
        feeds=("teacher_profiles",),
    )
)
register(
    Transform(
        name="school_profiles",
        inputs=SCHOOL_INPUTS,
        build=build_schools,
        key=("school_code", "school_year"),
        feeds=("school_profiles",),
        params=_school_params,
    )
)


def run_profiles(home: Home, engine: LakeEngine | None = None) -> ProfilesRun:
    """Compute the three profile datasets from the current inputs and replace them.

    Args:
        home: The EduBrain home.
        engine: The engine to run on (default: the configured one, opened and closed here).

    Returns:
        Versions written, row counts, and the input versions read (``identity_links``: the link revision).
    """
    own = engine is None
    eng = engine or open_engine(home.settings)
    versions: dict[str, int] = {}
    rows: dict[str, int] = {}
    try:
        inputs: dict[str, int | None] = {d: home.lake.version(d) for d in ALL_INPUTS}
        revision = links_revision(home)
        tables: dict[str, Table] = {d: eng.table(home.lake, home.catalog.dataset(d), inputs[d]) for d in ALL_INPUTS}
        tables[LINKS] = eng.arrow(active_links(home))
        tables[SUBMISSIONS] = eng.arrow(submissions(home))

        def lineage(dataset_id: str) -> dict[str, int | None]:
            read: dict[str, int | None] = {d: inputs[d] for d in DERIVED[dataset_id]}
            if dataset_id in USES_LINKS:
                read[LINKS] = revision
            return read

        key = pseudonym_key(home.settings)
        names = home.catalog.dataset("student_profiles").field_names
        rows["student_profiles"] = 0
        counts: list[pl.DataFrame] = []

        def student_chunks() -> Iterator[pa.Table]:
            # Every school year in one query (a year's trends come from the year before in the same result),
            # streamed out in chunks: the city's student profiles never sit in this process at once.
            for chunk in eng.batches(build_students(tables)):
                frame = pl.from_arrow(chunk)
                assert isinstance(frame, pl.DataFrame)
                rows["student_profiles"] += frame.height
                counts.append(
                    frame.filter(pl.col("school_code").is_not_null())
                    .group_by("school_code", "school_year")
                    .agg(students=pl.len().cast(pl.Int64))
                )
                yield (
                    frame.with_columns(
                        student_pseudonym=pseudonymise(frame.get_column("student_id"), "student", key),
                        pseudonym_key_id=pl.lit(key.key_id),
                    )
                    .select(names)
                    .to_arrow()
                )

        versions["student_profiles"] = write_derived(
            home, "student_profiles", student_chunks(), job=JOB, inputs=lineage("student_profiles"),
            sort_by=home.catalog.dataset("student_profiles").primary_key,
        )  # fmt: skip
        # The school profiles count the students of the rows just written (merges applied), not a second pass:
        # a (student, year) is one row, so the chunks' counts add up.
        empty = pl.from_arrow(COUNT_SCHEMA.empty_table())
        assert isinstance(empty, pl.DataFrame)
        counted = pl.concat([empty, *counts]).group_by("school_code", "school_year").agg(pl.col("students").sum())
        count_table = eng.arrow(counted.to_arrow().select(COUNT_SCHEMA.names).cast(COUNT_SCHEMA))
        built = {"teacher_profiles": build_teachers(tables), "school_profiles": _schools(tables, count_table)}
        for dataset_id, expr in built.items():
            table = eng.collect(expr).select(home.catalog.dataset(dataset_id).field_names)
            rows[dataset_id] = table.num_rows
            key_order = home.catalog.dataset(dataset_id).primary_key
            versions[dataset_id] = write_derived(
                home, dataset_id, table, job=JOB, inputs=lineage(dataset_id), sort_by=key_order
            )
    finally:
        if own:
            eng.close()
    return ProfilesRun(versions, rows, {**inputs, LINKS: revision})


def is_stale(home: Home) -> bool:
    """True when an input (or the identity link revision) has changed since a profile dataset was computed.

    Nothing is stale while every input is empty and no profile was ever written.
    """
    current: dict[str, int | None] = {d: home.lake.version(d) for d in ALL_INPUTS}
    revision = links_revision(home)
    for dataset_id, inputs in DERIVED.items():
        wanted: dict[str, int | None] = {d: current[d] for d in inputs}
        if dataset_id in USES_LINKS:
            wanted[LINKS] = revision
        recorded = computed_from(home, dataset_id)
        if recorded is None:
            if any(v is not None for d, v in wanted.items() if d != LINKS):
                return True
            continue
        if any(recorded.get(d) != v for d, v in wanted.items()):
            return True
    return False


class ProfilesDerivation:
    """The post-commit derivation of the three profile datasets (:mod:`edubrain.exchange.derive`).

    Registered as the entry point ``profiles`` of the group ``edubrain.derivations`` in ``pyproject.toml``.
    """

    def is_stale(self, home: Home) -> bool:
        """True when an input version or the identity link revision differs from the profiles' lineage."""
        return is_stale(home)

    def run(self, home: Home) -> list[str]:
        """Compute and write the three profile datasets; return their ids."""
        return sorted(run_profiles(home).versions)


DERIVATION = ProfilesDerivation()
"""The instance the entry point names."""
