"""``edubrain smart-campus``: run, status and shortlist through governance, plant from a synthetic plan."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from edubrain.cli import app
from tests.api.conftest import PASSWORD, ApiCity
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL


@pytest.fixture
def env(scity: ApiCity, monkeypatch: pytest.MonkeyPatch) -> ApiCity:
    monkeypatch.setenv("EDUBRAIN_HOME", str(scity.home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", scity.home.settings.resolved_database_url)
    monkeypatch.setenv("EDUBRAIN_PASSWORD", PASSWORD)
    return scity


def _plan(folder: Path) -> Path:
    rows = [(SCHOOL, "110108", 2025, "meets", "approved"), (OTHER_SCHOOL, "110108", 2025, "below_floor", "approved"),
            (CHAOYANG_SCHOOL, "110105", 2025, "returned", "returned")]  # fmt: skip
    plan = pl.DataFrame(rows, schema=["school_code", "district_code", "school_year", "planted", "state"], orient="row")
    (folder / "smart-campus").mkdir(parents=True)
    plan.write_csv(folder / "smart-campus" / "assessments.csv")
    return folder


def test_smart_campus_cli_plant_status_and_shortlist(env: ApiCity, tmp_path: Path) -> None:
    runner = CliRunner()
    planted = runner.invoke(app, ["smart-campus", "plant", str(_plan(tmp_path / "city"))])
    assert planted.exit_code == 0, planted.output
    status = runner.invoke(app, ["smart-campus", "status", "--user", "city", "--format", "json"])
    assert status.exit_code == 0, status.output
    rates = {r["district_code"]: r for r in json.loads(status.stdout)}
    assert (rates["110000"]["schools"], rates["110000"]["meeting"], rates["110000"]["schools_needed"]) == (3, 1, 2)
    short = runner.invoke(app, ["smart-campus", "shortlist", "--user", "haidian", "--format", "csv"])
    assert short.exit_code == 0 and SCHOOL in short.stdout and OTHER_SCHOOL not in short.stdout
    assert "77.0" in short.stdout and ("数据与资源" in short.stdout or "Data and resources" in short.stdout)
    assert runner.invoke(app, ["smart-campus", "run", "--format", "json"]).exit_code == 0
