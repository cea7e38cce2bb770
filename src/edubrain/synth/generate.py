"""Generating a synthetic city: district by district, year by year, straight to files.

Only one district's model and one school year's tables are in memory at a
time. Every file is listed in ``manifest.csv`` with its dataset, the
organisation that submits it, the load mode and its place in the load order.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import numpy as np
import polars as pl

from edubrain.catalog.registry import Catalog, get_catalog
from edubrain.store.orgs import CITY_CODE
from edubrain.synth.assemble import class_table, with_classes, year_tables
from edubrain.synth.at_risk import plant_at_risk
from edubrain.synth.config import SynthConfig
from edubrain.synth.dirty import inject
from edubrain.synth.duplicates import plant
from edubrain.synth.exam_items import empty_results, exam_item_results
from edubrain.synth.facilities import write_facilities
from edubrain.synth.facts import District, birth_sources, district_births, districts
from edubrain.synth.network_shortfalls import plant as plant_network_shortfalls
from edubrain.synth.population import DistrictModel
from edubrain.synth.rng import stream
from edubrain.synth.safety import write_safety
from edubrain.synth.schools import city_schools
from edubrain.synth.smart_campus import plant as plant_smart_campus
from edubrain.synth.supervision import write_supervision
from edubrain.synth.teachers import TeacherModel
from edubrain.synth.training_gaps import plant_training
from edubrain.synth.writer import TableWriter, Written, as_text, csv_lines, headers, plain_booleans

YEARLY = (
    "classes",
    "students",
    "teachers",
    "teacher_assignments",
    "training_records",
    "school_infrastructure",
    "exam_scores",
    "exam_item_results",
    "fitness_tests",
    "student_status_changes",
    "student_attendance",
    "student_activities",
    "student_awards",
    "student_conduct",
    "info_literacy",
    "teacher_portfolio",
)
"""School-owned datasets written every year, in load order (references first)."""
ROSTERS = ("students", "teachers")
"""Datasets holding current state: each year's file replaces the school's rows (``replace-scope``)."""
MANIFEST_SCHEMA = {
    "seq": pl.Int64, "path": pl.String, "dataset": pl.String, "org": pl.String, "school_year": pl.Int64,
    "mode": pl.String, "format": pl.String, "rows": pl.Int64, "district": pl.String, "expected": pl.String,
}  # fmt: skip

Progress = Callable[[str, int], None]
"""Called with a district code and the number of files written so far."""


@dataclass
class Manifest:
    """The files of a generated city.

    Attributes:
        entries: One dict per file (``MANIFEST_SCHEMA`` columns, ``seq`` filled by :meth:`frame`).
        timings: Seconds spent per district.
    """

    entries: list[dict[str, object]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def add(
        self,
        written: Written,
        root: Path,
        dataset: str,
        org: str,
        year: int | None,
        district: str,
        expected: str | None = None,
    ) -> None:
        """Record a written file (``expected``: the file of problems a dirty file must yield)."""
        self.entries.append(
            {
                "path": written.path.relative_to(root).as_posix(), "dataset": dataset, "org": org,
                "school_year": year, "mode": "replace-scope" if dataset in ROSTERS else "upsert",
                "format": written.file_format, "rows": written.rows, "district": district, "expected": expected,
            }
        )  # fmt: skip

    def frame(self) -> pl.DataFrame:
        """The manifest in load order: city, districts, then each year's datasets in :data:`YEARLY` order."""
        rank = {d: i for i, d in enumerate(("districts", "births", "schools", *YEARLY))}
        frame = pl.DataFrame(self.entries, schema={k: v for k, v in MANIFEST_SCHEMA.items() if k != "seq"})
        frame = frame.with_columns(pl.col("dataset").replace_strict(rank, return_dtype=pl.Int64).alias("_rank"))
        base = pl.col("path").str.replace(r"\.dirty\.", ".")
        frame = frame.sort(pl.col("school_year").fill_null(0), "_rank", base, pl.col("expected").is_null()).drop(
            "_rank"
        )
        return frame.with_row_index("seq", offset=1).with_columns(pl.col("seq").cast(pl.Int64))


def generate(
    config: SynthConfig, catalog: Catalog | None = None, progress: Progress | None = None, workers: int = 1
) -> pl.DataFrame:
    """Generate the city described by ``config`` into ``config.out``; returns the manifest (also written).

    Args:
        config: What to generate.
        catalog: The catalog (default the packaged one).
        progress: Called after each district.
        workers: Processes generating districts in parallel; the output is the same for any number.
    """
    config.check()
    catalog = catalog or get_catalog()
    root = config.out
    root.mkdir(parents=True, exist_ok=True)
    manifest = Manifest()
    schools = city_schools(config)
    _write_city(config, TableWriter(root, catalog), manifest, schools)
    chosen = [d for d in districts() if config.districts is None or d.code in config.districts]
    order = sorted(chosen, key=lambda d: -d.student_share)
    jobs = [(config, d.code, schools.filter(pl.col("district_code") == d.code)) for d in order]
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = pool.map(district_job, *zip(*jobs, strict=True))
            _collect(manifest, results, progress)
    else:
        _collect(manifest, (district_job(*job) for job in jobs), progress)
    frame = write_facilities(
        config, catalog, schools, manifest.frame()
    )  # IoT, usage, surveys; truth in facility-truth/
    planted = schools.filter(pl.col("district_code").is_in([d.code for d in chosen]))
    plant_smart_campus(root, planted, config.end_year, config.seed)  # self-assessments; truth in smart-campus-truth/
    frame = write_supervision(config, catalog, frame)  # training providers; truth in supervision-truth/
    frame = write_safety(config, catalog, planted, frame)  # campus safety incidents; truth in safety-truth/
    frame.write_csv(root / "manifest.csv")
    return frame


def _collect(manifest: Manifest, results: Iterable[tuple[str, Manifest]], progress: Progress | None) -> None:
    for code, part in results:
        manifest.entries.extend(part.entries)
        manifest.timings.update(part.timings)
        if progress:
            progress(code, len(manifest.entries))


def district_job(config: SynthConfig, code: str, schools: pl.DataFrame) -> tuple[str, Manifest]:
    """Generate and write one district's school files (runs in a worker process)."""
    started = time.perf_counter()
    manifest = Manifest()
    district = next(d for d in districts() if d.code == code)
    _write_district(config, TableWriter(config.out, get_catalog()), manifest, district, schools)
    manifest.timings[code] = time.perf_counter() - started
    return code, manifest


def _write_city(config: SynthConfig, writer: TableWriter, manifest: Manifest, schools: pl.DataFrame) -> None:
    """The city's own files (districts, births) and each district's schools file."""
    sources = birth_sources()
    rows = [
        {"district_code": d.code, "year": y, "births": district_births(d.code, y, config.scale),
         "source": "EduBrain synthetic: city births x census population share; city figure " + sources[y]}
        for d in districts() for y in range(2010, 2025)
    ]  # fmt: skip
    births = pl.DataFrame(rows)
    facts = pl.DataFrame(
        [
            {
                "district_code": d.code,
                "name_zh": d.name_zh,
                "functional_zone": d.zone,
                "resident_population_10k": d.population_10k,
            }
            for d in districts()
        ]
    )
    for dataset, frame in (("districts", facts), ("births", births)):
        manifest.add(
            writer.write(frame, dataset, f"{CITY_CODE}/{dataset}", "utf8-bom"),
            writer.root,
            dataset,
            CITY_CODE,
            None,
            CITY_CODE,
        )
    for district in districts():
        if config.districts is not None and district.code not in config.districts:
            continue
        own = schools.filter(pl.col("district_code") == district.code)
        written = writer.write(own, "schools", f"{district.code}/schools", "gbk" if district.index % 2 else "utf8-bom")
        manifest.add(written, writer.root, "schools", district.code, None, district.code)


def _write_district(
    config: SynthConfig, writer: TableWriter, manifest: Manifest, district: District, schools: pl.DataFrame
) -> None:
    model = DistrictModel(config, district, schools)
    staff_model = TeacherModel(config, district)
    formats = dict(zip(schools.get_column("school_code"), schools.get_column("format"), strict=True))
    for state in model.years():
        classes = class_table(with_classes(state.students, state.year))
        staff = staff_model.year(state.year, classes)
        tables = year_tables(state, staff, schools, config.seed, district.index)
        tables["training_records"] = plant_training(tables, staff, config, district, state.year)  # truth beside
        tables["exam_item_results"] = (  # the last two years only: item-level rows are many (docs/item-analysis.md)
            exam_item_results(with_classes(state.students, state.year), config.seed, district.index, state.year)
            if state.year >= config.end_year - 1
            else empty_results()
        )
        tables["school_infrastructure"] = plant_network_shortfalls(  # planted shortfalls, truth beside the files
            tables["school_infrastructure"], tables["classes"], district, state.year, config.out, config.seed
        )
        tables.update(plant_at_risk(tables, config, district, state.year))  # attendance; at-risk truth beside
        if config.duplicates and state.year == config.end_year:  # planted duplicates, truth beside the files
            tables["students"] = plant(
                tables["students"], district, state.year, config.duplicates, config.out, config.seed
            )
        for dataset in YEARLY:
            rng = stream(config.seed, f"dirty-{dataset}", district.index, state.year)
            target = _SchoolFiles(writer, manifest, dataset, state.year, district, rng)
            _write_per_school(config, target, tables[dataset], formats)


@dataclass
class _SchoolFiles:
    """Where one dataset's school files of one year go."""

    writer: TableWriter
    manifest: Manifest
    dataset: str
    year: int
    district: District
    rng: np.random.Generator


def _write_per_school(config: SynthConfig, target: _SchoolFiles, table: pl.DataFrame, formats: dict[str, str]) -> None:
    """One file per school; a school with no rows still sends a roster (so last year's rows retire).

    The table is put in school order and rendered as CSV once; each
    school's file is then a slice of those lines under its own headers.
    """
    dataset = target.writer.catalog.dataset(target.dataset)
    text, bounds = _by_school(as_text(table, dataset, chinese=True))
    plain = [code for code, file_format in formats.items() if file_format == "utf8"]
    if plain:  # schools sending a system export (field names) spell booleans true/false
        text = plain_booleans(text, dataset, pl.col("school_code").is_in(plain))
    lines = csv_lines(text)
    codes = list(formats)
    for i, (code, file_format) in enumerate(formats.items()):
        chosen = file_format
        if file_format == "xlsx" and target.dataset not in config.formats.xlsx_datasets:
            chosen = "utf8-bom"
        if code not in bounds and target.dataset not in ROSTERS:
            continue
        start, rows = bounds.get(code, (0, 0))
        part = text.slice(start, rows)
        relative = f"{target.district.code}/{code}/{target.year}-{target.dataset}"
        if config.dirty and target.rng.random() < config.dirty:
            _write_dirty(target, part, relative, chosen, code, codes[(i + 1) % len(codes)])
        if chosen == "xlsx" or lines is None:
            written = target.writer.write_text(part, dataset, relative, chosen)
        else:
            written = target.writer.write_lines(lines[start : start + rows], dataset, relative, chosen)
        target.manifest.add(written, target.writer.root, target.dataset, code, target.year, target.district.code)


def _by_school(text: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, tuple[int, int]]]:
    """The rows grouped by school (schools in order of first appearance, rows in order) and each school's span."""
    groups = (
        text.select("school_code")
        .with_row_index("__row")
        .group_by("school_code", maintain_order=True)
        .agg(pl.col("__row"), pl.len().alias("__n"))
    )
    ordered = text[groups.get_column("__row").explode()]
    counts = groups.get_column("__n").to_list()
    starts = [0, *accumulate(counts)]
    return ordered, {
        code: (start, n) for code, start, n in zip(groups.get_column("school_code"), starts, counts, strict=False)
    }


def _write_dirty(
    target: _SchoolFiles, part: pl.DataFrame, relative: str, file_format: str, code: str, other: str
) -> None:
    """A copy of the school's file (as text) with one mistake, and beside it the problems it must yield."""
    dataset = target.writer.catalog.dataset(target.dataset)
    mistake = inject(part, dataset, target.rng, other)
    if mistake is None:
        return
    written = target.writer.write_text(mistake.frame, dataset, relative + ".dirty", file_format, mistake.headers)
    written_headers = dict(zip(dataset.field_names, headers(dataset, file_format, mistake.headers), strict=True))
    problems = [
        {"row": row, "column": column[1:] if column.startswith("=") else written_headers[column], "rule": rule}
        for row, column, rule in mistake.expected
    ]
    expected = written.path.with_name(written.path.name + ".expected.json")
    report = {
        "file": written.path.name,
        "dataset": dataset.id,
        "org": code,
        "mistake": mistake.kind,
        "problems": problems,
    }
    expected.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    target.manifest.add(
        written, target.writer.root, dataset.id, code, target.year, target.district.code,
        expected.relative_to(target.writer.root).as_posix(),
    )  # fmt: skip
