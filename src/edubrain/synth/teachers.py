"""Teachers and principals of a district, year by year: hiring, retirement, titles, assignments."""

from __future__ import annotations

import numpy as np
import polars as pl

from edubrain.synth.config import SynthConfig
from edubrain.synth.facts import District
from edubrain.synth.ids import SequenceBook, date_days, id_numbers, padded, phones
from edubrain.synth.names import full_names
from edubrain.synth.population import block_of
from edubrain.synth.rng import stream
from edubrain.synth.teaching import TEACHERS_PER_CLASS, TEACHERS_PER_SCHOOL, teacher_subject_shares

PROVINCES = [130102, 140105, 150102, 210102, 220102, 230103, 370102, 410105, 420106, 610113]
"""Region codes of teachers born outside Beijing (districts of provincial capitals, GB/T 2260)."""
BEIJING = [110101, 110102, 110105, 110106, 110107, 110108, 110109, 110111, 110112, 110113, 110114, 110115,
           110116, 110117, 110118, 110119]  # fmt: skip
FEMALE_SHARE = {0: 0.82, 1: 0.72, 2: 0.62}
"""Share of women among teachers by stage (primary, junior, senior)."""
TITLES = {0: ("416", "415", "414", "413"), 1: ("055", "054", "053", "052")}
"""Title codes from 三级 to 高级 (primary series 41x, secondary series 05x, GB/T 8561)."""


class TeacherModel:
    """The teaching staff of one district.

    Args:
        config: The run's configuration.
        district: The district.
    """

    def __init__(self, config: SynthConfig, district: District) -> None:
        self.config = config
        self.district = district
        self.serial = 0
        self.latest_birth = date_days(config.start_year - 22, 8, 31)
        self.book = SequenceBook(block_of(district), BEIJING + PROVINCES, date_days(1955, 1, 1), self.latest_birth + 1)
        self.staff: pl.DataFrame | None = None

    def need(self, classes: pl.DataFrame) -> pl.DataFrame:
        """Teachers needed per (school, stage) for a year's classes (``school``, ``stage``, ``n_classes``)."""
        ratio = pl.col("stage").replace_strict(TEACHERS_PER_CLASS, return_dtype=pl.Float64)
        per_school = pl.lit(TEACHERS_PER_SCHOOL) / pl.col("stage").n_unique().over("school")
        return (
            classes.group_by("school", "stage")
            .agg(pl.len().alias("n_classes"))
            .with_columns((pl.col("n_classes") * ratio + per_school).round().cast(pl.Int64).alias("need"))
        )

    def year(self, year: int, classes: pl.DataFrame) -> pl.DataFrame:
        """The staff of school year ``year`` (retirements and leavers out, new hires in, titles updated)."""
        rng = stream(self.config.seed, "teachers", self.district.index, year)
        need = self.need(classes).sort("school", "stage")
        staff = self.staff if self.staff is not None else self._hire(rng, need, year, first=True)
        if self.staff is not None:
            age = (date_days(year, 9, 1) - staff.get_column("birth_day").to_numpy()) / 365.25
            retire_age = np.where(staff.get_column("male").to_numpy(), 60, 55)
            stays = (age < retire_age) & (rng.random(staff.height) > 0.03)
            staff = staff.filter(pl.Series(stays))
            have = staff.group_by("school", "stage").agg(pl.len().alias("have"))
            gap = need.join(have, on=["school", "stage"], how="left").with_columns(
                (pl.col("need") - pl.col("have").fill_null(0)).clip(0).alias("need")
            )
            staff = pl.concat([staff, self._hire(rng, gap, year, first=False)])
        staff = _with_principals(staff, rng)
        self.staff = staff
        return staff.with_columns(_titles(staff, year))

    def _hire(self, rng: np.random.Generator, need: pl.DataFrame, year: int, *, first: bool) -> pl.DataFrame:
        school = np.repeat(need.get_column("school").to_numpy(), need.get_column("need").to_numpy()).astype(str)
        stage = np.repeat(need.get_column("stage").to_numpy(), need.get_column("need").to_numpy()).astype(np.int8)
        n = len(school)
        male = rng.random(n) >= np.vectorize(FEMALE_SHARE.get)(stage) if n else np.zeros(0, bool)
        age = rng.uniform(23, 58, n) if first else rng.uniform(23, 35, n)
        birth = np.minimum((date_days(year, 9, 1) - age * 365.25).astype(np.int64), self.latest_birth)
        region = np.where(rng.random(n) < 0.55, rng.choice(BEIJING, n), rng.choice(PROVINCES, n))
        id_number = id_numbers(region, birth, self.book.take(region, birth, male))
        start_age = rng.uniform(22, 26, n)
        hire = np.maximum(birth + (start_age * 365.25).astype(np.int64), birth + 366)
        hire = np.minimum(hire, date_days(year, 8, 31))
        subject = np.empty(n, dtype=object)
        for s in range(3):
            idx = np.flatnonzero(stage == s)
            shares = teacher_subject_shares(s)
            subject[idx] = np.array(list(shares))[rng.choice(len(shares), len(idx), p=list(shares.values()))]
        serial = self.serial + np.arange(n)
        self.serial += n
        return pl.DataFrame(
            {
                "teacher_id": np.char.add(f"T{self.district.index + 1:02d}", padded(serial, 7)),
                "name": full_names(rng, male, "adult"),
                "male": male,
                "birth_day": birth,
                "id_number": id_number,
                "school": school,
                "stage": stage,
                "education_level": rng.choice(["10", "20", "30"], n, p=[0.3, 0.65, 0.05]),
                "subject": subject.astype(str),
                "hire_day": hire,
                "phone": phones(rng, n),
                "rank_offset": rng.normal(0, 3, n),
                "is_principal": np.zeros(n, dtype=bool),
            },
            schema_overrides={"stage": pl.Int8, "birth_day": pl.Int64, "hire_day": pl.Int64, "school": pl.String},
        )


def _with_principals(staff: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Keep each school's principal; a school without one appoints its most senior teacher aged under 57."""
    has = staff.group_by("school").agg(pl.col("is_principal").any().alias("has"))
    candidates = staff.join(has, on="school").filter(~pl.col("has"))
    chosen = (
        candidates.with_columns(pl.Series("jitter", rng.random(candidates.height)))
        .filter(pl.col("birth_day") > pl.col("birth_day").min().over("school") + 365 * 2)
        .sort("hire_day", "jitter")
        .group_by("school", maintain_order=True)
        .first()
        .get_column("teacher_id")
    )
    return staff.with_columns(
        (pl.col("is_principal") | pl.col("teacher_id").is_in(chosen.implode())).alias("is_principal")
    )


def _titles(staff: pl.DataFrame, year: int) -> pl.Expr:
    """Title from years of service (plus a personal offset): 未评, 三级 … 高级, 正高级 for a few."""
    service = (date_days(year, 9, 1) - pl.col("hire_day")) / 365.25 + pl.col("rank_offset")
    level = (
        pl.when(service < 1).then(-1).when(service < 3).then(0).when(service < 8).then(1)
        .when(service < 18).then(2).when(service < 36).then(3).otherwise(4)
    )  # fmt: skip
    series = pl.when(pl.col("stage") == 0).then(0).otherwise(1)
    mapping = {(s, lv): code for s, codes in TITLES.items() for lv, code in enumerate(codes)}
    key = series.cast(pl.String) + "-" + level.cast(pl.String)
    table = {f"{s}-{lv}": c for (s, lv), c in mapping.items()} | {
        "0--1": "EB99",
        "1--1": "EB99",
        "0-4": "EB01",
        "1-4": "EB01",
    }
    del staff
    return key.replace_strict(table, return_dtype=pl.String).alias("title")
