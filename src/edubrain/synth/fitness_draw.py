"""Drawing a year's fitness test rows for a district (see :mod:`edubrain.synth.fitness`)."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from edubrain.synth.fitness import (
    DECIMALS,
    EXEMPT,
    ITEMS,
    LIMITS,
    SPREAD,
    anchors,
    body_band,
    items_for,
    target_excellent_good,
    total_points,
)
from edubrain.synth.rng import stream

SCHOOL_SD = 0.15
"""Standard deviation of a school's effect on fitness (PE provision)."""
FIT_WEIGHT, BMI_DRAG = 0.7, 0.3


def _body(
    n: int, stature: np.ndarray, bmi_z: np.ndarray, sex: int, grade: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    band = body_band(sex, grade)
    height = band["height_mean_cm"] + band["height_sd_cm"] * (0.9 * stature + 0.44 * rng.normal(0, 1, n))
    bmi = np.exp(band["bmi_log_mean"] + band["bmi_log_sd"] * (0.9 * bmi_z + 0.44 * rng.normal(0, 1, n)))
    height = np.clip(np.round(height, 1), 80, 230)
    weight = np.clip(np.round(bmi * (height / 100) ** 2, 1), 10, 200)
    return height, weight


def _items(
    n: int, fit: np.ndarray, bmi_z: np.ndarray, shift: np.ndarray, sex: int, grade: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    out = {}
    base = FIT_WEIGHT * (fit - BMI_DRAG * bmi_z)
    for item in items_for(grade, sex):
        x60, x100 = anchors()[(item, sex, grade)]
        q = shift + SPREAD * (base + 0.7 * rng.normal(0, 1, n))
        value = np.clip(x60 + (x100 - x60) * q, *LIMITS[item])
        out[item] = np.round(value, DECIMALS.get(item, 0))
    return out


@cache
def year_shift(year: int) -> float:
    """Mean position on the pass-to-full scale that gives the year's target share of 优秀+良好 (bisection)."""
    target = target_excellent_good(year)
    lo, hi = -1.0, 2.0
    for _ in range(20):
        mid = (lo + hi) / 2
        share = _sample_share(mid)
        lo, hi = (mid, hi) if share < target else (lo, mid)
    return (lo + hi) / 2


def _sample_share(shift: float) -> float:
    """Share of 优秀+良好 in a fixed reference sample (500 pupils per grade and sex) at ``shift``."""
    shares = []
    for grade in range(1, 13):
        for sex in (1, 2):
            rng = stream(0, "fitness-calibration", grade, sex)
            n = 500
            fit, bmi_z, stature = rng.normal(0, 1, n), rng.normal(0, 1, n), rng.normal(0, 1, n)
            school = rng.normal(0, SCHOOL_SD, n)
            height, weight = _body(n, stature, bmi_z, sex, grade, rng)
            rows = pl.DataFrame(
                {"height_cm": height, "weight_kg": weight, **_items(n, fit, bmi_z, shift + school, sex, grade, rng)}
            )
            shares.append(float(np.mean(total_points(rows, sex, grade) >= 80)))
    return float(np.mean(shares))


def fitness_tests(students: pl.DataFrame, seed: int, district_index: int, year: int) -> pl.DataFrame:
    """One row per pupil of the year's roster (catalog columns of ``fitness_tests``)."""
    rng = stream(seed, "fitness", district_index, year)
    n = students.height
    school_index = (students.get_column("school").rank("dense") - 1).to_numpy()  # as np.unique's inverse, sorted
    school_shift = stream(seed, "fitness-school", district_index).normal(0, SCHOOL_SD, 100_000)[school_index]
    grade = students.get_column("grade").to_numpy().astype(np.int64) + 1
    sex = np.where(students.get_column("male").to_numpy(), 1, 2)
    fit, bmi_z = students.get_column("fit").to_numpy(), students.get_column("bmi").to_numpy()
    stature = students.get_column("stature").to_numpy()
    height, weight = np.empty(n), np.empty(n)
    values = {item: np.full(n, np.nan) for item in ITEMS}
    shift = year_shift(year)
    for g in range(1, 13):
        for s in (1, 2):
            idx = np.flatnonzero((grade == g) & (sex == s))
            if not len(idx):
                continue
            height[idx], weight[idx] = _body(len(idx), stature[idx], bmi_z[idx], s, g, rng)
            for item, v in _items(len(idx), fit[idx], bmi_z[idx], shift + school_shift[idx], s, g, rng).items():
                values[item][idx] = v
    exempt = rng.random(n) < EXEMPT
    items = [pl.Series(k, np.where(exempt, np.nan, v)).fill_nan(None) for k, v in values.items()]
    return students.select(
        "student_id", pl.col("school").alias("school_code"), "class_id", pl.col("grade_code").alias("grade"),
        pl.col("sex_code").alias("sex"),
    ).with_columns(
        pl.lit(year, pl.Int64).alias("school_year"), pl.Series("height_cm", height), pl.Series("weight_kg", weight),
        *items, pl.Series("exempt", exempt),
    )  # fmt: skip
