"""Explained recommendations for one learner: weak points, their unmastered prerequisites first, with resources.

A point is **weak** when the learner answered it and its mastery is below the weak threshold. For each weak point
its prerequisites are walked back (transitively) and every one not yet mastered (below the mastered threshold, or
never answered) is recommended as well, with the chain that leads to the weak point. The list is ordered by
prerequisite depth (a prerequisite always before the points that need it), then by mastery (lowest first), then
catalog order. Each item says why, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from edubrain.analytics.learning.catalog import KnowledgeCatalog, Point


@dataclass(frozen=True)
class Recommendation:
    """One point to work on: why (weak, or prerequisite of a weak point through ``chain``) and what to use."""

    point: Point
    mastery: float | None
    reason: str  # "weak" | "prerequisite"
    chain: tuple[str, ...]  # point ids from this point to the weak point it leads to (just itself when weak)
    why_zh: str
    why_en: str


def _fmt(value: float | None) -> str:
    return "无作答证据" if value is None else f"{value:.2f}"


def _fmt_en(value: float | None) -> str:
    return "no evidence" if value is None else f"{value:.2f}"


def recommend(catalog: KnowledgeCatalog, mastery: Mapping[str, float]) -> list[Recommendation]:
    """The recommendations for a learner whose answered points have ``mastery`` (point id -> p_mastery)."""
    t = catalog.thresholds
    by_id = catalog.by_id
    weak = [pid for pid in by_id if pid in mastery and mastery[pid] < t.weak]
    chains: dict[str, tuple[str, ...]] = {pid: (pid,) for pid in weak}
    frontier = list(weak)
    while frontier:  # breadth first: each prerequisite keeps the shortest chain to a weak point
        nxt = []
        for pid in frontier:
            for q in by_id[pid].prerequisites:
                if q not in chains and mastery.get(q, -1.0) < t.mastered:
                    chains[q] = (q, *chains[pid])
                    nxt.append(q)
        frontier = nxt
    depth = catalog.depth()
    index = {pid: i for i, pid in enumerate(by_id)}
    ordered = sorted(chains, key=lambda pid: (depth[pid], mastery.get(pid, -1.0), index[pid]))
    out = []
    for pid in ordered:
        m = mastery.get(pid)
        point = by_id[pid]
        if pid in weak:
            zh = f"掌握度 {_fmt(m)}，低于薄弱阈值 {t.weak:.2f}"
            en = f"mastery {_fmt_en(m)} is below the weak threshold {t.weak:.2f}"
            reason = "weak"
        else:
            path_zh = " → ".join(by_id[c].zh for c in chains[pid])
            path_en = " → ".join(by_id[c].en for c in chains[pid])
            zh = f"是薄弱知识点“{by_id[chains[pid][-1]].zh}”的先修（{path_zh}），掌握度 {_fmt(m)}，未达掌握阈值 {t.mastered:.2f}"
            en = (
                f"a prerequisite of the weak point “{by_id[chains[pid][-1]].en}” ({path_en}); mastery {_fmt_en(m)} "
                f"is below the mastered threshold {t.mastered:.2f}"
            )
            reason = "prerequisite"
        out.append(Recommendation(point, m, reason, chains[pid], zh, en))
    return out
