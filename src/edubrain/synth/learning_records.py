"""Synthetic learning records: xAPI answers of a class's pupils on knowledge points, written through the LRS.

Each pupil answers a few questions on each point of grades up to ``max_grade``; behind the answers is a hidden
mastery that follows the BKT model with the catalog's default parameters (learning at each answer, guessing and
slipping), so the mastery the platform infers can be checked against what was planted. Planted for the demo and
the tests: the first pupil never learns :data:`PLANTED_WEAK` (every answer a guess), so it is a weak point with
its prerequisites recommended first.

:func:`write_class_records` stores them through :func:`edubrain.lrs.access.store` (validation, pseudonymised copy,
sealed original, ``lrs_write`` audit): the normal path of a school's learning application.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import numpy as np

from edubrain.analytics.learning.catalog import load_catalog
from edubrain.analytics.learning.mastery import KP_BASE, KP_EXTENSION
from edubrain.governance import identity
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home
from edubrain.lrs import access
from edubrain.lrs.agents import LEARNER_HOMEPAGE
from edubrain.store.db import session_scope

PLANTED_WEAK = "na-mult-table"
VERB = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"zh-CN": "作答", "en-US": "answered"}}
START = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
BATCH = 500


def class_statements(
    student_ids: list[str], *, seed: int = 16, max_grade: int = 2, answers: int = 6
) -> list[dict[str, Any]]:
    """The statements of ``student_ids`` answering ``answers`` questions on every point up to ``max_grade``."""
    catalog = load_catalog()
    params = catalog.params()
    rng = np.random.default_rng(seed)
    points = [p for p in catalog.points if p.grade <= max_grade]
    out: list[dict[str, Any]] = []
    for i, student in enumerate(student_ids):
        ability = rng.uniform(0.5, 1.5)  # how fast this pupil learns, relative to the default
        when = START + dt.timedelta(days=i % 7)
        for n, point in enumerate(points):
            p = params[point.id]
            known = rng.random() < p.prior
            learn = 0.0 if (i == 0 and point.id == PLANTED_WEAK) else min(1.0, p.learn * 2 * ability)
            for q in range(answers):
                right = bool(rng.random() < (1 - p.slip if known else p.guess))
                when += dt.timedelta(minutes=3)
                activity: dict[str, Any] = {"objectType": "Activity", "id": f"{KP_BASE}{point.id}/q{q + 1}"}
                if n % 2:  # half the points are named by the extension on an activity elsewhere
                    activity = {
                        "objectType": "Activity",
                        "id": f"https://edubrain.example/activities/maths/{point.id}/{q + 1}",
                        "definition": {
                            "name": {"zh-CN": point.zh, "en-US": point.en},
                            "extensions": {KP_EXTENSION: point.id},
                        },  # fmt: skip
                    }
                out.append(
                    {
                        "id": str(uuid.UUID(bytes=rng.bytes(16), version=4)),
                        "actor": {"objectType": "Agent", "account": {"homePage": LEARNER_HOMEPAGE, "name": student}},
                        "verb": VERB,
                        "object": activity,
                        "result": {"success": right, "completion": True},
                        "timestamp": when.isoformat().replace("+00:00", "Z"),
                    }
                )
                known = known or bool(rng.random() < learn)
    return out


def write_class_records(
    home: Home, writer: Principal, student_ids: list[str], *, seed: int = 16, max_grade: int = 2
) -> int:
    """Store the synthetic statements of ``student_ids`` as ``writer`` (a school's node key or administrator).

    Returns the number of statements stored. Raises what :func:`edubrain.lrs.access.store` raises (a writer that
    may not write, a pupil not of the writer's school).
    """
    statements = class_statements(student_ids, seed=seed, max_grade=max_grade)
    for start in range(0, len(statements), BATCH):
        access.store(home, writer, statements[start : start + BATCH], "1.0.3")
    return len(statements)


def write_demo_class(home: Home, clerk: str = "demo_school_admin") -> tuple[str, int]:
    """``make demo``: the synthetic answers of the demo teacher's class (the school's first class), as its clerk.

    Finding the pupils is a read of personal data, so it goes through the read path with a purpose (audited), as
    :mod:`edubrain.synth.demo` does. Statement ids come from a fixed seed: running it again stores nothing new.
    Returns the class and the number of statements.
    """
    with session_scope(home.engine) as session:
        writer = identity.principal_of(session, identity.get_user(session, clerk))
    first = read_dataset(home, writer, "students", limit=1, purpose="enrollment_management")
    klass = str(first.table.column("class_id")[0].as_py())
    pupils = read_dataset(
        home, writer, "students", filters={"class_id": klass}, sort=["student_id"], purpose="enrollment_management"
    )
    ids = [str(v) for v in pupils.table.column("student_id").to_pylist()]
    return klass, write_class_records(home, writer, ids)
