"""A plain ``pip install edubrain`` provides every module the package imports (issue 13).

``httpx`` was imported by every CLI command but declared only in the ``dev``
extra, so a plain install could not run ``edubrain``. This walks the syntax
tree of every module under ``src/edubrain`` and checks each third-party import
against ``[project] dependencies`` of ``pyproject.toml``:

- an import that runs when its module is imported (module or class body, even
  inside ``try``/``if``) must come from a runtime dependency, declared
  directly (a package that is only a dependency of a dependency can vanish
  when that one changes);
- an import inside a function body runs only when the function is called:
  it may also come from a feature extra (``FEATURE_EXTRAS``: ``spark``, whose
  engine imports ``pyspark`` lazily and says ``pip install 'edubrain[spark]'``
  when it is missing); never from ``dev`` (the test and lint toolchain);
- an import under ``if TYPE_CHECKING:`` never runs and is not checked.

Import names are mapped to distributions with
``importlib.metadata.packages_distributions()`` (``yaml`` -> PyYAML).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "edubrain"
FEATURE_EXTRAS = ("spark",)
"""Extras that add an optional feature; a module may import from them only inside a function."""


@dataclass(frozen=True)
class Import:
    """One absolute import: its top-level module, where it is, and whether it runs at module import."""

    module: str
    path: Path
    line: int
    lazy: bool


def _normalise(name: str) -> str:
    """PEP 503 normal form of a distribution name (``PyJWT`` -> ``pyjwt``, ``argon2_cffi`` -> ``argon2-cffi``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: list[str]) -> set[str]:
    """Distribution names of PEP 508 requirement strings (extras, versions and markers dropped)."""
    names = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        assert match, requirement
        names.add(_normalise(match.group(1)))
    return names


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project: dict[str, object] = tomllib.load(handle)["project"]
    return project


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _ImportFinder(ast.NodeVisitor):
    """Collects absolute imports, noting whether each is inside a function; skips ``if TYPE_CHECKING:`` blocks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0
        self.found: list[Import] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function  # noqa: N815

    def visit_If(self, node: ast.If) -> None:  # noqa: N802
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        if node.level == 0 and node.module:
            self._add(node.module, node)

    def _add(self, module: str, node: ast.stmt) -> None:
        self.found.append(Import(module.partition(".")[0], self.path, node.lineno, self.depth > 0))


def third_party_imports() -> Iterator[Import]:
    """Every import under ``src/edubrain`` of a module that is neither the standard library nor edubrain."""
    for path in sorted(SOURCE.rglob("*.py")):
        finder = _ImportFinder(path.relative_to(ROOT))
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        yield from (i for i in finder.found if i.module not in sys.stdlib_module_names and i.module != "edubrain")


def test_every_imported_module_comes_from_a_declared_dependency() -> None:
    project = _project()
    runtime = _names(project["dependencies"])  # type: ignore[arg-type]
    extras: dict[str, list[str]] = project["optional-dependencies"]  # type: ignore[assignment]
    features = set().union(*(_names(extras[name]) for name in FEATURE_EXTRAS))
    provided_by = {module: {_normalise(d) for d in dists} for module, dists in packages_distributions().items()}
    found = list(third_party_imports())
    assert {"polars", "httpx", "pyspark"} <= {i.module for i in found}  # the walk sees real imports
    missing = []
    for imported in found:
        allowed = runtime | features if imported.lazy else runtime
        dists = provided_by.get(imported.module)
        if dists is None:
            missing.append(f"{imported.path}:{imported.line}: {imported.module} is not installed in this environment")
        elif not dists & allowed:
            where = "a runtime dependency or a feature extra" if imported.lazy else "a runtime dependency"
            missing.append(f"{imported.path}:{imported.line}: {imported.module} ({', '.join(sorted(dists))}) "
                           f"is not {where}")  # fmt: skip
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("extra", FEATURE_EXTRAS)
def test_feature_extras_are_declared(extra: str) -> None:
    extras: dict[str, list[str]] = _project()["optional-dependencies"]  # type: ignore[assignment]
    assert extras.get(extra), f"[project.optional-dependencies] has no {extra!r}"


def test_the_walk_sorts_imports_by_when_they_run(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import polars as pl\n"
        "from . import sibling\n"
        "if TYPE_CHECKING:\n"
        "    import pyspark\n"
        "else:\n"
        "    import numpy\n"
        "def engine():\n"
        "    from pyspark.sql import SparkSession\n"
    )
    finder = _ImportFinder(tmp_path / "m.py")
    finder.visit(ast.parse(source))
    got = [(i.module, i.lazy) for i in finder.found]
    assert got == [("__future__", False), ("typing", False), ("polars", False), ("numpy", False), ("pyspark", True)]


def test_packaging_every_data_file_of_the_package_is_declared_package_data() -> None:
    """A file the code reads at run time (YAML, templates, static files) reaches a plain install only if declared."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["edubrain"]
    files = [
        p.relative_to(SOURCE)
        for p in SOURCE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert files
    declared = [re.compile(_glob_regex(pattern)) for pattern in patterns]
    undeclared = [f.as_posix() for f in files if not any(d.fullmatch(f.as_posix()) for d in declared)]
    assert undeclared == []


def _glob_regex(pattern: str) -> str:
    """A package-data glob as a regular expression: ``**/`` any folders, ``*`` any name part, ``?`` one character."""
    out = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return out


def test_packaging_glob_regex_matches_as_setuptools_globs() -> None:
    assert re.fullmatch(_glob_regex("catalog/data/**/*.yaml"), "catalog/data/datasets/students.yaml")
    assert re.fullmatch(_glob_regex("catalog/data/**/*.yaml"), "catalog/data/classification.yaml")
    assert not re.fullmatch(_glob_regex("web/static/*.js"), "web/static/vendor/htmx.min.js")
    assert not re.fullmatch(_glob_regex("analytics/data/*.yaml"), "analytics/routing/data/categories.yaml")
