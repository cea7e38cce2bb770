"""Item analysis of whole exams from long item-level rows (one row per student and item), exam by exam.

Each exam's rows are pivoted once into a persons × items matrix (numpy) and handed to the classical statistics,
reliability and distractor functions of this package; the only Python loop is over exams (a school's exam has a
few hundred students), never over rows. Review flags (Ebel & Frisbie 1991, ch. 13; Haladyna 2004, ch. 9):

- ``negative_discrimination``: D < 0 (stronger students score lower: a wrong key or a misleading item);
- ``low_discrimination``: 0 ≤ D < :data:`LOW_DISCRIMINATION` (Ebel's "poor", revise or discard);
- ``too_easy`` / ``too_hard``: difficulty above :data:`TOO_EASY` / below :data:`TOO_HARD`;
- ``key_negative``: the key is chosen more by the lower than by the upper 27 %;
- ``distractor_positive``: a distractor is chosen by the upper group at least :data:`DISTRACTOR_GAP` more often than
  by the lower group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.items.classical import item_analysis
from edubrain.analytics.items.distractors import distractor_analysis
from edubrain.analytics.items.matrix import is_dichotomous
from edubrain.analytics.items.reliability import cronbach_alpha, kr20

MIN_PERSONS = 20
"""Exams with fewer students are not analysed (the statistics would be unstable and nearly personal)."""
LOW_DISCRIMINATION = 0.2
TOO_EASY = 0.9
TOO_HARD = 0.2
DISTRACTOR_GAP = 0.05
EXAM_FIELDS = ("exam_id", "school_code", "school_year", "grade", "subject")
ITEM_FIELDS = ("item_no", "item_type", "max_score", "key")
FLAG_REASONS: dict[str, tuple[str, str]] = {
    "negative_discrimination": ("区分度为负：高分学生得分反而更低，请核对答案或题意", "Negative discrimination: stronger students score lower; check the key or the wording"),
    "low_discrimination": ("区分度低于 0.2：难以区分学生水平，建议修改", "Discrimination below 0.2: the item hardly separates students; revise it"),
    "too_easy": ("得分率高于 0.9：过易", "Facility above 0.9: too easy"),
    "too_hard": ("得分率低于 0.2：过难", "Facility below 0.2: too hard"),
    "key_negative": ("正确答案被低分组选得更多", "The key is chosen more by the lower group"),
    "distractor_positive": ("有干扰项被高分组选得更多（可能有第二个合理答案）", "A distractor draws the upper group (perhaps a second defensible answer)"),
}  # fmt: skip
"""Reason code -> (Chinese, English) explanation shown beside a flagged item."""


@dataclass(frozen=True)
class ExamAnalysis:
    """Per item statistics (one row per exam × item) and option rates (one row per exam × objective item × option)."""

    items: pl.DataFrame
    options: pl.DataFrame


def _matrix(rows: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """The exam's items (in item order), its score matrix and its response matrix (persons × items)."""
    items = rows.group_by("item_no").agg(pl.col(f).first() for f in ITEM_FIELDS[1:]).sort("item_no")
    wide = rows.pivot(on="item_no", index="student_id", values=["score", "response"], aggregate_function="first")
    numbers = [str(n) for n in items.get_column("item_no").to_list()]
    scores = wide.select(pl.col(f"score_{n}").fill_null(0.0) for n in numbers).to_numpy().astype(np.float64)
    responses = wide.select(pl.col(f"response_{n}").fill_null("") for n in numbers).to_numpy()
    return items, scores, responses


def _options(items: pl.DataFrame, responses: np.ndarray) -> pl.DataFrame:
    objective = items.get_column("key").is_not_null().to_numpy()
    if not objective.any():
        return pl.DataFrame()
    numbers = items.get_column("item_no").to_numpy()[objective]
    found = distractor_analysis(
        responses[:, objective], items.get_column("key").to_numpy()[objective], [str(n) for n in numbers]
    )
    return found.with_columns(pl.col("item").cast(pl.Int64).alias("item_no")).drop("item")


def _flags(table: pl.DataFrame, options: pl.DataFrame) -> pl.Series:
    d, p = pl.col("discrimination"), pl.col("difficulty")
    parts = [
        pl.when(d < 0).then(pl.lit("negative_discrimination")),
        pl.when((d >= 0) & (d < LOW_DISCRIMINATION)).then(pl.lit("low_discrimination")),
        pl.when(p > TOO_EASY).then(pl.lit("too_easy")),
        pl.when(p < TOO_HARD).then(pl.lit("too_hard")),
    ]
    if options.height:
        marks = options.group_by("item_no").agg(
            (pl.col("is_key") & (pl.col("discrimination") < 0)).any().alias("_key_neg"),
            (~pl.col("is_key") & (pl.col("discrimination") >= DISTRACTOR_GAP)).any().alias("_dis_pos"),
        )
        table = table.join(marks, on="item_no", how="left")
        parts += [
            pl.when(pl.col("_key_neg")).then(pl.lit("key_negative")),
            pl.when(pl.col("_dis_pos")).then(pl.lit("distractor_positive")),
        ]
    return table.select(pl.concat_str(parts, separator=";", ignore_nulls=True).alias("flags")).to_series()


def analyse_exam(rows: pl.DataFrame) -> ExamAnalysis | None:
    """The analysis of one exam's rows (``exam_item_results`` columns); None below :data:`MIN_PERSONS` or 3 items."""
    items, scores, responses = _matrix(rows)
    if scores.shape[0] < MIN_PERSONS or scores.shape[1] < 3:
        return None
    stats = item_analysis(scores, max_scores=items.get_column("max_score").to_numpy()).drop("item")
    alpha = cronbach_alpha(scores)
    head = rows.select(pl.col(f).first() for f in EXAM_FIELDS)
    table = pl.concat([items, stats], how="horizontal").with_columns(pl.lit(scores.shape[0]).alias("persons"))
    options = _options(items, responses)
    table = table.with_columns(
        _flags(table, options).replace("", None),
        pl.lit(scores.shape[1]).alias("exam_items"),
        pl.lit(alpha.alpha).alias("exam_alpha"),
        pl.lit(alpha.lower).alias("exam_alpha_lower"),
        pl.lit(alpha.upper).alias("exam_alpha_upper"),
        pl.lit(kr20(scores) if is_dichotomous(scores) else None, pl.Float64).alias("exam_kr20"),
    )
    if options.height:
        options = head.select("exam_id", "school_code").join(options, how="cross")
    return ExamAnalysis(head.join(table, how="cross"), options)


def analyse_exams(results: pl.DataFrame) -> ExamAnalysis:
    """Every exam in ``results`` (``exam_item_results`` columns); exams too small to analyse are left out."""
    found = [a for _, rows in results.group_by("exam_id", maintain_order=True) if (a := analyse_exam(rows)) is not None]
    items = pl.concat([a.items for a in found], how="diagonal_relaxed") if found else pl.DataFrame()
    options = [a.options for a in found if a.options.height]
    return ExamAnalysis(items, pl.concat(options, how="diagonal_relaxed") if options else pl.DataFrame())
