"""Every CLI command and every setting is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer

from edubrain.cli import app
from edubrain.config import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer, prefix: str = "edubrain") -> list[str]:
    names = [f"{prefix} {c.name or c.callback.__name__}" for c in group.registered_commands if c.callback]
    for sub in group.registered_groups:
        names += _commands(sub.typer_instance, f"{prefix} {sub.name}")
    return names


def test_readme_documents_every_cli_command() -> None:
    missing = [name for name in _commands(app) if name not in README]
    assert not missing, f"README.md does not show: {missing}"


def test_readme_documents_every_setting() -> None:
    missing = [f"EDUBRAIN_{name.upper()}" for name in Settings.model_fields if f"EDUBRAIN_{name.upper()}" not in README]
    assert not missing, f"README.md does not mention: {missing}"


def test_every_cli_command_help_has_an_example() -> None:
    def callbacks(group: typer.Typer) -> list:
        found = [c.callback for c in group.registered_commands if c.callback]
        for sub in group.registered_groups:
            found += callbacks(sub.typer_instance)
        return found

    lacking = [cb.__name__ for cb in callbacks(app) if "Example" not in (cb.__doc__ or "")]
    assert not lacking, f"commands whose help has no example: {lacking}"
