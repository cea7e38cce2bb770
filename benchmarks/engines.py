"""Engine benchmark: the fitness job (scoring, indicators, warnings) on DuckDB and on Spark local mode.

For each scale, a synthetic city (one school year) is generated and its schools and fitness tests
are (with the classes and students they refer to) loaded through the exchange into a fresh home (reused when ``--work`` already holds it). Then
each engine runs ``edubrain.jobs.fitness.run_fitness`` in a child process; the parent records the
engine's start-up time, the job's time and the peak resident memory of the child's process tree
(the Spark JVM included), and prints one JSON line per run.

Usage: ``.venv/bin/python benchmarks/engines.py [--scales 0.1,0.3,1.0] [--engines duckdb,spark]
[--work DIR] [--prepare-only]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
from synth import PeakMemory

from edubrain.config import Settings
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city

DATASETS = ("schools", "classes", "students", "fitness_tests")


def prepare(work: Path, scale: float) -> Path:
    """A home holding the schools and one year of fitness tests of the city at ``scale``."""
    folder = work / f"scale-{scale}"
    if (folder / "ready").exists():
        return folder / "home"
    config = SynthConfig(
        scale=scale, seed=7, years=1, out=folder / "city", formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0)
    )
    started = time.perf_counter()
    generate(config)
    manifest = pl.read_csv(config.out / "manifest.csv", infer_schema=False)
    manifest.filter(pl.col("dataset").is_in(DATASETS)).write_csv(config.out / "manifest.csv")
    home = Home(Settings(home=folder / "home"))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    load_city(home, config.out, "bulk")
    print(f"# prepared scale {scale} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    (folder / "ready").touch()
    return folder / "home"


def child(engine_name: str, home_dir: Path) -> None:
    """Run the fitness job once on ``engine_name``; print timings as JSON."""
    from edubrain.jobs.engine import open_engine
    from edubrain.jobs.fitness import run_fitness

    home = Home(Settings(home=home_dir, engine=engine_name))  # type: ignore[arg-type]
    started = time.perf_counter()
    engine = open_engine(home.settings)
    ready = time.perf_counter()
    result = run_fitness(home, engine)
    done = time.perf_counter()
    print(json.dumps({"startup_s": round(ready - started, 2), "job_s": round(done - ready, 2), "rows": result.rows}))


def measure(engine_name: str, home_dir: Path) -> dict[str, object]:
    """Run :func:`child` in a subprocess, sampling its process tree's memory."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with PeakMemory() as peak:
        done = subprocess.run(
            [sys.executable, __file__, "--child", engine_name, "--home", str(home_dir)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{engine_name} failed:\n{done.stderr[-3000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    return {**json.loads(line), "peak_rss_mb": round(peak.peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="0.1,0.3,1.0")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--work", type=Path, default=Path("var/bench-engines"))
    parser.add_argument("--prepare-only", action="store_true", help="generate and load the cities, run no engine")
    parser.add_argument("--child")
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.home)
        return
    for scale in [float(s) for s in args.scales.split(",")]:
        home_dir = prepare(args.work, scale)
        if args.prepare_only:
            continue
        for engine_name in args.engines.split(","):
            result = measure(engine_name, home_dir)
            load = os.getloadavg()[0]
            print(json.dumps({"scale": scale, "engine": engine_name, **result, "load_avg": round(load, 1)}))


if __name__ == "__main__":
    main()
