"""Submitting a generated city through the exchange, file by file, as each organisation.

``per-school`` (the default) submits every file as the organisation named
in the manifest. ``bulk`` submits each district's clean school files of a
dataset and year as one file of the district bureau (which scope allows),
to cut the per-batch overhead of a large historical load; dirty files are
always submitted on their own.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from edubrain.exchange.headers import map_headers
from edubrain.exchange.ingest import ingest_file
from edubrain.exchange.readers import read_source
from edubrain.home import Home

LoadMode = Literal["per-school", "bulk"]
Step = Callable[[dict[str, object], str], None]
"""Called after each submission with the manifest entry and the batch status."""


@dataclass
class LoadSummary:
    """What a load did.

    Attributes:
        files: Files submitted (a bulk bundle counts once).
        rows: Rows read.
        by_status: Submissions per batch status (committed, unchanged, rejected).
        problems: Problems reported, per dataset.
        seconds: Time per dataset.
        rejected: Files that were rejected.
    """

    files: int = 0
    rows: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


def read_manifest(root: Path) -> pl.DataFrame:
    """The manifest of a generated city, in load order."""
    return pl.read_csv(root / "manifest.csv", schema_overrides={"org": pl.String, "district": pl.String}).sort("seq")


def load_city(home: Home, root: Path, mode: LoadMode = "per-school", step: Step | None = None) -> LoadSummary:
    """Submit every file of the city in ``root`` in manifest order."""
    manifest = read_manifest(root)
    summary = LoadSummary()
    entries = manifest.to_dicts()
    batches = _bundles(entries) if mode == "bulk" else [[e] for e in entries]
    with tempfile.TemporaryDirectory() as scratch:
        for group in batches:
            started = time.perf_counter()
            entry = group[0]
            path = root / str(entry["path"]) if len(group) == 1 else _bundle(root, group, Path(scratch))
            org = str(entry["org"]) if len(group) == 1 else str(entry["district"])
            result = ingest_file(home, path, str(entry["dataset"]), org, mode=entry["mode"])  # type: ignore[arg-type]
            _tally(summary, entry, result.report.status, result.report.rows_read, result.problems.height, started)
            if result.report.status == "rejected":
                summary.rejected.extend(str(e["path"]) for e in group)
            if step:
                step(entry, result.report.status)
    return summary


def _tally(summary: LoadSummary, entry: dict[str, object], status: str, rows: int, problems: int, started: float) -> None:
    dataset = str(entry["dataset"])
    summary.files += 1
    summary.rows += rows
    summary.by_status[status] = summary.by_status.get(status, 0) + 1
    summary.problems[dataset] = summary.problems.get(dataset, 0) + problems
    summary.seconds[dataset] = summary.seconds.get(dataset, 0.0) + time.perf_counter() - started


def _bundles(entries: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Group clean school files by (year, dataset, district), keeping manifest order between groups."""
    groups: dict[tuple[object, ...], list[dict[str, object]]] = {}
    out: list[list[dict[str, object]]] = []
    for entry in entries:
        school_file = entry["school_year"] is not None and not entry.get("expected")
        if not school_file:
            out.append([entry])
            continue
        key = (entry["school_year"], entry["dataset"], entry["district"])
        if key not in groups:
            groups[key] = []
            out.append(groups[key])
        groups[key].append(entry)
    return out


def _bundle(root: Path, group: list[dict[str, object]], scratch: Path) -> Path:
    """One UTF-8 CSV with field-name headers holding every file of ``group`` (text as written)."""
    from edubrain.catalog.registry import get_catalog

    dataset = get_catalog().dataset(str(group[0]["dataset"]))
    frames = []
    for entry in group:
        source = read_source(root / str(entry["path"]))
        mapping = map_headers(source.headers, dataset)
        frames.append(source.frame.select([pl.col(f"c{pos}").alias(name) for name, (pos, _) in mapping.columns.items()]))
    frame = pl.concat(frames, how="diagonal")
    path = scratch / f"{group[0]['district']}-{group[0]['school_year']}-{dataset.id}.csv"
    frame.write_csv(path)
    return path
