"""The ``edubrain`` command: exit codes, one-line errors, languages and output formats.

The exit-code contract (0 committed, 1 rejected, 2 usage error with one line
and no traceback) is checked on the real installed command in a subprocess.
The other commands run through the same entry point, ``edubrain.cli:main``,
in-process: a subprocess costs about two seconds of imports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edubrain.catalog import Catalog
from edubrain.cli import app, main
from edubrain.cli import common as cli_common
from edubrain.errors import UnknownDatasetError
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity
from edubrain.governance.identity import AuthError
from edubrain.home import Home
from edubrain.store import db
from tests.conftest import CLASS, SCHOOL, home_with_schools, student_rows, write_csv

EDUBRAIN = str(Path(sys.executable).parent / "edubrain")
ANALYST, ANALYST_PASSWORD = "analyst", "synthetic-password-1"


def _run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``edubrain args`` with ``EDUBRAIN_HOME=home`` and nothing else of EduBrain's from the environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EDUBRAIN_")}
    clean.update({"EDUBRAIN_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **env})
    return subprocess.run([EDUBRAIN, *args], env=clean, cwd=home.parent, capture_output=True, text=True, timeout=120)


def _error_line(stderr: str, stdout: str = "") -> str:
    """The one error line on stderr, after checking it is the only line and there is no traceback anywhere."""
    assert "Traceback" not in stderr and "Traceback" not in stdout
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def _home_with_schools(folder: Path, catalog: Catalog) -> Home:
    """An initialised home (SQLite) with two schools and one class stored, built in-process."""
    return home_with_schools(folder, catalog)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Path]:
    """A home for read-only commands: three students committed (version 0), one rejected submission,
    and a city analyst who may run queries."""
    folder = tmp_path_factory.mktemp("cli")
    home = _home_with_schools(folder, catalog)
    assert ingest_file(home, write_csv(folder / "s.csv", student_rows(3)), "students", SCHOOL).report.version == 0
    bad = student_rows(2)
    bad[1][2] = "X"
    assert ingest_file(home, write_csv(folder / "rejected.csv", bad), "students", SCHOOL).report.status == "rejected"
    with db.session_scope(home.engine) as session:
        identity.add_user(session, ANALYST, ANALYST_PASSWORD, "110000")
        identity.grant(session, ANALYST, "city_analyst", "110000")
    home.engine.dispose()
    yield home.settings.home


Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture
def edubrain(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    """Call ``edubrain.cli:main`` in-process as ``edubrain(home, *args, **env)``; returns (exit code, stdout, stderr)."""

    def invoke(home: Path, *args: str, **env: str) -> tuple[int, str, str]:
        for name in [k for k in os.environ if k.startswith("EDUBRAIN_")]:
            monkeypatch.delenv(name)
        for name, value in {"EDUBRAIN_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1", **env}.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "argv", ["edubrain", *args])
        monkeypatch.setattr(cli_common.console, "width", 250)
        capsys.readouterr()
        with pytest.raises(SystemExit) as stopped:
            main()
        out, err = capsys.readouterr()
        return int(stopped.value.code or 0), out, err

    return invoke


@pytest.fixture
def bad_roster(tmp_path: Path) -> Path:
    """Three students, one with an invalid sex code (row 3)."""
    rows = student_rows(3)
    rows[2][2] = "X"
    return write_csv(tmp_path / "bad.csv", rows)


# init and ingest


def test_cli_init_creates_the_home_and_is_idempotent(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = _run(home, "init")
    assert first.returncode == 0, first.stderr
    assert "已初始化" in first.stdout and "新登记单位 17 个" in first.stdout
    assert (home / "edubrain.db").is_file() and (home / "lake").is_dir()
    again = _run(home, "--lang", "en", "init")
    assert again.returncode == 0 and "0 organisations added" in again.stdout


def test_cli_ingest_commit_exits_zero(tmp_path: Path, catalog: Catalog) -> None:
    home = _home_with_schools(tmp_path, catalog)
    proc = _run(
        home.settings.home,
        "ingest",
        str(write_csv(tmp_path / "s.csv", student_rows(4))),
        "-d",
        "students",
        "--org",
        SCHOOL,
    )
    assert proc.returncode == 0, proc.stderr
    assert "已提交为版本 0" in proc.stdout and "新增 4 行" in proc.stdout
    assert home.lake.version("students") == 0 and home.lake.count("students") == 4


def test_cli_ingest_rejected_by_validation_exits_one(stored: Path, bad_roster: Path) -> None:
    proc = _run(stored, "ingest", str(bad_roster), "--dataset", "students", "--org", SCHOOL)
    assert proc.returncode == 1
    assert "校验未通过" in proc.stdout and "未存储任何数据" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_cli_ingest_usage_error_exits_two_with_one_line(stored: Path, bad_roster: Path) -> None:
    proc = _run(stored, "ingest", str(bad_roster), "--org", "1101089999", "--dataset", "students")
    assert proc.returncode == 2
    line = _error_line(proc.stderr, proc.stdout)
    assert line.startswith("错误 / error: ") and "未知的单位代码 1101089999" in line


def test_cli_ingest_json_report_lists_problems_and_groups(edubrain: Invoke, stored: Path, bad_roster: Path) -> None:
    code, out, _ = edubrain(stored, "ingest", str(bad_roster), "--dataset", "students", "--org", SCHOOL, "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["status"], report["rows_read"], report["rows_rejected"]) == ("rejected", 3, 3)
    assert [(p["row"], p["column"], p["rule"], p["value"]) for p in report["problems"]] == [(3, "性别", "code", "X")]
    assert [(g["rule"], g["count"], g["rows"]) for g in report["groups"]] == [("code", 1, [3])]


def test_cli_ingest_unknown_dataset_exits_two_with_one_line(edubrain: Invoke, stored: Path, bad_roster: Path) -> None:
    code, _, err = edubrain(stored, "ingest", str(bad_roster), "--org", SCHOOL, "--dataset", "pupils")
    assert code == 2
    line = _error_line(err)
    assert line.startswith("错误 / error: ") and "目录中没有数据集 'pupils'" in line


def test_cli_ingest_unreadable_file_exits_two_with_one_line_in_english(
    edubrain: Invoke, stored: Path, tmp_path: Path
) -> None:
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    code, _, err = edubrain(stored, "ingest", str(path), "-d", "students", "--org", SCHOOL, EDUBRAIN_LANG="en")
    assert code == 2
    assert _error_line(err) == "error: Unsupported file format .xls: use .csv, .xlsx or .jsonl"


def test_cli_lang_en_prints_the_report_in_english(edubrain: Invoke, stored: Path, bad_roster: Path) -> None:
    code, out, _ = edubrain(stored, "--lang", "en", "ingest", str(bad_roster), "--dataset", "students", "--org", SCHOOL)
    assert code == 1
    assert "Rejected: 1 problems; nothing was stored" in out
    assert "is not in the code table 'Sex'" in out
    assert "校验未通过" not in out


def test_cli_report_in_chinese_names_row_column_and_rule(edubrain: Invoke, stored: Path, bad_roster: Path) -> None:
    code, out, _ = edubrain(stored, "ingest", str(bad_roster), "--dataset", "students", "--org", SCHOOL)
    assert code == 1
    assert "读取 3 行，接受 0，拒绝 3" in out
    assert "性别" in out and "code" in out and "不在代码表《人的性别代码》中" in out


def test_cli_missing_file_exits_two_with_one_line(edubrain: Invoke, stored: Path, tmp_path: Path) -> None:
    code, _, err = edubrain(
        stored, "--lang", "en", "ingest", str(tmp_path / "nope.csv"), "-d", "students", "--org", SCHOOL
    )
    assert code == 2
    assert _error_line(err).startswith("error: File not found")


def test_cli_bad_mode_exits_two(edubrain: Invoke, stored: Path, bad_roster: Path) -> None:
    code, out, err = edubrain(
        stored, "--lang", "en", "ingest", str(bad_roster), "-d", "students", "--org", SCHOOL, "--mode", "merge"
    )
    assert code == 2
    assert "--mode must be upsert or replace-scope" in out + err


def test_cli_debug_shows_the_traceback(edubrain: Invoke, stored: Path, bad_roster: Path) -> None:
    with pytest.raises(UnknownDatasetError):
        edubrain(stored, "--debug", "ingest", str(bad_roster), "--dataset", "pupils", "--org", SCHOOL)


def test_cli_command_before_init_says_to_run_init(edubrain: Invoke, tmp_path: Path) -> None:
    code, _, err = edubrain(tmp_path / "fresh", "--lang", "en", "status")
    assert code == 2
    assert "edubrain init" in _error_line(err)


@pytest.mark.parametrize(
    ("args", "env"), [(["--lang", "fr"], {}), ([], {"EDUBRAIN_LANG": "fr"})], ids=["option", "env"]
)
def test_cli_unsupported_language_is_a_one_line_usage_error(
    edubrain: Invoke, stored: Path, args: list[str], env: dict[str, str]
) -> None:
    code, out, err = edubrain(stored, *args, "status", **env)
    assert code == 2
    assert "Traceback" not in err and "zh" in err and "en" in err


# reading commands


def test_cli_history_lists_each_version_with_its_batch(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "history", "students", "--json")
    assert code == 0, err
    (entry,) = json.loads(out)
    assert (entry["version"], entry["org"], entry["file"], entry["added"], entry["mode"]) == (
        0,
        SCHOOL,
        "s.csv",
        3,
        "upsert",
    )
    assert len(entry["batch_id"]) == 32


def test_cli_history_of_an_unknown_dataset_exits_two(edubrain: Invoke, stored: Path) -> None:
    code, _, err = edubrain(stored, "history", "pupils")
    assert code == 2
    assert "pupils" in _error_line(err)


def test_cli_batches_lists_rejected_submissions_too(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "batches", "--dataset", "students", "--json")
    assert code == 0, err
    batches = {(b["status"], b["file"], b["read"]) for b in json.loads(out)}
    assert {("committed", "s.csv", 3), ("rejected", "rejected.csv", 2)} <= batches
    assert {b[0] for b in batches} <= {"committed", "rejected"}


def test_cli_batches_filters_by_organisation(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "batches", "--org", "110108", "--json")
    assert code == 0, err
    assert [(b["dataset"], b["org"], b["status"]) for b in json.loads(out)] == [("schools", "110108", "committed")]


def test_cli_status_shows_each_datasets_version_and_rows(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "status")
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()[1:] if line.strip()}
    from edubrain.catalog import get_catalog

    assert set(lines) == set(get_catalog().datasets)
    assert {"students", "fitness_tests", "fitness_scores", "place_forecasts"} <= set(lines)
    assert "v0" in lines["students"] and lines["students"].rstrip().endswith("3 rows")
    assert "v-" in lines["teachers"] and lines["teachers"].rstrip().endswith("0 rows")
    assert "提交批次" in out.splitlines()[0]


def _as_analyst(*args: str) -> tuple[str, ...]:
    return ("query", *args, "--user", ANALYST)


def test_cli_query_prints_csv(edubrain: Invoke, stored: Path) -> None:
    sql = "select school_code, class_id, school_year, grade from students order by 1"
    code, out, err = edubrain(stored, *_as_analyst(sql, "--format", "csv"), EDUBRAIN_PASSWORD=ANALYST_PASSWORD)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == [{"school_code": SCHOOL, "class_id": CLASS, "school_year": "2025", "grade": "11"}] * 3


def test_cli_query_prints_json_as_of_a_version(edubrain: Invoke, stored: Path) -> None:
    sql = "select count(*) as n, min(grade) as g from students"
    code, out, err = edubrain(
        stored, *_as_analyst(sql, "--format", "json", "--as-of", "0"), EDUBRAIN_PASSWORD=ANALYST_PASSWORD
    )
    assert code == 0, err
    assert json.loads(out) == [{"n": 3, "g": "11"}]


def test_cli_query_as_of_two_datasets_needs_names(edubrain: Invoke, stored: Path) -> None:
    code, _, err = edubrain(
        stored,
        "--lang",
        "en",
        *_as_analyst("select * from students, schools", "--as-of", "0"),
        EDUBRAIN_PASSWORD=ANALYST_PASSWORD,
    )
    assert code == 2
    assert "DATASET=N" in _error_line(err)


def test_cli_query_refused_statement_exits_two_with_one_line(edubrain: Invoke, stored: Path) -> None:
    code, _, err = edubrain(
        stored, "--lang", "en", *_as_analyst("delete from students"), EDUBRAIN_PASSWORD=ANALYST_PASSWORD
    )
    assert code == 2
    line = _error_line(err)
    assert line.startswith("error: Only") and "read-only" in line and "SELECT" in line


def test_cli_query_with_a_wrong_password_fails_with_one_line(edubrain: Invoke, stored: Path) -> None:
    code, _, err = edubrain(stored, "--lang", "en", *_as_analyst("select 1"), EDUBRAIN_PASSWORD="not-the-password")
    assert code == AuthError.exit_code != 0
    assert _error_line(err) == "error: Wrong username or password"


def test_cli_catalog_list_as_json(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "catalog", "list", "--json")
    assert code == 0, err
    listed = {d["id"]: d for d in json.loads(out)}
    from edubrain.catalog import get_catalog

    assert set(listed) == set(get_catalog().datasets)
    assert listed["students"]["title_zh"] == "学生基础信息" and listed["students"]["owner_level"] == "school"


def test_cli_catalog_list_in_english(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "--lang", "en", "catalog", "list")
    assert code == 0, err
    assert "Students" in out and "conditional" in out and "学生基础信息" not in out


def test_cli_catalog_show_prints_fields_and_rules(edubrain: Invoke, stored: Path) -> None:
    code, out, err = edubrain(stored, "catalog", "show", "students")
    assert code == 0, err
    assert "students 学生基础信息 / Students" in out
    for text in ("student_id", "全国学籍号", "id_number", "age_for_grade", "主键 student_id"):
        assert text in out


def test_cli_catalog_show_as_json_is_the_declaration(edubrain: Invoke, stored: Path, catalog: Catalog) -> None:
    code, out, err = edubrain(stored, "catalog", "show", "students", "--json")
    assert code == 0, err
    assert json.loads(out) == json.loads(catalog.dataset("students").model_dump_json())


# house style: every command's help has an example


def _command_paths() -> list[tuple[tuple[str, ...], bool]]:
    """Every command of the ``edubrain`` app as (path, is a group), found by walking the app, not listed by hand."""
    import typer

    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], bool]]:
        subcommands = getattr(command, "commands", None)
        yield path, subcommands is not None
        for name, sub in sorted((subcommands or {}).items()):
            yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(app), ()))


LEAF_COMMANDS = [path for path, group in _command_paths() if not group]
GROUP_COMMANDS = [path for path, group in _command_paths() if group]


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_command_walk_finds_the_known_commands() -> None:
    assert set(LEAF_COMMANDS) >= {
        ("init",), ("status",), ("ingest",), ("history",), ("batches",), ("query",),
        ("catalog", "list"), ("catalog", "show"), ("catalog", "export"), ("catalog", "template"),
    }  # fmt: skip
    assert {(), ("catalog",)} <= set(GROUP_COMMANDS)


@pytest.mark.parametrize("path", LEAF_COMMANDS, ids=" ".join)
def test_cli_every_command_help_has_an_example(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert "Example" in text
    assert f"edubrain {' '.join(path)}" in text


@pytest.mark.parametrize("path", GROUP_COMMANDS, ids=lambda p: " ".join(("edubrain", *p)))
def test_cli_command_group_help_has_an_example(path: tuple[str, ...]) -> None:
    assert "Example" in _help(path)
