"""PFA and Best-LR features, and which model wins on which synthetic learners under the pyKT protocol."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.analytics.kt.evaluate import evaluate_models
from edubrain.analytics.kt.logistic import design_matrix, fit_logistic, history_counts
from edubrain.synth.learners import bkt_learners, logistic_learners


def test_history_counts_exclude_the_current_answer() -> None:
    answers = pl.DataFrame(
        {
            "learner": ["a"] * 5,
            "skill": ["x", "y", "x", "x", "y"],
            "order": [0, 1, 2, 3, 4],
            "correct": [True, False, False, True, True],
        }
    )
    out = history_counts(answers)
    assert out["skill_rights"].to_list() == [0, 0, 1, 1, 0]
    assert out["skill_wrongs"].to_list() == [0, 0, 0, 1, 1]
    assert out["total_rights"].to_list() == [0, 1, 1, 1, 2]
    assert out["total_attempts"].to_list() == [0, 1, 2, 3, 4]


def test_best_lr_puts_log_counts_in_the_answer_skill_column() -> None:
    answers = pl.DataFrame(
        {"learner": ["a"] * 3, "skill": ["x", "x", "y"], "order": [0, 1, 2], "correct": [True, True, False]}
    )
    matrix = design_matrix(history_counts(answers), ["x", "y"], "best_lr").toarray()
    # Columns: one-hot x, y | log1p(attempts) x, y | log1p(rights) x, y | log1p(total attempts), log1p(total rights)
    assert matrix.shape == (3, 8)
    assert matrix[1].tolist() == pytest.approx([1, 0, 0.6931472, 0, 0.6931472, 0, 0.6931472, 0.6931472])
    assert matrix[2].tolist() == pytest.approx([0, 1, 0, 0, 0, 0, 1.0986123, 1.0986123])


def test_pfa_learns_that_prior_rights_raise_the_chance_of_a_right_answer() -> None:
    synthetic = logistic_learners(300, 2, seed=8, min_opportunities=10, max_opportunities=20)
    model = fit_logistic(synthetic.answers, "pfa")
    gains = model.estimator.coef_[0][2:4]  # γ_k for the two skills
    assert (gains > 0).all()


def test_bkt_beats_best_lr_on_bkt_learners() -> None:
    answers = bkt_learners(600, 4, seed=21, min_opportunities=5, max_opportunities=20).answers
    result = evaluate_models(answers, folds=1, restarts=3)["models"]
    assert result["bkt"]["test"]["auc_mean"] >= result["best_lr"]["test"]["auc_mean"]
    assert result["bkt"]["valid"]["auc_mean"] >= result["best_lr"]["valid"]["auc_mean"]
    assert result["bkt"]["test"]["auc_mean"] > 0.7


def test_best_lr_beats_bkt_on_logistic_learners() -> None:
    answers = logistic_learners(600, 4, seed=21, min_opportunities=5, max_opportunities=20).answers
    result = evaluate_models(answers, folds=1, restarts=3)["models"]
    assert result["best_lr"]["test"]["auc_mean"] > result["bkt"]["test"]["auc_mean"]


def test_evaluate_refuses_unknown_models_and_fold_counts() -> None:
    answers = bkt_learners(50, 2, seed=1).answers
    with pytest.raises(ValueError, match="dkt"):
        evaluate_models(answers, models=["dkt"], folds=1)
    with pytest.raises(ValueError, match="folds"):
        evaluate_models(answers, folds=6)
