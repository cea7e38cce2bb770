"""Synthetic learners answering practice items, with the parameters that made them known (for knowledge tracing).

Two generating processes, both deterministic for a seed:

- `bkt_learners`: every knowledge point (skill) has BKT parameters (Corbett & Anderson 1995) drawn from stated
  ranges (`BKT_RANGES`); each learner starts mastered with probability `prior`, becomes mastered after each
  opportunity with probability `learn` and never forgets; a mastered learner answers right unless they slip, an
  unmastered one only by guessing. This is the process BKT assumes, so BKT should win on it and recover the
  parameters.
- `logistic_learners`: answers follow a PFA-like logistic model (Pavlik, Cen & Koedinger 2009) plus a learner
  ability: logit P(correct) = ability + easiness[skill] + gain_right[skill] * prior rights + gain_wrong[skill] *
  prior wrongs on that skill. Mastery is not a hidden on/off state here, so the logistic models should win.

Each learner practises every skill a random number of times (`min_opportunities`..`max_opportunities`); the
answers of one learner are interleaved across skills in a random order, as on a practice platform. The output
frame has the columns `forward` expects (`learner`, `skill`, `order`, `correct`); nothing in it is a real pupil.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.kt.bkt import BKTParams
from edubrain.synth.rng import stream

BKT_RANGES: dict[str, tuple[float, float]] = {
    "prior": (0.1, 0.5),
    "learn": (0.05, 0.3),
    "guess": (0.1, 0.3),
    "slip": (0.05, 0.2),
}
"""Uniform ranges the planted BKT parameters are drawn from (guess and slip well below 0.5, as in practice)."""


@dataclass(frozen=True)
class SyntheticAnswers:
    """Answers and the truth behind them: `bkt` is filled for BKT learners, `logistic` for the logistic ones."""

    answers: pl.DataFrame
    bkt: dict[str, BKTParams]
    logistic: pl.DataFrame | None = None


def _skill_names(n_skills: int) -> list[str]:
    return [f"kp{k:03d}" for k in range(n_skills)]


def _opportunities(
    seed: int, n_learners: int, n_skills: int, min_opportunities: int, max_opportunities: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per answer: learner index, skill index and the opportunity number (0, 1, …) on that skill."""
    if not 1 <= min_opportunities <= max_opportunities:
        raise ValueError(
            f"练习次数范围无效 / invalid opportunity range: {min_opportunities}..{max_opportunities} "
            "(需要 1 ≤ min ≤ max / need 1 ≤ min ≤ max)"
        )
    counts = stream(seed, "kt-opportunities").integers(
        min_opportunities, max_opportunities + 1, size=n_learners * n_skills
    )
    pair = np.repeat(np.arange(n_learners * n_skills), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    opportunity = np.arange(pair.size) - starts
    return pair // n_skills, pair % n_skills, opportunity


def _frame(seed: int, learner: np.ndarray, skill: np.ndarray, correct: np.ndarray) -> pl.DataFrame:
    """Interleave each learner's answers across skills in a random order, keeping each skill's own order."""
    names = np.array(_skill_names(int(skill.max()) + 1))
    shuffle_key = stream(seed, "kt-interleave").random(learner.size)
    frame = pl.DataFrame(
        {
            "learner": pl.Series(learner, dtype=pl.Int64),
            "skill": names[skill],
            "correct": correct.astype(bool),
            "_key": shuffle_key,
            "_pair_step": np.arange(learner.size),
        }
    )
    # Random interleaving, then each skill's answers put back in opportunity order within the learner's slots.
    frame = frame.sort(["learner", "_key"]).with_columns(
        pl.int_range(pl.len()).over("learner").alias("order"),
    )
    slots = frame.select("learner", "skill", "order").sort(["learner", "skill", "order"])
    ordered = frame.sort(["learner", "skill", "_pair_step"]).drop("order", "_key", "_pair_step")
    return (
        ordered.with_columns(slots["order"])
        .with_columns(pl.format("L{}", pl.col("learner").cast(pl.String).str.zfill(5)).alias("learner"))
        .sort(["learner", "order"])
        .select("learner", "skill", "order", "correct")
    )


def bkt_learners(
    n_learners: int,
    n_skills: int,
    *,
    seed: int = 0,
    min_opportunities: int = 5,
    max_opportunities: int = 40,
) -> SyntheticAnswers:
    """Answers drawn from BKT itself, with the planted parameters of every skill (ranges in `BKT_RANGES`)."""
    rng = stream(seed, "kt-bkt-params")
    names = _skill_names(n_skills)
    drawn = {name: rng.uniform(low, high, size=n_skills) for name, (low, high) in BKT_RANGES.items()}
    planted = {
        skill: BKTParams(
            prior=float(drawn["prior"][k]),
            learn=float(drawn["learn"][k]),
            guess=float(drawn["guess"][k]),
            slip=float(drawn["slip"][k]),
        )
        for k, skill in enumerate(names)
    }
    learner, skill, opportunity = _opportunities(seed, n_learners, n_skills, min_opportunities, max_opportunities)
    draw = stream(seed, "kt-bkt-answers")
    pairs = learner * n_skills + skill
    n_pairs = n_learners * n_skills
    pair_skill = np.arange(n_pairs) % n_skills
    starts_mastered = draw.random(n_pairs) < drawn["prior"][pair_skill]
    # Opportunities answered before the learning event: geometric with success probability `learn`.
    learned_after = draw.geometric(drawn["learn"][pair_skill])
    mastered = starts_mastered[pairs] | (opportunity >= learned_after[pairs])
    u = draw.random(pairs.size)
    correct = np.where(mastered, u >= drawn["slip"][skill], u < drawn["guess"][skill])
    return SyntheticAnswers(answers=_frame(seed, learner, skill, correct), bkt=planted)


def logistic_learners(
    n_learners: int,
    n_skills: int,
    *,
    seed: int = 0,
    min_opportunities: int = 5,
    max_opportunities: int = 40,
) -> SyntheticAnswers:
    """Answers drawn from a PFA-like logistic model with a learner ability (see the module docstring).

    Ability ~ N(0, 0.8²); easiness ~ U(-1.5, 0.5); gain per prior right ~ U(0.05, 0.3); gain per prior wrong ~
    U(-0.05, 0.15). The loop runs over opportunity numbers (at most `max_opportunities`), each step vectorised
    over every learner-skill pair.
    """
    rng = stream(seed, "kt-logistic-params")
    names = _skill_names(n_skills)
    easiness = rng.uniform(-1.5, 0.5, n_skills)
    gain_right = rng.uniform(0.05, 0.3, n_skills)
    gain_wrong = rng.uniform(-0.05, 0.15, n_skills)
    ability = rng.normal(0.0, 0.8, n_learners)
    learner, skill, opportunity = _opportunities(seed, n_learners, n_skills, min_opportunities, max_opportunities)
    pairs = learner * n_skills + skill
    n_pairs = n_learners * n_skills
    rights = np.zeros(n_pairs)
    wrongs = np.zeros(n_pairs)
    correct = np.zeros(pairs.size, dtype=bool)
    u = stream(seed, "kt-logistic-answers").random(pairs.size)
    pair_skill = np.arange(n_pairs) % n_skills
    pair_learner = np.arange(n_pairs) // n_skills
    for step in range(int(opportunity.max()) + 1):
        rows = np.flatnonzero(opportunity == step)
        p = pairs[rows]
        k = pair_skill[p]
        logit = ability[pair_learner[p]] + easiness[k] + gain_right[k] * rights[p] + gain_wrong[k] * wrongs[p]
        right = u[rows] < 1.0 / (1.0 + np.exp(-logit))
        correct[rows] = right
        rights[p] += right
        wrongs[p] += ~right
    truth = pl.DataFrame({"skill": names, "easiness": easiness, "gain_right": gain_right, "gain_wrong": gain_wrong})
    return SyntheticAnswers(answers=_frame(seed, learner, skill, correct), bkt={}, logistic=truth)
