"""Benchmark: students-at-risk early warning against the synthetic city's planted truth (issue 18).

Generates a synthetic city (default: two districts at 1 % scale, two school years, seed 7 — not the seed the tests
use), loads it through the exchange into a temporary home (the post-commit derivations score fitness and write
``student_risk_flags``), and compares the flags with the truth written beside the files (``at-risk-truth/``):
pupils planted at risk (two or more converging signals) and distractors (one weak signal only). Prints one JSON
object: precision, recall, per planted kind how many were flagged, distractors flagged, and the time to generate,
load and score. Goal: precision ≥ 0.8 and recall ≥ 0.8. See docs/early-warning-students.md.

Run::

    .venv/bin/python benchmarks/at_risk_eval.py                                   # 110108 + 110105, scale 0.01, seed 7
    .venv/bin/python benchmarks/at_risk_eval.py --districts 110119 --seed 11
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import tempfile
import time
from pathlib import Path

import polars as pl

from edubrain.analytics.at_risk import evaluate
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.jobs.at_risk import INPUTS, scored_pupils
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.at_risk import read_truth
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city

LOADED = (
    "schools", "classes", "students", "teachers", "teacher_assignments", "exam_scores", "fitness_tests",
    "student_status_changes", "student_conduct", "student_attendance",
)  # fmt: skip


def main() -> None:
    """Parse the arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--districts", nargs="+", default=["110108", "110105"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = SynthConfig(
            scale=args.scale, seed=args.seed, years=2, out=root / "city", districts=tuple(args.districts),
            formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
        )  # fmt: skip
        started = time.perf_counter()
        manifest = generate(config)
        manifest.filter(pl.col("dataset").is_in(list(LOADED))).write_csv(config.out / "manifest.csv")
        generated = time.perf_counter()
        home = Home(Settings(home=root / "home"), get_catalog())
        db.upgrade(home.settings.resolved_database_url)
        with db.session_scope(home.engine) as session:
            seed_organisations(session, home.catalog)
        rejected = load_city(home, config.out, "bulk").rejected
        loaded = time.perf_counter()
        scored, year = scored_pupils(home, {d: home.lake.version(d) for d in INPUTS})
        scored_at = time.perf_counter()
        found = evaluate(scored, read_truth(config.out))
        home.engine.dispose()
    print(
        json.dumps(
            {
                "config": {"scale": args.scale, "seed": args.seed, "districts": args.districts, "school_year": year},
                "result": dataclasses.asdict(found),
                "goal": {"precision": 0.8, "recall": 0.8},
                "met": bool((found.precision or 0) >= 0.8 and (found.recall or 0) >= 0.8),
                "rejected_files": rejected,
                "seconds": {
                    "generate": round(generated - started, 1), "load_and_derive": round(loaded - generated, 1),
                    "score": round(scored_at - loaded, 2),
                },
                "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
            },
            ensure_ascii=False,
            indent=1,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
