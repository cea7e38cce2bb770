"""A governed read opens only the data files that may hold its rows, and returns exactly the rows it did before."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import readpath
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.read_filters import filter_sql, predicate_condition, source_files
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, home_with_schools, student_rows, write_csv

ADMIN = Principal(id="t-admin", name="admin", grants=(Grant("school_admin", SCHOOL, "school"),))
TEACHING = "teaching"
"""The purpose the school administrator reads for (a pupil's number is sensitive: filtered on only when unmasked)."""
CITY = Principal(id="t-city", name="city", grants=(Grant("city_admin", "110000", "city"),))


@pytest.fixture
def school_home(tmp_path: Path, catalog: Catalog) -> Iterator[Home]:
    home = home_with_schools(tmp_path, catalog)
    classes = [["班级编号", "学校标识码", "学年", "年级", "班级名称"], ["C2", OTHER_SCHOOL, 2025, "11", "一年级2班"]]
    assert (
        ingest_file(home, write_csv(tmp_path / "c2.csv", classes), "classes", OTHER_SCHOOL).report.status == "committed"
    )
    yield home
    home.engine.dispose()


def _ingest(home: Home, folder: Path, n: int, start: int, school: str = SCHOOL) -> list[str]:
    """Commit ``n`` pupils of ``school`` as one batch (one data file); returns their numbers."""
    rows = student_rows(n, school=school, class_id="C2" if school == OTHER_SCHOOL else CLASS, start=start)
    path = write_csv(folder / f"s{start}.csv", rows)
    assert ingest_file(home, path, "students", school).report.status == "committed"
    return [str(r[0]) for r in rows[1:]]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The data files of each view ``t`` a read registered."""
    seen: list[list[str]] = []
    original = readpath.register_view

    def recording(con: Any, name: str, dataset: Any, files: Sequence[str]) -> None:
        if name == "t":
            seen.append(list(files))
        original(con, name, dataset, files)

    monkeypatch.setattr(readpath, "register_view", recording)
    return seen


def test_scope_predicates_become_conditions() -> None:
    assert predicate_condition("TRUE") is True
    assert predicate_condition("FALSE") is False
    assert predicate_condition("school_code = '1101080001'") == ("school_code", ["1101080001"])
    assert predicate_condition("school_code IN ('a', 'b''c')") == ("school_code", ["a", "b'c"])
    assert predicate_condition("student_id IN (NULL)") == ("student_id", [])
    assert predicate_condition("(org_code = 'x' OR split_part(org_code, ':', 1) IN ('y'))") is None
    assert predicate_condition("school_code = 'a' or TRUE") is None


def test_filters_compare_strings_and_plain_integers_natively(school_home: Home) -> None:
    students = school_home.catalog.dataset("students")
    where, params = filter_sql(students, {"school_year": 2025, "school_code": [SCHOOL, OTHER_SCHOOL]})
    assert where == ' and "school_year" = ? and "school_code" in (?, ?)'
    assert params == [2025, SCHOOL, OTHER_SCHOOL]
    where, params = filter_sql(students, {"school_year": "02025"})  # as text it is not 2025: cast, as before
    assert where == ' and cast("school_year" as varchar) = ?' and params == ["02025"]
    assert filter_sql(students, {"school_year": []}) == (" and false", [])


def test_a_read_opens_only_the_files_that_may_hold_its_rows(
    school_home: Home, tmp_path: Path, opened: list[list[str]]
) -> None:
    first = _ingest(school_home, tmp_path, 3, start=0)
    second = _ingest(school_home, tmp_path, 3, start=60)
    _ingest(school_home, tmp_path, 3, start=120, school=OTHER_SCHOOL)
    every = school_home.lake.files("students")
    assert len(every) >= 3
    found = read_dataset(school_home, ADMIN, "students", filters={"student_id": second[1]}, limit=10, purpose=TEACHING)
    assert found.table.column("student_id").to_pylist() == [second[1]]
    assert len(opened[-1]) == 1  # one file of the three: the others' numbers or school lie outside
    found = read_dataset(
        school_home, ADMIN, "students", limit=10, purpose=TEACHING
    )  # the scope alone: the other school's file out
    assert sorted(found.table.column("student_id").to_pylist()) == sorted(first + second)
    assert len(opened[-1]) == len(every) - 1
    nothing = read_dataset(school_home, ADMIN, "students", filters={"school_code": OTHER_SCHOOL}, limit=10)
    assert (nothing.total, nothing.table.num_rows, opened[-1]) == (0, 0, [])


def test_a_new_commit_is_read_at_once_though_earlier_reads_left_files_out(
    school_home: Home, tmp_path: Path, opened: list[list[str]]
) -> None:
    _ingest(school_home, tmp_path, 3, start=0)
    before = read_dataset(school_home, ADMIN, "students", filters={"school_year": 2025}, limit=50, purpose=TEACHING)
    assert before.total == 3
    later = _ingest(school_home, tmp_path, 2, start=60)
    after = read_dataset(school_home, ADMIN, "students", filters={"school_year": 2025}, limit=50, purpose=TEACHING)
    assert after.total == 5 and set(later) <= set(after.table.column("student_id").to_pylist())
    one = read_dataset(school_home, ADMIN, "students", filters={"student_id": later[0]}, limit=50, purpose=TEACHING)
    assert one.table.column("student_id").to_pylist() == [later[0]]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"school_year": 2025},
        {"school_year": "2025"},
        {"school_year": 2024},
        {"school_code": [SCHOOL, OTHER_SCHOOL]},
        {"class_id": "C2025A", "school_year": [2024, 2025]},
    ],
)
def test_pruned_reads_return_what_reading_every_file_returns(
    school_home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: dict[str, Any]
) -> None:
    _ingest(school_home, tmp_path, 3, start=0)
    _ingest(school_home, tmp_path, 2, start=60)
    _ingest(school_home, tmp_path, 4, start=120, school=OTHER_SCHOOL)
    got = {p.id: read_dataset(school_home, p, "students", filters=filters, row_key=True) for p in (ADMIN, CITY)}
    monkeypatch.setattr(readpath, "source_files", lambda dataset, files, predicates, filters: list(files))
    for principal in (ADMIN, CITY):
        everything = read_dataset(school_home, principal, "students", filters=filters, row_key=True)
        assert got[principal.id].table.sort_by("_key").equals(everything.table.sort_by("_key"))
        assert got[principal.id].total == everything.total


def test_source_files_keep_every_file_for_a_predicate_they_cannot_read(school_home: Home, tmp_path: Path) -> None:
    _ingest(school_home, tmp_path, 3, start=0)
    students = school_home.catalog.dataset("students")
    files = school_home.lake.files("students")
    assert source_files(students, files, ["length(name) > 1"], {"school_code": "nowhere"}) == []  # the filter
    assert source_files(students, files, ["length(name) > 1"], {}) == files
    assert source_files(students, files, ["FALSE"], {}) == []
