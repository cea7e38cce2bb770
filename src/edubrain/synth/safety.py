"""Synthetic campus safety incidents with two planted patterns and their truth.

Every school reports incidents at steady weekly rates per type (:data:`BASE_RATES`) over :data:`WEEKS` weeks from
the Monday on or before 1 September of the year before the last school year. Planted (truth in
``safety-truth/patterns.csv``: level, organisation, type, first and last week):

- ``rising_bullying``: one school (drawn) whose bullying reports (41) rise linearly from week :data:`RISE_WEEK`
  to 0.8 a week over 12 weeks and stay there;
- ``food_cluster``: one district (drawn) whose schools each report food-safety incidents (31) at 0.6 a week more
  for three weeks from :data:`CLUSTER_WEEK`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from edubrain.analytics.safety.warnings import monday
from edubrain.catalog.registry import Catalog
from edubrain.synth.config import SynthConfig
from edubrain.synth.rng import stream
from edubrain.synth.writer import TableWriter

BASE_RATES = {"21": 0.12, "22": 0.01, "23": 0.003, "24": 0.02, "31": 0.01, "32": 0.03, "41": 0.03, "42": 0.005,
              "99": 0.02}  # fmt: skip
"""Incidents a week per school and type in control."""
WEEKS, RISE_WEEK, CLUSTER_WEEK = 96, 50, 70
TRUTH = Path("safety-truth") / "patterns.csv"
PLACES = {"21": "2", "22": "7", "23": "9", "24": "5", "31": "3", "32": "1", "41": "6", "42": "7", "99": "9"}
"""The usual place of a type (the others drawn)."""


def start_of(end_year: int) -> dt.date:
    """The first Monday of the synthetic horizon."""
    return monday(dt.date(end_year - 1, 9, 1))


def weekly_rates(n_schools: int, bully: int, cluster: np.ndarray) -> np.ndarray:
    """Schools × types × weeks expected counts, with the planted patterns."""
    types = list(BASE_RATES)
    lam = np.repeat(np.array(list(BASE_RATES.values()))[None, :, None], n_schools, axis=0).repeat(WEEKS, axis=2)
    if bully >= 0:
        ramp = np.clip((np.arange(WEEKS) - RISE_WEEK) / 12, 0, 1)
        lam[bully, types.index("41"), :] += ramp * (0.8 - BASE_RATES["41"])
    lam[cluster, types.index("31"), CLUSTER_WEEK : CLUSTER_WEEK + 3] += 0.6
    return lam


def school_incidents(
    seed: int, schools: pl.DataFrame, end_year: int, plant: bool = True
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Incidents of ``schools`` (``school_code``, ``district_code``) and the planted truth."""
    rng = stream(seed, "safety", end_year)
    ordered = schools.select("school_code", "district_code").unique().sort("school_code")
    n = ordered.height
    codes, districts = ordered["school_code"].to_list(), ordered["district_code"].to_list()
    bully = int(rng.integers(0, n)) if plant and n else -1
    chosen = sorted(set(districts))[int(rng.integers(0, len(set(districts))))] if plant and n else None
    cluster = np.array([d == chosen for d in districts], dtype=bool) if n else np.zeros(0, dtype=bool)
    counts = rng.poisson(weekly_rates(n, bully, cluster))
    s, ty, w = np.nonzero(counts)
    reps = counts[s, ty, w]
    s, ty, w = np.repeat(s, reps), np.repeat(ty, reps), np.repeat(w, reps)
    types = np.array(list(BASE_RATES))
    start = start_of(end_year)
    m = s.size
    usual = np.array([PLACES[t] for t in types[ty]]) if m else np.array([], dtype=str)
    place = np.where(rng.random(m) < 0.7, usual, rng.choice(list("123456789"), m))
    frame = pl.DataFrame({
        "school_code": np.array(codes, dtype=object)[s].tolist() if m else [],
        "incident_date": [start + dt.timedelta(days=int(7 * wk + d)) for wk, d in zip(w, rng.integers(0, 5, m), strict=True)],
        "time_band": rng.choice(list("123459"), m).tolist(), "place": place.tolist(),
        "incident_type": types[ty].tolist(), "severity": np.where(rng.random(m) < 0.85, "5", "4").tolist(),
        "injured_count": rng.poisson(0.4, m).tolist(), "reported_in_time": (rng.random(m) < 0.92).tolist(),
    }, schema_overrides={"school_code": pl.String, "incident_date": pl.Date, "injured_count": pl.Int64})  # fmt: skip
    frame = frame.sort("school_code", "incident_date", "incident_type").with_columns(
        pl.format(
            "SI{}{}", pl.col("school_code"), pl.int_range(pl.len()).over("school_code").cast(pl.String).str.zfill(5)
        ).alias("incident_id"),
        pl.lit("合成数据").alias("description"),
    )
    rows = []
    if bully >= 0:
        rows.append(("school", codes[bully], districts[bully], "41", "rising_bullying", RISE_WEEK, WEEKS))
    if chosen is not None:
        rows.append(("district", chosen, chosen, "31", "food_cluster", CLUSTER_WEEK, CLUSTER_WEEK + 3))
    truth = pl.DataFrame(rows, schema=["level", "org_code", "district_code", "incident_type", "planted", "start_week",
                                       "end_week"], orient="row")  # fmt: skip
    return frame, truth


DATASETS = ("campus_safety_incidents",)
"""The datasets this module writes into the synthetic city."""


def write_safety(config: SynthConfig, catalog: Catalog, schools: pl.DataFrame, manifest: pl.DataFrame) -> pl.DataFrame:
    """Write each school's incidents of the last school year and the truth; return the manifest with them added."""
    chosen = schools if config.districts is None else schools.filter(pl.col("district_code").is_in(config.districts))
    incidents, truth = school_incidents(config.seed, chosen, config.end_year)
    if incidents.is_empty():
        return manifest
    (config.out / TRUTH).parent.mkdir(parents=True, exist_ok=True)
    truth.write_csv(config.out / TRUTH)
    writer = TableWriter(config.out, catalog)
    district = dict(chosen.select("school_code", "district_code").iter_rows())
    dataset = catalog.dataset(DATASETS[0])
    entries = []
    for (code,), part in incidents.partition_by("school_code", as_dict=True, maintain_order=True).items():
        written = writer.write(part.select(dataset.field_names), dataset.id,
                               f"{district[code]}/{code}/{config.end_year}-{dataset.id}", "utf8-bom")  # fmt: skip
        entries.append({
            "path": written.path.relative_to(config.out).as_posix(), "dataset": dataset.id, "org": code,
            "school_year": config.end_year, "mode": "upsert", "format": written.file_format, "rows": written.rows,
            "district": district[code], "expected": None,
        })  # fmt: skip
    start = 1 if manifest.is_empty() else int(manifest.get_column("seq").cast(pl.Int64).max()) + 1  # type: ignore[arg-type]
    added = pl.DataFrame(entries, schema={c: t for c, t in manifest.schema.items() if c != "seq"})
    added = added.with_row_index("seq", offset=start).with_columns(pl.col("seq").cast(pl.Int64))
    return pl.concat([manifest, added.select(manifest.columns)])


def read_truth(root: Path) -> pl.DataFrame:
    """The planted patterns of a generated city."""
    return pl.read_csv(root / TRUTH, schema_overrides={"org_code": pl.String, "district_code": pl.String,
                                                        "incident_type": pl.String})  # fmt: skip


def evaluate_seeds(seeds: range) -> list[dict[str, object]]:
    """Score the warning rule on one synthetic city per seed (40 schools in four districts), pooled per level."""
    from edubrain.analytics.safety import evaluate_warnings

    schools = pl.DataFrame({
        "school_code": [f"1101{d:02d}{i:04d}" for d in (1, 5, 8, 12) for i in range(10)],
        "district_code": [f"1101{d:02d}" for d in (1, 5, 8, 12) for _ in range(10)],
    })  # fmt: skip
    pooled: dict[str, list[object]] = {"school": [], "district": []}
    for seed in seeds:
        incidents, truth = school_incidents(seed, schools, 2025)
        for level, score in evaluate_warnings(incidents, schools, truth, start_of(2025), WEEKS).items():
            pooled[level].append(score)
    out = []
    for level, scores in pooled.items():
        delays = [s.mean_delay for s in scores if s.detected]  # type: ignore[attr-defined]
        monitored = sum(s.false_alarms / s.false_alarms_per_100_days * 100 for s in scores if s.false_alarms)  # type: ignore[attr-defined]
        false = sum(s.false_alarms for s in scores)  # type: ignore[attr-defined]
        out.append({
            "level": level, "patterns": sum(s.bursts for s in scores), "detected": sum(s.detected for s in scores),  # type: ignore[attr-defined]
            "mean_delay_weeks": round(float(np.mean(delays)), 1) if delays else None,
            "median_delay_weeks": float(np.median(delays)) if delays else None,
            "false_alarms_per_100_series_weeks": round(100 * false / monitored, 3) if monitored else 0.0,
        })  # fmt: skip
    return out
