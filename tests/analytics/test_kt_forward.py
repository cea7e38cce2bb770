"""BKT forward pass: hand-computed cases, independence of sequences, and agreement with pyBKT 1.4.3."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.analytics.kt.bkt import BKTParams, forward
from edubrain.synth.learners import bkt_learners

PARAMS = BKTParams(prior=0.4, learn=0.2, guess=0.25, slip=0.1)


def _answers(rows: list[tuple[str, str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["learner", "skill", "order", "correct"], orient="row")


def test_forward_matches_hand_computation_right_then_wrong() -> None:
    # Step 1: P(right) = .4·.9 + .6·.25 = .51; posterior after right = .36/.51 = 12/17; mastery = 12/17 + 5/17·.2 = 13/17.
    # Step 2: P(right) = 13/17·.9 + 4/17·.25 = 12.7/17; after wrong: (1.3/17)/(4.3/17) = 1.3/4.3;
    #         mastery = 1.3/4.3 + 3/4.3·.2 = 1.9/4.3.
    out = forward(_answers([("a", "k", 1, 1), ("a", "k", 2, 0)]), {"k": PARAMS})
    assert out["p_correct"].to_list() == pytest.approx([0.51, 12.7 / 17])
    assert out["p_mastery"].to_list() == pytest.approx([13 / 17, 1.9 / 4.3])


def test_forward_wrong_first_answer_lowers_mastery() -> None:
    # After a wrong first answer: .4·.1/(1 − .51) = .04/.49; mastery = .04/.49 + .45/.49·.2 = .13/.49.
    out = forward(_answers([("a", "k", 0, 0)]), {"k": PARAMS})
    assert out["p_correct"].item() == pytest.approx(0.51)
    assert out["p_mastery"].item() == pytest.approx(0.13 / 0.49)
    assert out["p_mastery"].item() < PARAMS.prior


def test_forward_sequences_are_independent_and_input_order_does_not_matter() -> None:
    other = BKTParams(prior=0.1, learn=0.3, guess=0.2, slip=0.05)
    rows = [
        ("b", "k2", 3, 1),
        ("a", "k", 2, 0),
        ("b", "k", 1, 0),
        ("a", "k2", 5, 1),
        ("a", "k", 1, 1),
        ("b", "k", 7, 1),
    ]
    params = {"k": PARAMS, "k2": other}
    together = forward(_answers(rows), params)
    for learner, skill in [("a", "k"), ("b", "k"), ("a", "k2"), ("b", "k2")]:
        alone = forward(_answers([r for r in rows if r[0] == learner and r[1] == skill]), params)
        part = together.filter((pl.col("learner") == learner) & (pl.col("skill") == skill))
        assert part["p_correct"].to_list() == pytest.approx(alone["p_correct"].to_list())
        assert part["p_mastery"].to_list() == pytest.approx(alone["p_mastery"].to_list())
    # Learner a, skill k: the right answer at order 1 comes first, so the hand case above applies.
    a_k = together.filter((pl.col("learner") == "a") & (pl.col("skill") == "k"))
    assert a_k["p_mastery"].to_list() == pytest.approx([13 / 17, 1.9 / 4.3])


def test_forward_refuses_a_skill_without_parameters() -> None:
    with pytest.raises(KeyError, match="k-unknown"):
        forward(_answers([("a", "k-unknown", 0, 1)]), {"k": PARAMS})


def test_forward_on_no_answers_returns_empty_columns() -> None:
    empty = pl.DataFrame(schema={"learner": pl.String, "skill": pl.String, "order": pl.Int64, "correct": pl.Boolean})
    out = forward(empty, {"k": PARAMS})
    assert out.height == 0
    assert {"p_correct", "p_mastery"} <= set(out.columns)


def test_bkt_params_outside_zero_one_are_refused() -> None:
    with pytest.raises(ValueError, match="slip"):
        BKTParams(prior=0.2, learn=0.1, guess=0.2, slip=1.2)


# pyBKT 1.4.3 (Badrinath, Wang & Pardos 2021), run in a separate environment (pyBKT does not import beside
# scikit-learn 1.9.1, see docs/knowledge-tracing.md) on `bkt_learners(300, 2, seed=7, min_opportunities=5,
# max_opportunities=15)`: `Model(seed=42, num_fits=5).fit(...)`, then `predict(...)`. Its fitted parameters and
# its `correct_predictions` are copied here (rounded by pyBKT's printout to 5 decimals for the per-row values).
PYBKT_PARAMS = {
    "kp000": BKTParams(
        prior=0.35678671608807444, learn=0.08985842007866335, guess=0.15938934025719417, slip=0.08033384824587964
    ),
    "kp001": BKTParams(
        prior=0.4292572543295004, learn=0.22325702049466659, guess=0.26836797217987773, slip=0.11414532630718657
    ),
}
# fmt: off
PYBKT_FIRST_LEARNER = [
    0.53343, 0.43065, 0.26254, 0.74813, 0.57511, 0.77322, 0.55657, 0.85549, 0.87846, 0.82503, 0.90303, 0.91699,
    0.88410, 0.88544, 0.91924, 0.91960, 0.88576, 0.91966, 0.88583, 0.91966, 0.91967, 0.88585, 0.88585, 0.88585,
    0.91966, 0.88585, 0.91967, 0.88585, 0.91967,
]
# fmt: on
PYBKT_MEAN_PREDICTION = 0.6761863469183481


def test_forward_agrees_with_pybkt_predictions() -> None:
    answers = bkt_learners(300, 2, seed=7, min_opportunities=5, max_opportunities=15).answers
    out = forward(answers, PYBKT_PARAMS)
    first = out.filter(pl.col("learner") == "L00000").sort("order")
    assert first["p_correct"].to_list() == pytest.approx(PYBKT_FIRST_LEARNER, abs=6e-6)
    assert out["p_correct"].mean() == pytest.approx(PYBKT_MEAN_PREDICTION, abs=1e-9)


def test_forward_refuses_answers_without_a_result() -> None:
    answers = pl.DataFrame(
        {"learner": ["a", "a"], "skill": ["k", "k"], "order": [0, 1], "correct": [True, None]},
    )
    with pytest.raises(ValueError, match="correct"):
        forward(answers, {"k": PARAMS})
