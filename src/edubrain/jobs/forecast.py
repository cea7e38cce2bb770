"""The place-forecast jobs: extract aggregates from the lake, forecast, write the derived forecast datasets.

``edubrain forecast places`` writes ``place_forecasts`` and ``place_history`` (the observed pupils the
forecast starts from) in one run; ``edubrain forecast backtest`` writes ``place_backtests``.

Only counts leave the lake: pupils per district, school year and grade
(a DuckDB group-by over the students table's files), births per district
and year, planned places per district and stage. Aggregates are not
personal data, so the job reads the lake directly rather than through the
per-person read path.

``students`` is a current-state dataset (each school's roster replaces the
last one), so the pupils of past school years are read from the table's
versions: every data file of every version is counted once (files are
immutable) by the engine-neutral transform ``enrollment_per_file``, then
each school's count for a school year is taken from the newest version
that still holds that school's roster of that year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa

from edubrain.analytics.forecast import (
    EnrollmentHistory,
    ForecastError,
    ForecastSettings,
    PlaceForecast,
    Scenario,
    ScenarioError,
    backtest_forecasts,
    forecast_places,
    mape_by_horizon,
    place_gaps,
    scenario_from_text,
)
from edubrain.analytics.forecast.stages import GRADE_CODES, STAGE_CODES
from edubrain.home import Home
from edubrain.jobs.derived import write_derived
from edubrain.jobs.engine import open_engine
from edubrain.jobs.lakefiles import file_lifetimes
from edubrain.jobs.transforms import run

CITY = "110000"
"""The district code of the city total."""


@dataclass(frozen=True)
class ForecastInputs:
    """The aggregates a forecast needs, and the lake version each was read at."""

    history: EnrollmentHistory
    capacity: pl.DataFrame
    versions: dict[str, int | None]


def read_inputs(home: Home) -> ForecastInputs:
    """Pupils by district, year and grade; births; planned places; with the input versions.

    Raises:
        ForecastError: the lake holds no students, schools or births.
    """
    versions = {name: home.lake.version(name) for name in ("students", "births", "schools")}
    missing = [name for name, v in versions.items() if v is None]
    if missing:
        raise ForecastError(
            f"湖中没有以下数据集，无法预测：{missing}（先提交数据，如 edubrain synth --load）",
            f"the lake holds none of {missing}, so there is nothing to forecast from (submit data first)",
        )
    schools = pl.from_arrow(
        home.lake.read(
            home.catalog.dataset("schools"),
            versions["schools"],
            columns=[
                "school_code",
                "district_code",
                "planned_places_primary",
                "planned_places_junior",
                "planned_places_senior",
            ],
        )
    )
    assert isinstance(schools, pl.DataFrame)
    births = pl.from_arrow(
        home.lake.read(home.catalog.dataset("births"), versions["births"], columns=["district_code", "year", "births"])
    )
    assert isinstance(births, pl.DataFrame)
    enrollment = enrollment_by_year(home, schools.select("school_code", "district_code"), versions["students"])
    history = EnrollmentHistory.from_tables(enrollment, births)
    return ForecastInputs(history, capacity_by_district(schools), versions)


def enrollment_by_year(home: Home, schools: pl.DataFrame, version: int | None = None) -> pl.DataFrame:
    """Registered pupils per district, school year and grade (1–12), from every version of ``students``.

    The count per data file is the registered lake transform ``enrollment_per_file``, run on the
    configured engine (DuckDB or Spark); only its small result is joined here.

    Args:
        home: The EduBrain home.
        schools: ``school_code`` and ``district_code`` of every school.
        version: The last version of ``students`` to read (default the newest).
    """
    lifetimes, newest = file_lifetimes(home.lake, "students", version)
    engine = open_engine(home.settings)
    try:
        counted, _ = run(home, engine, "enrollment_per_file", {"students": newest})
    finally:
        engine.close()
    per_file = pl.from_arrow(counted)
    assert isinstance(per_file, pl.DataFrame)
    rows = per_file.rename({"_file": "file"}).join(lifetimes.select("file", "added", "removed"), on="file")
    # a school's roster of a year is last complete in the version before the one that replaced it
    last_seen = rows.group_by(["school_code", "school_year"]).agg(
        pl.col("removed").sub(1).fill_null(newest).max().alias("seen")
    )
    live = (pl.col("added") <= pl.col("seen")) & (pl.col("removed").is_null() | (pl.col("removed") > pl.col("seen")))
    grades = pl.DataFrame({"grade": list(GRADE_CODES), "grade_number": list(GRADE_CODES.values())})
    return (
        rows.join(last_seen, on=["school_code", "school_year"])
        .filter(live)
        .join(grades, on="grade")
        .join(schools, on="school_code")
        .group_by(["district_code", "school_year", pl.col("grade_number").alias("grade")])
        .agg(pl.col("students").sum().cast(pl.Int64))
        .sort(["district_code", "school_year", "grade"])
    )


def capacity_by_district(schools: pl.DataFrame) -> pl.DataFrame:
    """Planned places per district and stage (primary, junior, senior)."""
    return (
        schools.unpivot(
            on=[f"planned_places_{s}" for s in STAGE_CODES],
            index="district_code",
            variable_name="stage",
            value_name="places",
        )
        .with_columns(pl.col("stage").str.replace("planned_places_", ""))
        .group_by(["district_code", "stage"])
        .agg(pl.col("places").fill_null(0).sum())
        .sort(["district_code", "stage"])
    )


def read_scenario(path: Path) -> Scenario:
    """Read a scenario file (YAML, or JSON by its ``.json`` suffix).

    Raises:
        ScenarioError: the file cannot be read or a field is invalid (the message names the file and field).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            f"无法读取情景文件 {path}：{exc}", f"cannot read scenario file {path}: {exc}", file=str(path)
        ) from exc
    return scenario_from_text(text, str(path))


@dataclass(frozen=True)
class PlaceForecastRun:
    """What ``run_place_forecast`` computed (and wrote, unless asked not to).

    Attributes:
        forecasts: The base forecast first, then one per scenario.
        gaps: Forecast, planned places and gap per scenario, district (and city), stage and school year.
        version: The version of ``place_forecasts`` written (None when not written).
        history_version: The version of ``place_history`` written in the same run (None when not written).
    """

    forecasts: list[PlaceForecast]
    gaps: pl.DataFrame
    version: int | None
    history_version: int | None = None


def run_place_forecast(
    home: Home,
    horizon: int = 10,
    scenarios: list[Scenario] | None = None,
    settings: ForecastSettings | None = None,
    write: bool = True,
) -> PlaceForecastRun:
    """Forecast places for every district and stage; replace ``place_forecasts`` and ``place_history``.

    ``place_history`` is the observed pupils the forecast starts from (the fan chart's history line),
    written in the same run from the same input versions, so a page reads both and never the students table.

    Args:
        home: The EduBrain home.
        horizon: School years to forecast (1–30).
        scenarios: Scenarios forecast beside the base (rows keyed by scenario name).
        settings: Method parameters.
        write: Write the derived dataset (one atomic lake version with lineage).
    """
    inputs = read_inputs(home)
    forecasts = forecast_places(inputs.history, horizon, settings, scenarios or [])
    gaps = pl.concat([place_gaps(f, inputs.capacity) for f in forecasts])
    version = history_version = None
    if write:
        history_version = write_history(home, inputs)
        rows = gaps.with_columns(
            pl.col("stage").replace_strict(STAGE_CODES),
            pl.lit(forecasts[0].origin).alias("origin_year"),
            pl.col("planned_places").cast(pl.Int64),
            pl.col("gap_opens_year").cast(pl.Int64),
        )
        version = write_derived(
            home,
            "place_forecasts",
            _arrow(home, "place_forecasts", rows),
            job=_job("places", horizon, scenarios),
            inputs=inputs.versions,
        )
    return PlaceForecastRun(forecasts, gaps, version, history_version)


def write_history(home: Home, inputs: ForecastInputs) -> int:
    """Replace ``place_history`` with the observed pupils per district (and city), stage and school year.

    Counts only (:meth:`EnrollmentHistory.stage_table`); the lineage records the ``students`` and ``schools``
    versions they were counted from.

    Returns:
        The lake version written.
    """
    rows = inputs.history.stage_table(CITY).with_columns(
        pl.col("stage").replace_strict(STAGE_CODES), pl.col("students").round().cast(pl.Int64)
    )
    versions = {k: v for k, v in inputs.versions.items() if k != "births"}
    return write_derived(
        home, "place_history", _arrow(home, "place_history", rows), job="forecast.history", inputs=versions
    )


def run_backtest(
    home: Home, horizons: int = 5, settings: ForecastSettings | None = None, write: bool = True
) -> tuple[pl.DataFrame, int | None]:
    """Rolling-origin backtest of the cohort method and the baselines; replace ``place_backtests``.

    Returns:
        The MAPE table (see :func:`edubrain.analytics.forecast.mape_by_horizon`) and the lake version written.
    """
    inputs = read_inputs(home)
    mape = mape_by_horizon(backtest_forecasts(inputs.history, settings, horizons))
    version = None
    if write:
        rows = mape.rename({"n": "forecasts"}).with_columns(pl.col("stage").replace_strict(STAGE_CODES))
        versions = {k: v for k, v in inputs.versions.items() if k != "schools"}
        version = write_derived(
            home,
            "place_backtests",
            _arrow(home, "place_backtests", rows),
            job=_job("backtest", horizons, None),
            inputs=versions,
        )
    return mape, version


def _arrow(home: Home, dataset_id: str, rows: pl.DataFrame) -> pa.Table:
    return rows.select(home.catalog.dataset(dataset_id).field_names).to_arrow()


def _job(kind: str, horizon: int, scenarios: list[Scenario] | None) -> str:
    detail = {"horizon": horizon, "scenarios": [s.name for s in scenarios or []]}
    return f"forecast.{kind} " + json.dumps(detail, ensure_ascii=False, sort_keys=True)
