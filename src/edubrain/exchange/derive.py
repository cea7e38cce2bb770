"""Derived datasets kept up to date after submissions: the post-commit hook of the exchange.

When an exchange session (:class:`edubrain.exchange.ingest.Exchange`: one
``edubrain submit``, one bulk load, one API upload) ends, every derived
dataset whose inputs gained a version during it is recomputed — once per
session, not once per batch, so a loader that submits thousands of school
files scores the city once. Staleness is read from the lake itself (the
input version recorded in the derived dataset's lineage), so the hook needs
no state and a session that failed half-way is caught up by the next one.

Today one derivation is registered: ``fitness_tests`` → ``fitness_scores``,
``fitness_indicators``, ``fitness_warnings`` (:mod:`edubrain.jobs.fitness`).
"""

from __future__ import annotations

import logging

from edubrain.errors import EduBrainError
from edubrain.home import Home
from edubrain.jobs import fitness

log = logging.getLogger(__name__)


def after_session(home: Home) -> list[str]:
    """Recompute the derived datasets that are stale; return the ids of the datasets written.

    A failure is logged, not raised: the submission is already committed, and
    ``edubrain fitness run`` recomputes the derived datasets on demand.
    """
    if not fitness.is_stale(home):
        return []
    try:
        run = fitness.run_fitness(home)
    except EduBrainError as exc:
        log.warning("fitness derivation failed / 体测派生数据计算失败: %s", exc.en)
        return []
    return sorted(run.versions)
