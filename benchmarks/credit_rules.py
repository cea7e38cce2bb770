"""Benchmark: the credit-rule engine over many learners (issue 17: "rule evaluation for 100,000 learners").

Builds a synthetic outcome table (``--learners`` learners, ``--per-learner`` outcomes each: courses over four years
and two terms at two institutions, some repeated subjects, some certificates, a few prior-learning claims) with
numpy, then times ``edubrain.credit_bank.evaluate`` under the Korean rule set (decisions, accumulation, progress)
in one process. Prints one JSON object with learners per second and the 1-minute load average. Run::

    .venv/bin/python benchmarks/credit_rules.py --learners 100000
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import polars as pl

from edubrain.credit_bank import evaluate, select_ruleset

CERTIFICATES = ["KR-QNET-INFO-PROC-ENG", "KR-NETWORK-ADMIN-2", "KR-SQLD", "KR-UNLISTED"]


def outcomes(learners: int, per_learner: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n = learners * per_learner
    learner = np.repeat(np.arange(learners), per_learner)
    is_cert = rng.random(n) < 0.05
    is_prior = rng.random(n) < 0.01
    subject = rng.integers(0, 60, n)  # 60 subjects: repeats happen
    kind = np.where(is_cert, "qualification", np.where(is_prior, "prior_learning", "course"))
    code = np.where(is_cert, np.array(CERTIFICATES)[rng.integers(0, 4, n)], np.char.add("SUBJ-", subject.astype(str)))
    return pl.DataFrame(
        {
            "learner_id": np.char.add("P", learner.astype(str)),
            "outcome_id": np.char.add("E", np.arange(n).astype(str)),
            "code": code,
            "kind": kind,
            "category": np.array(["major", "general", "elective"])[rng.integers(0, 3, n)],
            "credits": np.where(is_cert, np.nan, rng.choice([2.0, 3.0, 4.0], n)),
            "year": rng.integers(2021, 2025, n).astype(np.int32),
            "term": rng.integers(1, 3, n).astype(np.int32),
            "education": np.where(rng.random(n) < 0.8, "non_formal", "formal"),
            "provider": "external",
            "institution": np.array(["INST-A", "INST-B"])[rng.integers(0, 2, n)],
        }
    ).with_columns(pl.col("credits").fill_nan(None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--per-learner", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rules = select_ruleset("kr-acbs-bachelor", 2025)
    table = outcomes(args.learners, args.per_learner, args.seed)
    start = time.perf_counter()
    result = evaluate(table, rules)
    seconds = time.perf_counter() - start
    counts = dict(result.decisions.group_by("decision").len().iter_rows())
    print(
        json.dumps(
            {
                "learners": args.learners,
                "outcomes": table.height,
                "rules": len(rules.rules),
                "requirements": len(rules.requirements),
                "seconds": round(seconds, 2),
                "learners_per_s": round(args.learners / seconds),
                "outcomes_per_s": round(table.height / seconds),
                "decisions": counts,
                "degrees_met": int(result.progress["degree_met"].sum()),
                "polars_threads": pl.thread_pool_size(),
                "load_average_1min": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
