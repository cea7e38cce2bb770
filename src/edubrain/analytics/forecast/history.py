"""The observed history a forecast starts from: pupils by district, year and grade, and births.

Inputs are small aggregates (one count per district, school year and grade),
held as dense numpy arrays so a forecast, a bootstrap and a backtest are a
few array operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.forecast.errors import ForecastError
from edubrain.analytics.forecast.stages import N_GRADES, STAGES

ENROLLMENT_COLUMNS = ("district_code", "school_year", "grade", "students")
BIRTH_COLUMNS = ("district_code", "year", "births")


@dataclass(frozen=True)
class EnrollmentHistory:
    """Pupils per district, school year and grade, and births per district and calendar year.

    Attributes:
        districts: District codes, in the order of the arrays' first axis.
        years: School years (start year, 2024 = 2024-25), consecutive.
        counts: Pupils, shape (districts, years, 12); grade 1 at position 0. NaN where not reported.
        birth_years: Calendar years of ``births``, consecutive.
        births: Births, shape (districts, birth years); NaN where not known.
    """

    districts: tuple[str, ...]
    years: np.ndarray
    counts: np.ndarray
    birth_years: np.ndarray
    births: np.ndarray

    @classmethod
    def from_tables(cls, enrollment: pl.DataFrame, births: pl.DataFrame) -> EnrollmentHistory:
        """Build the history from long tables.

        Args:
            enrollment: Columns ``district_code``, ``school_year``, ``grade`` (1–12), ``students``.
            births: Columns ``district_code``, ``year``, ``births``.

        Raises:
            ForecastError: a column is missing, a grade is outside 1–12, or there is no enrollment.
        """
        _require(enrollment, ENROLLMENT_COLUMNS, "enrollment")
        _require(births, BIRTH_COLUMNS, "births")
        if enrollment.height == 0:
            raise ForecastError("没有在校生历史数据，无法预测", "There is no enrollment history to forecast from")
        grades = enrollment.get_column("grade")
        if int(grades.min()) < 1 or int(grades.max()) > N_GRADES:  # type: ignore[arg-type]
            raise ForecastError("年级须在 1–12 之间", "grades must be between 1 and 12")
        districts = tuple(sorted(enrollment.get_column("district_code").unique().to_list()))
        first, last = int(enrollment["school_year"].min()), int(enrollment["school_year"].max())  # type: ignore[arg-type]
        years = np.arange(first, last + 1)
        counts = _dense(enrollment, districts, "school_year", first, len(years), ("grade", N_GRADES))
        known = births.filter(pl.col("district_code").is_in(districts) & pl.col("births").is_not_null())
        if known.height:
            b0, b1 = int(known["year"].min()), int(known["year"].max())  # type: ignore[arg-type]
            birth_years = np.arange(b0, b1 + 1)
            birth_array = _dense(known.rename({"births": "students"}), districts, "year", b0, len(birth_years), None)
        else:
            birth_years, birth_array = np.arange(first, first), np.zeros((len(districts), 0))
        return cls(districts, years, counts, birth_years, birth_array)

    def until(self, year: int) -> EnrollmentHistory:
        """The history as known at the start of school year ``year``.

        Enrollment of school years up to ``year``; births of calendar years
        before ``year`` only (a year's births are published the year after).
        """
        keep = self.years <= year
        births_kept = self.birth_years < year
        return EnrollmentHistory(
            self.districts,
            self.years[keep],
            self.counts[:, keep],
            self.birth_years[births_kept],
            self.births[:, births_kept],
        )

    def births_for(self, years: np.ndarray) -> np.ndarray:
        """Births of calendar ``years`` per district, shape (districts, len(years)); NaN where unknown."""
        out = np.full((len(self.districts), len(years)), np.nan)
        if len(self.birth_years) == 0:
            return out
        pos = years - self.birth_years[0]
        inside = (pos >= 0) & (pos < len(self.birth_years))
        out[:, inside] = self.births[:, pos[inside]]
        return out

    def stage_table(self, city: str = "110000") -> pl.DataFrame:
        """Observed pupils per district (and the city, code ``city``), stage and school year.

        Columns: district_code, stage, school_year, students. The history line of a fan chart.
        """
        codes = [*self.districts, city]
        frames = []
        for stage, (first, last) in STAGES.items():
            totals = self.counts[:, :, first - 1 : last].sum(axis=2)
            totals = np.vstack([totals, totals.sum(axis=0, keepdims=True)])
            frames.append(
                pl.DataFrame(
                    {
                        "district_code": np.repeat(codes, len(self.years)).tolist(),
                        "stage": [stage] * (len(codes) * len(self.years)),
                        "school_year": np.tile(self.years, len(codes)).astype(np.int64),
                        "students": totals.ravel(),
                    }
                )
            )
        return pl.concat(frames).filter(pl.col("students").is_not_nan())


def _require(table: pl.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ForecastError(f"{name} 表缺少列 {missing}", f"the {name} table lacks columns {missing}")


def _dense(
    table: pl.DataFrame,
    districts: tuple[str, ...],
    year_col: str,
    first: int,
    n_years: int,
    grade: tuple[str, int] | None,
) -> np.ndarray:
    """Scatter a long table of counts into a (districts, years[, grades]) array, NaN where absent.

    A district-year with some rows but no row for a grade counts that grade as 0.
    """
    index = {d: i for i, d in enumerate(districts)}
    d = np.array([index[c] for c in table.get_column("district_code").to_list()], dtype=np.int64)
    y = table.get_column(year_col).to_numpy().astype(np.int64) - first
    values = table.get_column("students").to_numpy().astype(float)
    if grade is None:
        out = np.full((len(districts), n_years), np.nan)
        out[d, y] = 0.0
        np.add.at(out, (d, y), values)
        return out
    g = table.get_column(grade[0]).to_numpy().astype(np.int64) - 1
    out = np.full((len(districts), n_years, grade[1]), np.nan)
    out[d, y, :] = 0.0
    np.add.at(out, (d, y, g), values)
    return out
