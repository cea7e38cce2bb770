"""Item-level results of a school maths exam (小题得分) from a two-parameter logistic model with known items.

One exam per school, school year and examined grade (:data:`ITEM_GRADES`), 20 items: 14 multiple-choice items
(options A–D, scored 0/1) and 6 subjective items scored 0–4. A student's ability θ is the exam model's persistent
ability standardised within the grade; an objective item is right with probability ``logistic(a(θ − b))`` (the 2PL
of :mod:`edubrain.analytics.items.irt`) and a subjective item's score is binomial with that probability on each
of its 4 points. The parameters (:func:`item_parameters`) are the truth item analysis must recover, with two
planted bad items:

- item :data:`NEGATIVE_ITEM` has a negative slope (a miskeyed item: stronger students answer "wrong");
- item :data:`DISTRACTOR_ITEM`'s distractor :data:`ATTRACTIVE_OPTION` draws stronger students (a second
  defensible answer), so it is chosen more by the upper group than by the lower.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.special import expit

from edubrain.synth.facts import GRADES
from edubrain.synth.rng import stream

ITEM_GRADES = {4: "14", 7: "14"}
"""Grade index -> subject of the item-level exam (五年级 and 初二 maths)."""
OBJECTIVE_ITEMS = 14
SUBJECTIVE_ITEMS = 6
SUBJECTIVE_MAX = 4
OPTIONS = np.array(["A", "B", "C", "D"])
NEGATIVE_ITEM = 7
DISTRACTOR_ITEM = 11
ATTRACTIVE_OPTION = "C"


def item_parameters(seed: int) -> pl.DataFrame:
    """The true items: ``item_no``, ``item_type`` (1 objective, 2 subjective), ``a``, ``b``, ``key``, ``max_score``."""
    rng = stream(seed, "exam-items")
    total = OBJECTIVE_ITEMS + SUBJECTIVE_ITEMS
    slope = rng.uniform(0.8, 2.0, total)
    slope[NEGATIVE_ITEM - 1] = -0.9
    location = np.clip(rng.normal(0.0, 0.8, total), -1.8, 1.8)
    keys = rng.choice(OPTIONS, OBJECTIVE_ITEMS)
    keys[DISTRACTOR_ITEM - 1] = "A"  # the attractive distractor C is then never the key
    objective = np.arange(total) < OBJECTIVE_ITEMS
    return pl.DataFrame(
        {
            "item_no": np.arange(1, total + 1),
            "item_type": np.where(objective, "1", "2"),
            "a": slope,
            "b": location,
            "key": [*keys.tolist(), *([None] * SUBJECTIVE_ITEMS)],
            "max_score": np.where(objective, 1.0, float(SUBJECTIVE_MAX)),
        }
    )


def _responses(theta: np.ndarray, items: pl.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Scores (persons × items) and chosen options (persons × objective items; empty string for subjective)."""
    a, b = items.get_column("a").to_numpy(), items.get_column("b").to_numpy()
    p = expit(a[None, :] * (theta[:, None] - b[None, :]))
    points = np.where(np.arange(a.size) < OBJECTIVE_ITEMS, 1, SUBJECTIVE_MAX)
    scores = rng.binomial(points[None, :], p).astype(np.float64)
    keys = np.asarray(items.get_column("key").to_list()[:OBJECTIVE_ITEMS], dtype=str)
    wrong_pick = rng.integers(1, OPTIONS.size, (theta.size, OBJECTIVE_ITEMS))  # offset from the key: a distractor
    key_index = np.searchsorted(OPTIONS, keys)
    chosen = OPTIONS[(key_index[None, :] + wrong_pick * (scores[:, :OBJECTIVE_ITEMS] == 0)) % OPTIONS.size]
    column = DISTRACTOR_ITEM - 1
    lured = rng.random(theta.size) < 0.6 * expit(3.0 * (theta - 0.5))
    chosen[lured, column] = ATTRACTIVE_OPTION
    scores[lured, column] = 0.0
    return scores, chosen


RESULT_SCHEMA = {
    "exam_id": pl.String, "school_code": pl.String, "class_id": pl.String, "student_id": pl.String,
    "school_year": pl.Int64, "grade": pl.String, "subject": pl.String, "item_no": pl.Int64, "item_type": pl.String,
    "response": pl.String, "score": pl.Float64, "max_score": pl.Float64, "key": pl.String,
}  # fmt: skip


def empty_results() -> pl.DataFrame:
    """No rows, the catalog columns (a year without an item-level exam)."""
    return pl.DataFrame(schema=RESULT_SCHEMA)


def exam_item_results(students: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """The item-level rows of one district's school exams in one school year (catalog columns).

    Args:
        students: The year's roster with ``student_id``, ``school``, ``class_id``, ``grade`` (index), ``ability``.
        seed: Run seed (the items are the same in every district and year; the students' draws differ).
        district_index: District position (random stream).
        year: School year.
    """
    rng = stream(seed, "exam-item-results", district_index, year)
    items = item_parameters(seed)
    sitting = students.filter(pl.col("grade").is_in(list(ITEM_GRADES))).select(
        "student_id", "school", "class_id", "grade", "ability"
    )
    if sitting.is_empty():
        return empty_results()
    standard = (pl.col("ability") - pl.col("ability").mean().over("grade")) / pl.col("ability").std(0).over("grade")
    theta = sitting.select(standard.fill_nan(0.0).fill_null(0.0)).to_series().to_numpy()
    scores, chosen = _responses(theta, items, rng)
    n, k = scores.shape
    response = np.full((n, k), None, dtype=object)
    response[:, :OBJECTIVE_ITEMS] = chosen
    grade_code = pl.col("grade").replace_strict(dict(enumerate(str(g) for g in GRADES)), return_dtype=pl.String)
    subject = pl.col("grade").replace_strict(ITEM_GRADES, return_dtype=pl.String)
    people = sitting.with_columns(grade_code.alias("grade_code"), subject.alias("subject"))
    long = people.select(pl.all().repeat_by(k).explode()).with_columns(
        pl.Series("item_no", np.tile(np.arange(1, k + 1), n)),
        pl.Series("score", scores.ravel()),
        pl.Series("response", response.ravel(), dtype=pl.String),
    )
    return long.join(items.select("item_no", "item_type", "max_score", "key"), on="item_no", how="left").select(
        pl.format("IA{}{}{}{}", "school", pl.lit(str(year)), "grade_code", "subject").alias("exam_id"),
        pl.col("school").alias("school_code"),
        "class_id",
        "student_id",
        pl.lit(year, pl.Int64).alias("school_year"),
        pl.col("grade_code").alias("grade"),
        "subject",
        pl.col("item_no").cast(pl.Int64),
        "item_type",
        "response",
        "score",
        "max_score",
        "key",
    )
