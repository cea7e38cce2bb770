"""The profiles job: submissions → three derived profile datasets with lineage, pseudonyms, merges, staleness, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from edubrain.cli import app
from edubrain.exchange.derive import derivations
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity_links import links_revision
from edubrain.governance.models import IdentityMerge
from edubrain.governance.pseudonyms import PSEUDONYM_PATTERN, pseudonym, pseudonym_key
from edubrain.home import Home
from edubrain.jobs import profiles as job
from edubrain.jobs.engine import DuckDBEngine
from edubrain.jobs.transforms import REGISTRY, run
from edubrain.store import db
from tests.conftest import CLASS, SCHOOL, student_rows, write_csv


def _read(home: Home, dataset: str) -> pl.DataFrame:
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(dataset)))
    assert isinstance(frame, pl.DataFrame)
    return frame


def _ingest(home: Home, tmp_path: Path, name: str, dataset: str, rows: list[list[object]]) -> None:
    path = write_csv(tmp_path / f"{name}.csv", rows)
    report = ingest_file(home, path, dataset, SCHOOL).report
    assert report.status == "committed", report


@pytest.fixture
def profiled(city: Home, tmp_path: Path) -> tuple[Home, list[str]]:
    """Five pupils of one class; exams for three of them in 2025, one of them also in 2024 (under another id)."""
    roster = student_rows(5)
    _ingest(city, tmp_path, "students", "students", roster)
    ids = [str(r[0]) for r in roster[1:]]
    header = ["exam_id", "student_id", "school_code", "class_id", "school_year", "term", "grade", "subject"]
    exams: list[list[object]] = [[*header, "score", "full_score"]]
    exams += [["E1", ids[0], SCHOOL, CLASS, 2025, 1, "11", "13", 90, 100]]
    exams += [["E1", ids[0], SCHOOL, CLASS, 2025, 1, "11", "14", 70, 100]]
    exams += [["E1", ids[1], SCHOOL, CLASS, 2025, 1, "11", "13", 50, 100]]
    exams += [["E0", ids[4], SCHOOL, CLASS, 2024, 2, "11", "13", 60, 100]]
    _ingest(city, tmp_path, "exams", "exam_scores", exams)
    return city, ids


def _fields(home: Home) -> pl.DataFrame:
    """The student profiles' catalog fields (no lineage columns, which change with every run)."""
    return _read(home, "student_profiles").select(home.catalog.dataset("student_profiles").field_names)


def _this_year() -> int:
    today = dt.datetime.now(dt.UTC).date()
    return today.year if today.month >= 9 else today.year - 1


def _profile(home: Home, student: str) -> dict[int, dict[str, object]]:
    key = pseudonym_key(home.settings)
    frame = _read(home, "student_profiles").filter(pl.col("student_pseudonym") == pseudonym(student, "student", key))
    return {int(r["school_year"]): r for r in frame.to_dicts()}


def test_a_submission_derives_the_profiles_with_lineage(profiled: tuple[Home, list[str]]) -> None:
    home, ids = profiled
    assert "profiles" in derivations()
    assert not job.is_stale(home)  # the post-commit hook already ran the job
    students = _read(home, "student_profiles")
    assert students["student_pseudonym"].str.contains(PSEUDONYM_PATTERN).all()
    assert not set(students["student_pseudonym"]) & set(ids) and "student_id" not in students.columns
    assert students.height == 6  # five pupils in 2025, and ids[4] in 2024 from its exam alone
    first = _profile(home, ids[0])[2025]
    assert first["exam_mean_pct"] == pytest.approx(80.0) and first["exam_pass_share"] == 1.0
    assert first["domain_academic"] == pytest.approx(80.0) and first["school_code"] == SCHOOL
    assert first["district_code"] == "110108" and first["records_merged"] == 0
    assert _profile(home, ids[2])[2025]["exam_mean_pct"] is None  # on the roster, no exam: null, not 0
    lineage = json.loads(home.lake.history("student_profiles")[0]["edubrain.lineage"])
    assert lineage["job"] == job.JOB
    assert lineage["inputs"]["students"] == home.lake.version("students")
    assert lineage["inputs"]["exam_scores"] == home.lake.version("exam_scores")
    assert lineage["inputs"]["identity_links"] == 0 and lineage["inputs"]["student_activities"] is None
    schools = _read(home, "school_profiles").filter(pl.col("school_code") == SCHOOL, pl.col("school_year") == 2025)
    assert schools["students"].to_list() == [5] and schools["classes"].to_list() == [1]
    now = _read(home, "school_profiles").filter(pl.col("school_code") == SCHOOL, pl.col("school_year") == _this_year())
    assert now["batches"].to_list()[0] >= 3 and now["accepted_row_share"].to_list() == [1.0]
    assert now["up_to_date_share"].to_list() == [1.0]  # every dataset just submitted
    assert _read(home, "teacher_profiles").height == 0


def test_a_merge_makes_the_profiles_stale_and_folds_the_evidence(profiled: tuple[Home, list[str]]) -> None:
    home, ids = profiled
    before = _profile(home, ids[0])
    with db.session_scope(home.engine) as session:
        session.add(IdentityMerge(student_id=ids[4], canonical_id=ids[0], merged_by="test", reason="same child"))
    assert links_revision(home) == 1 and job.is_stale(home)
    result = job.run_profiles(home)
    assert result.inputs["identity_links"] == 1 and not job.is_stale(home)
    after = _profile(home, ids[0])
    assert after[2025]["records_merged"] == 1 and after[2024]["records_merged"] == 1
    assert after[2024]["exam_mean_pct"] == pytest.approx(60.0)  # ids[4]'s exam now counts for ids[0]
    assert after[2025]["exam_trend"] == pytest.approx(20.0) and before[2025]["exam_trend"] is None
    assert after[2025]["exam_mean_pct"] == before[2025]["exam_mean_pct"]
    assert _profile(home, ids[4]) == {}  # the merged-away number has no profile of its own
    assert result.rows["student_profiles"] == 5
    school = _read(home, "school_profiles").filter(pl.col("school_code") == SCHOOL, pl.col("school_year") == 2025)
    assert school["students"].to_list() == [4]  # a merged pair counts once
    lineage = json.loads(home.lake.history("student_profiles")[0]["edubrain.lineage"])
    assert lineage["inputs"]["identity_links"] == 1

    with db.session_scope(home.engine) as session:
        merge = session.scalars(select(IdentityMerge)).one()
        merge.undone_at = dt.datetime.now(dt.UTC)
        merge.undone_by = "test"
    assert job.is_stale(home)
    job.run_profiles(home)
    assert _profile(home, ids[0])[2025]["records_merged"] == 0 and 2024 in _profile(home, ids[4])


def test_changing_one_exam_changes_only_that_students_exam_values(
    profiled: tuple[Home, list[str]], tmp_path: Path
) -> None:
    home, ids = profiled
    before = _fields(home).sort("student_pseudonym", "school_year")
    header = ["exam_id", "student_id", "school_code", "class_id", "school_year", "term", "grade", "subject"]
    _ingest(
        home,
        tmp_path,
        "fix",
        "exam_scores",
        [[*header, "score", "full_score"], ["E1", ids[1], SCHOOL, CLASS, 2025, 1, "11", "13", 65, 100]],
    )
    assert not job.is_stale(home)
    after = _fields(home).sort("student_pseudonym", "school_year")
    key = pseudonym(ids[1], "student", pseudonym_key(home.settings))
    changed = {
        (row_b["student_pseudonym"], column)
        for row_b, row_a in zip(before.to_dicts(), after.to_dicts(), strict=True)
        for column in before.columns
        if row_b[column] != row_a[column]
    }
    assert changed == {(key, "exam_mean_pct"), (key, "domain_academic"), (key, "exam_pass_share")}


def test_the_transforms_are_registered_and_run(profiled: tuple[Home, list[str]]) -> None:
    home, _ = profiled
    assert {"student_profiles", "teacher_profiles", "school_profiles"} <= set(REGISTRY)
    engine = DuckDBEngine()
    try:
        rows, versions = run(home, engine, "student_profiles")
    finally:
        engine.close()
    assert rows.num_rows == 6 and "student_id" in rows.column_names
    assert versions["exam_scores"] == home.lake.version("exam_scores")


def test_cli_profiles_run(profiled: tuple[Home, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    home, _ = profiled
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", home.settings.resolved_database_url)
    before = home.lake.version("student_profiles")
    out = CliRunner().invoke(app, ["profiles", "run", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["versions"]["student_profiles"] == (before or 0) + 1
    years = {2024, 2025, _this_year()}  # evidence years, and the year of the submission batches
    assert data["rows"] == {"student_profiles": 6, "teacher_profiles": 0, "school_profiles": len(years)}
    zh = CliRunner().invoke(app, ["profiles", "run"])
    assert zh.exit_code == 0 and "已重算" in zh.output and "student_profiles" in zh.output
