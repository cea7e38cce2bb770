"""``edubrain credit-bank``: deposit with evidence, queue with the engine's proposal, decide, archive, revoke."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edubrain.cli import app
from tests.api.conftest import PASSWORD
from tests.credit_bank.bank import INSTITUTION, Bank

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def env(bank_city: Bank, monkeypatch: pytest.MonkeyPatch) -> Bank:
    monkeypatch.setenv("EDUBRAIN_HOME", str(bank_city.home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", bank_city.home.settings.resolved_database_url)
    monkeypatch.setenv("EDUBRAIN_PASSWORD", PASSWORD)
    return bank_city


def test_credit_bank_cli_round_trip(env: Bank, tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "t.pdf").write_bytes(PDF)
    made = runner.invoke(app, ["credit-bank", "deposit", "--user", "ann", "--institution", INSTITUTION, "--title", "统计学",
                               "--provider", "市社区学院", "--credits", "3", "--completed-on", "2025-05-01",
                               "--category", "major", "--evidence", str(tmp_path / "t.pdf")])  # fmt: skip
    assert made.exit_code == 0, made.output
    deposit_id = re.search(r"[0-9a-f]{32}", made.output).group(0)  # type: ignore[union-attr]
    queue = runner.invoke(app, ["credit-bank", "queue", "--user", "rev", "--format", "json"])
    assert queue.exit_code == 0, queue.output
    rows = json.loads(queue.stdout)
    assert rows[0]["deposit"] == deposit_id and rows[0]["proposal"] == "accepted" and rows[0]["granted"] == 3.0
    other = runner.invoke(app, ["credit-bank", "queue", "--user", "rev2", "--format", "json"])
    assert json.loads(other.stdout) == []
    refused = runner.invoke(app, ["credit-bank", "decide", deposit_id, "--user", "rev2"])
    assert refused.exit_code != 0  # not its institution: not found
    decided = runner.invoke(app, ["credit-bank", "decide", deposit_id, "--user", "rev"])
    assert decided.exit_code == 0, decided.output
    credential_id = re.search(r"urn:uuid:[0-9a-f-]{36}", decided.output).group(0)  # type: ignore[union-attr]
    badge = runner.invoke(app, ["credit-bank", "credential", credential_id, "--user", "ann"])
    assert badge.exit_code == 0 and json.loads(badge.stdout)["id"] == credential_id
    archive = runner.invoke(app, ["credit-bank", "archive", "--user", "ann", "--format", "json"])
    assert archive.exit_code == 0 and "统计学" in archive.stdout
    revoked = runner.invoke(app, ["credit-bank", "revoke", credential_id, "--reason", "复核不通过", "--user", "rev"])
    assert revoked.exit_code == 0, revoked.output
    list_id = json.loads(badge.stdout)["credentialStatus"]["statusListCredential"].rsplit("/", 1)[1]
    listed = runner.invoke(app, ["credit-bank", "status-list", list_id])
    assert listed.exit_code == 0 and json.loads(listed.stdout)["type"][1] == "BitstringStatusListCredential"
