"""Shared fixtures: the catalog, an initialised EduBrain home on SQLite (and
PostgreSQL when ``EDUBRAIN_TEST_DATABASE_URL`` is set), synthetic people."""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from edubrain.catalog import Catalog, get_catalog
from edubrain.config import Settings
from edubrain.exchange.fields import gb11643_check_char
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations

# Timing is what benchmarks measure, not unit tests: no per-example deadline (a loaded CI machine made them flaky).
hypothesis_settings.register_profile("edubrain", deadline=None)
hypothesis_settings.load_profile("edubrain")

PG_URL = os.environ.get("EDUBRAIN_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return get_catalog()


def national_id(region: str = "110108", birth: str = "20180315", seq: int = 1, male: bool = True) -> str:
    """A synthetic, well-formed 身份证号 (GB 11643 check character)."""
    sex_digit = (2 * (seq % 5) + 1) if male else 2 * (seq % 5)
    first17 = f"{region}{birth}{seq % 100:02d}{sex_digit}"
    return first17 + gb11643_check_char(first17)


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    """Write rows (the first is the header) as CSV."""
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty operational database: SQLite in tmp_path, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'edubrain.db'}"
        return
    assert PG_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'create schema "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


@pytest.fixture
def home(tmp_path: Path, database_url: str, catalog: Catalog) -> Iterator[Home]:
    """An initialised EduBrain home (migrated database, city and districts seeded, empty lake)."""
    settings = Settings(home=tmp_path / "home", database_url=database_url)
    h = Home(settings, catalog)
    db.upgrade(settings.resolved_database_url)
    with db.session_scope(h.engine) as session:
        seed_organisations(session, catalog)
    yield h
    h.engine.dispose()


SCHOOL = "1101080001"
OTHER_SCHOOL = "1101080002"
CHAOYANG_SCHOOL = "1101050001"
CLASS = "C2025A"


def schools_rows() -> list[list[object]]:
    return [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办", "小学规划学位数"],
        [SCHOOL, "海淀示例一小", "110108", "211", "是", 1200],
        [OTHER_SCHOOL, "海淀示例二小", "110108", "211", "是", 900],
    ]


STUDENT_HEADERS = [
    "全国学籍号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "民族",
    "学校标识码",
    "班级编号",
    "学年",
    "年级",
    "学籍状态",
]
"""The headers of a students roster, as a school writes them."""


def home_with_schools(folder: Path, catalog: Catalog) -> Home:
    """An initialised SQLite home with two Haidian schools and one class stored."""
    home = Home(Settings(home=folder / "home"), catalog)
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, catalog)
    from edubrain.exchange.ingest import ingest_file

    classes = [["班级编号", "学校标识码", "学年", "年级", "班级名称"], [CLASS, SCHOOL, 2025, "11", "一年级1班"]]
    assert (
        ingest_file(home, write_csv(folder / "schools.csv", schools_rows()), "schools", "110108").report.status
        == "committed"
    )
    assert ingest_file(home, write_csv(folder / "classes.csv", classes), "classes", SCHOOL).report.status == "committed"
    return home


def student_rows(n: int = 5, school: str = SCHOOL, class_id: str = CLASS, start: int = 0) -> list[list[object]]:
    """A students roster for grade 1 of the 2025 school year (born 2019)."""
    rows: list[list[object]] = [list(STUDENT_HEADERS)]
    for i in range(start, start + n):
        male = i % 2 == 0
        birth = f"2019{(i // 28) % 8 + 1:02d}{i % 28 + 1:02d}"  # unique ids for up to 22,400 students
        nid = national_id(birth=birth, seq=i // 224, male=male)
        rows.append(
            [
                "G" + nid,
                f"测试{i}",
                "1" if male else "2",
                f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
                nid,
                "01",
                school,
                class_id,
                2025,
                "11",
                "01",
            ]
        )
    return rows


@pytest.fixture
def city(home: Home, tmp_path: Path) -> Home:
    """A home with two Haidian schools and one class stored."""
    from edubrain.exchange.ingest import ingest_file

    schools = write_csv(tmp_path / "schools.csv", schools_rows())
    assert ingest_file(home, schools, "schools", "110108").report.status == "committed"
    classes = write_csv(
        tmp_path / "classes.csv",
        [["班级编号", "学校标识码", "学年", "年级", "班级名称"], [CLASS, SCHOOL, 2025, "11", "一年级1班"]],
    )
    assert ingest_file(home, classes, "classes", SCHOOL).report.status == "committed"
    return home


GATED_DERIVATIONS: dict[str, tuple[str, ...]] = {
    "profiles": ("profile", "identity"),
    "monitoring": ("monitoring",),
    "training": ("training",),
    "facilities": ("facilit", "iot"),
    "smart_campus": ("smart_campus",),
    "at_risk": ("at_risk",),
    "supervision": ("supervision",),
    "safety": ("safety",),
    "items": ("teaching",),
    "value_added": ("teaching",),
}
"""Derivations that run after an exchange session only in test files whose names hold one of the words."""


@pytest.fixture(scope="session", autouse=True)
def _gated_derivations_only_where_tested() -> Iterator[None]:
    """Run each of :data:`GATED_DERIVATIONS` after exchange sessions only in the tests about it.

    Each recomputes derived datasets from many inputs after every session that changes one of them (seconds each
    on a tiny city); the tests of everything else submit data hundreds of times and never read them. Each
    derivation, and its running after a session, is tested in the files this lets through.
    """
    from edubrain.exchange import derive

    every = derive._points

    def points() -> list:  # type: ignore[type-arg]
        name = Path(os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[0]).name
        return [
            p for p in every() if p.name not in GATED_DERIVATIONS or any(w in name for w in GATED_DERIVATIONS[p.name])
        ]

    patch = pytest.MonkeyPatch()
    patch.setattr(derive, "_points", points)
    yield
    patch.undo()
