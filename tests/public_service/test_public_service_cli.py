"""``edubrain service``: import, queue, step and sla through governance; refusals raise the library's errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edubrain.cli import app
from tests.api.conftest import PASSWORD, ApiCity


@pytest.fixture
def env(pcity: ApiCity, monkeypatch: pytest.MonkeyPatch) -> ApiCity:
    monkeypatch.setenv("EDUBRAIN_HOME", str(pcity.home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", pcity.home.settings.resolved_database_url)
    monkeypatch.setenv("EDUBRAIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("EDUBRAIN_LANG", "en")
    return pcity


def test_public_service_cli_imports_lists_answers_and_counts(env: ApiCity, tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "hotline.csv"
    path.write_text(
        "工单编号,受理时间,所在区,诉求内容\nH1,2026-11-02 09:00,110108,老师体罚学生，还辱骂孩子，请相关部门核实。\n"
    )
    done = runner.invoke(app, ["service", "import", str(path), "--user", "haidian"])
    assert done.exit_code == 0 and "imported 1" in done.output, done.output
    again = runner.invoke(app, ["service", "import", str(path), "--user", "haidian"])
    assert again.exit_code != 0 and "row 2, column 工单编号" in str(again.exception)
    listed = runner.invoke(app, ["service", "queue", "--user", "haidian", "--format", "json"])
    [case] = json.loads(listed.stdout)
    assert case["category"] == "teacher_ethics" and case["office"] == "teachers"
    assert runner.invoke(app, ["service", "queue", "--user", "chaoyang", "--format", "json"]).stdout.strip() == "[]"
    foreign = runner.invoke(app, ["service", "step", case["id"], "close", "--user", "chaoyang"])
    assert foreign.exit_code != 0 and str(foreign.exception).startswith("No case")
    answered = runner.invoke(app, ["service", "step", case["id"], "respond", "--user", "haidian",
                                   "--response", "已约谈教师并通报学校。"])  # fmt: skip
    assert answered.exit_code == 0 and "responded" in answered.output
    sla = json.loads(runner.invoke(app, ["service", "sla", "--user", "city", "--format", "json"]).stdout)
    assert sla == [{"key": "teachers", "received": 1, "responded": 1, "response_rate": 1.0, "on_time_rate": 0.0,
                    "overdue_open": 0, "satisfaction": None, "rated": 0}]  # fmt: skip
