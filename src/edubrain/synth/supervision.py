"""Synthetic off-campus training providers, inspections and complaints, with planted providers of known grade.

Each district registers :data:`PER_DISTRICT` providers (at least; more at larger scales) with valid GB 32100-2015
codes. Most are ``ordinary`` (one or two inspections a year with mostly minor findings, some complaints). Planted,
one of each kind per district, with the grade the city's model (``provider_credit.yaml``) must give on the
judgement date :func:`as_of` (the truth is written to ``supervision-truth/providers.csv``):

- ``clean``: three clean inspections, no complaint -> A;
- ``rectified``: one 一般 finding rectified on time, half a year ago -> A (the credit given back shows);
- ``complained``: six substantiated complaints in the last quarter -> B;
- ``serious``: three 严重 findings 30 days ago, none rectified, deadlines passed, two substantiated complaints -> D;
- ``unlicensed``: 无证办学 (licence 04), nothing else -> D whatever its score;
- ``bad_code``: an ordinary provider whose code's check character is wrong (``code_valid`` false).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from edubrain.analytics.supervision.uscc import ALPHABET, WEIGHTS
from edubrain.catalog.registry import Catalog
from edubrain.synth.config import SynthConfig
from edubrain.synth.facts import districts
from edubrain.synth.rng import stream
from edubrain.synth.writer import TableWriter

PER_DISTRICT = 12
PLANTED = {"clean": "A", "rectified": "A", "complained": "B", "serious": "D", "unlicensed": "D", "bad_code": None}
"""Planted kinds and the grade each must get (None: not fixed)."""
TRUTH = Path("supervision-truth") / "providers.csv"
SEVERITY_P = np.array([0.6, 0.25, 0.12, 0.03])
"""Shares of severity 0 … 3 among ordinary providers' findings."""


def as_of(end_year: int) -> dt.date:
    """The judgement date of a generated city: 30 June at the end of the last school year."""
    return dt.date(end_year + 1, 6, 30)


def codes(rng: np.random.Generator, district: str, n: int, valid: np.ndarray) -> list[str]:
    """``n`` codes of the district (52 民办非企业单位 or 91 企业), check character wrong where ``valid`` is false."""
    body = rng.integers(0, len(ALPHABET), size=(n, 9))
    head = np.where(rng.random(n) < 0.5, "52", "91")
    prefix = np.array([[ALPHABET.index(c) for c in h + district] for h in head])
    values = np.concatenate([prefix, body], axis=1)
    check = (31 - (values @ np.array(WEIGHTS)) % 31) % 31
    check = np.where(valid, check, (check + 1) % 31)
    chars = np.array(list(ALPHABET))
    return ["".join(row) for row in chars[np.concatenate([values, check[:, None]], axis=1)]]


def _rows(day: dt.date, items: list[tuple[int, str, bool | None, int]]) -> list[dict[str, object]]:
    """Findings ``(days before day, severity, rectified, deadline days after)`` as partial inspection rows."""
    out = []
    for back, severity, rectified, within in items:
        seen = day - dt.timedelta(days=back)
        deadline = seen + dt.timedelta(days=within) if severity != "0" else None
        done = seen + dt.timedelta(days=within // 2) if rectified else None
        out.append({"date": seen, "severity": severity, "deadline": deadline, "rectified": rectified, "done": done})
    return out


PLANS: dict[str, list[tuple[int, str, bool | None, int]]] = {
    "clean": [
        (400, "0", None, 0),
        (200, "0", None, 0),
        (0, "0", None, 0),
    ],  # on the judgement date: it is the latest record
    "rectified": [(180, "2", True, 30)],
    "complained": [(100, "0", None, 0)],
    "serious": [(30, "3", False, 14), (30, "3", False, 14), (30, "3", False, 14)],
    "unlicensed": [],
}
COMPLAINTS = {"complained": (6, 60), "serious": (2, 40)}
"""Substantiated complaints of a planted kind: how many, days before the judgement date."""


def district_tables(seed: int, district: str, index: int, end_year: int, scale: float) -> dict[str, pl.DataFrame]:
    """The district's ``training_providers``, ``provider_inspections``, ``provider_complaints`` and ``truth``."""
    rng = stream(seed, "supervision", index, end_year)
    kinds = [*PLANTED, *["ordinary"] * max(PER_DISTRICT - len(PLANTED), int(round(400 * scale)))]
    n = len(kinds)
    valid = np.array([k != "bad_code" for k in kinds])
    code = codes(rng, district, n, valid)
    providers = pl.DataFrame(
        {
            "provider_code": code,
            "name": [f"{district[-2:]}区示例培训机构{i + 1:03d}" for i in range(n)],
            "district_code": [district] * n,
            "provider_type": np.where(rng.random(n) < 0.4, "1", "2").tolist(),
            "licence_status": ["04" if k == "unlicensed" else "01" for k in kinds],
            "capacity": rng.integers(30, 600, n).tolist(),
        }
    )
    day = as_of(end_year)
    findings: list[dict[str, object]] = []
    complaints: list[dict[str, object]] = []
    ordinary = [i for i, k in enumerate(kinds) if k in ("ordinary", "bad_code")]
    visits = rng.integers(1, 4, len(ordinary))
    for i, many in zip(ordinary, visits, strict=True):
        backs = rng.integers(10, 700, many)
        sev = rng.choice(4, size=many, p=SEVERITY_P)
        done = rng.random(many) < 0.8
        plan = [(int(b), str(s), bool(d) if s else None, 30) for b, s, d in zip(backs, sev, done, strict=True)]
        findings += [{"i": i, **r} for r in _rows(day, plan)]
        for back in rng.integers(5, 700, rng.poisson(0.8)):
            complaints.append({"i": i, "date": day - dt.timedelta(days=int(back)), "sub": bool(rng.random() < 0.4)})
    for i, kind in enumerate(kinds):
        findings += [{"i": i, **r} for r in _rows(day, PLANS.get(kind, []))]
        count, back = COMPLAINTS.get(kind, (0, 0))
        complaints += [{"i": i, "date": day - dt.timedelta(days=back + j), "sub": True} for j in range(count)]
    return {
        "training_providers": providers,
        "provider_inspections": _inspections(findings, code, district),
        "provider_complaints": _complaints(complaints, code, district, rng),
        "truth": pl.DataFrame(
            {"provider_code": code, "district_code": [district] * n, "planted": kinds,
             "expected_grade": [PLANTED.get(k) for k in kinds], "code_valid": valid.tolist()},
            schema_overrides={"expected_grade": pl.String},
        ),
    }  # fmt: skip


def _inspections(findings: list[dict[str, object]], code: list[str], district: str) -> pl.DataFrame:
    frame = pl.DataFrame(findings, schema_overrides={"rectified": pl.Boolean, "deadline": pl.Date, "done": pl.Date})
    frame = frame.sort("i", "date").with_row_index("n")
    return frame.select(
        pl.format("IR{}{}", pl.lit(district), pl.col("n").cast(pl.String).str.zfill(5)).alias("record_id"),
        pl.format("IN{}{}", pl.lit(district), (pl.col("i") * 1000 + pl.col("date").rank("dense").over("i"))
                  .cast(pl.Int64).cast(pl.String).str.zfill(6)).alias("inspection_id"),
        pl.col("i").map_elements(lambda i: code[i], return_dtype=pl.String).alias("provider_code"),
        pl.lit(district).alias("district_code"), pl.col("date").alias("inspection_date"),
        pl.lit(f"{district}区教委校外教育培训监管科").alias("inspector_office"),
        pl.lit("资质;收费;安全;内容").alias("items_checked"), pl.col("severity").alias("finding_severity"),
        pl.when(pl.col("severity") == "0").then(None).otherwise(pl.lit("合成数据：检查发现问题")).alias("finding"),
        pl.col("deadline").alias("rectify_deadline"), "rectified", pl.col("done").alias("rectified_date"),
    )  # fmt: skip


def _complaints(
    rows: list[dict[str, object]], code: list[str], district: str, rng: np.random.Generator
) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"i": pl.Int64, "date": pl.Date, "sub": pl.Boolean}).sort("i", "date")
    category = rng.choice(["1", "2", "3", "4", "5", "9"], size=frame.height).tolist()
    return frame.with_row_index("n").select(
        pl.format("CP{}{}", pl.lit(district), pl.col("n").cast(pl.String).str.zfill(5)).alias("complaint_id"),
        pl.col("i").map_elements(lambda i: code[i], return_dtype=pl.String).alias("provider_code"),
        pl.lit(district).alias("district_code"), pl.col("date").alias("complaint_date"),
        pl.Series("category", category, dtype=pl.String), pl.col("sub").alias("substantiated"),
    )  # fmt: skip


def read_truth(root: Path) -> pl.DataFrame:
    """The planted truth of a generated city."""
    return pl.read_csv(root / TRUTH, schema_overrides={"provider_code": pl.String, "district_code": pl.String})


DATASETS = ("training_providers", "provider_inspections", "provider_complaints")
"""Written per district, in this load order (the register first: the others reference it)."""


def write_supervision(config: SynthConfig, catalog: Catalog, manifest: pl.DataFrame) -> pl.DataFrame:
    """Write every chosen district's provider files and the truth; return the manifest with them added (loaded last)."""
    chosen = [d for d in districts() if config.districts is None or d.code in config.districts]
    writer = TableWriter(config.out, catalog)
    entries, truths = [], []
    for district in chosen:
        tables = district_tables(config.seed, district.code, district.index, config.end_year, config.scale)
        truths.append(tables["truth"])
        for dataset in DATASETS:
            written = writer.write(tables[dataset], dataset, f"{district.code}/{config.end_year}-{dataset}", "utf8-bom")
            entries.append(
                {
                    "path": written.path.relative_to(config.out).as_posix(), "dataset": dataset, "org": district.code,
                    "school_year": config.end_year, "mode": "upsert", "format": written.file_format,
                    "rows": written.rows, "district": district.code, "expected": None,
                }
            )  # fmt: skip
    if not entries:
        return manifest
    (config.out / TRUTH).parent.mkdir(parents=True, exist_ok=True)
    pl.concat(truths).write_csv(config.out / TRUTH)
    start = 1 if manifest.is_empty() else int(manifest.get_column("seq").cast(pl.Int64).max()) + 1  # type: ignore[arg-type]
    added = pl.DataFrame(entries, schema={c: t for c, t in manifest.schema.items() if c != "seq"})
    added = added.with_row_index("seq", offset=start).with_columns(pl.col("seq").cast(pl.Int64))
    return pl.concat([manifest, added.select(manifest.columns)])
