"""``edubrain kt evaluate``: the pyKT-protocol report on synthetic learners, as JSON and as a table."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from edubrain.cli import app


def test_kt_evaluate_json_reports_every_model_and_bkt_recovery() -> None:
    result = CliRunner().invoke(
        app,
        ["kt", "evaluate", "--learners", "200", "--skills", "2", "--folds", "1", "--restarts", "2", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"bkt", "logistic"}
    for population in report.values():
        assert set(population["models"]) == {"bkt", "pfa", "best_lr"}
        assert population["split"]["test_learners"] == 40
        for scores in population["models"].values():
            assert 0.5 < scores["test"]["auc_mean"] <= 1.0
    assert set(report["bkt"]["recovery"]) == {"prior", "learn", "guess", "slip", "skills"}
    assert "recovery" not in report["logistic"]


def test_kt_evaluate_table_shows_three_decimals() -> None:
    result = CliRunner().invoke(
        app,
        ["kt", "evaluate", "--learners", "100", "--skills", "2", "--folds", "1", "--process", "bkt"],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.output
    line = next(row for row in result.stdout.splitlines() if row.startswith("bkt") and "best_lr" in row)
    assert len(line.split()[-1].split(".")[1]) == 3


def test_kt_evaluate_refuses_more_than_five_folds() -> None:
    result = CliRunner().invoke(app, ["kt", "evaluate", "--folds", "6"])
    assert result.exit_code != 0
    assert "--folds" in result.output
