"""Fitness test values: the level mix and overweight/obesity rates land near the published figures.

Tolerances: the share of 优秀+良好 within 5 points of the year's Beijing target (61.9% in 2020
+ 3.9 points a year), 不及格 below 10%, overweight+obese between 20% and 30% (Beijing pupils;
national 6-17 year-olds 19.0% in 2020). Levels are scored with the generator's approximate
scorer, not the standard's step tables (those come with the fitness-scoring capability).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from edubrain.synth import fitness
from edubrain.synth.fitness_draw import fitness_tests


def _roster(n_per_group: int = 1000) -> pl.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    for grade in range(12):
        for male in (True, False):
            rows.append(
                pl.DataFrame(
                    {
                        "student_id": [f"S{grade}{int(male)}{i}" for i in range(n_per_group)],
                        "school": rng.choice([f"S{k}" for k in range(20)], n_per_group),
                        "class_id": "C",
                        "grade": pl.Series([grade] * n_per_group, dtype=pl.Int8),
                        "grade_code": "11",
                        "sex_code": "1" if male else "2",
                        "male": male,
                        "fit": rng.normal(0, 1, n_per_group),
                        "bmi": rng.normal(0, 1, n_per_group),
                        "stature": rng.normal(0, 1, n_per_group),
                    }  # fmt: skip
                )
            )
    return pl.concat(rows)


@pytest.fixture(scope="module")
def tested() -> pl.DataFrame:
    roster = _roster()
    return fitness_tests(roster, seed=3, district_index=0, year=2024).with_columns(
        roster.get_column("grade"), roster.get_column("male")
    )


def _levels(rows: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Total points, weight class (0 normal or under, 1 overweight, 2 obese) and sex of each tested pupil."""
    totals, overweight, boys = [], [], []
    for (grade, male), part in rows.filter(~pl.col("exempt")).group_by("grade", "male"):
        sex = 1 if male else 2
        totals.append(fitness.total_points(part, sex, int(grade) + 1))
        band = fitness.body_band(sex, int(grade) + 1)
        bmi = np.round(part["weight_kg"].to_numpy() / (part["height_cm"].to_numpy() / 100) ** 2, 1)
        overweight.append(np.where(bmi > band["bmi_overweight_max"], 2, np.where(bmi > band["bmi_normal_max"], 1, 0)))
        boys.append(np.full(part.height, bool(male)))
    return np.concatenate(totals), np.concatenate(overweight), np.concatenate(boys)


def test_level_mix_matches_the_beijing_share_of_excellent_and_good(tested: pl.DataFrame) -> None:
    totals, _, _ = _levels(tested)
    good = float(np.mean(totals >= 80))
    assert good == pytest.approx(fitness.target_excellent_good(2024), abs=0.05)
    assert float(np.mean(totals < 60)) < 0.10
    assert float(np.mean(totals >= 90)) > 0.10


def test_overweight_and_obesity_rates_are_in_the_published_range(tested: pl.DataFrame) -> None:
    _, weight_class, boys = _levels(tested)
    assert 0.20 <= float(np.mean(weight_class >= 1)) <= 0.30
    assert np.mean(weight_class[boys] == 2) > np.mean(weight_class[~boys] == 2)


def test_values_stay_in_catalog_ranges_and_grow_with_age(tested: pl.DataFrame) -> None:
    for item, (low, high) in fitness.LIMITS.items():
        values = tested.get_column(item).drop_nulls()
        assert values.min() >= low and values.max() <= high
    heights = tested.group_by("grade").agg(pl.col("height_cm").mean()).sort("grade").get_column("height_cm")
    assert (heights.diff().drop_nulls() > 0).all()


def test_items_follow_the_grade_and_sex(tested: pl.DataFrame) -> None:
    first = tested.filter((pl.col("grade") == 0) & ~pl.col("exempt"))
    assert first.get_column("rope_skipping_count").null_count() == 0
    assert first.get_column("run_800m_s").null_count() == first.height
    junior_girls = tested.filter((pl.col("grade") == 7) & ~pl.col("male") & ~pl.col("exempt"))
    assert junior_girls.get_column("run_800m_s").null_count() == 0
    assert junior_girls.get_column("pull_ups_count").null_count() == junior_girls.height


def test_target_share_follows_the_reported_rise() -> None:
    assert fitness.target_excellent_good(2020) == pytest.approx(0.619)
    assert fitness.target_excellent_good(2024) == pytest.approx(0.775, abs=0.002)
