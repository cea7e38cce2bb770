"""Benchmark: knowledge tracing (BKT, PFA, Best-LR) on synthetic learners under the pyKT protocol.

Two populations of synthetic learners with known parameters (edubrain.synth.learners): one answering by BKT's own
process, one by a PFA-like logistic process with a learner ability. For each, the pyKT protocol (20 % of learners
held out for test, 5-fold cross-validation on the rest, 200-answer windows, first answer of a window not scored)
gives AUC and accuracy per model; on the BKT population the parameters fitted on all non-test learners are
compared with the planted ones. Prints one JSON object. See docs/knowledge-tracing.md.

Run::

    .venv/bin/python benchmarks/kt_eval.py                                  # 2,000 learners, 8 skills, seed 0
    .venv/bin/python benchmarks/kt_eval.py --learners 500 --skills 4 --folds 1 --seed 3
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from typing import Any

from edubrain.analytics.kt.evaluate import synthetic_report
from edubrain.synth.learners import BKT_RANGES, bkt_learners, logistic_learners


def _population(name: str, args: argparse.Namespace) -> dict[str, Any]:
    make = bkt_learners if name == "bkt" else logistic_learners
    started = time.perf_counter()
    synthetic = make(
        args.learners,
        args.skills,
        seed=args.seed,
        min_opportunities=args.min_opportunities,
        max_opportunities=args.max_opportunities,
    )
    report = synthetic_report(synthetic.answers, synthetic.bkt or None, folds=args.folds, restarts=args.restarts)
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--skills", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-opportunities", type=int, default=5)
    parser.add_argument("--max-opportunities", type=int, default=20)
    parser.add_argument("--folds", type=int, default=5, help="folds to run, 1–5 (the split is always 5-fold)")
    parser.add_argument("--restarts", type=int, default=5, help="BKT EM restarts per skill")
    parser.add_argument("--process", choices=["bkt", "logistic", "both"], default="both")
    args = parser.parse_args()
    processes = ["bkt", "logistic"] if args.process == "both" else [args.process]
    report = {
        "benchmark": "kt_eval",
        "protocol": "pyKT: 20% test learners, 5-fold CV, min 3 answers, 200-answer windows, first answer unscored",
        "config": vars(args) | {"bkt_ranges": BKT_RANGES},
        "python": platform.python_version(),
        "populations": {name: _population(name, args) for name in processes},
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
