"""Table snapshots kept per Delta log state: never stale after a commit, the table opened once per state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.errors import LakeError
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home
from edubrain.store.lake import Lake
from edubrain.store.snapshots import Snapshots, snapshots, table_stamp
from tests.conftest import SCHOOL, home_with_schools, student_rows, write_csv


@pytest.fixture
def school_home(tmp_path: Path, catalog: Catalog) -> Iterator[Home]:
    home = home_with_schools(tmp_path, catalog)
    yield home
    home.engine.dispose()


def _ingest(home: Home, folder: Path, n: int, start: int = 0) -> None:
    path = write_csv(folder / f"s{start}.csv", student_rows(n, start=start))
    assert ingest_file(home, path, "students", SCHOOL).report.status == "committed"


class CountingLake(Lake):
    """A lake that counts how often a table is opened for its files."""

    opened = 0

    def files(self, dataset_id: str, version: int | None = None) -> list[str]:
        self.opened += 1
        return super().files(dataset_id, version)


def test_snapshots_of_a_missing_table_are_empty(school_home: Home) -> None:
    snap = Snapshots(school_home.lake).current("students")
    assert snap.version is None and snap.files == ()
    assert table_stamp(school_home.lake, "students") is None


def test_snapshots_see_every_commit_at_once_and_open_the_table_once_per_state(
    school_home: Home, tmp_path: Path
) -> None:
    lake = CountingLake(school_home.lake.root)
    snaps = Snapshots(lake)
    for n in range(3):  # commits in quick succession, within one file-time tick of each other
        _ingest(school_home, tmp_path, 2, start=10 * n)
        snap = snaps.current("students")
        assert snap.version == school_home.lake.version("students") == n
        assert sorted(snap.files) == sorted(school_home.lake.files("students"))
        assert snaps.rows("students") == school_home.lake.count("students") == 2 * (n + 1)
    opened = lake.opened
    for _ in range(5):
        snaps.current("students")
    assert lake.opened == opened


def test_snapshots_at_an_old_version_and_refuse_a_missing_one(school_home: Home, tmp_path: Path) -> None:
    _ingest(school_home, tmp_path, 3)
    _ingest(school_home, tmp_path, 2, start=10)
    snaps = Snapshots(school_home.lake)
    assert sorted(snaps.at("students", 0).files) == sorted(school_home.lake.files("students", 0))
    with pytest.raises(LakeError):
        snaps.at("students", 7)


def test_snapshots_memo_is_kept_until_a_table_changes(school_home: Home, tmp_path: Path) -> None:
    _ingest(school_home, tmp_path, 3)
    snaps = Snapshots(school_home.lake)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert snaps.memo(("students",), "k", compute) == 1
    assert snaps.memo(("students",), "k", compute) == 1
    assert snaps.memo(("students", "schools"), "k", compute) == 2  # other tables: another value
    _ingest(school_home, tmp_path, 2, start=10)
    assert snaps.memo(("students",), "k", compute) == 3


def test_snapshots_are_one_per_lake(school_home: Home) -> None:
    assert snapshots(school_home.lake) is snapshots(school_home.lake)
    assert snapshots(Lake(school_home.lake.root)) is not snapshots(school_home.lake)


def test_a_read_right_after_a_commit_sees_it(school_home: Home, tmp_path: Path) -> None:
    admin = Principal(id="t-admin", name="admin", grants=(Grant("school_admin", SCHOOL, "school"),))
    _ingest(school_home, tmp_path, 3)
    first = read_dataset(school_home, admin, "students", limit=2)
    assert (first.total, first.table.num_rows, first.version) == (3, 2, 0)
    _ingest(school_home, tmp_path, 4, start=10)
    second = read_dataset(school_home, admin, "students", limit=2, offset=6)
    assert (second.total, second.table.num_rows, second.version) == (7, 1, 1)
    assert read_dataset(school_home, admin, "students", limit=5, offset=10).total == 7
