"""Benchmark: burst detection (未诉先办 early warning) on synthetic district × topic daily counts (issue 18).

Synthetic series (edubrain.analytics.bursts.synthetic): Poisson counts with a weekday effect, half of the series
with one injected burst of known start, size (rate × 1.5 … × 3) and duration (3–10 days). The first 56 days are
burst-free and serve as the CUSUM's baseline (λ₀ per weekday); every method is scored from day 56 on. For each
method: detection rate, mean and median delay (days from burst start to first alarm inside the burst), false
alarms per 100 burst-free series-days, and the run time. Prints one JSON object. See docs/early-warning-bursts.md.

Run::

    .venv/bin/python benchmarks/bursts_eval.py                          # 2,000 series × 182 days, seed 0
    .venv/bin/python benchmarks/bursts_eval.py --series 500 --days 140 --seed 3
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import time
from typing import Any

import numpy as np

from edubrain.analytics.bursts import (
    SyntheticBursts,
    ears,
    poisson_cusum,
    score_detection,
    synthetic_bursts,
    weekday_baseline,
)

BASELINE_DAYS = 56


def _score(name: str, truth: SyntheticBursts, run: Any) -> dict[str, Any]:
    started = time.perf_counter()
    alarms = run()
    seconds = time.perf_counter() - started
    score = dataclasses.asdict(score_detection(alarms, truth.start, truth.end, monitor_from=BASELINE_DAYS))
    rounded = {key: round(value, 3) if isinstance(value, float) else value for key, value in score.items()}
    return {"method": name, **rounded, "seconds": round(seconds, 4)}


def evaluate(series: int, days: int, seed: int) -> dict[str, Any]:
    """Run every detector on one synthetic set and score it."""
    truth = synthetic_bursts(series, days, earliest_start=BASELINE_DAYS, seed=seed)
    lam0 = weekday_baseline(truth.counts, BASELINE_DAYS)
    methods: list[tuple[str, Any]] = [
        (
            f"poisson_cusum_h{h:g}",
            lambda h=h: poisson_cusum(truth.counts, lam0, decision_interval=h, start_day=BASELINE_DAYS).alarms,
        )
        for h in (4.0, 5.0, 8.0)
    ]
    methods.append(
        (
            "poisson_cusum_h5_fir",
            lambda: (
                poisson_cusum(
                    truth.counts, lam0, decision_interval=5.0, start_day=BASELINE_DAYS, fast_initial_response=True
                ).alarms
            ),
        )
    )
    methods += [(f"ears_{m}", lambda m=m: ears(truth.counts, m).alarms) for m in ("C1", "C2", "C3")]
    return {
        "benchmark": "bursts_eval",
        "series": series,
        "days": days,
        "seed": seed,
        "baseline_days": BASELINE_DAYS,
        "bursts": int((truth.start >= 0).sum()),
        "mean_daily_count": round(float(truth.baseline.mean()), 3),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "results": [_score(name, truth, run) for name, run in methods],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--days", type=int, default=182)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(evaluate(args.series, args.days, args.seed), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
