"""``edubrain monitoring run`` and ``edubrain monitoring indicators`` on the monitoring city."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from edubrain.cli import app
from tests.api.conftest import ApiCity


def _env(city: ApiCity) -> dict[str, str]:
    env = {"EDUBRAIN_HOME": str(city.home.settings.home), "COLUMNS": "200", "NO_COLOR": "1"}
    if city.home.settings.database_url:
        env["EDUBRAIN_DATABASE_URL"] = city.home.settings.database_url
    return env


def test_run_writes_a_new_version_with_the_inputs_read(mcity: ApiCity) -> None:
    before = mcity.home.lake.version("monitoring_indicators")
    result = CliRunner().invoke(app, ["monitoring", "run", "--format", "json"], env=_env(mcity))
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert before is not None and body["versions"] == {"monitoring_indicators": before + 1}
    assert body["rows"]["monitoring_indicators"] > 0
    assert body["inputs"]["school_infrastructure"] == mcity.home.lake.version("school_infrastructure")


def test_indicators_lists_every_indicator_with_its_target_in_both_languages(mcity: ApiCity) -> None:
    zh = CliRunner().invoke(app, ["monitoring", "indicators"], env=_env(mcity))
    assert zh.exit_code == 0 and "学校千兆接入率" in zh.stdout and "100.00" in zh.stdout
    en = CliRunner().invoke(app, ["--lang", "en", "monitoring", "indicators", "--format", "json"], env=_env(mcity))
    rows = json.loads(en.stdout)
    assert len(rows) == 9 and rows[0]["name"] == "Schools with gigabit internet access"
    assert rows[0]["target"] == 100.0 and "学校千兆接入率" in rows[0]["source_quote"]
    assert next(r for r in rows if r["id"] == "smart_classroom_share")["target"] is None
