"""Fitting BKT parameters per skill by expectation-maximisation (Baum-Welch), vectorised across sequences.

BKT is a two-state hidden Markov model (Corbett & Anderson 1995): state 0 "not mastered", state 1 "mastered",
transition 0→1 with probability `learn` and no forgetting, emission P(correct | 0) = `guess`,
P(correct | 1) = 1 − `slip`. EM (Baum et al. 1970; the same algorithm pyBKT uses, Badrinath, Wang & Pardos 2021)
alternates the scaled forward-backward pass (E-step) with closed-form re-estimates (M-step).

Vectorisation: every (learner, skill) sequence is one row of a padded matrix, and every restart of every skill is
one *model*; all models run at once, so the only Python loops are over EM iterations and sequence positions.
Restarts start from random parameters; the fit with the highest log-likelihood wins for each skill.

Bounds: after each M-step `guess` and `slip` are clipped to [0.001, `max_guess_slip`] (default 0.3 and 0.3, below
0.5): with guess or slip above 0.5 the model can swap the meaning of the two states and still fit (the known
identifiability problem, Beck & Chang 2007; Baker, Corbett & Aleven 2008 bound guess at 0.3 and slip at 0.1).
`prior` and `learn` are clipped to [0.001, 0.999].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.kt.bkt import BKTParams

_EPS = 1e-12


@dataclass(frozen=True)
class Sequences:
    """Padded answer sequences: `obs[i, t]` is 1.0/0.0, `mask[i, t]` whether step t exists, `skill[i]` an index."""

    obs: np.ndarray
    mask: np.ndarray
    skill: np.ndarray
    skills: list[str]


def to_sequences(responses: pl.DataFrame) -> Sequences:
    """One padded row per (learner, skill) sequence, in `order` (columns as for `bkt.forward`)."""
    frame = responses.sort(["learner", "skill", "order"]).with_columns(
        pl.int_range(pl.len()).over(["learner", "skill"]).alias("_step"),
        pl.struct(["learner", "skill"]).rank("dense").cast(pl.Int64).sub(1).alias("_seq"),
    )
    seq = frame["_seq"].to_numpy()
    step = frame["_step"].to_numpy()
    n_seq = int(seq.max()) + 1 if frame.height else 0
    n_steps = int(step.max()) + 1 if frame.height else 0
    obs = np.zeros((n_seq, n_steps))
    mask = np.zeros((n_seq, n_steps), dtype=bool)
    obs[seq, step] = frame["correct"].cast(pl.Float64).to_numpy()
    mask[seq, step] = True
    skill_names = frame["skill"].to_numpy()
    first = np.zeros(n_seq, dtype=np.int64)
    first[seq[step == 0]] = np.flatnonzero(step == 0)
    skills = sorted(set(skill_names.tolist()))
    skill = np.searchsorted(np.array(skills), skill_names[first]) if n_seq else np.zeros(0, dtype=np.int64)
    return Sequences(obs=obs, mask=mask, skill=skill, skills=skills)


def _e_step(obs: np.ndarray, mask: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior of mastery per step, expected 0→1 transitions per step, and each sequence's log-likelihood.

    `theta` has one row (prior, learn, guess, slip) per sequence. Padded steps emit with probability 1 and are
    left out of every count.
    """
    prior, learn, guess, slip = theta.T
    n_seq, n_steps = obs.shape
    # Time-major copies, so each step reads one contiguous row.
    obs_t = np.ascontiguousarray(obs.T)
    mask_t = np.ascontiguousarray(mask.T)
    # Emission likelihoods of the observed answer under state 0 and state 1; 1 on padded steps.
    e0 = np.where(mask_t, np.where(obs_t > 0.5, guess, 1.0 - guess), 1.0)
    e1 = np.where(mask_t, np.where(obs_t > 0.5, 1.0 - slip, slip), 1.0)
    alpha1 = np.empty((n_steps, n_seq))  # filtered P(mastered at t | answers up to t)
    scale = np.empty((n_steps, n_seq))
    before = prior.copy()  # P(mastered at t | answers before t)
    for t in range(n_steps):
        joint1 = before * e1[t]
        scale[t] = np.maximum(joint1 + (1.0 - before) * e0[t], _EPS)
        alpha1[t] = joint1 / scale[t]
        step_learn = np.where(mask_t[t], learn, 0.0)  # no transition after the last real step
        before = alpha1[t] + (1.0 - alpha1[t]) * step_learn
    gamma1 = np.empty((n_steps, n_seq))
    xi01 = np.zeros((n_steps, n_seq))  # expected transitions 0 (at t) → 1 (at t+1)
    b0 = np.ones(n_seq)  # backward messages, scaled
    b1 = np.ones(n_seq)
    gamma1[-1] = alpha1[-1]
    for t in range(n_steps - 2, -1, -1):
        nxt = mask_t[t + 1]
        w1 = e1[t + 1] * b1
        w0 = e0[t + 1] * b0
        step_learn = np.where(nxt, learn, 0.0)
        c = scale[t + 1]
        a1 = alpha1[t]
        gamma1[t] = a1 * w1 / c
        xi01[t] = np.where(nxt, (1.0 - a1) * step_learn * w1 / c, 0.0)
        b0, b1 = ((1.0 - step_learn) * w0 + step_learn * w1) / c, w1 / c
    gamma1 = gamma1.T
    xi01 = xi01.T
    scale = scale.T
    gamma1 = np.clip(gamma1, 0.0, 1.0)
    loglik = np.sum(np.log(scale) * mask, axis=1)
    return gamma1, xi01, loglik


def _m_step(
    seq: Sequences, model: np.ndarray, n_models: int, gamma1: np.ndarray, xi01: np.ndarray, max_guess_slip: float
) -> np.ndarray:
    """Closed-form re-estimates per model from the expected counts, then the bounds."""
    mask = seq.mask
    gamma0 = (1.0 - gamma1) * mask
    gamma1 = gamma1 * mask
    # `learn`: expected 0→1 transitions over expected time in state 0 at steps that have a successor.
    has_next = np.zeros_like(mask)
    has_next[:, :-1] = mask[:, 1:]

    def per_model(values: np.ndarray) -> np.ndarray:
        return np.bincount(model, weights=values, minlength=n_models)

    prior = per_model(gamma1[:, 0]) / np.maximum(np.bincount(model, minlength=n_models), 1)
    learn = per_model(xi01.sum(axis=1)) / np.maximum(per_model((gamma0 * has_next).sum(axis=1)), _EPS)
    guess = per_model((gamma0 * seq.obs).sum(axis=1)) / np.maximum(per_model(gamma0.sum(axis=1)), _EPS)
    slip = per_model((gamma1 * (1.0 - seq.obs)).sum(axis=1)) / np.maximum(per_model(gamma1.sum(axis=1)), _EPS)
    return np.column_stack(
        [
            np.clip(prior, 0.001, 0.999),
            np.clip(learn, 0.001, 0.999),
            np.clip(guess, 0.001, max_guess_slip),
            np.clip(slip, 0.001, max_guess_slip),
        ]
    )


def fit_bkt(
    responses: pl.DataFrame,
    *,
    restarts: int = 5,
    max_iter: int = 100,
    tol: float = 1e-4,
    seed: int = 0,
    max_guess_slip: float = 0.3,
) -> dict[str, BKTParams]:
    """Fit BKT parameters for every skill in `responses` (columns `learner`, `skill`, `order`, `correct`).

    Args:
        responses: answers; each (learner, skill) pair is one sequence.
        restarts: random starts per skill (the best log-likelihood wins); the first start is the common
            default (prior 0.3, learn 0.1, guess 0.2, slip 0.1).
        max_iter: EM iterations at most.
        tol: stop when no model's mean log-likelihood per answer changes by more than this.
        seed: seed of the random starts.
        max_guess_slip: upper bound for guess and slip (below 0.5, see the module docstring).

    Returns:
        Parameters per skill, usable with `bkt.forward`.
    """
    if not 0.0 < max_guess_slip < 0.5:
        raise ValueError(
            f"guess/slip 上限必须在 (0, 0.5) 内 / max_guess_slip must be in (0, 0.5), got {max_guess_slip}"
        )
    if restarts < 1:
        raise ValueError(f"重启次数至少为 1 / restarts must be at least 1, got {restarts}")
    base = to_sequences(responses)
    n_skills = len(base.skills)
    if n_skills == 0:
        return {}
    # Replicate the sequences once per restart: model = restart * n_skills + skill.
    seq = Sequences(
        obs=np.tile(base.obs, (restarts, 1)),
        mask=np.tile(base.mask, (restarts, 1)),
        skill=np.tile(base.skill, restarts),
        skills=base.skills,
    )
    n_models = restarts * n_skills
    model = np.repeat(np.arange(restarts), base.skill.size) * n_skills + seq.skill
    rng = np.random.default_rng(seed)
    theta = np.column_stack(
        [
            rng.uniform(0.05, 0.6, n_models),
            rng.uniform(0.02, 0.4, n_models),
            rng.uniform(0.05, max_guess_slip, n_models),
            rng.uniform(0.02, max_guess_slip, n_models),
        ]
    )
    theta[:n_skills] = [0.3, 0.1, min(0.2, max_guess_slip), min(0.1, max_guess_slip)]
    answers_per_model = np.maximum(np.bincount(model, weights=seq.mask.sum(axis=1), minlength=n_models), 1.0)
    previous = np.full(n_models, -np.inf)
    for _ in range(max_iter):
        gamma1, xi01, seq_loglik = _e_step(seq.obs, seq.mask, theta[model])
        loglik = np.bincount(model, weights=seq_loglik, minlength=n_models) / answers_per_model
        theta = _m_step(seq, model, n_models, gamma1, xi01, max_guess_slip)
        if np.all(np.abs(loglik - previous) < tol):
            break
        previous = loglik
    # Log-likelihood of the final parameters, then the best restart per skill.
    _, _, seq_loglik = _e_step(seq.obs, seq.mask, theta[model])
    final = np.bincount(model, weights=seq_loglik, minlength=n_models).reshape(restarts, n_skills)
    best = np.argmax(final, axis=0)
    chosen = theta.reshape(restarts, n_skills, 4)[best, np.arange(n_skills)]
    return {
        name: BKTParams(prior=float(p), learn=float(t), guess=float(g), slip=float(s))
        for name, (p, t, g, s) in zip(base.skills, chosen, strict=True)
    }


def log_likelihood(responses: pl.DataFrame, params: Mapping[str, BKTParams]) -> float:
    """Total log-likelihood of the answers under `params` (for tests and model comparison)."""
    seq = to_sequences(responses)
    table = np.array([[params[s].prior, params[s].learn, params[s].guess, params[s].slip] for s in seq.skills])
    _, _, seq_loglik = _e_step(seq.obs, seq.mask, table[seq.skill])
    return float(seq_loglik.sum())
