"""Campus IoT devices, daily readings, application usage and satisfaction surveys of the synthetic city.

For the last school year, every school gets a register of IoT devices (energy
meters, environment sensors, security devices), one reading per device, metric
and day from September to February, its users' application usage (one active
day or a few per user and month) and one satisfaction survey in December.
Volumes stay modest: a school sends about two thousand readings a month.

Planted, with the truth written beside the city in ``facility-truth/``:

- **offline devices** (``offline.csv``): in-service devices that send nothing from a month on (or for one
  month), so the device is offline in each of those whole months;
- **fault bursts** (``faults.csv``): a device that reports one fault code on 3-7 consecutive days of one
  month. No other reading carries a fault code, and no other device misses a whole month (a device misses
  a day with probability 3 %), so the derived ``facility_device_months`` must give back exactly these.
- **low-use applications** (``low_use.csv``): :data:`LOW_USE_APPS`, bought for students but opened by about
  2 % of them once a month, drawn from their own random stream (the other applications' draws are unchanged).
  Every other student and staff application is used by far more (its weekly active rate is several times the
  threshold of ``analytics/data/usage_efficiency.yaml``), so the city rows flagged ``low_use`` must name
  exactly these applications.

:func:`write_facilities` is the one call from the generator (:func:`edubrain.synth.generate.generate`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import polars as pl

from edubrain.catalog.registry import Catalog
from edubrain.synth.config import SynthConfig
from edubrain.synth.rng import stream
from edubrain.synth.writer import TableWriter

DATASETS = ("iot_devices", "iot_readings", "app_usage_events", "satisfaction_surveys")
"""Load order: the register before its readings."""
TRUTH_FOLDER = "facility-truth"
MONTHS = 6
"""Months of readings and usage, from September of the last school year."""
MISSING_DAY = 0.03
OFFLINE_SHARE = 0.08
FAULT_SHARE = 0.06
KINDS = {"11": 1, "12": 1, "21": 2, "22": 1, "31": 2, "32": 1, "33": 1}
"""Devices of each kind per school (cameras vary)."""
METRICS = {
    "11": ("elec_kwh",),
    "12": ("water_m3",),
    "21": ("temp_c", "rh_pct"),
    "22": ("pm25_ugm3", "co2_ppm"),
    "31": ("online_h",),
    "32": ("events",),
    "33": ("online_h",),
}
LOCATIONS = ("教学楼A", "教学楼B", "综合楼", "实验楼", "图书馆", "食堂", "体育馆", "校门")
APPS = {
    "bjedu-smart": ("北京智慧教育平台", ("1", "2")),
    "jiaxiao": ("家校互通", ("3", "2")),
    "campus-oa": ("校园办公系统", ("2", "4")),
}
"""Application id -> (name, roles that use it)."""
LOW_USE_APPS = {"e-reading": ("数字阅读平台", ("1",))}
"""Planted low-use applications: id -> (name, roles it was bought for)."""
LOW_USE_ADOPTION = 0.02
"""Mean share of a low-use application's users who open it in a month (once)."""
ACTIVE = {"1": 0.45, "2": 0.75, "3": 0.30, "4": 0.9}
"""Mean share of a role's users active in a month."""
RESPONDENTS = {"1": 40, "2": 25, "3": 40, "4": 3}
"""Answer sheets per school and role in the December survey (managers: a small cell, always suppressed)."""
ITEMS = ("01", "02", "03", "04", "05", "06")


def window(config: SynthConfig) -> list[dt.date]:
    """The days of readings: from September 1 of the last school year, :data:`MONTHS` whole months."""
    start = dt.date(config.end_year, 9, 1)
    after = 9 + MONTHS - 1  # months counted from January of end_year; the first month after the window
    end = dt.date(config.end_year + after // 12, after % 12 + 1, 1)
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


def _month(day: dt.date) -> int:
    return day.year * 100 + day.month


def devices(config: SynthConfig, school: str, index: int) -> pl.DataFrame:
    """One school's device register."""
    rng = stream(config.seed, "iot-devices", index)
    rows = []
    for kind, count in KINDS.items():
        n = count + (int(rng.integers(0, 2)) if kind == "31" else 0)
        for i in range(n):
            late = rng.random() < 0.05
            first = dt.date(config.end_year, 9, 15) if late else dt.date(2019, 1, 1)
            span = 60 if late else (dt.date(config.end_year, 8, 1) - first).days
            status = "1" if rng.random() > 0.05 else str(rng.choice(["2", "3"]))
            rows.append(
                {
                    "device_id": f"{school}-{kind}{i + 1:02d}",
                    "school_code": school,
                    "device_kind": kind,
                    "device_name": None,
                    "location": f"{LOCATIONS[int(rng.integers(0, len(LOCATIONS)))]}-{int(rng.integers(1, 5))}0{i + 1}",
                    "installed_date": first + dt.timedelta(days=int(rng.integers(0, span))),
                    "status": status,
                }
            )
    return pl.DataFrame(rows, schema_overrides={"device_name": pl.String})


def _plant(config: SynthConfig, register: pl.DataFrame, days: list[dt.date]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The planted offline device-months and fault bursts of the city (deterministic)."""
    rng = stream(config.seed, "iot-plant")
    months = sorted({_month(d) for d in days})
    steady = register.filter((pl.col("status") == "1") & (pl.col("installed_date") < days[0])).sort("device_id")
    ids = steady.get_column("device_id").to_list()
    pick = rng.permutation(len(ids))
    n_off = max(1, round(len(ids) * OFFLINE_SHARE))
    n_fault = max(1, round(len(ids) * FAULT_SHARE))
    offline, faults = [], []
    for i in pick[:n_off]:
        first = int(rng.integers(1, len(months)))
        chosen = months[first:] if rng.random() < 0.5 else [months[first]]
        offline += [{"device_id": ids[i], "month": m} for m in chosen]
    for i in pick[n_off : n_off + n_fault]:
        month = months[int(rng.integers(0, len(months)))]
        in_month = [d for d in days if _month(d) == month]
        length = int(rng.integers(3, 8))
        start = int(rng.integers(0, len(in_month) - length))
        faults.append(
            {
                "device_id": ids[i],
                "month": month,
                "first_day": in_month[start],
                "fault_days": length,
                "fault_code": str(rng.choice(["02", "03", "04", "05", "06"])),
            }
        )
    schema_off = {"device_id": pl.String, "month": pl.Int64}
    schema_fault = {**schema_off, "first_day": pl.Date, "fault_days": pl.Int64, "fault_code": pl.String}
    return pl.DataFrame(offline, schema=schema_off), pl.DataFrame(faults, schema=schema_fault)


def readings(
    config: SynthConfig, register: pl.DataFrame, days: list[dt.date], offline: pl.DataFrame, faults: pl.DataFrame
) -> pl.DataFrame:
    """Daily readings of the in-service devices (vectorised over device-days)."""
    rng = stream(config.seed, "iot-readings")
    serving = register.filter(pl.col("status") == "1").select(
        "device_id", "school_code", "device_kind", "installed_date"
    )
    calendar = pl.DataFrame({"reading_date": days}).with_columns(
        (pl.col("reading_date").dt.year() * 100 + pl.col("reading_date").dt.month()).cast(pl.Int64).alias("month")
    )
    grid = serving.join(calendar, how="cross").filter(pl.col("reading_date") >= pl.col("installed_date"))
    grid = grid.join(offline.with_columns(pl.lit(True).alias("off")), on=["device_id", "month"], how="left")
    bursts = faults.with_columns(
        pl.date_ranges("first_day", pl.col("first_day") + pl.duration(days=pl.col("fault_days") - 1)).alias("d")
    ).explode("d")
    grid = grid.join(
        bursts.select("device_id", pl.col("d").alias("reading_date"), "fault_code"),
        on=["device_id", "reading_date"],
        how="left",
    )
    dropped = pl.Series(rng.random(grid.height) < MISSING_DAY)
    grid = grid.filter(pl.col("off").is_null() & (pl.col("fault_code").is_not_null() | ~dropped))
    metric = pl.DataFrame(
        [{"device_kind": k, "metric": m} for k, ms in METRICS.items() for m in ms],
        schema={"device_kind": pl.String, "metric": pl.String},
    )
    rows = grid.join(metric, on="device_kind").sort("device_id", "reading_date", "metric")
    weekend = pl.col("reading_date").dt.weekday() >= 6
    rows = rows.with_columns(pl.Series("__n", rng.normal(0, 1, rows.height)))
    base = {
        "elec_kwh": pl.when(weekend).then(80.0).otherwise(420.0),
        "water_m3": pl.when(weekend).then(4.0).otherwise(35.0),
        "temp_c": pl.lit(20.0),
        "rh_pct": pl.lit(45.0),
        "pm25_ugm3": pl.lit(28.0),
        "co2_ppm": pl.lit(780.0),
        "online_h": pl.lit(23.5),
        "events": pl.when(weekend).then(40.0).otherwise(900.0),
    }
    spread = {
        "elec_kwh": 40,
        "water_m3": 4,
        "temp_c": 1.5,
        "rh_pct": 6,
        "pm25_ugm3": 9,
        "co2_ppm": 120,
        "online_h": 0.3,
        "events": 60,
    }
    value = pl.lit(0.0)
    for name, mean in base.items():
        value = pl.when(pl.col("metric") == name).then(mean + pl.col("__n") * spread[name]).otherwise(value)
    clip_hours = pl.when(pl.col("metric") == "online_h").then(pl.min_horizontal(pl.lit(24.0), value)).otherwise(value)
    return rows.select(
        "device_id",
        "school_code",
        "reading_date",
        "metric",
        pl.max_horizontal(pl.lit(0.0), clip_hours).round(2).alias("value"),
        "fault_code",
    )


def usage(config: SynthConfig, school: str, index: int, pools: dict[str, int], days: list[dt.date]) -> pl.DataFrame:
    """One school's usage events: each month, an active share of each role's users on one to three days."""
    rng = stream(config.seed, "app-usage", index)
    adoption = {role: float(np.clip(rng.normal(share, 0.12), 0.05, 0.98)) for role, share in ACTIVE.items()}
    parts = []
    for month in sorted({_month(d) for d in days}):
        in_month = np.array([d for d in days if _month(d) == month], dtype="datetime64[D]")
        for app_id, (name, roles) in APPS.items():
            for role in (r for r in roles if pools.get(r, 0)):
                users = rng.choice(pools[role], size=rng.binomial(pools[role], adoption[role]), replace=False)
                visits = np.ones(len(users), int) if role in ("1", "3") else rng.integers(1, 4, len(users))
                users = np.repeat(users, visits)
                if not len(users):
                    continue
                parts.append(
                    pl.DataFrame(
                        {
                            "app_id": app_id, "app_name": name, "school_code": school, "user_role": role,
                            "user": users, "event_date": in_month[rng.integers(0, len(in_month), len(users))],
                            "event_count": rng.integers(1, 5, len(users)),
                            "duration_minutes": rng.integers(5, 90, len(users)).astype(float),
                        },
                        schema_overrides={"event_date": pl.Date},
                    )
                )  # fmt: skip
    parts.extend(_low_use(config, school, index, pools, days))
    if not parts:
        return pl.DataFrame()
    frame = pl.concat(parts).with_columns(
        pl.concat_str(pl.lit(f"{config.seed}:{school}:"), "user_role", pl.lit(":"), "user")
        .map_batches(_hashes, return_dtype=pl.String)
        .alias("user_pseudonym"),
        pl.lit("1").alias("event_type"),
    )
    keys = ["app_id", "app_name", "school_code", "user_role", "user_pseudonym", "event_date", "event_type"]
    return (
        frame.group_by(keys, maintain_order=True)  # two visits drawn on one day are one row
        .agg(pl.col("event_count").sum(), pl.col("duration_minutes").sum().clip(upper_bound=1440.0))
        .sort("app_id", "user_pseudonym", "event_date")
    )


def _low_use(
    config: SynthConfig, school: str, index: int, pools: dict[str, int], days: list[dt.date]
) -> list[pl.DataFrame]:
    """One school's events of :data:`LOW_USE_APPS`: about :data:`LOW_USE_ADOPTION` of the users, once a month."""
    rng = stream(config.seed, "app-usage-low", index)
    parts = []
    for month in sorted({_month(d) for d in days}):
        in_month = np.array([d for d in days if _month(d) == month], dtype="datetime64[D]")
        for app_id, (name, roles) in LOW_USE_APPS.items():
            for role in (r for r in roles if pools.get(r, 0)):
                users = rng.choice(pools[role], size=rng.binomial(pools[role], LOW_USE_ADOPTION), replace=False)
                if not len(users):
                    continue
                parts.append(
                    pl.DataFrame(
                        {
                            "app_id": app_id, "app_name": name, "school_code": school, "user_role": role,
                            "user": users, "event_date": in_month[rng.integers(0, len(in_month), len(users))],
                            "event_count": np.ones(len(users), dtype=np.int64),
                            "duration_minutes": rng.integers(2, 15, len(users)).astype(float),
                        },
                        schema_overrides={"event_date": pl.Date},
                    )
                )  # fmt: skip
    return parts


def _hashes(texts: pl.Series) -> pl.Series:
    """SHA-256 pseudonyms (32 hex characters) of each text: what an application's own keyed hash looks like."""
    return pl.Series([hashlib.sha256(t.encode()).hexdigest()[:32] for t in texts], dtype=pl.String)


def surveys(config: SynthConfig, school: str, index: int, pools: dict[str, int]) -> pl.DataFrame:
    """One school's December survey: each respondent scores the applications of its role on every item."""
    rng = stream(config.seed, "satisfaction", index)
    quality = {app: float(rng.normal(3.8, 0.4)) for app in APPS}
    parts, first = [], 1
    for role, wanted in RESPONDENTS.items():
        n = min(wanted, pools.get(role, 0))
        if not n:
            continue
        sheets = np.arange(first, first + n)
        first += n
        dates = [dt.date(config.end_year, 12, int(d)) for d in rng.integers(1, 21, n)]
        for app_id, (name, roles) in APPS.items():
            if role not in roles:
                continue
            scores = np.clip(np.rint(quality[app_id] + rng.normal(0, 0.8, (n, len(ITEMS)))), 1, 5).astype(int)
            parts.append(
                pl.DataFrame(
                    {
                        "response_id": [f"{school}-{s:04d}" for s in np.repeat(sheets, len(ITEMS))],
                        "respondent_role": role, "app_id": app_id, "app_name": name,
                        "item": np.tile(ITEMS, n), "score": scores.ravel(),
                        "response_date": np.repeat(np.array(dates, dtype="datetime64[D]"), len(ITEMS)),
                    },
                    schema_overrides={"response_date": pl.Date},
                )
            )  # fmt: skip
    if not parts:
        return pl.DataFrame()
    frame = pl.concat(parts)
    return frame.select(
        pl.lit(f"S{config.end_year}12").alias("survey_id"), "response_id", pl.lit(school).alias("school_code"),
        "respondent_role", "app_id", "app_name", "item", "score", "response_date",
    )  # fmt: skip


def _pools(manifest: pl.DataFrame, year: int) -> dict[str, dict[str, int]]:
    """Users per school and role: enrolled students (and as many parents), teachers, a few managers."""
    clean = manifest.filter((pl.col("school_year") == year) & pl.col("expected").is_null())
    sizes = {
        dataset: dict(clean.filter(pl.col("dataset") == dataset).select("org", "rows").iter_rows())
        for dataset in ("students", "teachers")
    }
    schools = set(sizes["students"]) | set(sizes["teachers"])
    return {
        s: {
            "1": int(sizes["students"].get(s, 0)),
            "3": int(sizes["students"].get(s, 0)),
            "2": int(sizes["teachers"].get(s, 0)),
            "4": min(5, int(sizes["teachers"].get(s, 0))),
        }
        for s in schools
    }


def write_facilities(
    config: SynthConfig, catalog: Catalog, schools: pl.DataFrame, manifest: pl.DataFrame
) -> pl.DataFrame:
    """Generate the facility datasets of every school, write them and the truth; return the manifest with them added.

    The files load after everything else of the last school year (devices, then readings, usage, surveys).
    """
    writer = TableWriter(config.out, catalog)
    days = window(config)
    pools = _pools(manifest, config.end_year)
    chosen = schools.filter(pl.col("school_code").is_in(list(pools))).sort("school_code")
    codes = chosen.get_column("school_code").to_list()
    register = pl.concat([devices(config, code, i) for i, code in enumerate(codes)]) if codes else None
    if register is None:
        return manifest
    offline, faults = _plant(config, register, days)
    all_readings = readings(config, register, days, offline, faults)
    _write_truth(config.out, offline, faults, register)
    tables: dict[str, dict[str, pl.DataFrame]] = {d: {} for d in DATASETS}
    for i, code in enumerate(codes):
        tables["iot_devices"][code] = register.filter(pl.col("school_code") == code)
        tables["iot_readings"][code] = all_readings.filter(pl.col("school_code") == code)
        tables["app_usage_events"][code] = usage(config, code, i, pools[code], days)
        tables["satisfaction_surveys"][code] = surveys(config, code, i, pools[code])
    district = dict(chosen.select("school_code", "district_code").iter_rows())
    entries = []
    for dataset in DATASETS:
        for code in codes:
            frame = tables[dataset][code]
            if frame.is_empty():
                continue
            written = writer.write(frame, dataset, f"{district[code]}/{code}/{config.end_year}-{dataset}", "utf8")
            entries.append(
                {
                    "path": written.path.relative_to(config.out).as_posix(), "dataset": dataset, "org": code,
                    "school_year": config.end_year, "mode": "upsert", "format": written.file_format,
                    "rows": written.rows, "district": district[code], "expected": None,
                }
            )  # fmt: skip
    start = manifest.height + 1 if manifest.is_empty() else int(manifest.get_column("seq").cast(pl.Int64).max()) + 1  # type: ignore[arg-type]
    added = pl.DataFrame(entries, schema={c: t for c, t in manifest.schema.items() if c != "seq"})
    added = added.with_row_index("seq", offset=start).with_columns(pl.col("seq").cast(pl.Int64))
    return pl.concat([manifest, added.select(manifest.columns)])


def _write_truth(root: Path, offline: pl.DataFrame, faults: pl.DataFrame, register: pl.DataFrame) -> None:
    folder = root / TRUTH_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    schools = register.select("device_id", "school_code")
    offline.join(schools, on="device_id").sort("device_id", "month").write_csv(folder / "offline.csv")
    faults.join(schools, on="device_id").sort("device_id", "month").write_csv(folder / "faults.csv")
    pl.DataFrame({"app_id": sorted(LOW_USE_APPS)}).write_csv(folder / "low_use.csv")


def read_low_use_truth(root: Path) -> list[str]:
    """The planted low-use application ids of a generated city."""
    return pl.read_csv(root / TRUTH_FOLDER / "low_use.csv").get_column("app_id").to_list()


def read_truth(root: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The planted offline device-months and fault bursts of a generated city."""
    folder = root / TRUTH_FOLDER
    offline = pl.read_csv(folder / "offline.csv", schema_overrides={"school_code": pl.String})
    faults = pl.read_csv(
        folder / "faults.csv",
        schema_overrides={"school_code": pl.String, "fault_code": pl.String},
        try_parse_dates=True,
    )
    return offline, faults
