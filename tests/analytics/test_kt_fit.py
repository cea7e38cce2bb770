"""BKT fitting by EM: recovery of planted parameters, bounds, likelihood, and agreement with pyBKT's fit."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.analytics.kt.em import fit_bkt, log_likelihood
from edubrain.analytics.kt.evaluate import parameter_recovery
from edubrain.synth.learners import bkt_learners

from .test_kt_forward import PYBKT_PARAMS

# Stated recovery error on 500 learners × 3 skills, 5–20 answers per skill: the prior (seen once per sequence)
# within 0.10, learn, guess and slip within 0.05 (largest absolute error over skills). docs/knowledge-tracing.md.
BOUNDS = {"prior": 0.10, "learn": 0.05, "guess": 0.05, "slip": 0.05}


@pytest.mark.parametrize("seed", [0, 3])
def test_fit_recovers_planted_parameters_within_stated_error(seed: int) -> None:
    synthetic = bkt_learners(500, 3, seed=seed, min_opportunities=5, max_opportunities=20)
    fitted = fit_bkt(synthetic.answers, restarts=3, seed=seed)
    errors = parameter_recovery(fitted, synthetic.bkt)
    assert errors["skills"] == 3
    for name, bound in BOUNDS.items():
        assert errors[name]["max_abs_error"] <= bound, (name, errors[name])


def test_fit_is_at_least_as_likely_as_the_planted_parameters() -> None:
    synthetic = bkt_learners(400, 2, seed=11, min_opportunities=5, max_opportunities=20)
    fitted = fit_bkt(synthetic.answers, restarts=3)
    assert log_likelihood(synthetic.answers, fitted) >= log_likelihood(synthetic.answers, synthetic.bkt) - 1e-6


def test_fit_keeps_guess_and_slip_below_the_bound_even_on_inverted_answers() -> None:
    # Learners who mostly answer wrong once they "master" would pull an unbounded fit to slip > 0.5.
    synthetic = bkt_learners(300, 2, seed=5, min_opportunities=5, max_opportunities=20)
    inverted = synthetic.answers.with_columns(~pl.col("correct"))
    fitted = fit_bkt(inverted, restarts=3, max_guess_slip=0.3)
    for params in fitted.values():
        assert params.guess <= 0.3
        assert params.slip <= 0.3


def test_fit_agrees_with_pybkt_on_the_same_answers() -> None:
    answers = bkt_learners(300, 2, seed=7, min_opportunities=5, max_opportunities=15).answers
    fitted = fit_bkt(answers, restarts=5)
    for skill, theirs in PYBKT_PARAMS.items():
        ours = fitted[skill]
        for name in ("prior", "learn", "guess", "slip"):
            assert getattr(ours, name) == pytest.approx(getattr(theirs, name), abs=0.01), (skill, name)


def test_fit_refuses_bounds_at_or_above_one_half() -> None:
    answers = bkt_learners(20, 1, seed=1).answers
    with pytest.raises(ValueError, match="0.5"):
        fit_bkt(answers, max_guess_slip=0.5)
    with pytest.raises(ValueError, match="restarts"):
        fit_bkt(answers, restarts=0)
