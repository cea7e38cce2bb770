"""A tiny city for the teaching-quality tests: three schools in two districts, 60 pupils each, on both databases.

Everything is submitted through the exchange (each school its own files), so the derived datasets are written by
the post-commit derivations (``items``, ``value_added``), as in production:

- ``exam_item_results``: one 20-item maths exam per school (:mod:`edubrain.synth.exam_items`, with the planted bad
  items 7 and 11);
- ``exam_scores``: maths in 2024 and 2025 for every pupil, this year = 0.7 × last year + the school's planted
  effect (:data:`PLANTED`, standard-score units) + noise.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from sqlalchemy import create_engine, text

from edubrain.catalog import Catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity import Grant, Principal
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.exam_items import exam_item_results
from tests.conftest import (
    BACKENDS,
    CHAOYANG_SCHOOL,
    OTHER_SCHOOL,
    PG_URL,
    SCHOOL,
    schools_rows,
    student_rows,
    write_csv,
)

PUPILS = 60
PLANTED = {SCHOOL: 0.8, OTHER_SCHOOL: 0.0, CHAOYANG_SCHOOL: -0.8}
CLASSES = {s: f"C{s}A" for s in PLANTED}


def principal(role: str, org: str, level: str, refs: tuple[str, ...] = ()) -> Principal:
    """A principal with one grant."""
    return Principal(id=f"q-{role}-{org}", name=f"{role}@{org}", grants=(Grant(role, org, level, refs),))


CITY_ANALYST = principal("city_analyst", "110000", "city")
HAIDIAN = principal("district_admin", "110108", "district")
CHAOYANG = principal("district_admin", "110105", "district")
SCHOOL_ADMIN = principal("school_admin", SCHOOL, "school")
OTHER_ADMIN = principal("school_admin", OTHER_SCHOOL, "school")
TEACHER = principal("teacher", SCHOOL, "school", (CLASSES[SCHOOL],))
PARENT = principal("parent", SCHOOL, "school", ("G110108201901010011",))


def exam_id(school: str) -> str:
    """The id of the school's item-level exam (五年级 maths, 2025)."""
    return f"IA{school}20251514"


def _ingest(home: Home, path: Path, dataset: str, org: str) -> None:
    report = ingest_file(home, path, dataset, org).report
    assert report.status == "committed", (dataset, org, report)


def submit_teaching_city(home: Home, folder: Path) -> None:
    """Submit the schools, classes, rosters, item results and two years of maths scores."""
    schools = [*schools_rows(), [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是", 800]]
    for district in ("110108", "110105"):
        mine = [schools[0], *[r for r in schools[1:] if r[2] == district]]
        _ingest(home, write_csv(folder / f"schools-{district}.csv", mine), "schools", district)
    rng = np.random.default_rng(18)
    for n, (school, effect) in enumerate(PLANTED.items()):
        classes = [
            ["班级编号", "学校标识码", "学年", "年级", "班级名称"],
            [CLASSES[school], school, 2025, "11", "一年级1班"],
        ]
        _ingest(home, write_csv(folder / f"classes-{school}.csv", classes), "classes", school)
        roster = student_rows(PUPILS, school, CLASSES[school], start=n * PUPILS)
        _ingest(home, write_csv(folder / f"students-{school}.csv", roster), "students", school)
        ids = [str(r[0]) for r in roster[1:]]
        pupils = pl.DataFrame(
            {
                "student_id": ids,
                "school": school,
                "class_id": CLASSES[school],
                "grade": 4,
                "ability": rng.normal(0, 1, PUPILS),
            },
            schema_overrides={"grade": pl.Int8},
        )
        items = exam_item_results(pupils, seed=18, district_index=n, year=2025)
        items.write_csv(folder / f"items-{school}.csv")
        _ingest(home, folder / f"items-{school}.csv", "exam_item_results", school)
        prior = rng.normal(0, 1, PUPILS)
        now = 0.7 * prior + effect + rng.normal(0, 0.5, PUPILS)
        header = ["exam_id", "student_id", "school_code", "class_id", "school_year", "term", "grade", "subject"]
        rows: list[list[object]] = [[*header, "score", "full_score"]]
        for year, z in ((2024, prior), (2025, now)):
            scores = np.clip(np.round(70 + 10 * z, 1), 0, 100)
            rows += [
                [f"QM{year}", s, school, CLASSES[school], year, 2, "11", "14", v, 100]
                for s, v in zip(ids, scores, strict=True)
            ]
        _ingest(home, write_csv(folder / f"scores-{school}.csv", rows), "exam_scores", school)


@pytest.fixture(scope="module", params=BACKENDS)
def teaching_home(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[Home]:
    """The tiny city on SQLite, and on PostgreSQL when ``EDUBRAIN_TEST_DATABASE_URL`` is set."""
    folder = tmp_path_factory.mktemp("teaching")
    url, schema = f"sqlite:///{folder / 'edubrain.db'}", None
    if request.param == "postgresql":
        assert PG_URL is not None
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with create_engine(PG_URL).begin() as conn:
            conn.execute(text(f'create schema "{schema}"'))
        url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    home = Home(Settings(home=folder / "home", database_url=url), catalog)
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, catalog)
    submit_teaching_city(home, folder)
    yield home
    home.engine.dispose()
    if schema is not None:
        with create_engine(PG_URL or "").begin() as conn:
            conn.execute(text(f'drop schema "{schema}" cascade'))
