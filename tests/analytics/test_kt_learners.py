"""Synthetic learners for knowledge tracing: determinism, planted ranges, and the behaviour each process implies."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.synth.learners import BKT_RANGES, bkt_learners, logistic_learners


def test_bkt_learners_are_deterministic_for_a_seed_and_differ_across_seeds() -> None:
    a = bkt_learners(50, 3, seed=9)
    assert a.answers.equals(bkt_learners(50, 3, seed=9).answers)
    assert a.bkt == bkt_learners(50, 3, seed=9).bkt
    assert not a.answers.equals(bkt_learners(50, 3, seed=10).answers)


def test_bkt_learners_shape_and_planted_ranges() -> None:
    s = bkt_learners(40, 5, seed=1, min_opportunities=3, max_opportunities=7)
    counts = s.answers.group_by("learner", "skill").len()["len"]
    assert counts.min() >= 3 and counts.max() <= 7
    assert s.answers["learner"].n_unique() == 40 and s.answers["skill"].n_unique() == 5
    assert s.answers.select(pl.struct("learner", "order").is_unique().all()).item()
    for params in s.bkt.values():
        for name, (low, high) in BKT_RANGES.items():
            assert low <= getattr(params, name) <= high


def test_bkt_learners_first_answers_match_the_planted_prior_and_improve_with_practice() -> None:
    s = bkt_learners(4000, 1, seed=2, min_opportunities=30, max_opportunities=30)
    p = s.bkt["kp000"]
    ranked = s.answers.with_columns(pl.int_range(pl.len()).over("learner").alias("n"))
    first = ranked.filter(pl.col("n") == 0)["correct"].mean()
    expected_first = p.prior * (1 - p.slip) + (1 - p.prior) * p.guess
    assert first == pytest.approx(expected_first, abs=0.03)
    last = ranked.filter(pl.col("n") == 29)["correct"].mean()
    assert last > first


def test_logistic_learners_carry_their_truth() -> None:
    s = logistic_learners(30, 2, seed=3)
    assert s.bkt == {}
    assert s.logistic is not None and s.logistic["skill"].to_list() == ["kp000", "kp001"]


def test_opportunity_range_must_be_sensible() -> None:
    with pytest.raises(ValueError, match="opportunit"):
        bkt_learners(5, 1, min_opportunities=0)
