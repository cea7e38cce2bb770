"""Killing the ingest process at any point leaves the old version or the new one, never a mix,
and the next ingest works."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from edubrain.exchange.ingest import FAULT_ENV, ingest_file
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch
from tests.conftest import SCHOOL, student_rows, write_csv

EDUBRAIN = str(Path(sys.executable).parent / "edubrain")


def _env(home: Home, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["EDUBRAIN_HOME"] = str(home.settings.home)
    env["EDUBRAIN_DATABASE_URL"] = home.settings.resolved_database_url
    env.update(extra)
    return env


def _ingest_cmd(path: Path) -> list[str]:
    return [EDUBRAIN, "ingest", str(path), "--dataset", "students", "--org", SCHOOL, "--mode", "replace-scope"]


def _statuses(home: Home) -> list[str]:
    with session_scope(home.engine) as session:
        return [b.status for b in session.scalars(select(SubmissionBatch).where(SubmissionBatch.dataset == "students"))]


def _student_ids(home: Home) -> set[str]:
    return set(home.lake.read(home.catalog.dataset("students"), columns=["student_id"]).column(0).to_pylist())


@pytest.mark.parametrize("point", ["before_lake_commit", "after_lake_commit"])
def test_crash_at_a_commit_point_leaves_one_whole_version(city: Home, tmp_path: Path, point: str) -> None:
    first = write_csv(tmp_path / "v0.csv", student_rows(5))
    ingest_file(city, first, "students", SCHOOL)
    before = _student_ids(city)
    second = write_csv(tmp_path / "v1.csv", student_rows(3, start=40))
    after = {r[0] for r in student_rows(3, start=40)[1:]}

    proc = subprocess.run(_ingest_cmd(second), env=_env(city, **{FAULT_ENV: point}), capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL

    expected = before if point == "before_lake_commit" else after
    assert _student_ids(city) == expected
    assert city.lake.version("students") == (0 if point == "before_lake_commit" else 1)

    again = ingest_file(city, second, "students", SCHOOL, mode="replace-scope")
    settled = _statuses(city)
    assert "pending" not in settled
    if point == "before_lake_commit":
        assert "failed" in settled
        assert again.report.status == "committed"
    else:
        assert settled.count("committed") == 2  # the killed batch was found in the lake's log
        assert again.report.status == "unchanged"
    assert _student_ids(city) == after


@pytest.mark.slow
def test_crash_at_random_moments_never_leaves_a_mix(city: Home, tmp_path: Path) -> None:
    versions = [write_csv(tmp_path / f"roster{i}.csv", student_rows(3000, start=i * 1000)) for i in range(2)]
    assert ingest_file(city, versions[0], "students", SCHOOL, mode="replace-scope").report.status == "committed"
    expected = [{r[0] for r in student_rows(3000, start=i * 1000)[1:]} for i in range(2)]
    rng = random.Random(20261128)
    current = 0
    for attempt in range(6):
        target = 1 - current
        proc = subprocess.Popen(
            _ingest_cmd(versions[target]), env=_env(city), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        ids = _student_ids(city)
        assert ids in (expected[0], expected[1]), f"attempt {attempt}: a mix of versions is visible"
        current = expected.index(ids)
    final = ingest_file(city, versions[1 - current], "students", SCHOOL, mode="replace-scope")
    assert final.report.status == "committed"
    assert _student_ids(city) == expected[1 - current]
    assert "pending" not in _statuses(city)
