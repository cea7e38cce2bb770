"""Benchmark: score 1,000,000 synthetic fitness test records, vectorised (Ibis on DuckDB) and row by row.

The row-by-row scorer below is the straightforward reading of the standard:
for each record, look up each item's table and walk its twenty thresholds.
It shares only the data files with :mod:`edubrain.analytics.fitness` (its
logic is written separately), so the tests also use it as the reference the
vectorised expression must agree with (``tests/analytics/test_fitness_reference.py``).

Run::

    .venv/bin/python benchmarks/fitness.py            # 1,000,000 records
    .venv/bin/python benchmarks/fitness.py --rows 100000
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa

from edubrain.analytics.fitness.scoring import BONUS_ITEMS, score_arrow
from edubrain.analytics.fitness.standard import GRADES, FitnessStandard, load_standard

LEVELS = ((90.0, "优秀"), (80.0, "良好"), (60.0, "及格"))


def _recorded(value: float, decimals: int, rounding: str) -> int:
    """The result as an integer at the recorded precision (the reference's own rounding)."""
    x = value * 10**decimals
    if rounding == "up":
        return math.ceil(round(x, 6))
    if rounding == "half_up":
        return math.floor(round(x, 6) + 0.5)
    return math.floor(round(x, 6))


def reference_score_row(row: dict[str, Any], std: FitnessStandard) -> dict[str, Any]:
    """Score one record the plain way: one dict in, one dict of scores out."""
    out: dict[str, Any] = {"status": None, "total_score": None, "level": None, "standard_score": None, "bonus": None}
    key = (row.get("sex"), row.get("grade"))
    if row.get("exempt"):
        out["status"] = "exempt"
        return out
    if key not in std.weights:
        out["status"] = "unscored"
        return out
    weights = std.weights[key]
    scores: dict[str, int | None] = {}
    h, w = row.get("height_cm"), row.get("weight_kg")
    band = None
    if h and w is not None:
        bmi10 = math.floor(round(w * 100000.0 / (h * h), 6) + 0.5)
        normal, over, obese = std.bmi_bands[key]
        band = "低体重" if bmi10 < normal else "正常" if bmi10 < over else "超重" if bmi10 < obese else "肥胖"
        out["bmi"] = bmi10 / 10
    out["bmi_band"] = band
    scores["bmi"] = {"正常": 100, "低体重": 80, "超重": 80, "肥胖": 60}.get(band) if band else None
    bonus = 0
    for item in std.scored_items:
        value = row.get(item.field) if item.field else None
        if item.id not in weights or value is None:
            scores[item.id] = None
            continue
        v = _recorded(value, item.decimals, item.rounding)
        table = std.thresholds[(item.id, key[0], key[1])]
        score = 0
        for points, threshold in table:
            if (v >= threshold) if item.direction == "higher" else (v <= threshold):
                score = points
                break
        scores[item.id] = score
        steps = std.bonus.get((item.id, key[0], key[1]))
        if steps:
            top = table[0][1]
            beyond = v - top if item.direction == "higher" else top - v
            earned = 0
            for i, need in enumerate(steps, start=1):
                if beyond >= need:
                    earned = i
            out[f"{item.id}_bonus"] = earned
            bonus += earned
    for item_id, score in scores.items():
        out[f"{item_id}_score"] = score
    if any(scores.get(i) is None for i in weights):
        out["status"] = "incomplete"
        return out
    hundredths = sum(weights[i] * (scores[i] or 0) for i in weights)
    standard = math.floor(hundredths / 10 + 0.5) / 10
    total = round(standard + bonus, 1)
    out.update(status="complete", standard_score=standard, bonus=bonus, total_score=total)
    out["level"] = next((name for cut, name in LEVELS if total >= cut), "不及格")
    return out


def reference_score(rows: Iterable[dict[str, Any]], std: FitnessStandard | None = None) -> list[dict[str, Any]]:
    """Score every record row by row."""
    standard = std or load_standard()
    return [reference_score_row(row, standard) for row in rows]


def synthetic_records(n: int, seed: int = 2014) -> pa.Table:
    """``n`` random but plausible records over every grade and both sexes (1 % exempt, 1 % with a missing item)."""
    rng = np.random.default_rng(seed)
    grades = np.array(GRADES)[rng.integers(0, len(GRADES), n)]

    def uniform(lo: float, hi: float, decimals: int) -> np.ndarray:
        return np.round(rng.uniform(lo, hi, n), decimals)

    table = pa.table(
        {
            "grade": grades,
            "sex": np.where(rng.random(n) < 0.5, "1", "2"),
            "height_cm": uniform(110, 190, 1),
            "weight_kg": uniform(18, 95, 1),
            "vital_capacity_ml": uniform(400, 5600, 0),
            "sprint_50m_s": uniform(6.0, 14.5, 1),
            "sit_and_reach_cm": uniform(-12, 30, 1),
            "rope_skipping_count": uniform(0, 200, 0),
            "sit_ups_count": uniform(0, 65, 0),
            "shuttle_run_50x8_s": uniform(80, 170, 0),
            "standing_long_jump_cm": uniform(100, 290, 0),
            "pull_ups_count": uniform(0, 25, 0),
            "run_800m_s": uniform(180, 360, 0),
            "run_1000m_s": uniform(180, 430, 0),
            "exempt": rng.random(n) < 0.01,
        }
    )
    gaps = rng.random(n) < 0.01
    vc = np.where(gaps, np.nan, table["vital_capacity_ml"].to_numpy())
    return table.set_column(4, "vital_capacity_ml", pa.array(vc, from_pandas=True))


def main() -> None:
    """Time both scorers on the same records and print a Markdown row for ``benchmarks/README.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reference-rows", type=int, default=None, help="score only this many row by row")
    args = parser.parse_args()
    records = synthetic_records(args.rows)
    load_standard()
    started = time.perf_counter()
    scored = score_arrow(records)
    vectorised = time.perf_counter() - started
    rows = records.to_pylist()[: args.reference_rows or args.rows]
    started = time.perf_counter()
    reference = reference_score(rows)
    per_row = time.perf_counter() - started
    per_row_full = per_row * args.rows / len(rows)
    totals = scored.column("total_score").to_pylist()
    agree = sum(1 for a, b in zip(totals, reference, strict=False) if a == b["total_score"])
    print(f"records: {args.rows:,}; complete: {scored.column('status').to_pylist().count('complete'):,}")
    print(f"vectorised (Ibis on DuckDB): {vectorised:.2f} s")
    print(f"row by row (Python): {per_row:.2f} s for {len(rows):,} rows (≈ {per_row_full:.1f} s for all)")
    print(f"ratio: {per_row_full / vectorised:.1f}x; totals agree on {agree:,} of {len(rows):,} rows")
    print(f"bonus items: {', '.join(BONUS_ITEMS)}")


if __name__ == "__main__":
    main()
