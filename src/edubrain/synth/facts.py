"""Published facts the synthetic city is built on, read from the files in ``synth/data``.

Every figure's source is recorded beside it in the data files and in
``docs/synth.md``; this module only turns them into model inputs:
district shares, births by district and year, and the cohort model's
grade-1 intake.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from edubrain.synth.config import REFERENCE_YEAR, TARGET_STUDENTS, Rates

DATA = Path(__file__).parent / "data"
PRIMARY_ENROLLED_2021 = 1_036_485
"""Primary pupils in 2021-22 (北京市教委《2021—2022学年度北京教育事业发展统计概况》)."""
PRIMARY_GRADUATES_2021 = 134_051
"""Primary graduates in the same release."""
GRADES = (11, 12, 13, 14, 15, 16, 21, 22, 23, 31, 32, 33)
"""Grade codes in order (the catalog's grade table: first digit = stage)."""


@dataclass(frozen=True)
class District:
    """One of Beijing's 16 districts.

    Attributes:
        code: GB/T 2260 code.
        name_zh: Name.
        zone: Functional zone (core, urban, sub-centre, suburban, ecological).
        population_10k: Resident population at the 2020 census (10,000s).
        student_share: Share of the city's pupils enrolled in the district.
        index: Position 0-15 (used to keep identifiers of districts apart).
    """

    code: str
    name_zh: str
    zone: str
    population_10k: float
    student_share: float
    index: int

    @property
    def population_share(self) -> float:
        """Share of the city's residents (and, in this model, of its births)."""
        return self.population_10k / sum(d.population_10k for d in districts())


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def districts() -> tuple[District, ...]:
    """The 16 districts with their pupil shares.

    Shares are the district's primary enrolment in 2021-22 where published
    (海淀, 朝阳, 西城, 延庆), else its share of primary graduates (东城, 通州);
    the remaining share is split among the other ten districts by resident
    population.
    """
    rows = _rows("districts.csv")
    known: dict[str, float] = {}
    for row in rows:
        if row["primary_enrolled_2021"]:
            known[row["code"]] = int(row["primary_enrolled_2021"]) / PRIMARY_ENROLLED_2021
        elif row["primary_graduates_2021"]:
            known[row["code"]] = int(row["primary_graduates_2021"]) / PRIMARY_GRADUATES_2021
    rest = 1.0 - sum(known.values())
    other_pop = sum(float(r["population_10k_2020"]) for r in rows if r["code"] not in known)
    out = []
    for i, row in enumerate(rows):
        pop = float(row["population_10k_2020"])
        share = known.get(row["code"], rest * pop / other_pop)
        out.append(District(row["code"], row["name_zh"], row["functional_zone"], pop, share, i))
    return tuple(out)


@cache
def city_births() -> dict[int, int]:
    """Resident births in the city by calendar year (2003-2024; see ``data/births.csv``)."""
    return {int(r["year"]): int(r["births"]) for r in _rows("births.csv")}


@cache
def birth_sources() -> dict[int, str]:
    """The basis and source of each year's births figure."""
    return {int(r["year"]): f"{r['basis']}: {r['source']}" for r in _rows("births.csv")}


def births(year: int) -> float:
    """City births in ``year``, held flat outside the years on file."""
    table = city_births()
    return float(table[min(max(year, min(table)), max(table))])


def cohort_births(entry_year: int) -> float:
    """Births of the children who start grade 1 in September of ``entry_year``.

    They are 6 by 31 August: born September ``entry_year - 7`` to August
    ``entry_year - 6``, a third and two thirds of those calendar years.
    """
    return births(entry_year - 7) / 3 + 2 * births(entry_year - 6) / 3


def survival(grade_index: int, rates: Rates) -> float:
    """Share of a grade-1 cohort still in the city's schools at grade ``grade_index + 1``."""
    if grade_index < 6:
        return 1.0
    if grade_index < 9:
        return rates.primary_to_junior
    return rates.primary_to_junior * rates.junior_to_senior


@cache
def intake_factor(rates: Rates | None = None) -> float:
    """Grade-1 entrants per birth of the cohort, calibrated so the reference year has ``TARGET_STUDENTS``.

    The model: grade g in year Y holds ``factor * cohort_births(Y - g + 1) * survival(g)``.
    """
    rates = rates or Rates()
    per_factor = sum(cohort_births(REFERENCE_YEAR - g) * survival(g, rates) for g in range(12))
    return TARGET_STUDENTS / per_factor


def expected_grade_size(year: int, grade_index: int, rates: Rates, scale: float = 1.0) -> float:
    """Expected city-wide size of grade ``grade_index + 1`` in school year ``year``."""
    return intake_factor(rates) * cohort_births(year - grade_index) * survival(grade_index, rates) * scale


def district_births(code: str, year: int, scale: float = 1.0) -> int:
    """Births in a district in a calendar year: city births times the district's population share."""
    district = next(d for d in districts() if d.code == code)
    return round(births(year) * district.population_share * scale)
