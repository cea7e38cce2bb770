"""Generating a synthetic city: district by district, year by year, straight to files.

Only one district's model and one school year's tables are in memory at a
time. Every file is listed in ``manifest.csv`` with its dataset, the
organisation that submits it, the load mode and its place in the load order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from edubrain.catalog.registry import Catalog, get_catalog
from edubrain.store.orgs import CITY_CODE
from edubrain.synth.assemble import class_table, with_classes, year_tables
from edubrain.synth.config import SynthConfig
from edubrain.synth.facts import District, birth_sources, district_births, districts
from edubrain.synth.population import DistrictModel
from edubrain.synth.schools import city_schools
from edubrain.synth.teachers import TeacherModel
from edubrain.synth.writer import TableWriter, Written

YEARLY = (
    "classes",
    "students",
    "teachers",
    "teacher_assignments",
    "training_records",
    "school_infrastructure",
    "exam_scores",
    "fitness_tests",
    "student_status_changes",
)
"""School-owned datasets written every year, in load order (references first)."""
ROSTERS = ("students", "teachers")
"""Datasets holding current state: each year's file replaces the school's rows (``replace-scope``)."""
MANIFEST_SCHEMA = {
    "seq": pl.Int64, "path": pl.String, "dataset": pl.String, "org": pl.String, "school_year": pl.Int64,
    "mode": pl.String, "format": pl.String, "rows": pl.Int64, "district": pl.String,
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

    def add(self, written: Written, root: Path, dataset: str, org: str, year: int | None, district: str) -> None:
        """Record a written file."""
        self.entries.append(
            {
                "path": written.path.relative_to(root).as_posix(), "dataset": dataset, "org": org,
                "school_year": year, "mode": "replace-scope" if dataset in ROSTERS else "upsert",
                "format": written.file_format, "rows": written.rows, "district": district,
            }
        )  # fmt: skip

    def frame(self) -> pl.DataFrame:
        """The manifest in load order: city, districts, then each year's datasets in :data:`YEARLY` order."""
        rank = {d: i for i, d in enumerate(("districts", "births", "schools", *YEARLY))}
        frame = pl.DataFrame(self.entries, schema={k: v for k, v in MANIFEST_SCHEMA.items() if k != "seq"})
        frame = frame.with_columns(pl.col("dataset").replace_strict(rank, return_dtype=pl.Int64).alias("_rank"))
        frame = frame.sort(pl.col("school_year").fill_null(0), "_rank", "path").drop("_rank")
        return frame.with_row_index("seq", offset=1).with_columns(pl.col("seq").cast(pl.Int64))


def generate(config: SynthConfig, catalog: Catalog | None = None, progress: Progress | None = None) -> pl.DataFrame:
    """Generate the city described by ``config`` into ``config.out``; returns the manifest (also written)."""
    config.check()
    catalog = catalog or get_catalog()
    root = config.out
    root.mkdir(parents=True, exist_ok=True)
    writer = TableWriter(root, catalog)
    manifest = Manifest()
    schools = city_schools(config)
    _write_city(config, writer, manifest, schools)
    for district in districts():
        started = time.perf_counter()
        own = schools.filter(pl.col("district_code") == district.code)
        _write_district(config, writer, manifest, district, own)
        manifest.timings[district.code] = time.perf_counter() - started
        if progress:
            progress(district.code, len(manifest.entries))
    frame = manifest.frame()
    frame.write_csv(root / "manifest.csv")
    return frame


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
        [{"district_code": d.code, "name_zh": d.name_zh, "functional_zone": d.zone, "resident_population_10k": d.population_10k}
         for d in districts()]
    )  # fmt: skip
    for dataset, frame in (("districts", facts), ("births", births)):
        manifest.add(writer.write(frame, dataset, f"{CITY_CODE}/{dataset}", "utf8-bom"), writer.root, dataset, CITY_CODE, None, CITY_CODE)
    for district in districts():
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
        for dataset in YEARLY:
            _write_per_school(config, writer, manifest, tables[dataset], dataset, state.year, district, formats)


def _write_per_school(
    config: SynthConfig,
    writer: TableWriter,
    manifest: Manifest,
    table: pl.DataFrame,
    dataset: str,
    year: int,
    district: District,
    formats: dict[str, str],
) -> None:
    """One file per school; a school with no rows still sends a roster (so last year's rows retire)."""
    parts = table.partition_by("school_code", as_dict=True, maintain_order=True)
    for code, file_format in formats.items():
        part = parts.get((code,))
        if part is None:
            if dataset not in ROSTERS:
                continue
            part = table.clear()
        chosen = file_format
        if file_format == "xlsx" and dataset not in config.formats.xlsx_datasets:
            chosen = "utf8-bom"
        written = writer.write(part, dataset, f"{district.code}/{code}/{year}-{dataset}", chosen)
        manifest.add(written, writer.root, dataset, code, year, district.code)
