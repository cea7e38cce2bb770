"""The profiles job writes each profile dataset in key order in small row groups: one subject's read skips the rest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from edubrain.errors import CatalogError
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.duck import connection
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home
from edubrain.jobs import derived
from edubrain.jobs import profiles as job
from edubrain.jobs.engine import DuckDBEngine
from edubrain.jobs.sorted_write import SCRATCH
from edubrain.store.snapshots import snapshots
from tests.conftest import CLASS, SCHOOL, student_rows, write_csv

GROUP = 4
"""Rows per row group in these tests (the job's is 16,384: a tiny city would fit in one)."""
PUPILS = 14


@pytest.fixture
def layout_city(city: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Home, list[str]]:
    """Fourteen pupils with exams in two years, profiled with row groups of 4 rows and query chunks of 5 rows."""
    monkeypatch.setattr(derived, "ROW_GROUP_ROWS", GROUP)
    batches = DuckDBEngine.batches

    def small_chunks(self: DuckDBEngine, expr: Any, rows: int = 500_000) -> Iterator[pa.Table]:
        return batches(self, expr, rows=5)  # several chunks, each out of key order with the others

    monkeypatch.setattr(DuckDBEngine, "batches", small_chunks)
    roster = student_rows(PUPILS)
    assert ingest_file(city, write_csv(tmp_path / "s.csv", roster), "students", SCHOOL).report.status == "committed"
    ids = [str(r[0]) for r in roster[1:]]
    header = ["exam_id", "student_id", "school_code", "class_id", "school_year", "term", "grade", "subject"]
    exams: list[list[object]] = [[*header, "score", "full_score"]]
    for k, sid in enumerate(ids):
        exams += [["E1", sid, SCHOOL, CLASS, 2025, 1, "11", "13", 50 + k, 100]]
        exams += [["E0", sid, SCHOOL, CLASS, 2024, 2, "11", "13", 40 + k, 100]]
    path = write_csv(tmp_path / "e.csv", exams)
    assert ingest_file(city, path, "exam_scores", SCHOOL).report.status == "committed"
    job.run_profiles(city)
    return city, ids


def _files(home: Home, dataset: str) -> list[str]:
    return list(snapshots(home.lake).current(dataset).files)


def _key_ranges(path: str, column: str) -> list[tuple[str, str, int]]:
    meta = pq.ParquetFile(path).metadata
    index = meta.schema.to_arrow_schema().get_field_index(column)
    out = []
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(index).statistics
        assert stats is not None and stats.has_min_max
        out.append((str(stats.min), str(stats.max), meta.row_group(g).num_rows))
    return out


def test_student_profiles_are_written_in_key_order_in_small_row_groups(layout_city: tuple[Home, list[str]]) -> None:
    home, ids = layout_city
    files = _files(home, "student_profiles")
    rows = pa.concat_tables([pq.read_table(f) for f in files])
    assert rows.num_rows == 2 * PUPILS
    keys = list(zip(rows["student_pseudonym"].to_pylist(), rows["school_year"].to_pylist(), strict=True))
    assert keys == sorted(keys)  # in file order
    ranges = [r for f in files for r in _key_ranges(f, "student_pseudonym")]
    assert len(ranges) == -(-2 * PUPILS // GROUP) and all(n <= GROUP for _, _, n in ranges)
    assert all(ranges[i][1] <= ranges[i + 1][0] for i in range(len(ranges) - 1))  # each group a narrow range
    key = pseudonym_key(home.settings)
    assert set(rows["student_pseudonym"].to_pylist()) == {pseudonym(i, "student", key) for i in ids}
    assert not any((home.settings.home / SCRATCH).iterdir())  # the spilled chunks are gone


def test_school_profiles_are_written_in_key_order(layout_city: tuple[Home, list[str]]) -> None:
    home, _ = layout_city
    pk = home.catalog.dataset("school_profiles").primary_key
    rows = pa.concat_tables([pq.read_table(f) for f in _files(home, "school_profiles")])
    keys = list(zip(*(rows[k].to_pylist() for k in pk), strict=True))
    assert len(keys) >= 2 and keys == sorted(keys)


@pytest.mark.parametrize("chunked", [False, True])
def test_write_derived_sorts_by_the_given_columns(layout_city: tuple[Home, list[str]], chunked: bool) -> None:
    """A table or chunks in reverse key order are written in key order, row groups of the set size."""
    home, _ = layout_city
    spec = home.catalog.dataset("teacher_profiles")
    n = 10
    ids = [f"T{k:09d}" for k in range(n)][::-1]
    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    given = {"teacher_id": ids, "school_code": [SCHOOL] * n, "school_year": [2025] * n}
    table = pa.table(
        {f.name: pa.array(given.get(f.name, [None] * n), types.get(f.type, pa.string())) for f in spec.fields}
    )
    rows: pa.Table | list[pa.Table] = [table.slice(k, 3) for k in range(0, n, 3)] if chunked else table
    derived.write_derived(home, "teacher_profiles", rows, job="test", inputs={}, sort_by=spec.primary_key)
    files = _files(home, "teacher_profiles")
    written = pa.concat_tables([pq.read_table(f) for f in files])
    assert written["teacher_id"].to_pylist() == sorted(ids)
    assert [n for f in files for _, _, n in _key_ranges(f, "teacher_id")] == [4, 4, 2]


def test_write_derived_refuses_an_unknown_sort_column(layout_city: tuple[Home, list[str]]) -> None:
    home, _ = layout_city
    with pytest.raises(CatalogError):
        derived.write_derived(home, "teacher_profiles", [], job="test", inputs={}, sort_by=["no_such"])


def _scans(profile: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("type") == "TABLE_SCAN":
            found.append(node)
        for child in node.get("children", []):
            walk(child)

    for node in json.loads(profile.read_text(encoding="utf-8")).get("operator", []):
        walk(node)
    return found


def test_one_pupils_governed_read_scans_one_row_group(layout_city: tuple[Home, list[str]], tmp_path: Path) -> None:
    home, ids = layout_city
    wanted = pseudonym(ids[5], "student", pseudonym_key(home.settings))
    admin = Principal(id="t-admin", name="admin", grants=(Grant("school_admin", SCHOOL, "school"),))
    profile = tmp_path / "profile.json"
    con = connection()
    con.execute(f"set enable_profiling = 'json'; set profiling_output = '{profile}'")
    try:
        read = read_dataset(
            home, admin, "student_profiles", filters={"student_pseudonym": [wanted]}, purpose="teaching"
        )
    finally:
        con.execute("pragma disable_profiling")
    assert read.table.num_rows == 2 and set(read.table["student_pseudonym"].to_pylist()) == {wanted}
    scans = _scans(profile)
    assert scans, "no table scan in the profile"
    assert sum(int(s["rows_scanned"]) for s in scans) <= GROUP  # not the 28 rows of the table
    assert sum(int(s["row_groups_scanned"]) for s in scans) == 1
