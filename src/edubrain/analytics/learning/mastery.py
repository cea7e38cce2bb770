"""Statements mapped to knowledge points, BKT mastery per learner and point, class summaries with small cells.

Mapping (docs/adaptive-learning.md): an answer is a statement whose object is an Activity belonging to a point —
its definition carries the extension :data:`KP_EXTENSION` (value: the point id), or its IRI lies under
:data:`KP_BASE` ``<id>/`` — and whose ``result.success`` is a boolean (it gives correctness; statements without it
are ignored). Answers are ordered by ``timestamp`` (then ``stored``, then id, so the order is total). Points the
catalog does not know are ignored and counted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.analytics.kt.bkt import BKTParams, forward
from edubrain.analytics.learning.catalog import Thresholds

KP_EXTENSION = "https://edubrain.example/xapi/extensions/knowledge-point"
KP_BASE = "https://edubrain.example/xapi/kp/"
_UNDER = re.compile(r"^" + re.escape(KP_BASE) + r"([^/?#]+)/")
RESPONSES: dict[str, pl.DataType | type[pl.DataType]] = {
    "learner": pl.String,
    "skill": pl.String,
    "order": pl.Datetime("us", "UTC"),
    "correct": pl.Boolean,
}
MASTERY = {
    "learner": pl.String,
    "point": pl.String,
    "p_mastery": pl.Float64,
    "attempts": pl.UInt32,
    "correct": pl.UInt32,
}
MASTERED, LEARNING, WEAK, NO_EVIDENCE = "mastered", "learning", "weak", "no_evidence"


@dataclass(frozen=True)
class Mapped:
    """The answers found in a list of statements, and how many statements were left out and why."""

    responses: pl.DataFrame
    no_point: int
    unknown_point: int
    no_success: int


def point_of(target: Mapping[str, Any]) -> str | None:
    """The knowledge point an object belongs to (extension first, then the IRI), None for none."""
    if target.get("objectType", "Activity") != "Activity":
        return None
    extensions = (target.get("definition") or {}).get("extensions") or {}
    value = extensions.get(KP_EXTENSION)
    if isinstance(value, str) and value.strip():
        return value.strip()
    found = _UNDER.match(str(target.get("id", "")))
    return found.group(1) if found else None


def _time(text: Any) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def map_statements(statements: Iterable[Mapping[str, Any]], learner_homepage: str, points: set[str]) -> Mapped:
    """The answers (``learner`` = the pupil's account name, ``skill``, ``order``, ``correct``) of ``statements``.

    Only statements whose actor is a pupil account under ``learner_homepage`` count. Extraction walks the JSON of
    each statement once; everything after it is vectorised.
    """
    rows: list[tuple[str, str, dt.datetime | None, bool, str, str]] = []
    no_point = unknown = no_success = 0
    for s in statements:
        account = (s.get("actor") or {}).get("account") or {}
        if account.get("homePage") != learner_homepage:
            continue
        point = point_of(s.get("object") or {})
        if point is None:
            no_point += 1
            continue
        if point not in points:
            unknown += 1
            continue
        success = (s.get("result") or {}).get("success")
        if not isinstance(success, bool):
            no_success += 1
            continue
        when = _time(s.get("timestamp")) or _time(s.get("stored"))
        rows.append((str(account.get("name")), point, when, success, str(s.get("stored", "")), str(s.get("id", ""))))
    frame = pl.DataFrame(rows, schema={**RESPONSES, "stored": pl.String, "id": pl.String}, orient="row").sort(
        "order", "stored", "id", nulls_last=True
    )
    # a total order: the rank within (learner, skill) by time, storage and id
    frame = frame.with_columns(pl.int_range(pl.len()).alias("order")).drop("stored", "id")
    return Mapped(frame, no_point, unknown, no_success)


def mastery(responses: pl.DataFrame, params: Mapping[str, BKTParams]) -> pl.DataFrame:
    """Mastery per (learner, point): the last ``p_mastery`` of the BKT pass, attempts and correct answers.

    ``responses`` as :func:`map_statements` returns them (``order`` a rank). Pairs without answers are absent:
    "no evidence" is never replaced by the prior.
    """
    if responses.is_empty():
        return pl.DataFrame(schema=MASTERY)
    traced = forward(responses.select("learner", "skill", "order", "correct"), params)
    return (
        traced.group_by("learner", "skill", maintain_order=True)
        .agg(
            pl.col("p_mastery").last(),
            pl.len().cast(pl.UInt32).alias("attempts"),
            pl.col("correct").cast(pl.UInt32).sum().alias("correct"),
        )
        .rename({"skill": "point"})
        .sort("learner", "point")
    )


def status(p: pl.Expr, thresholds: Thresholds) -> pl.Expr:
    """``mastered`` / ``learning`` / ``weak`` of a mastery column, ``no_evidence`` where it is null."""
    return (
        pl.when(p.is_null())
        .then(pl.lit(NO_EVIDENCE))
        .when(p >= thresholds.mastered)
        .then(pl.lit(MASTERED))
        .when(p < thresholds.weak)
        .then(pl.lit(WEAK))
        .otherwise(pl.lit(LEARNING))
    )


def class_summary(
    table: pl.DataFrame, points: list[str], thresholds: Thresholds, *, k: int, covered: bool
) -> pl.DataFrame:
    """Per point: learners with evidence, mean mastery, share mastered, share weak; small cells suppressed.

    A reader whose scope does not cover the class (``covered`` False) gets no value of a point that 1 … k-1
    learners answered (``suppressed`` = ``small_cell``): a mean of two pupils tells each one's mastery. Its own
    class's reader sees every value (it already sees each pupil).
    """
    stats = table.group_by("point").agg(
        pl.len().cast(pl.UInt32).alias("learners"),
        pl.col("p_mastery").mean().alias("mean"),
        (pl.col("p_mastery") >= thresholds.mastered).mean().alias("share_mastered"),
        (pl.col("p_mastery") < thresholds.weak).mean().alias("share_weak"),
    )
    out = pl.DataFrame({"point": points}, schema={"point": pl.String}).join(stats, on="point", how="left")
    out = out.with_columns(pl.col("learners").fill_null(0))
    small = (pl.col("learners") >= 1) & (pl.col("learners") < k) & pl.lit(not covered and k > 1)
    values = ("mean", "share_mastered", "share_weak")
    return out.with_columns(
        *[pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in values],
        pl.when(small).then(None).otherwise(pl.col("learners")).alias("learners"),
        pl.when(small).then(pl.lit("small_cell")).otherwise(pl.lit(None, pl.String)).alias("suppressed"),
    )
