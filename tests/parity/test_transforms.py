"""Every registered lake transform gives the same rows on DuckDB and on Spark, over one synthetic city."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

import edubrain.jobs.facilities  # noqa: F401  (registers facility_device_months and facility_indicators, as below)
import edubrain.jobs.fitness  # noqa: F401  (registers its transforms before the parametrisation reads REGISTRY)
import edubrain.jobs.monitoring  # noqa: F401  (registers monitoring_indicators, as above)
import edubrain.jobs.smart_campus  # noqa: F401  (registers smart_campus_scores platform values)
import edubrain.jobs.training  # noqa: F401  (registers training_coverage, as above)
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.jobs.engine import LakeEngine
from edubrain.jobs.profiles import run_profiles
from edubrain.jobs.transforms import REGISTRY, run
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city


@pytest.fixture(scope="module")
def parity_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    """Two districts of the synthetic city, three school years, loaded through the exchange."""
    root: Path = tmp_path_factory.mktemp("parity")
    config = SynthConfig(
        scale=0.01,
        seed=5,
        years=3,
        out=root / "city",
        districts=("110108", "110119"),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    generate(config)
    home = Home(Settings(home=root / "home"))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    load_city(home, config.out, "bulk")
    _implausible_school(home, root)
    yield home
    home.engine.dispose()


def _implausible_school(home: Home, root: Path) -> None:
    """Resubmit one school's fitness tests with every standing long jump at 180 cm (the warnings must see it)."""
    tests = pl.from_arrow(home.lake.read(home.catalog.dataset("fitness_tests")))
    assert isinstance(tests, pl.DataFrame)
    school = tests.get_column("school_code").mode().sort()[0]
    year = tests.get_column("school_year").max()
    rows = tests.filter((pl.col("school_code") == school) & (pl.col("school_year") == year))
    rows = rows.select([c for c in rows.columns if not c.startswith("_")]).with_columns(
        pl.when(pl.col("standing_long_jump_cm").is_not_null()).then(180.0).alias("standing_long_jump_cm")
    )
    path = root / "implausible.csv"
    rows.write_csv(path)
    assert ingest_file(home, path, "fitness_tests", school).report.status == "committed"


def _rows(table: pa.Table, key: tuple[str, ...]) -> list[dict[str, object]]:
    return sorted(table.to_pylist(), key=lambda row: tuple((row[k] is None, str(row[k])) for k in key))


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)
    return left == right


COMPUTED_IN_PYTHON = {
    "exam_item_statistics": "item statistics per exam: numpy on each exam's response matrix (docs/item-analysis.md)",
    "exam_item_options": "distractor rates per exam: numpy, as exam_item_statistics",
    "school_value_added": "a statsmodels MixedLM fit per subject and year (docs/value-added.md)",
    "student_risk_flags": "points per pupil with polars over inputs read through the engine (docs/early-warning-students.md)",
    "provider_credit_grades": "credit scores with polars over inputs read through the engine (docs/graded-supervision.md)",
    "provider_credit_items": "the scored items behind provider_credit_grades",
    "provider_public_grades": "the grade-only copy of provider_credit_grades",
    "campus_safety_counts": "rates with polars over inputs read through the engine (docs/campus-safety.md)",
    "campus_safety_warnings": "Poisson CUSUM per series, sequential in numpy (docs/campus-safety.md)",
}
"""Derived datasets computed by Python analytics (not an Ibis expression), so no engine pair to compare, and why.

Their jobs read the inputs through the configured engine (DuckDB or Spark) and compute in the driver; each has
golden-value tests of its own.
"""


def test_every_derived_dataset_is_fed_by_a_registered_transform(parity_city: Home) -> None:
    fed = {dataset for transform in REGISTRY.values() for dataset in transform.feeds}
    derived = {d.id for d in parity_city.catalog.datasets.values() if d.derived_from}
    assert derived - fed - set(COMPUTED_IN_PYTHON) == set(), "derived datasets with no registered lake transform"
    assert set(COMPUTED_IN_PYTHON) <= derived - fed, "a dataset listed as computed in Python has a transform now"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_duckdb_and_spark_agree_row_by_row(
    name: str, parity_city: Home, duckdb_engine: LakeEngine, spark_engine: LakeEngine
) -> None:
    left, versions = run(parity_city, duckdb_engine, name)
    right, _ = run(parity_city, spark_engine, name, versions)
    _assert_same_rows(name, left, right, REGISTRY[name].key)


def _assert_same_rows(name: str, left: pa.Table, right: pa.Table, key: tuple[str, ...]) -> None:
    assert left.num_rows > 0, f"{name} produced no rows on the synthetic city: the comparison would prove nothing"
    assert sorted(left.column_names) == sorted(right.column_names)
    assert left.num_rows == right.num_rows
    for a, b in zip(_rows(left, key), _rows(right, key), strict=True):
        assert a.keys() == b.keys()
        different = {k: (a[k], b[k]) for k in a if not _same(a[k], b[k])}
        assert not different, f"{name}: rows differ at key {[a[k] for k in key]}: {different}"


def test_the_profiles_job_writes_the_same_profiles_on_spark(
    parity_city: Home, duckdb_engine: LakeEngine, spark_engine: LakeEngine
) -> None:
    """The whole job (streamed chunks, pseudonyms, the school counts from the written rows) on both engines."""
    keys = {
        "student_profiles": ("student_pseudonym", "school_year"),
        "teacher_profiles": ("teacher_id", "school_year"),
        "school_profiles": ("school_code", "school_year"),
    }
    written: dict[str, dict[str, pa.Table]] = {}
    for engine in (spark_engine, duckdb_engine):  # DuckDB last: the city keeps the default engine's profiles
        result = run_profiles(parity_city, engine)
        assert set(result.versions) == set(keys)
        written[engine.name] = {}
        for dataset_id in keys:
            table = parity_city.lake.read(parity_city.catalog.dataset(dataset_id))
            assert table.num_rows == result.rows[dataset_id]
            order = list(zip(*(table[k].to_pylist() for k in keys[dataset_id]), strict=True))
            assert order == sorted(order), (engine.name, dataset_id)  # written in key order on either engine
            written[engine.name][dataset_id] = table.select(parity_city.catalog.dataset(dataset_id).field_names)
    for dataset_id, key in keys.items():
        _assert_same_rows(dataset_id, written["duckdb"][dataset_id], written["spark"][dataset_id], key)
