"""A table's stamp lists its Delta log only when the log has changed, and is never stale after a commit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.store import snapshots as snapshots_module
from edubrain.store.delta_append import latest_version
from edubrain.store.snapshots import Snapshots, table_stamp
from tests.conftest import SCHOOL, home_with_schools, student_rows, write_csv


@pytest.fixture
def school_home(tmp_path: Path, catalog: Catalog) -> Iterator[Home]:
    home = home_with_schools(tmp_path, catalog)
    yield home
    home.engine.dispose()


def _ingest(home: Home, folder: Path, n: int, start: int = 0) -> None:
    path = write_csv(folder / f"s{start}.csv", student_rows(n, start=start))
    assert ingest_file(home, path, "students", SCHOOL).report.status == "committed"


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The tables whose log :func:`table_stamp` listed (the calls of ``latest_version``)."""
    listed: list[Path] = []

    def counting(table: Path) -> int | None:
        listed.append(table)
        return latest_version(table)

    monkeypatch.setattr(snapshots_module, "latest_version", counting)
    return listed


def test_table_stamp_lists_the_log_once_while_nothing_is_committed(
    school_home: Home, tmp_path: Path, listings: list[Path]
) -> None:
    _ingest(school_home, tmp_path, 2)
    first = table_stamp(school_home.lake, "students")
    assert first is not None and first[1] == 0
    assert len(listings) <= 1
    listings.clear()
    for _ in range(5):
        assert table_stamp(school_home.lake, "students") == first
    assert listings == []


def test_table_stamp_follows_every_commit_in_quick_succession(
    school_home: Home, tmp_path: Path, listings: list[Path]
) -> None:
    stamps = []
    for n in range(4):  # within one file-time tick of each other
        _ingest(school_home, tmp_path, 1, start=10 * n)
        stamp = table_stamp(school_home.lake, "students")
        assert stamp is not None and stamp[1] == n == school_home.lake.version("students")
        stamps.append(stamp)
    assert len(set(stamps)) == 4


def test_table_stamp_of_a_table_replaced_by_one_with_fewer_versions(school_home: Home, tmp_path: Path) -> None:
    for n in range(3):
        _ingest(school_home, tmp_path, 1, start=10 * n)
    assert table_stamp(school_home.lake, "students") is not None
    snaps = Snapshots(school_home.lake)
    assert snaps.current("students").version == 2
    shutil.rmtree(school_home.lake.table_path("students"))
    assert table_stamp(school_home.lake, "students") is None
    assert snaps.current("students").version is None
    _ingest(school_home, tmp_path, 3, start=100)
    stamp = table_stamp(school_home.lake, "students")
    assert stamp is not None and stamp[1] == 0
    assert snaps.current("students").version == 0
    assert snaps.rows("students") == 3


def test_a_memo_changes_when_its_table_gets_a_commit_without_a_listing_in_between(
    school_home: Home, tmp_path: Path
) -> None:
    _ingest(school_home, tmp_path, 2)
    snaps = Snapshots(school_home.lake)
    assert snaps.memo(("students",), "rows", lambda: school_home.lake.count("students")) == 2
    assert snaps.memo(("students",), "rows", lambda: -1) == 2  # kept
    _ingest(school_home, tmp_path, 3, start=10)
    assert snaps.memo(("students",), "rows", lambda: school_home.lake.count("students")) == 5
