"""Benchmark: the profiles job (student, teacher and school profiles) on a synthetic city.

Builds (or reuses, with ``--reuse``) a synthetic city at ``--scale`` in ``--out`` (generated and loaded in
one bulk session, which itself derives the datasets once), then times one more
:func:`edubrain.jobs.profiles.run_profiles` on the configured engine (``EDUBRAIN_ENGINE``, DuckDB by
default) and prints one JSON object: rows per dataset, seconds, the peak resident memory of the process
during the run (sampled every 50 ms) and the input row counts. Run::

    .venv/bin/python benchmarks/profiles.py --scale 0.1 --out /tmp/bench-profiles
    .venv/bin/python benchmarks/profiles.py --scale 0.1 --out /tmp/bench-profiles --reuse
"""

from __future__ import annotations

import argparse
import json
import shutil
import threading
import time
from pathlib import Path

from edubrain.config import Settings
from edubrain.home import Home
from edubrain.jobs.profiles import ALL_INPUTS, run_profiles
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city


def rss_mb() -> float:
    """The resident memory of this process in MiB (Linux ``/proc``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build(out: Path, scale: float, reuse: bool) -> tuple[Home, float]:
    """The city's home (generated and loaded unless reused); the seconds building took."""
    home_dir = out / "home"
    if reuse and (home_dir / "lake" / "students").exists():
        return Home(Settings(home=home_dir)), 0.0
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    config = SynthConfig(scale=scale, seed=7, out=out / "city", formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0))
    generate(config)
    home = Home(Settings(home=home_dir))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    load_city(home, config.out, "bulk")
    return home, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="city scale (1.0 = Beijing)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/edubrain-bench-profiles"), help="city and home folder")
    parser.add_argument("--reuse", action="store_true", help="reuse the city in --out if it is there")
    args = parser.parse_args()
    home, build_seconds = build(args.out, args.scale, args.reuse)
    inputs = {
        d: home.lake.read(home.catalog.dataset(d), columns=[home.catalog.dataset(d).field_names[0]]).num_rows
        for d in ALL_INPUTS
        if home.lake.version(d) is not None
    }
    peak = [rss_mb()]
    baseline = peak[0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    result = run_profiles(home)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    print(
        json.dumps(
            {
                "scale": args.scale,
                "engine": home.settings.engine,
                "rows": result.rows,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(max(peak[0], rss_mb()), 1),
                "rss_before_mb": round(baseline, 1),
                "build_seconds": round(build_seconds, 1),
                "input_rows": inputs,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
