"""Synthetic-city benchmark: time and peak memory to generate a city and to load it through the exchange.

Generates a city at ``--scale`` into ``--out`` (``--workers`` processes), then loads it into a fresh
EduBrain home (``per-school`` or ``bulk``) and prints one JSON object with the timings, the peak
resident memory of the process tree (sampled every 0.5 s from /proc) and the sizes.

Usage: ``.venv/bin/python benchmarks/synth.py --scale 0.1 [--mode per-school|bulk|city] [--workers 2]
[--out DIR] [--reuse] [--skip-load]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from edubrain.config import Settings
from edubrain.exchange import derive
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city, read_manifest


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, in MB."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


class PeakMemory:
    """Samples the process tree's resident memory in a thread; ``peak`` is the largest sample (MB)."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss_mb(os.getpid()))
            self._stop.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    """Run the benchmark and print its result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=20250901)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["per-school", "bulk", "city"], default="bulk")
    parser.add_argument("--reuse", action="store_true", help="load the city already in --out instead of generating")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="synth-bench-"))
    config = SynthConfig(scale=args.scale, seed=args.seed, years=args.years, out=out / "city")
    result: dict[str, object] = {
        "scale": args.scale,
        "years": args.years,
        "workers": args.workers,
        "cpus": os.cpu_count(),
    }
    result["machine"] = f"{platform.system()} {platform.machine()} python {platform.python_version()}"
    if args.reuse:
        manifest = read_manifest(config.out)
    else:
        with PeakMemory() as memory:
            started = time.perf_counter()
            manifest = generate(config, workers=args.workers)
            result["generate_seconds"] = round(time.perf_counter() - started, 1)
        result["generate_peak_mb"] = round(memory.peak)
    result.update(files=manifest.height, rows=int(manifest["rows"].sum()))
    if not args.skip_load:
        shutil.rmtree(out / f"home-{args.mode}", ignore_errors=True)
        result.update(_load(config, out / f"home-{args.mode}", args.mode))
    print(json.dumps(result, ensure_ascii=False, indent=1))


@contextmanager
def _timed_derivations() -> Iterator[list[float]]:
    """Seconds spent in the exchange's post-session hook (derived datasets), which runs inside the load."""
    spent: list[float] = []
    original = derive.after_session

    def timed(home: Home) -> list[str]:
        started = time.perf_counter()
        try:
            return original(home)
        finally:
            spent.append(time.perf_counter() - started)

    derive.after_session = timed  # type: ignore[assignment]
    try:
        yield spent
    finally:
        derive.after_session = original  # type: ignore[assignment]


def _load(config: SynthConfig, folder: Path, mode: str) -> dict[str, object]:
    """Load the city into a fresh home; return the timings."""
    settings = Settings(home=folder)
    home = Home(settings)
    db.upgrade(settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    with PeakMemory() as memory, _timed_derivations() as derived:
        started = time.perf_counter()
        summary = load_city(home, config.out, mode)  # type: ignore[arg-type]
        seconds = round(time.perf_counter() - started, 1)
    return {
        "load_seconds": seconds,
        "derive_seconds": round(sum(derived), 1),
        "load_mode": mode,
        "load_peak_mb": round(memory.peak),
        "batches": summary.files,
        "rows_loaded": summary.rows,
        "problems": sum(summary.problems.values()),
        "status": summary.by_status,
        "load_seconds_by_dataset": {k: round(v, 1) for k, v in summary.seconds.items()},
    }


if __name__ == "__main__":
    main()
