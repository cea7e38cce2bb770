"""The cohort model of one district: who is enrolled where, year after year.

Each school year: grade 12 graduates, grades 6 and 9 move on to the next
stage (a share leaves the city's general schools), a few students repeat,
transfer within the district, leave or arrive from outside the city; the
rest move up a grade; grade 1 takes in the children born six years
earlier. Every step is a vectorised draw over the whole district.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.synth.config import Rates, SynthConfig
from edubrain.synth.facts import District, districts, expected_grade_size
from edubrain.synth.ids import SequenceBook, date_days, days_to_dates, district_blocks
from edubrain.synth.people import Cohort, birth_window, new_students
from edubrain.synth.rng import stream

CLASS_SIZE = 40
"""Largest class the model forms (Beijing classes hold about 35-40 pupils)."""
STAGE_OF_GRADE = np.array([0] * 6 + [1] * 3 + [2] * 3)
EVENT_COLUMNS = ["student_id", "school_code", "change_type", "change_day", "from_school_code", "to_school_code", "year"]


def block_of(district: District) -> tuple[int, int]:
    """The district's block of 身份证 sequence numbers.

    Its students and teachers share it: they never share a birth date, since teachers are born at
    least 22 years before the first school year.
    """
    return district_blocks([d.student_share for d in districts()])[district.index]


@dataclass
class YearState:
    """A district's enrolment in one school year and the status changes dated in it.

    Attributes:
        year: The school year.
        students: One row per enrolled student (see :func:`people.new_students`), ``class_seq`` set.
        events: Status changes of this school year (``EVENT_COLUMNS``).
    """

    year: int
    students: pl.DataFrame
    events: pl.DataFrame


class DistrictModel:
    """Runs the cohort model for one district.

    Args:
        config: The run's configuration.
        district: The district.
        schools: The district's schools (with ``has_primary`` …, ``weight``).
    """

    def __init__(self, config: SynthConfig, district: District, schools: pl.DataFrame) -> None:
        self.config = config
        self.district = district
        self.codes = schools.get_column("school_code").to_numpy()
        self.weights = schools.get_column("weight").to_numpy()
        self.offers = schools.select("has_primary", "has_junior", "has_senior").to_numpy()
        first, _ = birth_window(config.end_year, 11)
        regions = [
            int(c) for c in sorted({f"1101{i:02d}" for i in (1, 2, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19)})
        ]
        self.book = SequenceBook(block_of(district), regions, first - 12 * 366, date_days(config.end_year + 1, 12, 31))

    def _rng(self, label: str, year: int) -> np.random.Generator:
        return stream(self.config.seed, label, self.district.index, year)

    def pick_schools(self, rng: np.random.Generator, stage: np.ndarray) -> np.ndarray:
        """A school for each student, offering the student's stage (0-2), chosen by school size weight."""
        out = np.empty(len(stage), dtype=self.codes.dtype)
        for s in range(3):
            idx = np.flatnonzero(stage == s)
            p = self.weights * self.offers[:, s]
            out[idx] = self.codes[rng.choice(len(self.codes), len(idx), p=p / p.sum())]
        return out

    def _intake(self, rng: np.random.Generator, year: int, grade: int) -> pl.DataFrame:
        mean = expected_grade_size(year, grade, self.config.rates, self.config.scale) * self.district.student_share
        n = int(rng.poisson(mean))
        schools = self.pick_schools(rng, np.full(n, STAGE_OF_GRADE[grade]))
        return new_students(rng, self.book, self.district, Cohort(year, grade, schools))

    def years(self) -> Iterator[YearState]:
        """Yield the state of each school year in order, oldest first."""
        start = self.config.start_year
        rng = self._rng("initial", start)
        students = self._assign_classes(pl.concat([self._intake(rng, start, g) for g in range(12)]), start)
        events = _events_concat(_no_events(), self._suspensions(students, start))
        for year in self.config.school_years[1:]:
            following, leaving, arriving = self._advance(students, year)
            yield YearState(year - 1, students, _events_concat(events, leaving))
            students = self._assign_classes(following, year)
            events = _events_concat(arriving, self._suspensions(students, year))
        yield YearState(self.config.end_year, students, events)

    def _advance(self, old: pl.DataFrame, year: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """Move from ``year - 1`` to ``year``: returns the new enrolment and the events of both years."""
        rng = self._rng("advance", year)
        n = old.height
        grade = old.get_column("grade").to_numpy().astype(np.int64)
        school = old.get_column("school").to_numpy()
        leaves, moves, repeats, keep = _fates(rng, grade, self.config.rates)
        repeats &= ~_older_than_usual(old.get_column("birth_day").to_numpy(), grade, year - 1)
        new_grade = np.where(repeats, grade, grade + 1)
        new_stage = STAGE_OF_GRADE[np.minimum(new_grade, 11)]
        offers = self.offers[np.searchsorted(self.codes, school), np.minimum(new_stage, 2)]
        stage_move = (new_stage != STAGE_OF_GRADE[grade]) & (~offers | (rng.random(n) < 0.15))
        reassign = keep & (moves | stage_move)
        new_school = school.copy()
        new_school[reassign] = self.pick_schools(rng, new_stage[reassign])
        moved = reassign & moves & (new_school != school)
        data = old.with_columns(
            pl.Series("grade", new_grade.astype(np.int8)),
            pl.Series("school", new_school),
            pl.Series("class_seq", np.where(repeats | reassign, -1, old.get_column("class_seq").to_numpy())),
            pl.Series(
                "enrollment_year", np.where(stage_move & keep, year, old.get_column("enrollment_year").to_numpy())
            ),
            pl.Series(
                "ability", (0.95 * old.get_column("ability").to_numpy() + rng.normal(0, 0.31, n)).astype(np.float32)
            ),
        ).filter(pl.Series(keep))
        summer = _events(
            old.filter(pl.Series(leaves | moved | repeats)), rng, year - 1, school, new_school, leaves, moved, repeats
        )
        newcomers = self._newcomers(rng, data, year)
        arriving = _arrivals(data.filter(pl.Series(moved[keep])), school[moved], newcomers, year, rng)
        intake = self._intake(rng, year, 0)
        return pl.concat([data, newcomers, intake]), summer, arriving

    def _newcomers(self, rng: np.random.Generator, current: pl.DataFrame, year: int) -> pl.DataFrame:
        """Students arriving from outside the city, spread over grades 2-12 like the enrolment."""
        counts = np.bincount(current.get_column("grade").to_numpy().astype(np.int64), minlength=12)
        frames = []
        for g in range(1, 12):
            n = int(rng.poisson(counts[g] * self.config.rates.move_in))
            if n:
                schools = self.pick_schools(rng, np.full(n, STAGE_OF_GRADE[g]))
                frames.append(new_students(rng, self.book, self.district, Cohort(year, g, schools)))
        return pl.concat(frames) if frames else current.clear()

    def _assign_classes(self, students: pl.DataFrame, year: int) -> pl.DataFrame:
        """Keep each student's class where it still exists; put the others in a random class of their grade."""
        rng = self._rng("classes", year)
        sizes = students.group_by("school", "grade").agg(pl.len().alias("n"))
        sizes = sizes.with_columns(((pl.col("n") + CLASS_SIZE - 1) // CLASS_SIZE).cast(pl.Int16).alias("n_classes"))
        joined = students.join(sizes.drop("n"), on=["school", "grade"], how="left", maintain_order="left")
        n_classes = joined.get_column("n_classes").to_numpy()
        seq = joined.get_column("class_seq").to_numpy()
        fresh = (seq < 0) | (seq >= n_classes)
        drawn = np.floor(rng.random(len(seq)) * n_classes).astype(np.int16)
        del year
        return joined.drop("n_classes").with_columns(pl.Series("class_seq", np.where(fresh, drawn, seq)))

    def _suspensions(self, students: pl.DataFrame, year: int) -> pl.DataFrame:
        """休学 in the autumn and 复学 in the spring of the same school year, for a few students."""
        rng = self._rng("suspend", year)
        chosen = students.filter(pl.Series(rng.random(students.height) < self.config.rates.suspend))
        n = chosen.height
        out = []
        for code, month in (("11", 11), ("12", 3)):
            y = year if month >= 9 else year + 1
            day = date_days(y, month, 1) + rng.integers(0, 28, n)
            out.append(_event_frame(chosen, code, day, chosen.get_column("school"), None, None, year))
        return pl.concat(out)


def _fates(rng: np.random.Generator, grade: np.ndarray, rates: Rates) -> tuple[np.ndarray, ...]:
    """Who leaves the city, transfers, repeats, and who is still enrolled next year (boolean masks)."""
    u = rng.random(len(grade))
    leaves = (u < rates.move_out) & (grade < 11)
    moves = (u >= rates.move_out) & (u < rates.move_out + rates.transfer) & (grade < 11)
    repeats = (u >= rates.move_out + rates.transfer) & (u < rates.move_out + rates.transfer + rates.repeat)
    repeats &= ~np.isin(grade, [5, 8, 11])
    stay_on = rng.random(len(grade))
    stage_end = ((grade == 5) & (stay_on >= rates.primary_to_junior)) | (
        (grade == 8) & (stay_on >= rates.junior_to_senior)
    )
    return leaves, moves, repeats, ~leaves & ~stage_end & (grade < 11)


def _older_than_usual(birth_day: np.ndarray, grade: np.ndarray, year: int) -> np.ndarray:
    """True for pupils already older than their grade's usual age (a late start or a repeat): they do not repeat.

    That keeps every pupil within a year of the usual age, inside the exchange's age-for-grade tolerance.
    """
    dates = days_to_dates(birth_day)
    born_year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    born_month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    age = year - born_year - (born_month > 8)
    return age > 6 + grade


def _no_events() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "student_id": pl.String, "school_code": pl.String, "change_type": pl.String, "change_day": pl.Int64,
            "from_school_code": pl.String, "to_school_code": pl.String, "year": pl.Int64,
        }
    )  # fmt: skip


def _events_concat(*frames: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([_no_events(), *frames], how="vertical_relaxed")


def _event_frame(
    students: pl.DataFrame, code: str, day: np.ndarray, by: pl.Series | np.ndarray, src: object, dst: object, year: int
) -> pl.DataFrame:
    n = students.height

    def col(value: object) -> pl.Series:
        if value is None:
            return pl.Series([None] * n, dtype=pl.String)
        return pl.Series(np.asarray(value)).cast(pl.String)

    return pl.DataFrame(
        {
            "student_id": students.get_column("student_id"),
            "school_code": col(by),
            "change_type": [code] * n,
            "change_day": np.asarray(day, dtype=np.int64),
            "from_school_code": col(src),
            "to_school_code": col(dst),
            "year": [year] * n,
        },
        schema=_no_events().schema,
    )


def _events(
    leaving: pl.DataFrame,
    rng: np.random.Generator,
    year: int,
    school: np.ndarray,
    new_school: np.ndarray,
    leaves: np.ndarray,
    moved: np.ndarray,
    repeats: np.ndarray,
) -> pl.DataFrame:
    """Summer events of school year ``year``: 转出 (to another school or out of the city) and 留级."""
    mask = leaves | moved | repeats
    kind = np.where(leaves[mask], "out", np.where(moved[mask], "move", "repeat"))
    frames = []
    for label, code, start in (("out", "21", (7, 10)), ("move", "21", (7, 20)), ("repeat", "02", (7, 5))):
        sel = kind == label
        part = leaving.filter(pl.Series(sel))
        day = date_days(year + 1, *start) + rng.integers(0, 20, part.height)
        src = school[mask][sel]
        dst = new_school[mask][sel] if label == "move" else None
        frames.append(_event_frame(part, code, day, src, src if label != "repeat" else None, dst, year))
    return _events_concat(*frames)


def _arrivals(
    moved: pl.DataFrame, from_school: np.ndarray, newcomers: pl.DataFrame, year: int, rng: np.random.Generator
) -> pl.DataFrame:
    """转入 events dated at the start of school year ``year``, submitted by the receiving school."""
    day_m = date_days(year, 9, 1) + rng.integers(0, 10, moved.height)
    day_n = date_days(year, 9, 1) + rng.integers(0, 20, newcomers.height)
    return _events_concat(
        _event_frame(moved, "22", day_m, moved.get_column("school"), from_school, moved.get_column("school"), year),
        _event_frame(
            newcomers, "22", day_n, newcomers.get_column("school"), None, newcomers.get_column("school"), year
        ),
    )


def ceil_div(a: int, b: int) -> int:
    """Integer ceiling of ``a / b``."""
    return math.ceil(a / b)
