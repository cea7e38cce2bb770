"""Early warning on campus safety incidents: Poisson CUSUM on weekly counts per school × type and district × type.

Uses the burst detectors of :mod:`edubrain.analytics.bursts` (Lucas 1985 Poisson CUSUM). Each series' in-control
weekly rate λ₀ is its mean over the first ``baseline_weeks`` (floored at ``floor``, so a series with no history
still has a rate); the out-of-control rate is λ₀ + 2√λ₀ (the detector's default); an alarm when the statistic
passes ``decision_interval``. A school whose bullying reports keep rising and a district whose schools report a
cluster of food-safety incidents both raise the statistic within weeks (measured in docs/campus-safety.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from edubrain.analytics.bursts import poisson_cusum

WARNING_COLUMNS = ("org_code", "level", "district_code", "incident_type", "week_start", "incidents", "baseline",
                   "statistic", "first_alarm")  # fmt: skip


@dataclass(frozen=True)
class WarningRule:
    """The detector's settings (the city's; see docs/campus-safety.md for how they were chosen)."""

    baseline_weeks: int = 26
    decision_interval: float = 4.0
    floor: float = 0.05


def monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def weekly_matrix(
    incidents: pl.DataFrame, keys: list[str], start: dt.date, weeks: int
) -> tuple[pl.DataFrame, np.ndarray]:
    """Series (distinct ``keys``) × ``weeks`` weekly counts from the Monday ``start`` on."""
    week = ((pl.col("incident_date") - pl.lit(start)).dt.total_days() // 7).cast(pl.Int64).alias("week")
    counted = (
        incidents.with_columns(week).filter((pl.col("week") >= 0) & (pl.col("week") < weeks))
        .group_by([*keys, "week"]).len()
    )  # fmt: skip
    series = counted.select(keys).unique().sort(keys).with_row_index("series")
    matrix = np.zeros((series.height, weeks))
    indexed = counted.join(series, on=keys)
    matrix[indexed["series"].to_numpy(), indexed["week"].to_numpy()] = indexed["len"].to_numpy()
    return series.drop("series"), matrix


def detect(matrix: np.ndarray, rule: WarningRule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """λ₀ per series, the CUSUM statistic and the alarms (series × weeks), monitored after the baseline."""
    if matrix.shape[0] == 0:
        empty = np.zeros(matrix.shape)
        return np.zeros(0), empty, empty.astype(bool)
    lam0 = np.maximum(matrix[:, : rule.baseline_weeks].mean(axis=1), rule.floor)
    result = poisson_cusum(
        matrix, np.repeat(lam0[:, None], matrix.shape[1], axis=1),
        decision_interval=rule.decision_interval, start_day=min(rule.baseline_weeks, matrix.shape[1] - 1),
    )  # fmt: skip
    return lam0, result.statistic, result.alarms


def safety_warnings(
    incidents: pl.DataFrame, schools: pl.DataFrame, start: dt.date, weeks: int, rule: WarningRule | None = None
) -> pl.DataFrame:
    """The alarm weeks (:data:`WARNING_COLUMNS`) of every school × type and district × type series."""
    rule = rule or WarningRule()
    frame = incidents.join(schools.select("school_code", "district_code"), on="school_code", how="left")
    parts = []
    for level, key in (("school", "school_code"), ("district", "district_code")):
        series, matrix = weekly_matrix(frame, [key, "incident_type"], start, weeks)
        lam0, stat, alarms = detect(matrix, rule)
        rows, cols = np.nonzero(alarms)
        if rows.size == 0:
            continue
        first = np.r_[True, rows[1:] != rows[:-1]] | np.r_[True, cols[1:] != cols[:-1] + 1]
        part = series[rows.tolist()].with_columns(
            pl.Series("week", cols, dtype=pl.Int64), pl.Series("incidents", matrix[rows, cols].astype(np.int64)),
            pl.Series("baseline", lam0[rows].round(4)), pl.Series("statistic", stat[rows, cols].round(3)),
            pl.Series("first_alarm", first), pl.lit(level).alias("level"),
        )  # fmt: skip
        part = part.rename({key: "org_code"})
        district = pl.col("org_code") if level == "district" else None
        if district is None:
            part = part.join(
                schools.select(pl.col("school_code").alias("org_code"), "district_code"), on="org_code", how="left"
            )
        else:
            part = part.with_columns(district.alias("district_code"))
        parts.append(part)
    if not parts:
        return pl.DataFrame(schema={c: _SCHEMA[c] for c in WARNING_COLUMNS})
    out = pl.concat([p.select([c for c in WARNING_COLUMNS if c != "week_start"] + ["week"]) for p in parts])
    out = out.with_columns((pl.lit(start) + pl.duration(weeks=pl.col("week"))).cast(pl.Date).alias("week_start"))
    return out.select(WARNING_COLUMNS).sort("level", "org_code", "incident_type", "week_start")


_SCHEMA = {
    "org_code": pl.String, "level": pl.String, "district_code": pl.String, "incident_type": pl.String,
    "week_start": pl.Date, "incidents": pl.Int64, "baseline": pl.Float64, "statistic": pl.Float64,
    "first_alarm": pl.Boolean,
}  # fmt: skip
