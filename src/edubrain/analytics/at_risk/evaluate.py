"""Precision and recall of the flags against planted truth (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Evaluation:
    """How the flags compare with the truth.

    Attributes:
        assessed: Pupils scored.
        at_risk: Pupils planted at risk (among those assessed).
        flagged: Pupils flagged.
        hits: Flagged and at risk.
        precision: hits / flagged (None without flags).
        recall: hits / at_risk (None without planted pupils).
        distractors_flagged: Planted distractors (one weak signal) that were flagged.
        by_kind: Per planted kind: pupils and how many were flagged.
    """

    assessed: int
    at_risk: int
    flagged: int
    hits: int
    precision: float | None
    recall: float | None
    distractors_flagged: int
    by_kind: dict[str, tuple[int, int]]


def evaluate(flags: pl.DataFrame, truth: pl.DataFrame) -> Evaluation:
    """Compare ``flags`` (``student_id``, ``flagged``) with ``truth`` (``student_id``, ``kind``, ``at_risk``)."""
    joined = flags.select("student_id", "flagged").join(
        truth.select("student_id", "kind", "at_risk"), on="student_id", how="left"
    )
    at_risk = joined.get_column("at_risk").fill_null(False)
    flagged = joined.get_column("flagged").fill_null(False)
    hits = int((at_risk & flagged).sum())
    n_flagged, n_risk = int(flagged.sum()), int(at_risk.sum())
    kinds = (
        joined.filter(pl.col("kind").is_not_null())
        .group_by("kind")
        .agg(pl.len().alias("n"), pl.col("flagged").fill_null(False).sum().alias("hit"))
    )
    by_kind = {str(r["kind"]): (int(r["n"]), int(r["hit"])) for r in kinds.sort("kind").to_dicts()}
    distractors = int((flagged & ~at_risk & joined.get_column("kind").is_not_null()).sum())
    return Evaluation(
        assessed=joined.height, at_risk=n_risk, flagged=n_flagged, hits=hits,
        precision=hits / n_flagged if n_flagged else None, recall=hits / n_risk if n_risk else None,
        distractors_flagged=distractors, by_kind=by_kind,
    )  # fmt: skip
