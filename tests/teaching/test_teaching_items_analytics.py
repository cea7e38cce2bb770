"""Item analysis of whole exams (analytics.items.exams) on synthetic 2PL data with known items."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from edubrain.analytics.items import fit_2pl, item_analysis
from edubrain.analytics.items.exams import FLAG_REASONS, MIN_PERSONS, analyse_exam, analyse_exams
from edubrain.synth.exam_items import (
    ATTRACTIVE_OPTION,
    DISTRACTOR_ITEM,
    NEGATIVE_ITEM,
    OBJECTIVE_ITEMS,
    exam_item_results,
    item_parameters,
)


def _pupils(n: int, school: str = "1101080001", seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "student_id": [f"G{i:018d}" for i in range(n)],
            "school": school,
            "class_id": "C1",
            "grade": 7,
            "ability": rng.normal(0, 1, n),
        },
        schema_overrides={"grade": pl.Int8},
    )


@pytest.fixture(scope="module")
def big_exam() -> pl.DataFrame:
    return exam_item_results(_pupils(4000), seed=18, district_index=0, year=2025)


def test_teaching_synthetic_rows_have_the_catalog_shape(big_exam: pl.DataFrame) -> None:
    assert big_exam.height == 4000 * 20 and big_exam.get_column("exam_id").n_unique() == 1
    objective = big_exam.filter(pl.col("item_type") == "1")
    assert objective.get_column("response").is_not_null().all() and objective.get_column("key").is_not_null().all()
    assert (
        (objective.get_column("response") == objective.get_column("key")) == (objective.get_column("score") == 1)
    ).all()
    subjective = big_exam.filter(pl.col("item_type") == "2")
    assert subjective.get_column("response").is_null().all() and subjective.get_column("score").max() <= 4


def test_teaching_2pl_recovers_the_planted_item_parameters(big_exam: pl.DataFrame) -> None:
    truth = item_parameters(18).filter(pl.col("item_type") == "1")
    keep = [i for i in range(1, OBJECTIVE_ITEMS + 1) if i not in (NEGATIVE_ITEM, DISTRACTOR_ITEM)]
    wide = big_exam.filter(pl.col("item_no").is_in(keep)).pivot(on="item_no", index="student_id", values="score")
    fit = fit_2pl(wide.select([str(i) for i in keep]).to_numpy())
    a = truth.filter(pl.col("item_no").is_in(keep)).get_column("a").to_numpy()
    b = truth.filter(pl.col("item_no").is_in(keep)).get_column("b").to_numpy()
    assert np.sqrt(np.mean((fit.discrimination - a) ** 2)) < 0.2  # measured 0.05 with 4000 pupils
    assert np.sqrt(np.mean((fit.difficulty - b) ** 2)) < 0.15  # measured 0.04
    assert np.corrcoef(fit.difficulty, b)[0, 1] > 0.97


def test_teaching_exam_statistics_equal_the_matrix_functions(big_exam: pl.DataFrame) -> None:
    found = analyse_exam(big_exam)
    assert found is not None
    wide = big_exam.pivot(on="item_no", index="student_id", values="score").drop("student_id")
    direct = item_analysis(wide.to_numpy(), max_scores=[1.0] * 14 + [4.0] * 6)
    for column in ("difficulty", "discrimination", "point_biserial", "alpha_if_deleted"):
        assert np.allclose(found.items.get_column(column).to_numpy(), direct.get_column(column).to_numpy()), column


def test_teaching_planted_items_are_the_ones_flagged(big_exam: pl.DataFrame) -> None:
    found = analyse_exam(big_exam)
    assert found is not None
    flags = dict(zip(found.items.get_column("item_no"), found.items.get_column("flags"), strict=True))
    assert "negative_discrimination" in flags[NEGATIVE_ITEM] and "key_negative" in flags[NEGATIVE_ITEM]
    assert "distractor_positive" in flags[DISTRACTOR_ITEM]
    others = [n for n, f in flags.items() if f and ("negative" in f or "distractor_positive" in f)]
    assert sorted(others) == [NEGATIVE_ITEM, DISTRACTOR_ITEM]
    lure = found.options.filter(pl.col("item_no") == DISTRACTOR_ITEM, pl.col("option") == ATTRACTIVE_OPTION).row(
        0, named=True
    )
    assert lure["rate_upper"] > lure["rate_lower"] + 0.1 and not lure["is_key"]
    assert all(code in FLAG_REASONS for f in flags.values() if f for code in f.split(";"))


def test_teaching_small_exams_are_not_analysed_and_exams_are_kept_apart() -> None:
    small = exam_item_results(_pupils(MIN_PERSONS - 1, seed=1), seed=18, district_index=0, year=2025)
    assert analyse_exam(small) is None
    other = exam_item_results(_pupils(50, school="1101080002", seed=2), seed=18, district_index=0, year=2025)
    both = analyse_exams(pl.concat([small, other]))
    assert both.items.get_column("exam_id").unique().to_list() == [other.get_column("exam_id")[0]]
    assert both.items.height == 20 and both.options.get_column("item_no").n_unique() == OBJECTIVE_ITEMS
    assert (both.items.get_column("persons") == 50).all()


def test_teaching_all_dichotomous_exam_has_kr20_equal_to_alpha() -> None:
    rows = exam_item_results(_pupils(300, seed=3), seed=18, district_index=0, year=2025).filter(
        pl.col("item_type") == "1"
    )
    found = analyse_exam(rows)
    assert found is not None
    head = found.items.row(0, named=True)
    assert head["exam_kr20"] == pytest.approx(head["exam_alpha"], abs=1e-9)  # KR-20 is alpha on 0/1 items
