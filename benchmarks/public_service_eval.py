"""Benchmark: 接诉即办 routing and 未诉先办 burst detection end to end, on a synthetic case stream (issue 18).

1. The router (edubrain.analytics.routing): accuracy and macro-F1 on the held-out quarter of the synthetic corpus.
2. A case stream: 16 districts × 10 categories of daily counts (edubrain.analytics.bursts.synthetic: Poisson with a
   weekday effect, mean 0.5–4 a day, half of the series with one injected burst of × 1.5 … × 3 for 3–10 days after
   day 56). Every case gets a synthetic text of its true category, is routed by the classifier (mis-routed and
   triaged cases land in another series, as in production) and is stored in the operational database. The daily
   counts are read back through governance (daily_counts, as the city) and the detectors run as the cockpit runs
   them; each is scored against the injected truth: detection rate, delay (days from burst start to the first
   alarm inside it), false alarms per 100 burst-free series-days.

Run::

    .venv/bin/python benchmarks/public_service_eval.py            # 140 days, seed 0
    .venv/bin/python benchmarks/public_service_eval.py --days 112 --seed 3
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert

from edubrain.analytics.bursts import ears, poisson_cusum, score_detection, synthetic_bursts, weekday_baseline
from edubrain.analytics.routing import default_router, evaluate, load_taxonomy, synthetic_corpus
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.governance.public_service_models import PublicServiceCase
from edubrain.home import Home
from edubrain.public_service import daily_counts
from edubrain.store import db
from edubrain.store.db import session_scope
from edubrain.store.orgs import seed_organisations

BASELINE_DAYS = 56
START = dt.date(2026, 1, 5)  # a Monday


def _home(folder: Path) -> tuple[Home, identity.Principal]:
    home = Home(Settings(home=folder / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
        identity.add_user(session, "bench", "benchmark password 1", "110000")
        identity.grant(session, "bench", "city_admin", "110000", [])
        return home, identity.principal_of(session, identity.get_user(session, "bench"))


def _stream(home: Home, days: int, seed: int) -> tuple[Any, list[tuple[str, str]], dict[str, float]]:
    districts = [c.code for c in home.catalog.code_table("district").codes if not c.legacy][:16]
    categories = sorted(load_taxonomy().categories)
    series = [(d, c) for d in districts for c in categories]
    truth = synthetic_bursts(len(series), days, base_rate=(0.5, 4.0), earliest_start=BASELINE_DAYS, seed=seed)
    pool, labels = synthetic_corpus(per_category=60, seed=seed + 100)
    by_label: dict[str, list[str]] = {}
    for text, label in zip(pool, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    true_labels: list[str] = []
    for s, (district, category) in enumerate(series):
        for day in np.nonzero(truth.counts[s])[0]:
            for k in range(int(truth.counts[s, day])):
                at = dt.datetime.combine(START + dt.timedelta(days=int(day)), dt.time(1 + k % 12), dt.UTC)
                text = by_label[category][int(rng.integers(len(by_label[category])))]
                rows.append({"id": f"{len(rows):032x}", "code": f"B{len(rows):09d}", "check_salt": "-",
                             "check_hash": "-", "channel": "other", "text_masked": text, "sealed": "", "key_id": "-",
                             "district_code": district, "received_at": at, "sla_due": at, "status": "routed",
                             "created_at": at})  # fmt: skip
                true_labels.append(category)
    started = time.perf_counter()
    routed = default_router().route([r["text_masked"] for r in rows])
    route_seconds = time.perf_counter() - started
    for row, r in zip(rows, routed, strict=True):
        row["category"], row["office"], row["confidence"] = (None if r.triage else r.category), r.office, r.confidence
    with session_scope(home.engine) as session:
        session.execute(insert(PublicServiceCase), rows)
    hits = np.array([r.category == t and not r.triage for r, t in zip(routed, true_labels, strict=True)])
    stats = {"cases": len(rows), "routed_correctly": round(float(hits.mean()), 4),
             "triaged": round(float(np.mean([r.triage for r in routed])), 4),
             "route_seconds": round(route_seconds, 2)}  # fmt: skip
    return truth, series, stats


def run(days: int, seed: int) -> dict[str, Any]:
    """Build the stream, read it back through governance, run and score the detectors."""
    router_quality = dataclasses.asdict(evaluate())
    with tempfile.TemporaryDirectory() as tmp:
        home, city = _home(Path(tmp))
        truth, series, stream = _stream(home, days, seed)
        started = time.perf_counter()
        counts = daily_counts(home, city, START, START + dt.timedelta(days=days - 1))
        read_seconds = time.perf_counter() - started
        home.engine.dispose()
    index = {key: i for i, key in enumerate(series)}
    matrix = np.zeros((len(series), days))
    day = (counts["day"] - START).dt.total_days().to_numpy()
    keys = list(zip(counts["district_code"], counts["category"], strict=True))
    for key, d, n in zip(keys, day, counts["n"].to_numpy(), strict=True):
        if key in index:  # triaged cases form their own series, not scored against the truth
            matrix[index[key], d] += n
    lam0 = weekday_baseline(matrix, BASELINE_DAYS, first_weekday=START.weekday())
    results = []
    for name, alarms in (
        ("poisson_cusum_h5", poisson_cusum(matrix, lam0, decision_interval=5.0, start_day=BASELINE_DAYS).alarms),
        ("ears_C2", ears(matrix, "C2").alarms),
    ):
        score = dataclasses.asdict(score_detection(alarms, truth.start, truth.end, monitor_from=BASELINE_DAYS))
        results.append({"method": name, **{k: round(v, 3) if isinstance(v, float) else v for k, v in score.items()}})
    return {"benchmark": "public_service_eval", "days": days, "seed": seed, "series": len(series),
            "router_held_out": {k: router_quality[k] for k in ("accuracy", "macro_f1", "triage_share", "test_size")},
            "stream": stream, "read_counts_seconds": round(read_seconds, 2), "results": results}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=140)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(run(args.days, args.seed), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
