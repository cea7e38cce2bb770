"""Planted training shortfalls, with known truth, for testing training coverage and its forecast.

The generator tops everyone up to 72 hours a year (:func:`edubrain.synth.staffing.training_records`), so a
synthetic city has no shortfall but the ones planted here, in the year's ``training_records`` of one district:

- ``principal_short`` / ``teacher_short``: a principal (12 % a year) or a teacher (4 %) whose hours of the year are
  cut to 4–30 in all (every course scaled down, at least 1 hour each): below 32, so below either target;
- ``untrained``: about 1 % of the staff, picked by their id (the same people every year), have no training at all
  in the last three years of the city; a year of theirs is listed when it is visible to the platform — they taught
  a class that year, or it is the last year (they are on the current register);
- ``untrained_3y``: those of them on the last year's staff, untrained in the whole three-year window (listed once,
  in the last year, when the city has at least three years);
- ``late_start``: a member of staff (3 % a year) whose courses all start after 15 July: the target is met, but
  the forecast of 30 June sees nothing yet (a trap for the forecast's precision).

:func:`plant_training` writes the truth beside the generated data in ``training-truth/<district>-<year>.csv``
(not in the manifest, never loaded): ``kind``, ``teacher_id``, ``school_code``, ``year``, ``is_principal`` (the
role that year) and ``hours`` (the year's hours after planting). :func:`read_truth` reads them all.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from edubrain.synth.assemble import day_to_date
from edubrain.synth.config import SynthConfig
from edubrain.synth.facts import District
from edubrain.synth.ids import date_days
from edubrain.synth.rng import stream

TRUTH_FOLDER = "training-truth"
"""Folder (under the generated city's root) of the truth files, one CSV per district and year."""
WINDOW_YEARS = 3
"""The plan's coverage window (“三年实现全覆盖”)."""
UNTRAINED = 0.01
SHORT = {True: 0.12, False: 0.04}
"""Share of principals (True) and of teachers (False) planted short of the target in a year."""
LATE = 0.03
SHORT_HOURS = (4, 30)
KINDS = ("principal_short", "teacher_short", "untrained", "untrained_3y", "late_start")
TRUTH_SCHEMA = {
    "kind": pl.String,
    "teacher_id": pl.String,
    "school_code": pl.String,
    "year": pl.Int64,
    "is_principal": pl.Boolean,
    "hours": pl.Float64,
}


def truth_path(root: Path, district_code: str, year: int) -> Path:
    """Where the truth of one district and year is written."""
    return root / TRUTH_FOLDER / f"{district_code}-{year}.csv"


def read_truth(root: Path) -> pl.DataFrame:
    """Every planted training shortfall of the city generated under ``root`` (:data:`TRUTH_SCHEMA`)."""
    files = sorted((root / TRUTH_FOLDER).glob("*.csv"))
    frames = [pl.read_csv(f, schema=TRUTH_SCHEMA) for f in files]
    return pl.concat(frames) if frames else pl.DataFrame(schema=TRUTH_SCHEMA)


def untrained_people(ids: pl.Expr, seed: int) -> pl.Expr:
    """Whether a teacher id is one of the ~1 % left untrained (a stable hash of its digits, the same every year)."""
    digits = ids.str.slice(1).cast(pl.Int64)
    return ((digits * 2654435761 + (seed & 0xFFFF)) % 10007) < int(UNTRAINED * 10007)


def plant_training(
    tables: dict[str, pl.DataFrame], staff: pl.DataFrame, config: SynthConfig, district: District, year: int
) -> pl.DataFrame:
    """The year's ``training_records`` with shortfalls planted; their truth written (see the module docstring).

    Args:
        tables: The district's tables of the year (:func:`edubrain.synth.assemble.year_tables`).
        staff: The year's staff (``teacher_id``, ``school``, ``is_principal``).
        config: The run's configuration (seed, last year, output folder).
        district: The district.
        year: The school year (training year).
    """
    records = tables["training_records"]
    people = staff.select("teacher_id", pl.col("school").alias("school_code"), "is_principal")
    recent = year > config.end_year - WINDOW_YEARS
    people = people.with_columns((untrained_people(pl.col("teacher_id"), config.seed) & recent).alias("untrained"))
    rng = stream(config.seed, "training-gaps", district.index, year)
    draw = rng.random(people.height)
    short_rate = np.where(people.get_column("is_principal").to_numpy(), SHORT[True], SHORT[False])
    free = ~people.get_column("untrained").to_numpy()
    people = people.with_columns(
        pl.Series("short", free & (draw < short_rate)), pl.Series("late", free & (draw >= 1 - LATE))
    )
    records = records.filter(~pl.col("teacher_id").is_in(_ids(people, "untrained").implode()))
    records = _cut(records, _ids(people, "short"), rng)
    records = _late(records, _ids(people, "late"), rng, year)
    _write_truth(tables, people, records, config, district, year)
    return records


def _ids(people: pl.DataFrame, flag: str) -> pl.Series:
    return people.filter(pl.col(flag)).get_column("teacher_id")


def _with_dates(records: pl.DataFrame, hours: pl.Expr, start: pl.Expr) -> pl.DataFrame:
    """Records with new hours and start days, their end days (a course of h hours takes ceil(h/8) days) and dates."""
    records = records.with_columns(hours.alias("hours"), start.alias("start_day"))
    records = records.with_columns(
        (pl.col("start_day") + (pl.col("hours") / 8).ceil().cast(pl.Int64) - 1).alias("end_day")
    )
    return records.with_columns(day_to_date("start_day").alias("start_date"), day_to_date("end_day").alias("end_date"))


def _cut(records: pl.DataFrame, ids: pl.Series, rng: np.random.Generator) -> pl.DataFrame:
    """Scale the courses of ``ids`` down to 4–30 hours a person (at least 1 hour a course)."""
    chosen = pl.DataFrame({"teacher_id": ids, "_to": rng.integers(SHORT_HOURS[0], SHORT_HOURS[1] + 1, ids.len())})
    marked = records.join(chosen.with_columns(pl.col("_to").cast(pl.Float64)), on="teacher_id", how="left")
    total = pl.col("hours").sum().over("teacher_id")
    scaled = pl.max_horizontal((pl.col("hours") * pl.col("_to") / total).floor(), pl.lit(1.0))
    hours = pl.when(pl.col("_to").is_not_null()).then(scaled).otherwise(pl.col("hours"))
    return _with_dates(marked, hours, pl.col("start_day")).drop("_to").select(records.columns)


def _late(records: pl.DataFrame, ids: pl.Series, rng: np.random.Generator, year: int) -> pl.DataFrame:
    """Move every course of ``ids`` to a start between 15 July and 30 November."""
    start = pl.Series(date_days(year, 7, 15) + rng.integers(0, 139, records.height), dtype=pl.Int64)
    moved = pl.when(pl.col("teacher_id").is_in(ids.implode())).then(start).otherwise(pl.col("start_day"))
    return _with_dates(records, pl.col("hours"), moved).select(records.columns)


def _write_truth(
    tables: dict[str, pl.DataFrame],
    people: pl.DataFrame,
    records: pl.DataFrame,
    config: SynthConfig,
    district: District,
    year: int,
) -> None:
    """The planted rows of the year, as the platform can see them (module docstring), to :func:`truth_path`."""
    hours = records.group_by("teacher_id").agg(pl.col("hours").sum())
    rows = people.join(hours, on="teacher_id", how="left").with_columns(pl.col("hours").fill_null(0.0))
    taught = tables["teacher_assignments"].get_column("teacher_id").unique().implode()
    last = year == config.end_year
    visible = pl.col("teacher_id").is_in(taught) | pl.lit(last)
    role_short = pl.when(pl.col("is_principal")).then(pl.lit("principal_short")).otherwise(pl.lit("teacher_short"))
    parts = [
        rows.filter(pl.col("short")).with_columns(role_short.alias("kind")),
        rows.filter(pl.col("untrained") & visible).with_columns(pl.lit("untrained").alias("kind")),
        rows.filter(pl.col("late")).with_columns(pl.lit("late_start").alias("kind")),
    ]
    if last and config.years >= WINDOW_YEARS:
        parts.append(rows.filter(pl.col("untrained")).with_columns(pl.lit("untrained_3y").alias("kind")))
    truth = pl.concat(parts).with_columns(pl.lit(year, pl.Int64).alias("year")).select(list(TRUTH_SCHEMA))
    path = truth_path(config.out, district.code, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    truth.sort("kind", "teacher_id").write_csv(path)
