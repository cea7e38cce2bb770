"""Tables that a person can read at 80 columns, and CSV / JSON that a program can parse, from every listing command.

Run through the real installed ``edubrain`` command with ``COLUMNS=80``, as a user's terminal would.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.jobs.derived import write_derived
from edubrain.store.lake import lake_schema
from tests.cli import test_cli
from tests.cli.test_cli import Invoke, _home_with_schools, _run
from tests.conftest import SCHOOL, student_rows, write_csv

LONG_IDS = ["student_status_changes", "school_infrastructure", "fitness_indicators", "teacher_assignments"]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Path]:
    """A home with one committed and one rejected students batch, and two versions of a derived dataset."""
    folder = tmp_path_factory.mktemp("formats")
    home = _home_with_schools(folder, catalog)
    assert ingest_file(home, write_csv(folder / "s.csv", student_rows(3)), "students", SCHOOL).report.version == 0
    bad = student_rows(2)
    bad[1][2] = "X"
    ingest_file(home, write_csv(folder / "rejected.csv", bad), "student_status_changes", SCHOOL)
    dataset = catalog.dataset("fitness_warnings")
    empty = lake_schema(dataset).empty_table().select(dataset.field_names)
    for students in (0, 7):
        write_derived(
            home,
            "fitness_warnings",
            empty,
            job="fitness.warnings",
            inputs={"fitness_tests": None, "students": students},
        )
    home.engine.dispose()
    yield home.settings.home


edubrain = test_cli.edubrain
"""The in-process ``edubrain`` fixture of the other CLI tests: csv and json need no terminal."""


def _table(home: Path, *args: str) -> list[str]:
    """The command's stdout at 80 columns, after checking it fits them."""
    proc = _run(home, *args, COLUMNS="80")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, proc.stdout
    return lines


def _whole(lines: list[str], value: str) -> None:
    assert any(value in line for line in lines), f"{value!r} is not whole on any line:\n" + "\n".join(lines)


def test_cli_catalog_list_at_80_columns_shows_every_id_whole(city: Path, catalog: Catalog) -> None:
    lines = _table(city, "catalog", "list")
    for dataset_id in catalog.datasets:
        _whole(lines, dataset_id)
    assert not [line for line in lines if 0 < len(line.strip()) <= 2], "a cell was folded one character a line"


def test_cli_catalog_list_in_english_at_80_columns_keeps_long_ids(city: Path) -> None:
    lines = _table(city, "--lang", "en", "catalog", "list")
    for dataset_id in LONG_IDS:
        _whole(lines, dataset_id)


def test_cli_batches_at_80_columns_shows_dataset_org_and_result_whole(city: Path) -> None:
    for lang in ("zh", "en"):
        lines = _table(city, "--lang", lang, "batches")
        for value in ("student_status_changes", SCHOOL, "students", "110108"):
            _whole(lines, value)
        _whole(lines, "v0")


def test_cli_history_of_a_derived_dataset_shows_its_inputs_and_rows_not_zeros(city: Path) -> None:
    lines = _table(city, "history", "fitness_warnings")
    assert "输入（版本）" in "\n".join(lines) and "写入行数" in "\n".join(lines)
    _whole(lines, "students v7")
    _whole(lines, "fitness_tests v-")
    _whole(lines, "fitness.warnings")
    (entry, _) = json.loads(_run(city, "history", "fitness_warnings", "--format", "json").stdout)
    assert (entry["version"], entry["job"], entry["inputs"], entry["rows_written"]) == (
        1,
        "fitness.warnings",
        {"fitness_tests": None, "students": 7},
        0,
    )


def test_cli_history_of_a_submitted_dataset_keeps_its_counts(city: Path) -> None:
    lines = _table(city, "history", "students")
    assert any(line.split()[:1] == ["0"] and SCHOOL in line and line.rstrip().endswith("0") for line in lines)


LISTINGS = [
    ("catalog", "list"),
    ("catalog", "show", "students"),
    ("batches",),
    ("history", "students"),
    ("history", "fitness_warnings"),
    ("roles",),
    ("users", "list"),
    ("token", "list"),
    ("audit", "log"),
]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_cli_listing_as_csv_parses_with_a_header(edubrain: Invoke, city: Path, args: tuple[str, ...]) -> None:
    code, out, err = edubrain(city, *args, "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows and all(len(row) == len(rows[0]) for row in rows), out
    assert "─" not in out and "┃" not in out


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_cli_listing_as_json_parses(edubrain: Invoke, city: Path, args: tuple[str, ...]) -> None:
    code, out, err = edubrain(city, *args, "--format", "json")
    assert code == 0, err
    assert isinstance(json.loads(out), list | dict)


def test_cli_csv_has_every_column_the_table_leaves_out(city: Path) -> None:
    proc = _run(city, "batches", "--format", "csv")
    header = next(csv.reader(io.StringIO(proc.stdout)))
    assert {"batch", "file", "status", "added", "changed", "retired"} <= set(header)
    ids = [row["batch"] for row in csv.DictReader(io.StringIO(proc.stdout))]
    assert ids and all(len(i) == 32 for i in ids)


def test_cli_unknown_format_is_a_usage_error(city: Path) -> None:
    proc = _run(city, "catalog", "list", "--format", "xml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_cli_fitness_run_prints_a_summary_and_json_on_request(city: Path) -> None:
    proc = _run(city, "--lang", "en", "fitness", "run", COLUMNS="80")
    assert proc.returncode == 0, proc.stderr
    assert not proc.stdout.lstrip().startswith("{")
    for name in ("fitness_scores", "fitness_indicators", "fitness_warnings", "new version", "inputs read"):
        assert name in proc.stdout
    machine = json.loads(_run(city, "fitness", "run", "--format", "json").stdout)
    assert set(machine) == {"versions", "rows", "inputs"}
    assert machine["versions"]["fitness_warnings"] >= 2


# JSON Lines that once printed a traceback


@pytest.mark.parametrize(
    ("value", "en"),
    [("[" * 100_000 + "]" * 100_000, "nested too deeply"), ("9" * 100_000, "100000 digits")],
    ids=["deeply-nested-array", "100000-digit-number"],
)
def test_cli_ingest_hostile_jsonl_exits_two_naming_file_and_line(
    city: Path, tmp_path: Path, value: str, en: str
) -> None:
    path = tmp_path / "roster.jsonl"
    path.write_text('{"学籍号": "G1"}\n{"学籍号": "G2", "学年": ' + value + "}\n", encoding="utf-8")
    proc = _run(city, "--lang", "en", "ingest", str(path), "-d", "students", "--org", SCHOOL)
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("error: JSON Lines file roster.jsonl line 2") and en in line
