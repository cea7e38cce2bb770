"""Profile fixtures: the API city (two Haidian schools, users per role) with evidence rows and derived profiles.

Evidence datasets (activities, conduct, status changes) are submitted as real batches; the derived profiles are
written with :func:`edubrain.jobs.derived.write_derived`, recording the evidence versions in their lineage, so
every value can be traced back to rows the tests know.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange import derive
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.home import Home
from edubrain.jobs.derived import write_derived
from tests.api.conftest import OTHER_CLASS, ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, SCHOOL, student_rows, write_csv

TEACHER = "T000000001"
OTHER_TEACHER = "T000000002"
YEAR = 2025


def student_ids() -> tuple[list[str], list[str]]:
    """The student numbers of the first school (4) and of the second (3), as the API city stores them."""
    first = [str(r[0]) for r in student_rows(4, SCHOOL, CLASS, 0)[1:]]
    second = [str(r[0]) for r in student_rows(3, OTHER_SCHOOL, OTHER_CLASS, 10)[1:]]
    return first, second


@dataclass
class ProfileCity:
    """The API city with evidence and profiles; pseudonyms of its students; the versions written."""

    api: ApiCity
    ids: list[str]
    other_ids: list[str]
    pseudonyms: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)

    @property
    def home(self) -> Home:
        return self.api.home

    def p(self, student_id: str) -> str:
        return self.pseudonyms[student_id]


def principal(role: str, org: str, level: str, refs: tuple[str, ...] = (), pid: str | None = None) -> Principal:
    """A principal with one grant."""
    return Principal(id=pid or f"t-{role}-{org}", name=role, grants=(Grant(role, org, level, refs),))


def _submit(home: Home, folder: Path, name: str, rows: list[list[object]], dataset: str, org: str) -> int:
    result = ingest_file(home, write_csv(folder / f"{name}.csv", rows), dataset, org)
    assert result.report.status == "committed", result.report
    version = home.lake.version(dataset)
    assert version is not None
    return version


def activities(ids: list[str], hours: float = 3.0) -> list[list[object]]:
    """Arts (11) and volunteer (22) activities for the first two students of the first school."""
    header = ["record_id", "student_id", "school_code", "school_year", "term", "activity_type", "activity_name",
              "activity_date", "hours"]  # fmt: skip
    return [
        header,
        ["A1", ids[0], SCHOOL, YEAR, 1, "11", "合唱团", "2025-10-10", hours],
        ["A2", ids[0], SCHOOL, YEAR, 2, "11", "美术社", "2026-03-10", 2.5],
        ["A3", ids[0], SCHOOL, YEAR, 1, "22", "社区志愿服务", "2025-11-01", 4],
        ["A4", ids[1], SCHOOL, YEAR, 1, "11", "合唱团", "2025-10-10", 1.5],
    ]


def student_profile_rows(home: Home, ids: list[str], school: str, class_id: str, arts: dict[str, float]) -> pa.Table:
    """student_profiles rows for ``ids`` (the values the tests check, not a computation)."""
    key = pseudonym_key(home.settings)
    n = len(ids)
    names = home.catalog.dataset("student_profiles").field_names
    columns: dict[str, list[object]] = {name: [None] * n for name in names}
    columns.update(
        student_pseudonym=[pseudonym(i, "student", key) for i in ids],
        pseudonym_key_id=[key.key_id] * n,
        school_code=[school] * n,
        district_code=["110108"] * n,
        class_id=[class_id] * n,
        grade=["11"] * n,
        school_year=[YEAR] * n,
        arts_hours=[arts.get(i) for i in ids],
        domain_moral=[88.0 + k for k in range(n)],
        domain_academic=[70.0 + k for k in range(n)],
        domain_health=[75.0] * n,
        domain_arts=[60.0 + k for k in range(n)],
        domain_practice=[50.0] * n,
        records_merged=[0] * n,
    )
    schema = pa.schema([pa.field(c, _arrow_type(home, c)) for c in names])
    return pa.table(columns, schema=schema)


def _arrow_type(home: Home, column: str) -> pa.DataType:
    kind = home.catalog.dataset("student_profiles").field(column).type
    return {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}.get(kind, pa.string())


def _derived(home: Home, dataset: str, values: dict[str, list[object]]) -> pa.Table:
    spec = home.catalog.dataset(dataset)
    n = len(next(iter(values.values())))
    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return pa.table(
        {f.name: pa.array(values.get(f.name, [None] * n), types.get(f.type, pa.string())) for f in spec.fields}
    )


def build(home: Home, folder: Path) -> ProfileCity:
    """Populate the API city, submit evidence, write the three profile datasets.

    The profiles derivation is held back while submitting (these profiles are written by hand, with values the
    tests know); ``test_end_to_end`` runs the real job.
    """
    points = derive._points
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(derive, "_points", lambda: [p for p in points() if p.name != "profiles"])
        return _build(home, folder)


def _build(home: Home, folder: Path) -> ProfileCity:
    api = populate(home, folder)
    ids, other = student_ids()
    city = ProfileCity(api, ids, other)
    v = city.versions
    v["student_activities"] = _submit(home, folder, "act", activities(ids), "student_activities", SCHOOL)
    changes = [
        ["change_id", "student_id", "school_code", "change_type", "change_date", "from_school_code", "to_school_code"],
        ["X1", ids[0], SCHOOL, "22", "2025-09-01", OTHER_SCHOOL, SCHOOL],
    ]
    v["student_status_changes"] = _submit(home, folder, "chg", changes, "student_status_changes", SCHOOL)
    other_changes = [changes[0], ["X2", other[0], OTHER_SCHOOL, "11", "2025-10-01", "", ""]]
    v["other_changes"] = _submit(home, folder, "chg2", other_changes, "student_status_changes", OTHER_SCHOOL)
    v["students"] = home.lake.version("students") or 0
    key = pseudonym_key(home.settings)
    city.pseudonyms = {i: pseudonym(i, "student", key) for i in ids + other}
    arts = {ids[0]: 5.5, ids[1]: 1.5}
    rows = pa.concat_tables(
        [
            student_profile_rows(home, ids, SCHOOL, CLASS, arts),
            student_profile_rows(home, other, OTHER_SCHOOL, OTHER_CLASS, {}),
        ]
    )
    inputs = {"students": v["students"], "student_activities": v["student_activities"], "student_conduct": None}
    v["student_profiles"] = write_derived(home, "student_profiles", rows, job="test.profiles", inputs=inputs)
    teachers = _derived(
        home,
        "teacher_profiles",
        {"teacher_id": [TEACHER, OTHER_TEACHER], "school_code": [SCHOOL, OTHER_SCHOOL],
         "district_code": ["110108", "110108"], "school_year": [YEAR, YEAR], "is_principal": [False, True],
         "classes_taught": [1, 1], "subjects": ["01", "02"], "weekly_periods": [12, 10],
         "training_hours": [80.0, 20.0], "training_target": [72.0, 32.0], "training_met": [True, False]},
    )  # fmt: skip
    v["teacher_profiles"] = write_derived(
        home, "teacher_profiles", teachers, job="test.profiles", inputs={"training_records": None}
    )
    schools = _derived(
        home,
        "school_profiles",
        {"school_code": [SCHOOL, OTHER_SCHOOL], "district_code": ["110108", "110108"], "school_year": [YEAR, YEAR],
         "school_type": ["211", "211"], "students": [4, 3], "classes": [1, 1], "teachers": [1, 1],
         "student_teacher_ratio": [4.0, 3.0]},
    )  # fmt: skip
    v["school_profiles"] = write_derived(home, "school_profiles", schools, job="test.profiles", inputs={})
    return city


@pytest.fixture(scope="module", params=BACKENDS)
def pcity(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProfileCity]:
    """A profile city shared by the read-only tests of a module."""
    folder = tmp_path_factory.mktemp("profiles")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    city = build(home, folder / "files")
    with city.api.client:
        yield city
    home.engine.dispose()
    drop_schema(schema)
