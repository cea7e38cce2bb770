"""Statements to answers, BKT mastery, class summaries with small cells, and explained recommendations (pure)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from edubrain.analytics.learning.catalog import load_catalog
from edubrain.analytics.learning.mastery import (
    KP_BASE,
    KP_EXTENSION,
    NO_EVIDENCE,
    class_summary,
    map_statements,
    mastery,
    status,
)
from edubrain.analytics.learning.recommend import recommend

HOME = "https://edubrain.example/learners"
CATALOG = load_catalog()
POINTS = set(CATALOG.by_id)


def answer(who: str, point: str, success: Any, minute: int, *, by: str = "iri") -> dict[str, Any]:
    target: dict[str, Any] = {"objectType": "Activity", "id": f"{KP_BASE}{point}/q{minute}"}
    if by == "extension":
        target = {"id": f"https://app.example/q/{minute}", "definition": {"extensions": {KP_EXTENSION: point}}}
    out: dict[str, Any] = {
        "id": f"00000000-0000-4000-8000-{minute:012d}",
        "actor": {"account": {"homePage": HOME, "name": who}},
        "object": target,
        "timestamp": f"2026-09-01T08:{minute:02d}:00Z",
    }
    if success is not None:
        out["result"] = {"success": success}
    return out


def test_a_point_is_found_by_extension_or_by_iri_and_other_statements_are_counted_not_used() -> None:
    statements = [
        answer("A", "na-add-sub-20", True, 1),
        answer("A", "na-add-sub-20", False, 2, by="extension"),
        answer("A", "na-add-sub-20", None, 3),  # no result.success
        answer("A", "no-such-point", True, 4),
        {**answer("A", "x", True, 5), "object": {"id": "https://app.example/elsewhere"}},
        {**answer("A", "na-add-sub-20", True, 6), "actor": {"mbox": "mailto:t@example.org"}},  # not a pupil
        {**answer("A", "na-add-sub-20", True, 7), "result": {"success": "true"}},  # not a boolean
    ]
    mapped = map_statements(statements, HOME, POINTS)
    assert mapped.responses.select("learner", "skill", "correct").rows() == [
        ("A", "na-add-sub-20", True),
        ("A", "na-add-sub-20", False),
    ]
    assert (mapped.no_point, mapped.unknown_point, mapped.no_success) == (1, 1, 2)


def test_one_correct_answer_gives_the_bkt_posterior_with_learning() -> None:
    """prior 0.2, guess 0.2, slip 0.1, learn 0.15: P(L|right) = 0.18 / 0.34; then + (1 - it) × 0.15."""
    table = mastery(map_statements([answer("A", "na-add-sub-20", True, 1)], HOME, POINTS).responses, CATALOG.params())
    posterior = 0.2 * 0.9 / (0.2 * 0.9 + 0.8 * 0.2)
    assert table.row(0, named=True)["p_mastery"] == pytest.approx(posterior + (1 - posterior) * 0.15)
    assert table.row(0, named=True)["attempts"] == 1 and table.row(0, named=True)["correct"] == 1


def test_answers_are_ordered_by_timestamp_not_by_arrival() -> None:
    early_wrong = [answer("A", "gg-angles", False, 1), answer("A", "gg-angles", False, 2)]
    late_right = [answer("A", "gg-angles", True, 3), answer("A", "gg-angles", True, 4)]
    forward = mastery(map_statements(early_wrong + late_right, HOME, POINTS).responses, CATALOG.params())
    shuffled = mastery(map_statements(late_right[::-1] + early_wrong, HOME, POINTS).responses, CATALOG.params())
    reversed_time = [
        {**s, "timestamp": f"2026-09-01T09:{60 - i:02d}:00Z"} for i, s in enumerate(early_wrong + late_right)
    ]
    other = mastery(map_statements(reversed_time, HOME, POINTS).responses, CATALOG.params())
    assert forward["p_mastery"][0] == pytest.approx(shuffled["p_mastery"][0])
    assert other["p_mastery"][0] < forward["p_mastery"][0]  # wrong answers last: lower mastery


def test_points_never_answered_are_no_evidence_not_the_prior() -> None:
    table = mastery(map_statements([answer("A", "gg-angles", True, 1)], HOME, POINTS).responses, CATALOG.params())
    assert table.height == 1  # only the answered point
    grid = pl.DataFrame({"point": ["gg-angles", "gg-shapes"]}).join(table, on="point", how="left")
    assert grid.select(status(pl.col("p_mastery"), CATALOG.thresholds)).to_series().to_list()[1] == NO_EVIDENCE


def _table(values: dict[str, list[float]]) -> pl.DataFrame:
    rows = [(f"L{i}", point, v) for point, vs in values.items() for i, v in enumerate(vs)]
    return pl.DataFrame(rows, schema={"learner": pl.String, "point": pl.String, "p_mastery": pl.Float64}, orient="row")


def test_the_class_summary_withholds_small_cells_from_readers_outside_the_class() -> None:
    table = _table({"gg-angles": [0.2, 0.99], "gg-shapes": [0.97] * 10})
    own = class_summary(table, ["gg-angles", "gg-shapes", "gg-time"], CATALOG.thresholds, k=10, covered=True)
    assert own.row(0, named=True) | {} == {
        "point": "gg-angles", "learners": 2, "mean": pytest.approx(0.595), "share_mastered": 0.5,
        "share_weak": 0.5, "suppressed": None,
    }  # fmt: skip
    outside = class_summary(table, ["gg-angles", "gg-shapes", "gg-time"], CATALOG.thresholds, k=10, covered=False)
    small = outside.row(0, named=True)
    assert small["suppressed"] == "small_cell" and small["mean"] is None and small["learners"] is None
    assert small["share_mastered"] is None and small["share_weak"] is None
    big = outside.row(1, named=True)
    assert big["suppressed"] is None and big["learners"] == 10 and big["share_mastered"] == 1.0
    none = outside.row(2, named=True)
    assert none["learners"] == 0 and none["mean"] is None and none["suppressed"] is None


def test_weak_points_come_with_their_unmastered_prerequisites_first_and_say_why() -> None:
    # na-mult-table needs na-add-sub-100 (learning), which needs na-add-sub-20 (mastered): stop there
    recs = recommend(CATALOG, {"na-mult-table": 0.3, "na-add-sub-100": 0.8, "na-add-sub-20": 0.99})
    assert [(r.point.id, r.reason) for r in recs] == [("na-add-sub-100", "prerequisite"), ("na-mult-table", "weak")]
    prereq, weak = recs
    assert prereq.chain == ("na-add-sub-100", "na-mult-table")
    assert "0.80" in prereq.why_zh and "表内乘法" in prereq.why_zh and "Multiplication tables" in prereq.why_en
    assert "0.30" in weak.why_zh and "0.60" in weak.why_en
    assert [x.id for x in weak.point.resources] == ["r-mult-table", "r-mult-drill"]


def test_a_prerequisite_never_answered_is_recommended_as_no_evidence() -> None:
    recs = recommend(CATALOG, {"na-div-table": 0.1})  # its chain: na-mult-table, na-add-sub-100, … never answered
    ids = [r.point.id for r in recs]
    assert ids[-1] == "na-div-table" and ids[0] == "na-count-100"
    assert ids.index("na-add-sub-20") < ids.index("na-add-sub-100") < ids.index("na-mult-table")
    assert recs[0].mastery is None and "无作答证据" in recs[0].why_zh and "no evidence" in recs[0].why_en


def test_nothing_weak_nothing_recommended() -> None:
    assert recommend(CATALOG, {"na-mult-table": 0.7, "gg-angles": 0.99}) == []
