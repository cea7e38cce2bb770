"""Monthly attendance and planted students at risk, with known truth, for the early warning (学业预警).

``student_attendance`` is generated for the last school year of the city only (ten school months, September to
July, without February's winter holiday): every pupil misses a few days for illness (about 2 % of the days, the
usual rate), rarely a day of personal leave and almost never a day unexcused.

In the same year, among pupils of grade 4 and above (so that a previous year's exam exists), some are planted
**at risk** — two or more converging signals, the pattern early-warning systems look for (attendance, behaviour,
course performance) — and others as **distractors**, with one weak signal only, so that precision means something:

- ``disengaging`` (at risk): the year's exam scores cut to 72 %, and 2–4 unexcused days in each of the last three
  months (May–July);
- ``health`` (at risk): 3–6 days ill in each of November–March, fitness falling (timed runs 35 % slower, other
  items 40 % lower, sit and reach 5 cm less), 休学 (11) in November and 复学 (12) in March;
- ``conduct`` (at risk, grade 5 and above): a disciplinary record (处分) in term 2, a conduct rating of 合格 at
  best, 2–4 unexcused days in each of the last three months and scores cut to 85 %;
- ``exam_dip`` (distractor): scores cut to 78 % and nothing else;
- ``sick_month`` (distractor): 8–10 days ill in November and nothing else;
- ``fitness_dip`` (distractor): the fitness fall of ``health`` and nothing else.

:func:`plant_at_risk` writes the truth beside the generated data in ``at-risk-truth/<district>.csv`` (not in the
manifest, never loaded): ``kind``, ``at_risk``, ``student_id``, ``school_code``, ``class_id``, ``school_year``.
:func:`read_truth` reads every district's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from edubrain.synth.config import SynthConfig
from edubrain.synth.facts import GRADES, District
from edubrain.synth.rng import stream

TRUTH_FOLDER = "at-risk-truth"
MONTHS = (9, 10, 11, 12, 1, 3, 4, 5, 6, 7)
"""School months in order; February is the winter holiday."""
DAYS_DUE = (20, 16, 21, 22, 12, 21, 20, 19, 20, 5)
"""School days of each month (National Day week in October, the exams and holidays in January and July)."""
ILLNESS_PER_DAY = 0.02
PERSONAL_PER_DAY = 0.003
UNEXCUSED_PER_DAY = 0.0005
AT_RISK_KINDS = ("disengaging", "health", "conduct")
DISTRACTOR_KINDS = ("exam_dip", "sick_month", "fitness_dip")
SHARE = 0.012
"""Share of eligible pupils planted per kind (six kinds: about 7 % of them touched, 3.6 % at risk)."""
ELIGIBLE_GRADE = 3
"""Grade index (0 = grade 1) from which a pupil is eligible: grade 4 sat an exam the year before."""
SCORE_FACTOR = {"disengaging": 0.72, "conduct": 0.85, "exam_dip": 0.78}
TIMED = {"sprint_50m_s": (5, 30), "shuttle_run_50x8_s": (60, 400), "run_800m_s": (120, 600), "run_1000m_s": (120, 600)}
"""Timed items (slower is worse) and their catalog bounds."""
COUNTED = {
    "vital_capacity_ml": (300, 9999),
    "rope_skipping_count": (0, 300),
    "sit_ups_count": (0, 100),
    "standing_long_jump_cm": (30, 350),
    "pull_ups_count": (0, 60),
}
"""Items where less is worse and their catalog bounds (sit and reach, which may be negative, falls by 5 cm)."""
INTEGER_ITEMS = ("vital_capacity_ml", "rope_skipping_count", "sit_ups_count", "pull_ups_count")
SANCTION = "警告：多次旷课"
SANCTION_GRADE = 4
"""Grade index from which a disciplinary record is planted (grade 5 up, as the generator's own sanctions)."""
TRUTH_SCHEMA = {
    "kind": pl.String,
    "at_risk": pl.Boolean,
    "student_id": pl.String,
    "school_code": pl.String,
    "class_id": pl.String,
    "school_year": pl.Int64,
}


def truth_path(root: Path, district_code: str) -> Path:
    """Where the truth of one district is written."""
    return root / TRUTH_FOLDER / f"{district_code}.csv"


def read_truth(root: Path) -> pl.DataFrame:
    """Every planted pupil of the city generated under ``root`` (:data:`TRUTH_SCHEMA`)."""
    files = sorted((root / TRUTH_FOLDER).glob("*.csv"))
    frames = [pl.read_csv(f, schema=TRUTH_SCHEMA) for f in files]
    return pl.concat(frames) if frames else pl.DataFrame(schema=TRUTH_SCHEMA)


def attendance_columns() -> dict[str, type[pl.DataType]]:
    """The columns of ``student_attendance`` and their types."""
    ints = ("school_year", "month", "term", "days_due", "days_present")
    absent = ("absent_illness_days", "absent_personal_days", "absent_unexcused_days")
    return {
        "student_id": pl.String, "school_code": pl.String, "class_id": pl.String,
        **dict.fromkeys((*ints, *absent), pl.Int64), "main_absence_reason": pl.String,
    }  # fmt: skip


def _choose(students: pl.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """A kind (index into the six kinds) or -1 for every pupil of the roster."""
    grade_index = (
        students.get_column("grade").cast(pl.Int64).replace_strict({g: i for i, g in enumerate(GRADES)}, default=-1)
    )
    eligible = grade_index.to_numpy() >= ELIGIBLE_GRADE
    draw = rng.random(students.height)
    kind = np.where(draw < SHARE * 6, np.floor(draw / SHARE), -1).astype(np.int64)
    kind = np.where((kind == 2) & (grade_index.to_numpy() < SANCTION_GRADE), -1, kind)  # 2: conduct
    return np.where(eligible, kind, -1)


def _absences(n: int, kinds: np.ndarray, names: tuple[str, ...], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Days absent per pupil and month, by reason (arrays of shape ``(n, 10)``)."""
    due = np.asarray(DAYS_DUE)
    illness = rng.binomial(np.broadcast_to(due, (n, len(due))), ILLNESS_PER_DAY)
    personal = rng.binomial(np.broadcast_to(due, (n, len(due))), PERSONAL_PER_DAY)
    unexcused = rng.binomial(np.broadcast_to(due, (n, len(due))), UNEXCUSED_PER_DAY)
    of = {k: kinds == names.index(k) for k in names}
    last3 = slice(7, 10)
    unexcused[of["disengaging"], last3] += rng.integers(2, 5, (int(of["disengaging"].sum()), 3))
    unexcused[of["conduct"], last3] += rng.integers(2, 5, (int(of["conduct"].sum()), 3))
    illness[of["health"], 2:6] += rng.integers(3, 7, (int(of["health"].sum()), 4))
    illness[of["sick_month"], 2] += rng.integers(8, 11, int(of["sick_month"].sum()))
    unexcused = np.minimum(unexcused, due)
    illness = np.minimum(illness, due - unexcused)
    personal = np.minimum(personal, due - unexcused - illness)
    return {"illness": illness, "personal": personal, "unexcused": unexcused}


def attendance_table(students: pl.DataFrame, kinds: np.ndarray, year: int, rng: np.random.Generator) -> pl.DataFrame:
    """The year's ``student_attendance``: one row per pupil and school month."""
    n = students.height
    names = (*AT_RISK_KINDS, *DISTRACTOR_KINDS)
    days = _absences(n, kinds, names, rng)
    months = len(MONTHS)
    due = np.broadcast_to(np.asarray(DAYS_DUE), (n, months))
    stacked = np.stack([days["illness"], days["personal"], days["unexcused"]], axis=-1)
    main = np.where(stacked.sum(-1) > 0, (np.argmax(stacked, axis=-1) + 1).astype(str), "")
    return pl.DataFrame(
        {
            "student_id": np.repeat(students.get_column("student_id").to_numpy(), months),
            "school_code": np.repeat(students.get_column("school_code").to_numpy(), months),
            "class_id": np.repeat(students.get_column("class_id").to_numpy(), months),
            "school_year": np.full(n * months, year, dtype=np.int64),
            "month": np.tile(np.asarray(MONTHS, dtype=np.int64), n),
            "term": np.tile(np.asarray([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], dtype=np.int64), n),
            "days_due": due.reshape(-1).astype(np.int64),
            "days_present": (due - stacked.sum(-1)).reshape(-1).astype(np.int64),
            "absent_illness_days": days["illness"].reshape(-1).astype(np.int64),
            "absent_personal_days": days["personal"].reshape(-1).astype(np.int64),
            "absent_unexcused_days": days["unexcused"].reshape(-1).astype(np.int64),
            "main_absence_reason": main.reshape(-1),
        }
    ).with_columns(pl.col("main_absence_reason").replace("", None))


def _cut_scores(exams: pl.DataFrame, planted: pl.DataFrame) -> pl.DataFrame:
    factor = planted.select(
        "student_id", pl.col("kind").replace_strict(SCORE_FACTOR, default=None, return_dtype=pl.Float64).alias("f")
    ).drop_nulls()
    joined = exams.join(factor, on="student_id", how="left")
    cut = ((pl.col("score") * pl.col("f").fill_null(1.0)) * 2).round() / 2
    return joined.with_columns(cut.alias("score")).drop("f")


def _weaker(tests: pl.DataFrame, who: pl.Series) -> pl.DataFrame:
    """``tests`` with the items of ``who`` worse: timed runs 35 % slower, other items 40 % lower, within bounds."""
    hit = pl.col("student_id").is_in(who.implode())

    def moved(name: str, factor: float, bounds: tuple[float, float]) -> pl.Expr:
        value = (pl.col(name) * factor).clip(*bounds)
        value = value.round(0) if name in INTEGER_ITEMS else value.round(1)
        return pl.when(hit).then(value.cast(tests.schema[name])).otherwise(pl.col(name)).alias(name)

    return tests.with_columns(
        *[moved(c, 1.35, b) for c, b in TIMED.items() if c in tests.columns],
        *[moved(c, 0.6, b) for c, b in COUNTED.items() if c in tests.columns],
        pl.when(hit).then((pl.col("sit_and_reach_cm") - 5).clip(-40, 50)).otherwise(pl.col("sit_and_reach_cm")),
    )


def _events(changes: pl.DataFrame, who: pl.DataFrame, year: int) -> pl.DataFrame:
    """The year's status changes with 休学 (11) in November and 复学 (12) in March for ``who``."""
    rows = [
        who.select(
            (
                pl.col("school_code") + pl.lit(f"{year}R{code}") + pl.int_range(pl.len()).cast(pl.String).str.zfill(5)
            ).alias("change_id"),
            "student_id",
            "school_code",
            pl.lit(code).alias("change_type"),
            pl.lit(day).alias("change_date"),
            pl.col("school_code").alias("from_school_code"),
            pl.lit(None, pl.String).alias("to_school_code"),
            pl.lit(reason).alias("reason"),
        )  # fmt: skip
        for code, day, reason in (
            ("11", dt.date(year, 11, 10), "因病休学"),
            ("12", dt.date(year + 1, 3, 10), "病愈复学"),
        )
    ]
    return pl.concat([changes, *(r.select(changes.columns) for r in rows)], how="vertical_relaxed")


def _sanctions(conduct: pl.DataFrame, who: pl.DataFrame, year: int) -> pl.DataFrame:
    day = pl.lit(dt.date(year + 1, 4, 15))
    added = who.select(
        (pl.col("school_code") + pl.lit(f"{year}R") + pl.int_range(pl.len()).cast(pl.String).str.zfill(6))
        .alias("record_id"),
        "student_id", "school_code", pl.lit(year, pl.Int64).alias("school_year"), pl.lit(2, pl.Int64).alias("term"),
        pl.lit("3").alias("record_type"), pl.lit(None, pl.String).alias("rating"), pl.lit(SANCTION).alias("description"),
        day.alias("record_date"),
    )  # fmt: skip
    hit = pl.col("student_id").is_in(who.get_column("student_id").implode()) & (pl.col("record_type") == "1")
    rated = conduct.with_columns(  # a sanctioned pupil is rated 合格 (3) or below, as in the generator
        pl.when(hit & (pl.col("rating") < "3")).then(pl.lit("3")).otherwise(pl.col("rating")).alias("rating")
    )
    return pl.concat([rated, added.select(conduct.columns)], how="vertical_relaxed")


def plant_at_risk(
    tables: dict[str, pl.DataFrame], config: SynthConfig, district: District, year: int
) -> dict[str, pl.DataFrame]:
    """The year's ``student_attendance`` and, in the last year, the planted pupils (see the module docstring).

    Args:
        tables: The district's tables of the year (:func:`edubrain.synth.assemble.year_tables`).
        config: The run's configuration (seed, last year, output folder).
        district: The district.
        year: The school year.

    Returns:
        The tables changed: ``student_attendance`` (empty before the last year) and, in the last year,
        ``exam_scores``, ``fitness_tests``, ``student_status_changes`` and ``student_conduct``.
    """
    if year != config.end_year:
        return {"student_attendance": pl.DataFrame(schema=attendance_columns())}
    rng = stream(config.seed, "at-risk", district.index, year)
    students = tables["students"]
    kinds = _choose(students, rng)
    names = (*AT_RISK_KINDS, *DISTRACTOR_KINDS)
    planted = (
        students.select("student_id", "school_code", "class_id")
        .with_columns(pl.Series("k", kinds))
        .filter(pl.col("k") >= 0)
    )
    planted = planted.with_columns(
        pl.col("k").replace_strict(dict(enumerate(names)), return_dtype=pl.String).alias("kind")
    )
    truth = planted.select(
        "kind", pl.col("kind").is_in(list(AT_RISK_KINDS)).alias("at_risk"), "student_id", "school_code", "class_id",
        pl.lit(year, pl.Int64).alias("school_year"),
    )  # fmt: skip
    path = truth_path(config.out, district.code)
    path.parent.mkdir(parents=True, exist_ok=True)
    truth.write_csv(path)
    weaker = planted.filter(pl.col("kind").is_in(["health", "fitness_dip"])).get_column("student_id")
    return {
        "student_attendance": attendance_table(students, kinds, year, rng),
        "exam_scores": _cut_scores(tables["exam_scores"], planted),
        "fitness_tests": _weaker(tables["fitness_tests"], weaker),
        "student_status_changes": _events(
            tables["student_status_changes"], planted.filter(pl.col("kind") == "health"), year
        ),
        "student_conduct": _sanctions(tables["student_conduct"], planted.filter(pl.col("kind") == "conduct"), year),
    }
