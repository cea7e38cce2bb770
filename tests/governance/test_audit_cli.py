"""``edubrain audit``: verify (exit 1 and the first bad event when tampered), seal, log, report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from edubrain.cli import audit as audit_cli
from edubrain.cli import common as cli_common
from edubrain.governance.audit import AuditError
from edubrain.home import Home
from tests.governance.test_audit import KEY, fill, tamper

runner = CliRunner()
Invoke = Callable[..., Result]


@pytest.fixture
def invoke(home: Home, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run ``edubrain audit ARGS`` in-process against ``home``."""
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", home.settings.resolved_database_url)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setattr(cli_common.console, "width", 250)
    monkeypatch.setattr(cli_common.state, "lang", "zh")

    def run(*args: str) -> Result:
        return runner.invoke(audit_cli.app, list(args))

    return run


def test_cli_audit_verify_passes_then_fails_naming_the_event(home: Home, invoke: Invoke) -> None:
    fill(home, 5)
    ok = invoke("verify")
    assert ok.exit_code == 0 and "审计链完整：已校验 5 个事件" in ok.output
    tamper(home, "UPDATE audit_events SET row_count = 0 WHERE seq = 2")
    bad = invoke("verify")
    assert bad.exit_code == 1 and "#2" in bad.output and "被修改" in bad.output
    as_json = json.loads(invoke("verify", "--json").output)
    assert as_json["ok"] is False and as_json["first_bad_seq"] == 2 and "edited" in as_json["reason_en"]


def test_cli_audit_verify_in_english(home: Home, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(home, 3)
    tamper(home, "DELETE FROM audit_events WHERE seq = 3")
    monkeypatch.setattr(cli_common.state, "lang", "en")
    result = invoke("verify")
    assert result.exit_code == 1 and "FAILED at #3" in result.output and "newest events were removed" in result.output


def test_cli_audit_seal_then_verify_with_the_key_file(home: Home, invoke: Invoke, tmp_path: Path) -> None:
    fill(home, 4)
    key_file = tmp_path / "auditor.key"
    key_file.write_text(KEY.decode() + "\n", encoding="utf-8")
    sealed = invoke("seal", "--key-file", str(key_file))
    assert sealed.exit_code == 0 and "已封印至 #4" in sealed.output
    verified = invoke("verify", "--key-file", str(key_file))
    assert verified.exit_code == 0 and "审计员封印（至 #4）正确" in verified.output
    (tmp_path / "short.key").write_text("short", encoding="utf-8")
    refused = invoke("seal", "--key-file", str(tmp_path / "short.key"))
    assert isinstance(refused.exception, AuditError) and "too short" in refused.exception.en


def test_cli_audit_log_filters_and_prints_hashes_as_json(home: Home, invoke: Invoke) -> None:
    fill(home, 5)
    events = json.loads(invoke("log", "--json", "--actor", "u_admin").output)
    assert [e["seq"] for e in events] == [1, 2] and all(len(e["hash"]) == 64 for e in events)
    table = invoke("log", "--action", "read_unmasked")
    assert table.exit_code == 0 and "financial_aid_review" in table.output and "u_admin" in table.output
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    assert len(json.loads(invoke("log", "--json", "--since", today.isoformat()).output)) == 5
    assert json.loads(invoke("log", "--json", "--until", "2000-01-01").output) == []
    assert [e["seq"] for e in json.loads(invoke("log", "--json", "--limit", "2").output)] == [4, 5]


def test_cli_audit_log_refuses_bad_input(home: Home, invoke: Invoke) -> None:
    for args in (("--since", "last tuesday"), ("--action", "peek")):
        result = invoke("log", *args)
        assert isinstance(result.exception, AuditError) and result.exception.zh


def test_cli_audit_report_writes_files_and_fails_on_a_broken_chain(home: Home, invoke: Invoke, tmp_path: Path) -> None:
    fill(home, 5)
    year = str(dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).year)
    result = invoke("report", "--year", year, "-o", str(tmp_path / "r"))
    assert result.exit_code == 0 and "CSV" in result.output
    page = (tmp_path / "r" / f"minors_report_{year}.html").read_text(encoding="utf-8")
    assert "审计链校验通过" in page and "u_admin" in page
    tamper(home, "DELETE FROM audit_events WHERE seq = 5")
    broken = invoke("report", "--year", year, "-o", str(tmp_path / "r2"))
    assert broken.exit_code == 1 and (tmp_path / "r2" / f"minors_report_{year}.html").is_file()


def test_cli_audit_every_command_has_an_example_and_chinese_help() -> None:
    for command in audit_cli.app.registered_commands:
        doc = command.callback.__doc__ or ""
        assert "Example: edubrain audit " in doc and " / " in doc.splitlines()[0], command.name
