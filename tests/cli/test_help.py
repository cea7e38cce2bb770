"""Every command's help, as a person reads it at 80 columns: flags as flags, no reStructuredText markup."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from edubrain.cli import app
from tests.cli.test_cli import GROUP_COMMANDS, LEAF_COMMANDS

ALL_COMMANDS = [*GROUP_COMMANDS, *LEAF_COMMANDS]


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(("edubrain", *p)))
def test_help_shows_flags_as_flags_and_no_double_backticks(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert "<bool>" not in text, text
    assert "``" not in text, text
    assert "--help" in text


def test_help_walk_covers_the_commands_that_print_tables() -> None:
    names = {" ".join(p) for p in ALL_COMMANDS}
    assert {"catalog list", "batches", "history", "forecast places", "fitness run", "audit log"} <= names


@pytest.mark.parametrize(
    "path", [("catalog", "list"), ("batches",), ("history",), ("forecast", "places"), ("fitness", "run"), ("roles",)]
)
def test_help_of_a_table_command_offers_the_three_formats(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert "--format" in text and "table|csv|json" in text


def test_help_shows_a_negatable_flag_as_its_two_names() -> None:
    (line,) = [line for line in _help(("forecast", "places")).splitlines() if "--write" in line and "│" in line]
    assert "--no-write" in line and "<" not in line
