"""Derived datasets kept up to date after submissions: the post-commit hook of the exchange.

When an exchange session (:class:`edubrain.exchange.ingest.Exchange`: one
``edubrain submit``, one bulk load, one API upload) ends, every derived
dataset whose inputs gained a version during it is recomputed — once per
session, not once per batch, so a loader that submits thousands of school
files scores the city once. Staleness is read from the lake itself (the
input version recorded in the derived dataset's lineage), so the hook needs
no state and a session that failed half-way is caught up by the next one.

The exchange knows no job: derivations register themselves under the entry-point
group :data:`GROUP` (``pyproject.toml``, ``[project.entry-points."edubrain.derivations"]``),
each naming an object with ``is_stale(home)`` and ``run(home)`` (:class:`Derivation`).
The platform's own is ``fitness`` (``fitness_tests`` → ``fitness_scores``,
``fitness_indicators``, ``fitness_warnings``; :data:`edubrain.jobs.fitness.DERIVATION`);
a deployment adds one by installing a package that declares another entry point.
"""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol, runtime_checkable

from edubrain.errors import ConfigurationError, EduBrainError
from edubrain.home import Home

log = logging.getLogger(__name__)
GROUP = "edubrain.derivations"
"""The entry-point group derivations register under."""


@runtime_checkable
class Derivation(Protocol):
    """A job that recomputes derived datasets when its inputs gained a version."""

    def is_stale(self, home: Home) -> bool:
        """True when an input has a version the derived datasets were not computed from."""
        ...

    def run(self, home: Home) -> list[str]:
        """Recompute and write the derived datasets; return the ids written."""
        ...


def derivations() -> dict[str, Derivation]:
    """The registered derivations by entry-point name, loaded (imported) now, in name order.

    Raises:
        ConfigurationError: An entry point does not load or names no :class:`Derivation`.
    """
    return {point.name: _load(point) for point in _points()}


def derivation(name: str) -> Derivation:
    """The registered derivation ``name``, loaded, for a caller that recomputes it on purpose (a workflow step).

    Raises:
        ConfigurationError: No derivation of that name is registered, or it does not load.
    """
    found = entry_points(group=GROUP, name=name)
    if not found:
        raise ConfigurationError(
            f"没有注册名为 {name} 的派生任务（请重新安装：pip install -e .）",
            f"no derivation named {name} is registered (reinstall with pip install -e .)",
            entry_point=name,
        )
    return _load(next(iter(found)))


def _points() -> list[EntryPoint]:
    return sorted(entry_points(group=GROUP), key=lambda p: p.name)


def _load(point: EntryPoint) -> Derivation:
    """The derivation an entry point names (imports its module)."""
    try:
        loaded = point.load()
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            f"派生任务 {point.name}（{point.value}）无法加载：{exc}",
            f"derivation {point.name} ({point.value}) cannot be loaded: {exc}",
            entry_point=point.name,
        ) from exc
    if not isinstance(loaded, Derivation):
        raise ConfigurationError(
            f"派生任务 {point.name}（{point.value}）缺少 is_stale(home) 或 run(home)",
            f"derivation {point.name} ({point.value}) has no is_stale(home) or run(home)",
            entry_point=point.name,
        )
    return loaded


def after_session(home: Home) -> list[str]:
    """Recompute the derived datasets that are stale; return the ids of the datasets written.

    A failure (a derivation that does not load or fails) is logged, not raised: the submission is
    already committed, and each derivation's own command (``edubrain fitness run``) recomputes it on
    demand. No registered derivation at all is logged as a warning too: the package metadata is then
    missing (reinstall with ``pip install -e .``) and nothing would be derived.
    """
    points = _points()
    if not points:
        log.warning("没有注册的派生任务 / no derivation is registered under the entry-point group %s", GROUP)
    loaded: dict[str, Derivation] = {}
    for point in points:
        try:
            loaded[point.name] = _load(point)
        except EduBrainError as exc:
            log.warning("派生任务 %s 失败 / derivation %s failed: %s", point.name, point.name, exc.en)
    written: list[str] = []
    for name in ordered(loaded):
        try:
            if loaded[name].is_stale(home):
                written.extend(loaded[name].run(home))
        except EduBrainError as exc:
            log.warning("派生任务 %s 失败 / derivation %s failed: %s", name, name, exc.en)
    return sorted(written)


def ordered(loaded: dict[str, Derivation]) -> list[str]:
    """The derivations' names, each after those its ``after`` attribute names (one that reads their output).

    Otherwise name order. A derivation's ``after`` is optional (a tuple of entry-point names; unknown names are
    ignored); a cycle, which no registered derivation has, falls back to name order for the derivations in it.
    """
    waiting = {name: {d for d in getattr(loaded[name], "after", ()) if d in loaded} for name in sorted(loaded)}
    result: list[str] = []
    while waiting:
        ready = [name for name, before in waiting.items() if not before - set(result)] or [next(iter(waiting))]
        result.append(ready[0])
        del waiting[ready[0]]
    return result
