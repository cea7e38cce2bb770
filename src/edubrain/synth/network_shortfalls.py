"""Planted network shortfalls in ``school_infrastructure``, with the truth written beside the generated city.

The plan asks every school for gigabit internet, 100 Mbps to every class and full campus wireless coverage
(学校千兆接入率、班级百兆接入率、校园无线网络覆盖率达到100%). The infrastructure model
(:func:`edubrain.synth.staffing.infrastructure`) lets schools reach the targets over the years, as a city does;
:func:`plant` adds, in every district and school year, a known set of schools that fall short on purpose and
a school exactly at the targets (which must count as meeting them):

- ``gigabit``: internet bandwidth 100, 300 or 500 Mbps (bandwidth per class at most a fifth of it, as a thin
  uplink is shared by the classes);
- ``class_100m``: 20 or 50 Mbps to each class;
- ``wireless``: coverage between 85.0 % and 99.9 %;
- ``boundary``: exactly 1000 Mbps, 100 Mbps per class and 100.0 % coverage.

About :data:`SHARE` of a district's schools are planted each year (one school per kind at least, while there are
schools left). The truth is written to ``network-truth/<district>-<year>.csv`` under the city's root (not in the
manifest, never loaded): one row per school and indicator that falls short, whether planted or grown by the
model, and one per school planted at the boundary, with ``school_code``, ``school_year``, ``indicator_id`` (the
monitoring indicator: ``school_gigabit_access``, ``class_100m_access`` or ``wireless_coverage``), ``value`` (the
reported field), ``short`` (below the target) and ``planted`` (the kind planted for this indicator, or ``boundary``; empty when
the model grew the shortfall). A
school counts for ``class_100m_access`` only when it has classes that year (the indicator weighs by classes).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from edubrain.synth.facts import District

TRUTH_FOLDER = "network-truth"
KINDS = ("gigabit", "class_100m", "wireless", "boundary")
SHARE = 0.05
"""Share of a district's schools planted each year, spread over :data:`KINDS`."""
INDICATORS = {
    "school_gigabit_access": ("internet_bandwidth_mbps", 1000.0, "gigabit"),
    "class_100m_access": ("class_bandwidth_mbps", 100.0, "class_100m"),
    "wireless_coverage": ("wireless_coverage_pct", 100.0, "wireless"),
}
"""Indicator -> (the field it reads, the target the field must reach, the kind planted to miss it)."""
TRUTH_SCHEMA = {
    "school_code": pl.String, "school_year": pl.Int64, "indicator_id": pl.String, "value": pl.Float64,
    "short": pl.Boolean, "planted": pl.String,
}  # fmt: skip


def truth_path(root: Path, district_code: str, year: int) -> Path:
    """Where the truth of one district and school year is written."""
    return root / TRUTH_FOLDER / f"{district_code}-{year}.csv"


def read_truth(root: Path) -> pl.DataFrame:
    """Every district's and year's truth of a generated city (empty when nothing was written)."""
    files = sorted((root / TRUTH_FOLDER).glob("*.csv"))
    if not files:
        return pl.DataFrame(schema=TRUTH_SCHEMA)
    return pl.concat([pl.read_csv(f, schema=TRUTH_SCHEMA) for f in files])


def _kinds(n: int, rng: np.random.Generator) -> dict[int, str]:
    """Row index -> planted kind, for a district of ``n`` schools."""
    per_kind = max(1, round(SHARE * n / len(KINDS)))
    order = [KINDS[int(i)] for i in rng.permutation(len(KINDS))]
    rows = rng.permutation(n)[: min(n, per_kind * len(KINDS))]
    return {int(row): order[k % len(KINDS)] for k, row in enumerate(rows)}


def _planted(infra: pl.DataFrame, kinds: dict[int, str], rng: np.random.Generator) -> pl.DataFrame:
    internet = infra.get_column("internet_bandwidth_mbps").to_numpy().astype(float).copy()
    per_class = infra.get_column("class_bandwidth_mbps").to_numpy().astype(float).copy()
    wireless = infra.get_column("wireless_coverage_pct").to_numpy().astype(float).copy()
    for row, kind in sorted(kinds.items()):
        if kind == "gigabit":
            internet[row] = float(rng.choice([100.0, 300.0, 500.0]))
            per_class[row] = min(per_class[row], internet[row] / 5)  # a thin uplink is shared by the classes
        elif kind == "class_100m":
            per_class[row] = float(rng.choice([20.0, 50.0]))
        elif kind == "wireless":
            wireless[row] = round(float(rng.uniform(85.0, 99.9)), 1)
        else:
            internet[row], per_class[row], wireless[row] = 1000.0, 100.0, 100.0
    return infra.with_columns(
        pl.Series("internet_bandwidth_mbps", internet),
        pl.Series("class_bandwidth_mbps", per_class),
        pl.Series("wireless_coverage_pct", wireless),
    )


def truth(infra: pl.DataFrame, classes: pl.DataFrame, kinds: dict[int, str]) -> pl.DataFrame:
    """The truth rows of one district and year (see the module docstring), from the table as written."""
    counts = classes.group_by("school_code", "school_year").agg(pl.len().alias("_classes"))
    planted = pl.DataFrame(
        {"_row": list(kinds), "planted": list(kinds.values())}, schema={"_row": pl.UInt32, "planted": pl.String}
    )
    base = infra.with_row_index("_row").join(planted, on="_row", how="left")
    base = base.join(counts, on=["school_code", "school_year"], how="left").with_columns(
        pl.col("_classes").fill_null(0)
    )
    parts = []
    for indicator, (field, target, kind) in INDICATORS.items():
        counted = pl.col(field).is_not_null() & ((pl.col("_classes") > 0) if indicator == "class_100m_access" else True)
        mine = pl.col("planted").is_in([kind, "boundary"])
        rows = base.filter(counted).with_columns(short=pl.col(field) < target)
        parts.append(
            rows.filter(pl.col("short") | (pl.col("planted") == "boundary")).select(
                "school_code",
                "school_year",
                pl.lit(indicator).alias("indicator_id"),
                pl.col(field).cast(pl.Float64).alias("value"),
                "short",
                pl.when(mine).then(pl.col("planted")).otherwise(None).alias("planted"),
            )  # fmt: skip
        )
    return pl.concat(parts).cast(TRUTH_SCHEMA).sort("indicator_id", "school_code")  # type: ignore[arg-type]


def plant(
    infra: pl.DataFrame, classes: pl.DataFrame, district: District, year: int, root: Path, seed: int
) -> pl.DataFrame:
    """``infra`` (one district's ``school_infrastructure`` of ``year``) with shortfalls planted; the truth written.

    Args:
        infra: The district's infrastructure rows of the school year (catalog columns).
        classes: The district's ``classes`` of the school year (for the schools that have classes).
        district: The generating district.
        year: The school year.
        root: The generated city's root folder (the truth goes to :func:`truth_path`).
        seed: The city's seed.
    """
    rng = np.random.default_rng([seed, district.index, year, 0x4E7])
    kinds = _kinds(infra.height, rng) if infra.height else {}
    out = _planted(infra, kinds, rng) if kinds else infra
    path = truth_path(root, district.code, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    truth(out, classes, kinds).write_csv(path)
    return out
