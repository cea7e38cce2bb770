"""Every CLI command and every setting is documented in the README."""

from __future__ import annotations

import re
import tomllib
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


ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(<?([^)\s>]+)>?\)")
ROOT_PATH = re.compile(r"(?<![\w./-])((?:docs|benchmarks|examples)/[\w./-]*\w)")
BARE_NAME = re.compile(r"(?<![\w./-])([A-Z][A-Z_]*\.md)\b")


def _dependency_names(specs: list[str]) -> set[str]:
    """Distribution names of requirement strings, normalised (``pyjwt[crypto]>=2.8`` -> ``pyjwt``)."""
    return {re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in specs}


def _readme_dependency_table() -> dict[str, str]:
    """Package name -> why, from the README's dependency table (every backticked name of a row's first cell)."""
    section = README.split("## 依赖 / Dependencies and why", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or set(cells[0]) <= {"-", " "}:
            continue
        for name in re.findall(r"`([^`]+)`", cells[0]):
            rows[_dependency_names([name]).pop()] = cells[-1]
    return rows


def test_readme_dependency_table_explains_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    table = _readme_dependency_table()
    missing = sorted(_dependency_names(project["dependencies"]) - set(table))
    assert not missing, f"runtime dependencies without a row in README.md's dependency table: {missing}"
    unexplained = sorted(name for name in _dependency_names(project["dependencies"]) if len(table[name]) < 10)
    assert not unexplained, f"dependency rows that do not say why: {unexplained}"


def test_every_relative_link_in_the_docs_resolves_to_a_file() -> None:
    broken = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a URL or an anchor on the same page
            if not (doc.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert not broken, f"links to files that do not exist: {broken}"


def test_every_file_the_docs_cite_by_path_or_name_exists() -> None:
    """Plain citations (``docs/web.md``, ``ARCHITECTURE.md``) name files of this repository, not of elsewhere."""
    missing = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for path in ROOT_PATH.findall(text):
            if not (ROOT / path).exists():
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
        for name in BARE_NAME.findall(text):
            if not any((folder / name).exists() for folder in (ROOT, doc.parent)):
                missing.append(f"{doc.relative_to(ROOT)}: {name}")
    assert not missing, f"the docs cite files that are not in the repository: {missing}"
