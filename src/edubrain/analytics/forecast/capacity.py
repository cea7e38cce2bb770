"""Planned places against forecast demand: the place gap (学位缺口) or surplus, and when a gap opens."""

from __future__ import annotations

import numpy as np
import polars as pl

from edubrain.analytics.forecast.places import CITY, PlaceForecast
from edubrain.analytics.forecast.stages import STAGES

CAPACITY_COLUMNS = ("district_code", "stage", "places")


def place_gaps(forecast: PlaceForecast, capacity: pl.DataFrame) -> pl.DataFrame:
    """The forecast's stage table with places and gaps.

    ``place_gap = demand − planned_places`` (pupils; positive is a shortage of
    places, negative a surplus); ``gap_probability`` is the share of simulated
    paths whose demand exceeds the places; ``gap_opens_year`` is the first
    forecast school year whose point demand exceeds the places (null if none).
    Places are held at today's plan over the horizon. The city row (``110000``)
    adds up the districts' places.

    Args:
        forecast: A place forecast.
        capacity: Columns ``district_code``, ``stage`` (primary|junior|senior), ``places``.
    """
    places = _places(forecast.districts, capacity)
    frames = []
    for s, stage in enumerate(STAGES):
        for city in (False, True):
            point, sims = forecast.stage_arrays(stage, city)
            cap = places[:, s].sum(keepdims=True) if city else places[:, s]
            probability = (sims > cap[None, :, None]).mean(axis=0)
            codes = [CITY] if city else list(forecast.districts)
            h = len(forecast.school_years)
            frames.append(
                pl.DataFrame(
                    {
                        "district_code": np.repeat(codes, h).tolist(),
                        "stage": [stage] * (len(codes) * h),
                        "school_year": np.tile(forecast.school_years, len(codes)).astype(np.int64),
                        "planned_places": np.repeat(cap, h).astype(np.int64),
                        "gap_probability": probability.ravel(),
                    }
                )
            )
    keys = ["district_code", "stage", "school_year"]
    table = (
        forecast.stage_table()
        .join(pl.concat(frames), on=keys)
        .with_columns((pl.col("demand") - pl.col("planned_places")).alias("place_gap"))
    )
    opens = (
        table.filter(pl.col("place_gap") > 0)
        .group_by(["district_code", "stage"])
        .agg(pl.col("school_year").min().alias("gap_opens_year"))
    )
    return table.join(opens, on=["district_code", "stage"], how="left").sort(keys)


def gap_summary(gaps: pl.DataFrame) -> pl.DataFrame:
    """One row per district and stage: places, first and peak demand, largest gap, the year a gap opens."""
    return (
        gaps.sort("school_year")
        .group_by(["scenario", "district_code", "stage"], maintain_order=True)
        .agg(
            pl.col("planned_places").first(),
            pl.col("demand").first().alias("first_year_demand"),
            pl.col("demand").max().alias("peak_demand"),
            pl.col("school_year").get(pl.col("demand").arg_max()).alias("peak_year"),
            pl.col("place_gap").max().alias("largest_gap"),
            pl.col("gap_opens_year").first(),
        )
        .sort(["scenario", "district_code", "stage"])
    )


def _places(districts: tuple[str, ...], capacity: pl.DataFrame) -> np.ndarray:
    """Places per district (rows) and stage (columns); 0 where a district plans none."""
    out = np.zeros((len(districts), len(STAGES)))
    index = {d: i for i, d in enumerate(districts)}
    stages = {s: i for i, s in enumerate(STAGES)}
    for row in capacity.iter_rows(named=True):
        if row["district_code"] in index and row["stage"] in stages:
            out[index[row["district_code"]], stages[row["stage"]]] += float(row["places"] or 0)
    return out
