"""Read-only SQL over lake snapshots: versions, ``--as-of`` resolution, and what a query may not do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from edubrain.catalog import Catalog
from edubrain.errors import LakeError, QueryError, UnknownDatasetError
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.store.query import datasets_named, resolve_as_of, run_query
from tests.conftest import SCHOOL, home_with_schools, student_rows, write_csv


def _scalar(home: Home, sql: str, versions: dict[str, int] | None = None) -> object:
    return run_query(home.lake, home.catalog, sql, versions).column(0)[0].as_py()


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Home]:
    """A SQLite home shared by the read-only tests: students at version 0 (5 rows) and 1 (2 rows)."""
    folder = tmp_path_factory.mktemp("query")
    home = home_with_schools(folder, catalog)
    ingest_file(home, write_csv(folder / "a.csv", student_rows(5)), "students", SCHOOL)
    ingest_file(home, write_csv(folder / "b.csv", student_rows(2)), "students", SCHOOL, mode="replace-scope")
    assert home.lake.version("students") == 1
    yield home
    home.engine.dispose()


# snapshots and versions (on every database backend)


def test_query_reads_the_current_snapshot(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    ingest_file(city, write_csv(tmp_path / "b.csv", student_rows(3)), "students", SCHOOL, mode="replace-scope")
    assert _scalar(city, "select count(*) from students") == 3
    ids = run_query(city.lake, city.catalog, "select student_id from students order by 1").column(0).to_pylist()
    assert ids == sorted(r[0] for r in student_rows(3)[1:])


def test_query_as_of_reads_the_earlier_version(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    ingest_file(city, write_csv(tmp_path / "b.csv", student_rows(3)), "students", SCHOOL, mode="replace-scope")
    sql = "select count(*) from students"
    assert _scalar(city, sql, resolve_as_of(sql, city.catalog, ["0"])) == 5
    assert _scalar(city, sql, resolve_as_of(sql, city.catalog, ["students=1"])) == 3


def test_query_unknown_version_is_a_lake_error(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(2)), "students", SCHOOL)
    with pytest.raises(LakeError) as caught:
        run_query(city.lake, city.catalog, "select count(*) from students", {"students": 7})
    assert "7" in caught.value.en and "students" in caught.value.zh


def test_query_version_pins_only_its_own_dataset(stored: Home) -> None:
    sql = "select (select count(*) from students) as s, (select count(*) from schools) as k"
    assert run_query(stored.lake, stored.catalog, sql, {"students": 0}).to_pylist() == [{"s": 5, "k": 2}]


def test_query_dataset_never_committed_reads_as_an_empty_typed_table(stored: Home) -> None:
    assert _scalar(stored, "select count(*) from teachers") == 0
    columns = run_query(stored.lake, stored.catalog, "describe teachers").column("column_name").to_pylist()
    assert columns[:2] == ["teacher_id", "name"] and "_batch_id" in columns


def test_query_joins_datasets_and_sees_lineage_columns(stored: Home) -> None:
    sql = "select c.class_name, count(*) as n, count(distinct s._batch_id) as b from students s join classes c using (class_id) group by 1"
    assert run_query(stored.lake, stored.catalog, sql).to_pylist() == [{"class_name": "一年级1班", "n": 2, "b": 1}]


def test_query_syntax_error_is_a_query_error(stored: Home) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(stored.lake, stored.catalog, "select count(* from students")
    assert caught.value.en.startswith("Query failed")


# --as-of resolution


def test_resolve_as_of_bare_number_applies_to_the_one_dataset_named(catalog: Catalog) -> None:
    assert resolve_as_of("select * from students", catalog, ["3"]) == {"students": 3}


def test_resolve_as_of_dataset_equals_number(catalog: Catalog) -> None:
    sql = "select * from students join schools using (school_code)"
    assert resolve_as_of(sql, catalog, ["students=2", "schools=0"]) == {"students": 2, "schools": 0}


def test_resolve_as_of_bare_number_with_two_datasets_is_a_query_error(catalog: Catalog) -> None:
    with pytest.raises(QueryError) as caught:
        resolve_as_of("select * from students join schools using (school_code)", catalog, ["3"])
    assert "students" in caught.value.en and "schools" in caught.value.en and "DATASET=N" in caught.value.en


def test_resolve_as_of_bare_number_with_no_dataset_is_a_query_error(catalog: Catalog) -> None:
    with pytest.raises(QueryError):
        resolve_as_of("select 1", catalog, ["3"])


@pytest.mark.parametrize("value", ["x", "students=", "students=-1", "students=1.5", "", "=", "students=v1"])
def test_resolve_as_of_bad_value_is_a_query_error(catalog: Catalog, value: str) -> None:
    with pytest.raises(QueryError) as caught:
        resolve_as_of("select * from students", catalog, [value])
    assert "DATASET=N" in caught.value.en and "--as-of" in caught.value.zh


def test_resolve_as_of_superscript_digit_is_a_query_error(catalog: Catalog) -> None:
    with pytest.raises(QueryError):
        resolve_as_of("select * from students", catalog, ["students=²"])


def test_resolve_as_of_unknown_dataset_is_an_unknown_dataset_error(catalog: Catalog) -> None:
    with pytest.raises(UnknownDatasetError):
        resolve_as_of("select 1", catalog, ["pupils=1"])


def test_datasets_named_matches_whole_words_only(catalog: Catalog) -> None:
    assert datasets_named("select * from student_status_changes", catalog) == ["student_status_changes"]
    assert sorted(datasets_named("select * from students, schools", catalog)) == ["schools", "students"]


# what a query may not do


@pytest.mark.parametrize(
    "sql",
    [
        "insert into students select * from students",
        "copy students to '/tmp/edubrain-out.csv'",
        "attach '/tmp/edubrain-other.duckdb' as other",
        "install httpfs",
        "load httpfs",
        "pragma database_list",
        "set enable_external_access = true",
        "create table t as select 1",
        "  delete from students",
        "call duckdb_settings()",
    ],
    ids=["insert", "copy", "attach", "install", "load", "pragma", "set", "create", "delete", "call"],
)
def test_query_statements_other_than_select_are_refused(stored: Home, sql: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(stored.lake, stored.catalog, sql)
    assert "SELECT" in caught.value.en and "只读" in caught.value.zh


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from glob('/etc/*')",
    ],
    ids=["read_csv", "read_text", "glob"],
)
def test_query_reading_files_is_refused(stored: Home, sql: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(stored.lake, stored.catalog, sql)
    assert "Permission" in caught.value.en


def test_query_reading_a_parquet_file_outside_the_lake_is_refused(stored: Home, tmp_path: Path) -> None:
    outside = tmp_path / "outside.parquet"
    pq.write_table(pa.table({"x": [1]}), outside)
    with pytest.raises(QueryError) as caught:
        run_query(stored.lake, stored.catalog, f"select * from read_parquet('{outside}')")
    assert "Permission" in caught.value.en


def test_query_cannot_switch_external_access_back_on(stored: Home) -> None:
    with pytest.raises(QueryError):
        run_query(stored.lake, stored.catalog, "select 1; set enable_external_access = true")


def test_query_reading_the_lake_files_directly_is_refused(stored: Home) -> None:
    sql = f"select count(*) from read_parquet('{stored.lake.table_path('students')}/*.parquet')"
    with pytest.raises(QueryError):
        run_query(stored.lake, stored.catalog, sql)


@pytest.mark.parametrize(
    "tail",
    ["pragma version", "attach '{root}/_keyindex.duckdb' as keys", "copy (select 1 as x) to '{root}/scratch.csv'"],
    ids=["pragma", "attach-key-index", "copy-into-lake"],
)
def test_query_second_statement_is_refused(stored: Home, tail: str) -> None:
    sql = "select 1; " + tail.format(root=stored.lake.root)
    try:
        with pytest.raises(QueryError):
            run_query(stored.lake, stored.catalog, sql)
    finally:
        (stored.lake.root / "scratch.csv").unlink(missing_ok=True)
