"""New students of a district: identity, personal details and hidden traits, all drawn at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.synth.facts import District, districts
from edubrain.synth.ids import SequenceBook, date_days, id_numbers, phones
from edubrain.synth.names import full_names

ETHNICITY: dict[str, float] = {
    "01": 0.955, "11": 0.017, "03": 0.013, "02": 0.005, "10": 0.002, "15": 0.0015,
    "08": 0.0012, "06": 0.001, "04": 0.0008, "05": 0.0006, "07": 0.0005, "12": 0.0004,
}  # fmt: skip
"""Ethnicity (GB/T 3304) shares: Han about 95.5%, then 满, 回, 蒙古, 朝鲜 … (approximate, after the 2020 census)."""

BOY_SHARE = 0.515
"""Share of boys (sex ratio at birth about 106)."""

STUDENT_SCHEMA: dict[str, pl.DataType] = {
    "student_id": pl.String(), "id_number": pl.String(), "name": pl.String(), "male": pl.Boolean(),
    "birth_day": pl.Int32(), "ethnicity": pl.String(), "hukou": pl.String(), "address": pl.String(),
    "phone": pl.String(), "school": pl.String(), "grade": pl.Int8(), "class_seq": pl.Int16(),
    "enrollment_year": pl.Int16(), "ability": pl.Float32(), "bias": pl.Float32(), "fit": pl.Float32(),
    "stature": pl.Float32(), "bmi": pl.Float32(),
}  # fmt: skip
"""Columns of a student frame (see :func:`new_students`), declared so that a draw of no students keeps them.

School codes arrive as a numpy ``object`` array, from which polars infers nothing when it is empty: a small
district whose Poisson draw for a grade is zero would otherwise give ``school`` the type ``Object`` and fail to
concatenate with its other grades (issue 13).
"""

_STREETS = np.array(
    ["中关村", "学院路", "望京", "亚运村", "双井", "方庄", "回龙观", "天通苑", "亦庄", "良乡", "梨园", "龙潭"]
)


@dataclass(frozen=True)
class Cohort:
    """Where and when a batch of new students starts.

    Attributes:
        year: The school year they start.
        grade: Grade index 0-11 (0 = grade 1).
        schools: School code of each new student.
    """

    year: int
    grade: int
    schools: np.ndarray


def birth_window(year: int, grade: int) -> tuple[int, int]:
    """First and last birth day (days since 1950) of children in ``grade`` (index) in school year ``year``.

    Children start grade 1 in the September after they turn 6 (by 31 August).
    """
    born = year - grade - 7
    return date_days(born, 9, 1), date_days(born + 1, 8, 31)


def _hukou(rng: np.random.Generator, district: District, n: int) -> np.ndarray:
    """Household-registration district: 70% the school's own, the rest by population elsewhere in the city."""
    codes = np.array([int(d.code) for d in districts()])
    pops = np.array([d.population_10k for d in districts()])
    other = rng.choice(codes, n, p=pops / pops.sum())
    return np.where(rng.random(n) < 0.7, int(district.code), other)


def _addresses(rng: np.random.Generator, district: District, n: int) -> np.ndarray:
    street = _STREETS[rng.integers(0, len(_STREETS), n)]
    building = rng.integers(1, 40, n).astype(str)
    room = (rng.integers(1, 25, n) * 100 + rng.integers(1, 5, n)).astype(str)
    text = np.char.add(np.char.add(f"北京市{district.name_zh}", street), "小区")
    text = np.char.add(np.char.add(text, building), "号楼")
    return np.char.add(np.char.add(text, room), "室")


def new_students(rng: np.random.Generator, book: SequenceBook, district: District, cohort: Cohort) -> pl.DataFrame:
    """Draw ``len(cohort.schools)`` new students for ``cohort`` in ``district`` (columns :data:`STUDENT_SCHEMA`)."""
    n = len(cohort.schools)
    male = rng.random(n) < BOY_SHARE
    first, last = birth_window(cohort.year, cohort.grade)
    birth = rng.integers(first, last + 1, n)
    birth = np.where(rng.random(n) < 0.015, birth - 365, birth)  # a few started a year late
    hukou = _hukou(rng, district, n)
    sequence = book.take(hukou, birth, male)
    id_number = id_numbers(hukou, birth, sequence)
    codes = list(ETHNICITY)
    p = np.array(list(ETHNICITY.values()))
    stage_start = cohort.grade if cohort.grade < 6 else (cohort.grade - 6 if cohort.grade < 9 else cohort.grade - 9)
    return pl.DataFrame(
        {
            "student_id": np.char.add("G", id_number),
            "id_number": id_number,
            "name": full_names(rng, male),
            "male": male,
            "birth_day": birth.astype(np.int32),
            "ethnicity": np.array(codes)[rng.choice(len(codes), n, p=p / p.sum())],
            "hukou": hukou.astype(str),
            "address": _addresses(rng, district, n),
            "phone": phones(rng, n),
            "school": cohort.schools,
            "grade": np.full(n, cohort.grade, dtype=np.int8),
            "class_seq": np.full(n, -1, dtype=np.int16),
            "enrollment_year": np.full(n, cohort.year - stage_start, dtype=np.int16),
            "ability": rng.normal(0, 1, n).astype(np.float32),
            "bias": rng.normal(0, 0.5, n).astype(np.float32),
            "fit": rng.normal(0, 1, n).astype(np.float32),
            "stature": rng.normal(0, 1, n).astype(np.float32),
            "bmi": rng.normal(0, 1, n).astype(np.float32),
        },
        schema=STUDENT_SCHEMA,
    )
