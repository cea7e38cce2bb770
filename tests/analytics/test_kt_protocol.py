"""The pyKT protocol: learner-level splits, 200-answer windows, scoring."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.analytics.kt.protocol import TEST_FOLD, assign_folds, score, windows
from edubrain.synth.learners import bkt_learners


def _one_learner(name: str, n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {"learner": [name] * n, "skill": ["k"] * n, "order": list(range(n)), "correct": [i % 2 == 0 for i in range(n)]}
    )


def test_folds_split_by_learner_with_a_fifth_for_test() -> None:
    answers = bkt_learners(103, 2, seed=2, min_opportunities=2, max_opportunities=6).answers
    folds = assign_folds(answers)
    assert folds["learner"].is_unique().all()
    test = set(folds.filter(pl.col("fold") == TEST_FOLD)["learner"])
    train = set(folds.filter(pl.col("fold") != TEST_FOLD)["learner"])
    assert not test & train
    assert len(test) == int(folds.height * 0.2)
    sizes = folds.filter(pl.col("fold") != TEST_FOLD).group_by("fold").len()["len"].to_list()
    assert sorted(set(folds["fold"].to_list()) - {TEST_FOLD}) == [0, 1, 2, 3, 4]
    assert max(sizes) - min(sizes) <= 1


def test_folds_drop_learners_with_fewer_than_three_answers_and_are_deterministic() -> None:
    answers = pl.concat([_one_learner("short", 2), _one_learner("ok", 3), _one_learner("long", 10)])
    folds = assign_folds(answers, seed=1)
    assert set(folds["learner"]) == {"ok", "long"}
    assert folds.equals(assign_folds(answers, seed=1))


def test_windows_of_200_drop_short_remainders_and_skip_the_first_answer() -> None:
    answers = pl.concat([_one_learner("a", 450), _one_learner("b", 401)])
    out = windows(answers)
    sizes = dict(out.group_by("learner").len().iter_rows())
    assert sizes == {"a#0": 200, "a#1": 200, "a#2": 50, "b#0": 200, "b#1": 200}
    unscored = out.filter(~pl.col("scored"))
    assert unscored.height == 5
    assert sorted(unscored["order"].to_list()) == [0, 0, 200, 200, 400]
    assert set(out["person"]) == {"a", "b"}


def test_no_learner_is_in_both_training_and_evaluation_windows() -> None:
    answers = bkt_learners(60, 3, seed=4, min_opportunities=40, max_opportunities=90).answers
    data = windows(answers.join(assign_folds(answers), on="learner"))
    for fold in range(5):
        train = set(data.filter((pl.col("fold") != fold) & (pl.col("fold") != TEST_FOLD))["person"])
        held_out = set(data.filter(pl.col("fold").is_in([fold, TEST_FOLD]))["person"])
        assert train and held_out
        assert not train & held_out


def test_score_pools_only_scored_answers() -> None:
    rows = pl.DataFrame(
        {
            "correct": [True, False, True, False, True],
            "p_correct": [0.9, 0.2, 0.6, 0.4, 0.0],
            "scored": [True, True, True, True, False],
        }
    )
    result = score(rows)
    assert result.n == 4
    assert result.auc == pytest.approx(1.0)
    assert result.acc == pytest.approx(1.0)


def test_score_refuses_answers_that_are_all_right() -> None:
    rows = pl.DataFrame({"correct": [True, True], "p_correct": [0.3, 0.8], "scored": [True, True]})
    with pytest.raises(ValueError, match="AUC"):
        score(rows)
