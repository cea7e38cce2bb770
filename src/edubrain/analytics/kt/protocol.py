"""The pyKT evaluation protocol for knowledge tracing: splits by learner, 200-answer windows, AUC and accuracy.

Source: Liu et al. 2022, "pyKT: A Python Library to Benchmark Deep Learning based Knowledge Tracing Models",
NeurIPS 2022 Datasets and Benchmarks; pykt-toolkit, `pykt/preprocess/split_datasets.py`.

As in pyKT, in this order:

1. learners with fewer than 3 answers are dropped (`min_seq_len = 3`);
2. the learners are shuffled with a fixed seed; the last 20 % (`int(n · 0.2)`) form the test set;
3. the remaining learners are shuffled again and dealt into 5 folds of (nearly) equal size, the first
   `n mod 5` folds one larger; each fold in turn validates a model trained on the other four;
4. each learner's answers are cut into consecutive non-overlapping windows of 200 (`maxlen = 200`); a final
   remainder shorter than 3 is dropped; every window is an independent sequence (history starts afresh);
5. a model predicts every answer of a window from the answers before it in that window; the first answer of each
   window is not scored (pyKT's shifted targets); AUC and accuracy (threshold 0.5) are computed over all scored
   answers pooled ("question-level" predictions: one skill per answer here, so no multi-concept fusion).

Splits are by learner, so no learner has answers in both training and evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.metrics import roc_auc_score

MIN_SEQ_LEN = 3
MAX_LEN = 200
TEST_RATIO = 0.2
K_FOLDS = 5
TEST_FOLD = -1


@dataclass(frozen=True)
class Scores:
    """AUC and accuracy over the scored answers, and how many answers were scored."""

    auc: float
    acc: float
    n: int


def assign_folds(
    responses: pl.DataFrame, *, seed: int = 1024, test_ratio: float = TEST_RATIO, k: int = K_FOLDS
) -> pl.DataFrame:
    """One row per kept learner: `learner` and `fold` (0..k-1, or `TEST_FOLD` for the test set).

    Learners with fewer than `MIN_SEQ_LEN` answers are left out (step 1); the seed is pyKT's default (1024).
    """
    if not 0.0 < test_ratio < 1.0 or k < 2:
        raise ValueError(
            f"划分参数无效 / invalid split: test_ratio={test_ratio} (需要 0–1 之间 / must be in (0, 1)), "
            f"k={k} (至少 2 / at least 2)"
        )
    sizes = responses.group_by("learner").len()
    kept = np.array(sorted(sizes.filter(pl.col("len") >= MIN_SEQ_LEN)["learner"].to_list()))
    rng = np.random.default_rng(seed)
    shuffled = kept[rng.permutation(kept.size)]
    n_test = int(kept.size * test_ratio)
    rest, test = shuffled[: kept.size - n_test], shuffled[kept.size - n_test :]
    rest = rest[rng.permutation(rest.size)]
    base, extra = divmod(rest.size, k)
    fold_sizes = [base + (1 if i < extra else 0) for i in range(k)]
    folds = np.repeat(np.arange(k), fold_sizes)
    return pl.DataFrame(
        {
            "learner": np.concatenate([rest, test]).tolist(),
            "fold": np.concatenate([folds, np.full(test.size, TEST_FOLD)]).astype(np.int64),
        },
        schema={"learner": responses.schema["learner"], "fold": pl.Int64},
    )


def windows(responses: pl.DataFrame, *, max_len: int = MAX_LEN) -> pl.DataFrame:
    """Cut each learner's answers into windows of `max_len` (step 4); `learner` becomes the window's id.

    Adds `person` (the original learner) and `scored` (false for each window's first answer). A final remainder
    shorter than `MIN_SEQ_LEN` is dropped.
    """
    framed = (
        responses.sort(["learner", "order"])
        .with_columns(pl.int_range(pl.len()).over("learner").alias("_pos"), pl.len().over("learner").alias("_len"))
        .with_columns((pl.col("_pos") // max_len).alias("_window"), (pl.col("_pos") % max_len).alias("_in"))
    )
    window_len = pl.min_horizontal(pl.col("_len") - pl.col("_window") * max_len, pl.lit(max_len))
    return (
        framed.filter(window_len >= MIN_SEQ_LEN)
        .with_columns(
            pl.col("learner").cast(pl.String).alias("person"),
            pl.format("{}#{}", pl.col("learner").cast(pl.String), pl.col("_window")).alias("learner"),
            (pl.col("_in") > 0).alias("scored"),
        )
        .drop("_pos", "_len", "_window", "_in")
    )


def score(predictions: pl.DataFrame) -> Scores:
    """AUC and accuracy of `p_correct` against `correct` over rows with `scored` true (step 5)."""
    rows = predictions.filter(pl.col("scored"))
    truth = rows["correct"].cast(pl.Int64).to_numpy()
    p = rows["p_correct"].to_numpy()
    if np.unique(truth).size < 2:
        raise ValueError("评估集只有一种作答结果，AUC 无定义 / evaluation answers are all right or all wrong: no AUC")
    return Scores(auc=float(roc_auc_score(truth, p)), acc=float(np.mean((p >= 0.5) == (truth == 1))), n=rows.height)
