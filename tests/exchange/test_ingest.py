"""Submitting files end to end: commit, idempotency, upsert, replace-scope, scope, time travel, lineage."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from edubrain.errors import InputFileError, ScopeError, UnknownDatasetError, UnknownOrganisationError
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.history import dataset_history
from edubrain.store.models import SubmissionBatch
from edubrain.store.query import run_query
from tests.conftest import OTHER_SCHOOL, SCHOOL, schools_rows, student_rows, write_csv


def _count(home: Home, sql: str, version: int | None = None) -> int:
    versions = {"students": version} if version is not None else None
    return run_query(home.lake, home.catalog, sql, versions).column(0)[0].as_py()


def test_ingest_commits_a_gbk_roster_as_version_zero(city: Home, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", student_rows(5), encoding="gbk")
    result = ingest_file(city, path, "students", SCHOOL)
    assert result.report.status == "committed"
    assert result.report.version == 0
    assert result.report.encoding == "gb18030"
    assert (result.report.rows_added, result.report.rows_changed) == (5, 0)
    assert _count(city, "select count(*) from students") == 5


def test_ingest_same_content_twice_makes_no_new_version(city: Home, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", student_rows(5))
    ingest_file(city, path, "students", SCHOOL)
    again = ingest_file(city, path, "students", SCHOOL)
    assert again.report.status == "unchanged"
    assert city.lake.version("students") == 0
    assert "未产生新版本" in again.report.message_zh


def test_ingest_same_rows_in_another_format_is_unchanged(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "s.csv", student_rows(5)), "students", SCHOOL)
    again = ingest_file(city, write_csv(tmp_path / "s2.csv", student_rows(5), encoding="gbk"), "students", SCHOOL)
    assert again.report.status == "unchanged"


def test_ingest_upsert_counts_added_and_changed_rows(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    rows = student_rows(7)
    rows[1][1] = "改名"
    result = ingest_file(city, write_csv(tmp_path / "b.csv", rows), "students", SCHOOL)
    assert (result.report.rows_added, result.report.rows_changed, result.report.rows_retired) == (2, 1, 0)
    assert result.report.version == 1
    assert _count(city, "select count(*) from students") == 7
    assert _count(city, "select count(*) from students where name = '改名'") == 1


def test_ingest_upsert_keeps_rows_missing_from_the_file(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    ingest_file(
        city, write_csv(tmp_path / "b.csv", student_rows(2)[:2] + student_rows(1, start=50)[1:]), "students", SCHOOL
    )
    assert _count(city, "select count(*) from students") == 6


def test_ingest_replace_scope_retires_rows_the_file_no_longer_carries(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    result = ingest_file(city, write_csv(tmp_path / "b.csv", student_rows(3)), "students", SCHOOL, mode="replace-scope")
    assert result.report.rows_retired == 2
    assert _count(city, "select count(*) from students") == 3


def test_ingest_replace_scope_never_retires_another_schools_rows(city: Home, tmp_path: Path) -> None:
    classes = write_csv(
        tmp_path / "c.csv",
        [["班级编号", "学校标识码", "学年", "年级", "班级名称"], ["C2", OTHER_SCHOOL, 2025, "11", "1班"]],
    )
    ingest_file(city, classes, "classes", OTHER_SCHOOL)
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(4)), "students", SCHOOL)
    other = student_rows(3, school=OTHER_SCHOOL, class_id="C2", start=100)
    ingest_file(city, write_csv(tmp_path / "o.csv", other), "students", OTHER_SCHOOL)
    result = ingest_file(city, write_csv(tmp_path / "b.csv", student_rows(1)), "students", SCHOOL, mode="replace-scope")
    assert result.report.rows_retired == 3
    assert _count(city, f"select count(*) from students where school_code = '{OTHER_SCHOOL}'") == 3


def test_ingest_rows_of_another_school_are_scope_errors_and_nothing_is_stored(city: Home, tmp_path: Path) -> None:
    rows = student_rows(3)
    rows[2][6] = OTHER_SCHOOL
    result = ingest_file(city, write_csv(tmp_path / "s.csv", rows), "students", SCHOOL)
    assert result.report.status == "rejected"
    scope = result.problems.filter(result.problems["rule"] == "scope")
    assert scope["row"].to_list() == [3]
    assert city.lake.version("students") is None


def test_ingest_district_may_submit_its_schools_rows_but_not_anothers(city: Home, tmp_path: Path) -> None:
    ok = ingest_file(city, write_csv(tmp_path / "s.csv", student_rows(2)), "students", "110108")
    assert ok.report.status == "committed"
    refused = ingest_file(city, write_csv(tmp_path / "t.csv", student_rows(2, start=9)), "students", "110105")
    assert set(refused.problems["rule"]) == {"scope"}


def test_ingest_school_may_not_submit_a_district_dataset(city: Home, tmp_path: Path) -> None:
    with pytest.raises(ScopeError):
        ingest_file(city, write_csv(tmp_path / "s.csv", schools_rows()), "schools", SCHOOL)


def test_ingest_accept_valid_commits_valid_rows_and_reports_the_rest(city: Home, tmp_path: Path) -> None:
    rows = student_rows(4)
    rows[2][2] = "X"
    result = ingest_file(city, write_csv(tmp_path / "s.csv", rows), "students", SCHOOL, accept_valid=True)
    assert result.report.status == "committed"
    assert (result.report.rows_accepted, result.report.rows_rejected) == (3, 1)
    assert _count(city, "select count(*) from students") == 3


def test_ingest_accept_valid_still_rejects_a_file_with_a_header_problem(city: Home, tmp_path: Path) -> None:
    rows = student_rows(2)
    rows[0][1] = "姓民"
    result = ingest_file(city, write_csv(tmp_path / "s.csv", rows), "students", SCHOOL, accept_valid=True)
    assert result.report.status == "rejected"


def test_ingest_rows_carry_lineage(city: Home, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", student_rows(2))
    result = ingest_file(city, path, "students", SCHOOL)
    table = run_query(city.lake, city.catalog, "select distinct _batch_id, _org, _source_sha256 from students")
    assert table.to_pylist() == [
        {"_batch_id": result.report.batch_id, "_org": SCHOOL, "_source_sha256": result.report.sha256}
    ]


def test_ingest_time_travel_reads_the_earlier_version(city: Home, tmp_path: Path) -> None:
    ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    ingest_file(city, write_csv(tmp_path / "b.csv", student_rows(2)), "students", SCHOOL, mode="replace-scope")
    assert _count(city, "select count(*) from students", version=0) == 5
    assert _count(city, "select count(*) from students", version=1) == 2


def test_history_lists_each_version_with_its_batch_and_counts(city: Home, tmp_path: Path) -> None:
    first = ingest_file(city, write_csv(tmp_path / "a.csv", student_rows(5)), "students", SCHOOL)
    ingest_file(city, write_csv(tmp_path / "b.csv", student_rows(2)), "students", SCHOOL, mode="replace-scope")
    entries = dataset_history(city.lake, "students")
    assert [e.version for e in entries] == [1, 0]
    assert (entries[0].added, entries[0].changed, entries[0].retired) == (0, 0, 3)
    assert entries[1].batch_id == first.report.batch_id and entries[1].org == SCHOOL


def test_every_submission_is_recorded_including_rejected_ones(city: Home, tmp_path: Path) -> None:
    rows = student_rows(2)
    rows[1][2] = "9x"
    ingest_file(city, write_csv(tmp_path / "bad.csv", rows), "students", SCHOOL)
    ingest_file(city, write_csv(tmp_path / "ok.csv", student_rows(2)), "students", SCHOOL)
    with session_scope(city.engine) as session:
        statuses = [
            b.status for b in session.scalars(select(SubmissionBatch).where(SubmissionBatch.dataset == "students"))
        ]
    assert sorted(statuses) == ["committed", "rejected"]


def test_ingest_unknown_organisation_dataset_and_file_are_usage_errors(city: Home, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", student_rows(1))
    with pytest.raises(UnknownOrganisationError):
        ingest_file(city, path, "students", "1101089999")
    with pytest.raises(UnknownDatasetError):
        ingest_file(city, path, "pupils", SCHOOL)
    with pytest.raises(InputFileError):
        ingest_file(city, tmp_path / "missing.csv", "students", SCHOOL)
