"""Raw fitness test values (《国家学生体质健康标准》 items) by grade and sex.

Body size: height is normal by grade and sex; BMI is log-normal, with its
two parameters per grade and sex solved so that the shares above the
standard's overweight and obesity cut-offs equal the targets below. Items:
each value is drawn on the scale of the standard's pass (60 points) and
full-mark (100 points) values for that grade and sex, from the student's
persistent fitness (lowered by a high BMI), a school effect and noise; the
year's mean is calibrated so that the share of 优秀+良好 follows the
Beijing figures (61.9% in 2020 rising to 77.54% in 2024). See
docs/synth.md for sources and limits.
"""

from __future__ import annotations

import csv
from functools import cache
from statistics import NormalDist

import numpy as np
import polars as pl

from edubrain.synth.facts import DATA

OVERWEIGHT = {1: 0.14, 2: 0.11}
"""Target share overweight (超重) by sex (1 boys, 2 girls)."""
OBESE = {1: 0.16, 2: 0.09}
"""Target share obese (肥胖) by sex; with :data:`OVERWEIGHT` about 25% of pupils are overweight or obese."""
ITEMS = ("vital_capacity_ml", "sprint_50m_s", "sit_and_reach_cm", "rope_skipping_count", "sit_ups_count",
         "shuttle_run_50x8_s", "standing_long_jump_cm", "pull_ups_count", "run_800m_s", "run_1000m_s")  # fmt: skip
DECIMALS = {"sprint_50m_s": 1, "sit_and_reach_cm": 1, "standing_long_jump_cm": 0, "shuttle_run_50x8_s": 0}
"""Recorded precision; items not listed are whole numbers."""
LIMITS = {
    "vital_capacity_ml": (300, 9999), "sprint_50m_s": (5, 30), "sit_and_reach_cm": (-40, 50),
    "rope_skipping_count": (0, 300), "sit_ups_count": (0, 100), "shuttle_run_50x8_s": (60, 400),
    "standing_long_jump_cm": (30, 350), "pull_ups_count": (0, 60), "run_800m_s": (120, 600), "run_1000m_s": (120, 600),
}  # fmt: skip
"""The catalog's ranges (fitness_tests.yaml); values are clipped into them."""
SPREAD = 0.55
"""Standard deviation of an item's position on the pass-to-full-marks scale."""
EXEMPT = 0.005
"""Share of pupils exempt (免测)."""


def target_excellent_good(year: int) -> float:
    """Share of 优秀+良好 in school year ``year``: 61.9% (2020) + 3.9 points a year, within 55-80%.

    Source: 北京市人民政府关于促进中小学生身心健康工作情况的报告 (2025-09), as reported by
    北京青年报 2025-09-26: 61.9% in 2020, 77.54% in 2024.
    """
    return min(max(0.619 + 0.039 * (year - 2020), 0.55), 0.80)


@cache
def anchors() -> dict[tuple[str, int, int], tuple[float, float]]:
    """(item, sex, grade 1-12) -> (value at 60 points, value at 100 points)."""
    with open(DATA / "fitness_anchors.csv", encoding="utf-8") as handle:
        return {
            (r["item"], int(r["sex"]), int(r["grade"])): (float(r["x60"]), float(r["x100"]))
            for r in csv.DictReader(handle)
        }


@cache
def body_table() -> pl.DataFrame:
    """Height mean/sd and the BMI bands of the standard, by grade (1-12) and sex, with fitted log-normal BMI."""
    frame = pl.read_csv(DATA / "fitness_body.csv")
    nd = NormalDist()
    rows = []
    for r in frame.iter_rows(named=True):
        z1 = nd.inv_cdf(1 - OVERWEIGHT[r["sex"]] - OBESE[r["sex"]])
        z2 = nd.inv_cdf(1 - OBESE[r["sex"]])
        c1, c2 = np.log(r["bmi_normal_max"] + 0.05), np.log(r["bmi_overweight_max"] + 0.05)
        s = (c2 - c1) / (z2 - z1)
        rows.append({**r, "bmi_log_mean": c1 - s * z1, "bmi_log_sd": s})
    return pl.DataFrame(rows)


@cache
def body_band(sex: int, grade: int) -> dict[str, float]:
    """The :func:`body_table` row of one sex and grade (1-12)."""
    return body_table().filter((pl.col("sex") == sex) & (pl.col("grade") == grade)).row(0, named=True)


@cache
def items_for(grade: int, sex: int) -> list[str]:
    """The items a pupil of ``grade`` (1-12) and ``sex`` is tested on, besides height and weight."""
    return [item for item in ITEMS if (item, sex, grade) in anchors()]


WEIGHTS: dict[int, dict[str, float]] = {
    1: {"bmi": 15, "vital_capacity_ml": 15, "sprint_50m_s": 20, "sit_and_reach_cm": 30, "rope_skipping_count": 20},
    3: {"bmi": 15, "vital_capacity_ml": 15, "sprint_50m_s": 20, "sit_and_reach_cm": 20, "rope_skipping_count": 20,
        "sit_ups_count": 10},
    5: {"bmi": 15, "vital_capacity_ml": 15, "sprint_50m_s": 20, "sit_and_reach_cm": 10, "rope_skipping_count": 10,
        "sit_ups_count": 20, "shuttle_run_50x8_s": 10},
    7: {"bmi": 15, "vital_capacity_ml": 15, "sprint_50m_s": 20, "sit_and_reach_cm": 10, "standing_long_jump_cm": 10,
        "pull_ups_count": 10, "sit_ups_count": 10, "run_1000m_s": 20, "run_800m_s": 20},
}  # fmt: skip
"""Item weights (%) of the total score by first grade of the group (国家学生体质健康标准（2014年修订）, 表1);
from grade 7 pull-ups and 1000 m are for boys, sit-ups and 800 m for girls."""


def item_points(item: str, value: np.ndarray, sex: int, grade: int) -> np.ndarray:
    """Approximate points (0-100) of raw values: linear between the 60- and 100-point values, steeper below 60.

    This is a calibration surrogate, not the standard's step tables.
    """
    x60, x100 = anchors()[(item, sex, grade)]
    q = (value - x60) / (x100 - x60)
    return np.where(q >= 0, np.minimum(60 + 40 * q, 100), np.maximum(60 + 50 * q, 0))


def bmi_points(height_cm: np.ndarray, weight_kg: np.ndarray, sex: int, grade: int) -> np.ndarray:
    """BMI points of the standard: 100 normal, 80 underweight or overweight, 60 obese."""
    band = body_band(sex, grade)
    bmi = np.round(weight_kg / (height_cm / 100) ** 2, 1)
    return np.where(
        bmi > band["bmi_overweight_max"],
        60,
        np.where((bmi > band["bmi_normal_max"]) | (bmi < band["bmi_normal_min"]), 80, 100),
    )


def total_points(rows: pl.DataFrame, sex: int, grade: int) -> np.ndarray:
    """Approximate total score of non-exempt rows of one grade (1-12) and sex (catalog column names)."""
    weights = WEIGHTS[max(g for g in WEIGHTS if g <= grade)]
    total = weights["bmi"] * bmi_points(rows["height_cm"].to_numpy(), rows["weight_kg"].to_numpy(), sex, grade)
    for item in items_for(grade, sex):
        total = total + weights[item] * item_points(item, rows[item].to_numpy().astype(float), sex, grade)
    return total / 100


def level(total: np.ndarray) -> np.ndarray:
    """优秀 (>= 90), 良好 (80-89.9), 及格 (60-79.9), 不及格 (< 60)."""
    return np.where(total >= 90, "优秀", np.where(total >= 80, "良好", np.where(total >= 60, "及格", "不及格")))
