"""Submitting a generated city through the exchange, file by file, as each organisation.

``per-school`` (the default) submits every file as the organisation named
in the manifest. ``bulk`` submits each district's clean school files of a
dataset and year as one file of the district bureau (which scope allows),
to cut the per-batch overhead of a large historical load; ``city`` goes one
step further and submits them as one file of the city per dataset and year
(a measurement of the exchange's per-row cost, not how schools submit).
Dirty files are always submitted on their own.

A load can be run again, after it finished or after it was stopped: files
(and bundles) already stored by the same organisation, recognised by the
content hash of their batch, are skipped, and school years go oldest
first, so a re-run ends on the newest year and an unchanged city makes no
new version. Bundles are written in a scratch folder under
``EDUBRAIN_HOME/tmp`` that is removed when the load ends and swept by the
next load if the process was killed; the helper process dies with the
loader (``PR_SET_PDEATHSIG`` on Linux, and a watchdog on its parent).
"""

from __future__ import annotations

import csv
import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import polars as pl
from sqlalchemy import select

from edubrain.catalog.models import Dataset
from edubrain.exchange.headers import map_headers
from edubrain.exchange.ingest import Exchange
from edubrain.exchange.readers import detect_encoding, read_source
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch
from edubrain.store.orgs import CITY_CODE
from edubrain.synth.helpers import die_with_parent, scratch_folder

LoadMode = Literal["per-school", "bulk", "city"]
AHEAD = 2
"""Bundles prepared ahead of the exchange by a helper process (each is a file in a scratch folder)."""
Step = Callable[[dict[str, object], str, int], None]
"""Called after each submission with the manifest entry, the batch status and the number of files it held."""


@dataclass
class LoadSummary:
    """What a load did.

    Attributes:
        files: Files submitted (a bulk bundle counts once).
        rows: Rows read.
        by_status: Submissions per batch status (committed, unchanged, rejected), and files
            skipped because the same organisation already stored them (skipped).
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
    """The manifest of a generated city, in load order: files without a school year, then years oldest first."""
    manifest = pl.read_csv(root / "manifest.csv", schema_overrides={"org": pl.String, "district": pl.String})
    return manifest.sort(["school_year", "seq"], nulls_last=False, maintain_order=True)


def load_city(home: Home, root: Path, mode: LoadMode = "per-school", step: Step | None = None) -> LoadSummary:
    """Submit every file of the city in ``root`` in manifest order, in one exchange session.

    Files already stored by the same organisation are skipped (status ``skipped``).
    """
    manifest = read_manifest(root)
    summary = LoadSummary()
    entries = manifest.to_dicts()
    batches = [[e] for e in entries] if mode == "per-school" else _bundles(entries, by_district=mode == "bulk")
    stored = _stored_files(home)
    with scratch_folder(home.settings.home / "tmp") as scratch, Exchange(home) as exchange:
        for group, path in _prepared(root, batches, scratch):
            started = time.perf_counter()
            entry = group[0]
            org = str(entry["org"]) if len(group) == 1 else str(entry["district"] if mode == "bulk" else CITY_CODE)
            if (str(entry["dataset"]), org, hashlib.sha256(path.read_bytes()).hexdigest()) in stored:
                status, rows, problems = "skipped", 0, 0
            else:
                source = read_source(path)
                result = exchange.submit(source, str(entry["dataset"]), org, mode=entry["mode"])  # type: ignore[arg-type]
                del source  # before the next batch is read: a city-wide batch is gigabytes
                status, rows, problems = result.report.status, result.report.rows_read, result.problems.height
            if len(group) > 1:
                path.unlink()
            _tally(summary, entry, status, rows, problems, started)
            if status == "rejected":
                summary.rejected.extend(str(e["path"]) for e in group)
            if step:
                step(entry, status, len(group))
    return summary


def _stored_files(home: Home) -> set[tuple[str, str, str]]:
    """(dataset, organisation, content hash) of every batch already committed, or found unchanged."""
    home.ensure_initialised()
    with session_scope(home.engine) as session:
        rows = session.execute(
            select(SubmissionBatch.dataset, SubmissionBatch.org_code, SubmissionBatch.source_sha256).where(
                SubmissionBatch.status.in_(("committed", "unchanged"))
            )
        )
        return {(str(d), str(o), str(h)) for d, o, h in rows}


def _prepared(
    root: Path, batches: list[list[dict[str, object]]], scratch: Path
) -> Iterator[tuple[list[dict[str, object]], Path]]:
    """Each batch with the file to submit; bundles are written by a helper process while the exchange works."""
    if all(len(group) == 1 for group in batches):
        yield from ((group, root / str(group[0]["path"])) for group in batches)
        return
    ahead: deque[tuple[list[dict[str, object]], Future[Path]]] = deque()
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        for group in batches:
            if len(group) == 1:
                done: Future[Path] = Future()
                done.set_result(root / str(group[0]["path"]))
                ahead.append((group, done))
            else:
                ahead.append((group, pool.submit(_bundle, root, group, scratch)))
            while len(ahead) > AHEAD:
                first, future = ahead.popleft()
                yield first, future.result()
        while ahead:
            first, future = ahead.popleft()
            yield first, future.result()


def _tally(
    summary: LoadSummary, entry: dict[str, object], status: str, rows: int, problems: int, started: float
) -> None:
    dataset = str(entry["dataset"])
    summary.files += 1
    summary.rows += rows
    summary.by_status[status] = summary.by_status.get(status, 0) + 1
    summary.problems[dataset] = summary.problems.get(dataset, 0) + problems
    summary.seconds[dataset] = summary.seconds.get(dataset, 0.0) + time.perf_counter() - started


def _bundles(entries: list[dict[str, object]], by_district: bool) -> list[list[dict[str, object]]]:
    """Group clean school files by (year, dataset, district or city), keeping manifest order between groups."""
    groups: dict[tuple[object, ...], list[dict[str, object]]] = {}
    out: list[list[dict[str, object]]] = []
    for entry in entries:
        key = (entry["school_year"], entry["dataset"], entry["district"] if by_district else CITY_CODE)
        if entry["school_year"] is None:
            out.append([entry])
            continue
        if entry.get("expected"):
            # a dirty file goes before its district's bundle, like the school's own resubmission
            position = out.index(groups[key]) if key in groups else len(out)
            out.insert(position, [entry])
            continue
        if key not in groups:
            groups[key] = []
            out.append(groups[key])
        groups[key].append(entry)
    return out


def _bundle(root: Path, group: list[dict[str, object]], scratch: Path) -> Path:
    """One UTF-8 CSV with field-name headers holding every file of ``group`` (values as written).

    CSV files whose headers map to the dataset's fields in catalog order are
    appended as text (decoded, header dropped); any other file is read and
    re-written through the exchange's reader.
    """
    from edubrain.catalog.registry import get_catalog

    dataset = get_catalog().dataset(str(group[0]["dataset"]))
    path = scratch / f"{group[0]['district']}-{group[0]['school_year']}-{dataset.id}-{len(group)}.csv"
    others = []
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(dataset.field_names) + "\n")
        for entry in group:
            body = _csv_body(root / str(entry["path"]), dataset)
            if body is None:
                others.append(entry)
            elif body:
                out.write(body if body.endswith("\n") else body + "\n")
        for entry in others:
            source = read_source(root / str(entry["path"]))
            mapping = map_headers(source.headers, dataset)
            frame = source.frame.select([pl.col(f"c{pos}").alias(name) for name, (pos, _) in mapping.columns.items()])
            frame = pl.DataFrame(schema=dict.fromkeys(dataset.field_names, pl.String)).vstack(
                frame.select(
                    [pl.col(n) if n in frame.columns else pl.lit(None, pl.String).alias(n) for n in dataset.field_names]
                )
            )
            out.write(frame.write_csv(include_header=False))
    return path


def _csv_body(path: Path, dataset: Dataset) -> str | None:
    """The data lines of a CSV file whose header maps to ``dataset``'s fields in order, else None."""
    if path.suffix.lower() != ".csv":
        return None
    _, text = detect_encoding(path.read_bytes())
    header, _, body = text.partition("\n")
    if not _in_field_order(header.rstrip("\r"), dataset.id):
        return None
    return body.replace("\r\n", "\n")


@lru_cache(maxsize=256)
def _in_field_order(header: str, dataset_id: str) -> bool:
    """Whether a CSV header line maps to every field of the dataset, in catalog order, and to nothing else."""
    from edubrain.catalog.registry import get_catalog

    dataset = get_catalog().dataset(dataset_id)
    mapping = map_headers(next(csv.reader([header])), dataset)
    in_order = [name for name, _ in sorted(mapping.columns.items(), key=lambda item: item[1][0])]
    return not mapping.unmapped and in_order == list(dataset.field_names)
