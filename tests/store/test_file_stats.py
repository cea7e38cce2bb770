"""Data files are left out of a read only when their row groups' statistics rule every asked value out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from edubrain.store import file_stats
from edubrain.store.file_stats import files_that_may_match


def _write(path: Path, table: pa.Table, row_group_size: int | None = None) -> str:
    pq.write_table(table, path, row_group_size=row_group_size)
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """Three files of a table: years 2023 and 2024 of school A, and two row groups of school B in 2024."""
    a23 = pa.table({"school_code": ["A1", "A2"], "school_year": [2023, 2023], "score": [1.0, 2.0]})
    a24 = pa.table({"school_code": ["A1", "A3"], "school_year": [2024, 2024], "score": [3.0, 4.0]})
    b24 = pa.table({"school_code": ["B1", "B2", "B7", "B9"], "school_year": [2024] * 4, "score": [5.0] * 4})
    return {
        "a23": _write(tmp_path / "a23.parquet", a23),
        "a24": _write(tmp_path / "a24.parquet", a24),
        "b24": _write(tmp_path / "b24.parquet", b24, row_group_size=2),  # row groups B1–B2 and B7–B9
    }


def _names(kept: list[str], files: dict[str, str]) -> set[str]:
    return {name for name, path in files.items() if path in kept}


def test_files_are_kept_by_string_and_integer_ranges(files: dict[str, str]) -> None:
    every = list(files.values())
    assert _names(files_that_may_match(every, [[("school_year", ["2024"])]]), files) == {"a24", "b24"}
    assert _names(files_that_may_match(every, [[("school_code", ["A2"])]]), files) == {"a23", "a24"}  # A1–A3
    both = [[("school_code", ["A2"]), ("school_year", ["2024"])]]
    assert _names(files_that_may_match(every, both), files) == {"a24"}  # A2 lies in A1–A3, though absent
    assert _names(files_that_may_match(every, [[("school_code", ["B5"])]]), files) == set()  # between row groups
    assert _names(files_that_may_match(every, [[("school_code", ["B8", "Z"])]]), files) == {"b24"}


def test_alternatives_are_any_of_and_an_empty_one_keeps_every_file(files: dict[str, str]) -> None:
    every = list(files.values())
    either = [[("school_code", ["A1"]), ("school_year", ["2023"])], [("school_code", ["B9"])]]
    assert _names(files_that_may_match(every, either), files) == {"a23", "b24"}
    assert files_that_may_match(every, [[("school_code", ["Q"])], []]) == every
    assert files_that_may_match(every, []) == []


def test_what_cannot_be_ruled_out_keeps_the_file(files: dict[str, str]) -> None:
    every = list(files.values())
    assert files_that_may_match(every, [[("score", ["99.0"])]]) == every  # a float column: no ranges
    assert files_that_may_match(every, [[("no_such_column", ["x"])]]) == every
    assert files_that_may_match(every, [[("school_year", ["02024"])]]) == every  # not as an integer is written


def test_a_row_group_without_statistics_may_hold_anything(tmp_path: Path) -> None:
    table = pa.table({"school_code": ["A1", "A2"], "when": [dt.date(2024, 9, 1), dt.date(2024, 9, 2)]})
    path = str(tmp_path / "nostats.parquet")
    pq.write_table(table, path, write_statistics=False)
    assert files_that_may_match([path], [[("school_code", ["Z"])]]) == [path]


def test_statistics_are_read_once_per_file(files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    original = file_stats._read_stats

    def counting(path: str) -> tuple[int, dict[str, tuple[str, list[file_stats.Range]]]]:
        read.append(path)
        return original(path)

    monkeypatch.setattr(file_stats, "_read_stats", counting)
    every = list(files.values())
    for value in ("2023", "2024", "2025"):
        files_that_may_match(every, [[("school_year", [value])]])
    assert sorted(read) == sorted(every)
