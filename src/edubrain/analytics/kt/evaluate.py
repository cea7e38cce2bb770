"""Evaluating BKT, PFA and Best-LR on answers by the pyKT protocol, and BKT's parameter recovery.

`evaluate_models` runs the protocol of `protocol` (test set of 20 % of learners, 5-fold cross-validation on the
rest, 200-answer windows) and returns, per model, the validation scores of every fold and the test scores of
every fold's model, with their means. `parameter_recovery` compares fitted BKT parameters with the planted ones
of synthetic learners (mean and largest absolute error per parameter over skills).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from edubrain.analytics.kt.bkt import BKTParams, forward
from edubrain.analytics.kt.em import fit_bkt
from edubrain.analytics.kt.logistic import fit_logistic
from edubrain.analytics.kt.protocol import K_FOLDS, TEST_FOLD, assign_folds, score, windows

MODELS = ("bkt", "pfa", "best_lr")
PARAMETERS = ("prior", "learn", "guess", "slip")

Predictor = Callable[[pl.DataFrame], pl.DataFrame]
_DEFAULT = BKTParams(prior=0.3, learn=0.1, guess=0.2, slip=0.1)


def _train(model: str, train: pl.DataFrame, *, restarts: int, seed: int) -> Predictor:
    """Fit `model` on training windows; return a function that adds `p_correct` to answers."""
    if model == "bkt":
        params = fit_bkt(train, restarts=restarts, seed=seed)

        def predict_bkt(rows: pl.DataFrame) -> pl.DataFrame:
            # Skills never seen in training are traced with the default start (prior .3, learn .1, guess .2,
            # slip .1) rather than dropped, so every model is scored on the same answers.
            known = {**{s: _DEFAULT for s in rows["skill"].unique().to_list()}, **params}
            return forward(rows, known)

        return predict_bkt
    if model in ("pfa", "best_lr"):
        fitted = fit_logistic(train, "pfa" if model == "pfa" else "best_lr")
        return fitted.predict
    raise ValueError(f"未知的模型 / unknown model {model!r}; 允许 / allowed: {', '.join(MODELS)}")


def _scored(predict: Predictor, rows: pl.DataFrame) -> dict[str, float]:
    predicted = predict(rows.select("learner", "skill", "order", "correct"))
    flags = rows.select("learner", "order", "scored")
    result = score(predicted.join(flags, on=["learner", "order"], how="left"))
    return {"auc": result.auc, "acc": result.acc, "n": result.n}


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    aucs = [r["auc"] for r in runs]
    accs = [r["acc"] for r in runs]
    return {
        "auc_mean": statistics.fmean(aucs),
        "auc_sd": statistics.stdev(aucs) if len(aucs) > 1 else 0.0,
        "acc_mean": statistics.fmean(accs),
        "acc_sd": statistics.stdev(accs) if len(accs) > 1 else 0.0,
    }


def evaluate_models(
    responses: pl.DataFrame,
    *,
    models: Sequence[str] = MODELS,
    folds: int = K_FOLDS,
    restarts: int = 5,
    seed: int = 1024,
) -> dict[str, Any]:
    """Scores of each model under the pyKT protocol.

    Args:
        responses: answers with `learner`, `skill`, `order`, `correct`.
        models: any of "bkt", "pfa", "best_lr".
        folds: how many of the 5 folds to run (1..5; fewer is quicker, the split is still 5-fold).
        restarts: BKT EM restarts per skill.
        seed: split seed (pyKT's 1024 by default) and EM seed.

    Returns:
        `{"split": {...counts...}, "models": {name: {"valid": summary, "test": summary, "folds": [...]}}}`.
    """
    if not 1 <= folds <= K_FOLDS:
        raise ValueError(f"折数必须在 1–{K_FOLDS} / folds must be 1..{K_FOLDS}, got {folds}")
    assignment = assign_folds(responses, seed=seed)
    data = windows(responses.join(assignment, on="learner", how="inner"))
    test = data.filter(pl.col("fold") == TEST_FOLD)
    results: dict[str, Any] = {}
    for model in models:
        per_fold: list[dict[str, Any]] = []
        for fold in range(folds):
            train = data.filter((pl.col("fold") != fold) & (pl.col("fold") != TEST_FOLD))
            valid = data.filter(pl.col("fold") == fold)
            predict = _train(model, train.select("learner", "skill", "order", "correct"), restarts=restarts, seed=seed)
            per_fold.append({"fold": fold, "valid": _scored(predict, valid), "test": _scored(predict, test)})
        results[model] = {
            "valid": _summary([f["valid"] for f in per_fold]),
            "test": _summary([f["test"] for f in per_fold]),
            "folds": per_fold,
        }
    split = {
        "learners_kept": assignment.height,
        "test_learners": int((assignment["fold"] == TEST_FOLD).sum()),
        "windows": data["learner"].n_unique(),
        "answers": data.height,
        "folds_run": folds,
    }
    return {"split": split, "models": results}


def parameter_recovery(fitted: Mapping[str, BKTParams], planted: Mapping[str, BKTParams]) -> dict[str, Any]:
    """Mean and largest absolute error per BKT parameter over the skills present in both."""
    skills = sorted(set(fitted) & set(planted))
    if not skills:
        raise ValueError("没有共同的知识点可比较 / no knowledge points in common to compare")
    errors: dict[str, Any] = {}
    for name in PARAMETERS:
        diffs = [abs(getattr(fitted[s], name) - getattr(planted[s], name)) for s in skills]
        errors[name] = {"mean_abs_error": statistics.fmean(diffs), "max_abs_error": max(diffs)}
    errors["skills"] = len(skills)
    return errors


def synthetic_report(
    responses: pl.DataFrame,
    planted: Mapping[str, BKTParams] | None,
    *,
    folds: int = K_FOLDS,
    restarts: int = 5,
) -> dict[str, Any]:
    """One population's report: protocol scores per model (rounded), the winner, and BKT recovery if planted.

    Recovery fits BKT on every non-test learner's whole sequences (no windows: a window would restart a learner
    mid-practice and bias `prior`).
    """
    result = evaluate_models(responses, folds=folds, restarts=restarts)
    models: dict[str, Any] = {}
    for model, scores in result["models"].items():
        models[model] = {
            "valid": {k: round(v, 4) for k, v in scores["valid"].items()},
            "test": {k: round(v, 4) for k, v in scores["test"].items()},
            "valid_auc_by_fold": [round(f["valid"]["auc"], 4) for f in scores["folds"]],
            "scored_answers_test": scores["folds"][0]["test"]["n"],
        }
    report: dict[str, Any] = {
        "answers": responses.height,
        "correct_rate": round(float(responses["correct"].cast(pl.Float64).to_numpy().mean()), 4),
        "split": result["split"],
        "models": models,
        "winner_by_test_auc": max(models, key=lambda m: models[m]["test"]["auc_mean"]),
    }
    if planted:
        kept = assign_folds(responses).filter(pl.col("fold") != TEST_FOLD)["learner"].to_list()
        fitted = fit_bkt(responses.filter(pl.col("learner").is_in(kept)), restarts=restarts)
        recovery = parameter_recovery(fitted, planted)
        report["recovery"] = {
            k: ({m: round(e, 4) for m, e in v.items()} if isinstance(v, dict) else v) for k, v in recovery.items()
        }
    return report
