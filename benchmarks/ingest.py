"""Ingest benchmark: EduBrain validate + commit vs DuckDB's raw CSV load vs frictionless validate.

Builds a students CSV of N rows (default 1,000,000) with valid, synthetic
people spread over 500 schools and 12,000 classes, then times:

1. EduBrain: ``ingest_file`` (read, map headers, validate every rule,
   scope, reference checks, diff, Delta commit, key index) into a fresh home;
2. DuckDB ``create table as select * from read_csv(...)``: the floor;
3. ``frictionless validate`` of the same file against the exported Table
   Schema, on a sample (it is far slower), extrapolated to rows per second.

Usage: ``.venv/bin/python benchmarks/ingest.py [--rows N] [--sample N] [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.array(list("10X98765432"))
DISTRICTS = ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111",
             "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119"]  # fmt: skip
SCHOOLS, CLASSES_PER_SCHOOL = 500, 24


def build_files(rows: int, out: Path, seed: int = 1) -> tuple[Path, Path, Path]:
    """Write schools, classes and students CSVs; return their paths."""
    rng = np.random.default_rng(seed)
    school_codes = [f"{DISTRICTS[i % 16]}{i:04d}" for i in range(SCHOOLS)]
    pl.DataFrame(
        {
            "学校标识码": school_codes,
            "学校名称": [f"示例学校{i}" for i in range(SCHOOLS)],
            "所在区": [c[:6] for c in school_codes],
            "办学类型": ["211"] * SCHOOLS,
            "是否公办": ["是"] * SCHOOLS,
        }
    ).write_csv(out / "schools.csv")
    grade_codes = ["11", "12", "13", "14", "15", "16", "21", "22", "23", "31", "32", "33"]
    class_rows = [
        (f"{s}G{g}C{c}", s, grade_codes[g])
        for s in school_codes
        for g in range(12)
        for c in range(CLASSES_PER_SCHOOL // 12)
    ]
    classes = pl.DataFrame(class_rows, schema=["班级编号", "学校标识码", "年级"], orient="row").with_columns(
        pl.lit(2025).alias("学年"), pl.col("班级编号").alias("班级名称")
    )
    classes.write_csv(out / "classes.csv")
    pick = rng.integers(0, classes.height, rows)
    chosen = classes[pick]
    grade_index = pl.Series(chosen["年级"]).replace_strict({g: i for i, g in enumerate(grade_codes)}).to_numpy()
    birth_year = 2025 - 6 - grade_index
    month, day = rng.integers(1, 9, rows), rng.integers(1, 29, rows)
    region = np.array(DISTRICTS)[rng.integers(0, 16, rows)]
    seq = np.arange(rows) % 1000
    sex = np.where(seq % 2 == 1, "1", "2")
    first17 = np.char.add(
        np.char.add(
            region,
            np.char.add(
                birth_year.astype(str),
                np.char.add(np.char.zfill(month.astype(str), 2), np.char.zfill(day.astype(str), 2)),
            ),
        ),
        np.char.zfill(seq.astype(str), 3),
    )
    digits = np.frombuffer(first17.astype("S17").tobytes(), dtype=np.uint8).reshape(rows, 17) - ord("0")
    ids = np.char.add(first17, CHECK[(digits @ WEIGHTS) % 11])
    frame = pl.DataFrame(
        {
            "全国学籍号": np.char.add("G", ids),
            "姓名": ["张三"] * rows,
            "性别": sex,
            "出生日期": [f"{y}-{m:02d}-{d:02d}" for y, m, d in zip(birth_year, month, day, strict=True)],
            "身份证号": ids,
            "民族": ["01"] * rows,
            "学校标识码": chosen["学校标识码"],
            "班级编号": chosen["班级编号"],
            "学年": [2025] * rows,
            "年级": chosen["年级"],
            "学籍状态": ["01"] * rows,
        }
    ).unique(subset=["全国学籍号"], keep="first")
    frame.write_csv(out / "students.csv")
    return out / "schools.csv", out / "classes.csv", out / "students.csv"


def time_edubrain(files: tuple[Path, Path, Path], work: Path) -> tuple[float, int]:
    shutil.rmtree(work / "home", ignore_errors=True)
    settings = Settings(home=work / "home")
    home = Home(settings)
    db.upgrade(settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    ingest_file(home, files[0], "schools", "110000")
    ingest_file(home, files[1], "classes", "110000")
    start = time.perf_counter()
    result = ingest_file(home, files[2], "students", "110000")
    elapsed = time.perf_counter() - start
    assert result.report.status == "committed", result.report.groups[:3]
    return elapsed, result.report.rows_added


def time_duckdb(path: Path) -> float:
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(f"create table t as select * from read_csv('{path}')")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def time_frictionless(path: Path, sample: int, work: Path) -> tuple[float, int]:
    from frictionless import Resource, Schema

    from edubrain.catalog.export_frictionless import table_schema
    from edubrain.exchange.headers import alias_index, normalise_header

    part = work / "sample.csv"
    pl.read_csv(path, n_rows=sample, infer_schema=False).write_csv(part)
    schema = table_schema(get_catalog().dataset("students"), get_catalog())
    headers = pl.read_csv(part, n_rows=0).columns
    fields = {f["name"]: f for f in schema["fields"]}
    index = alias_index(get_catalog().dataset("students"))
    schema["fields"] = [{**fields[index[normalise_header(h)]], "name": h} for h in headers]
    schema.pop("primaryKey", None)
    schema.pop("foreignKeys", None)
    start = time.perf_counter()
    report = Resource(path=part.name, basepath=str(part.parent), schema=Schema.from_descriptor(schema)).validate()
    elapsed = time.perf_counter() - start
    rows = report.task.stats.get("rows") if report.tasks else None
    if not report.valid or rows != sample:
        raise SystemExit(f"frictionless did not validate the sample: valid={report.valid}, rows={rows}")
    return elapsed, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows validated by frictionless")
    parser.add_argument("--out", type=Path, default=None, help="keep the work folder here")
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="edubrain-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    files = build_files(args.rows, work)
    eb, rows = time_edubrain(files, work)
    dk = time_duckdb(files[2])
    fr, fr_rows = time_frictionless(files[2], args.sample, work)
    result = {
        "machine": f"{platform.machine()}, {platform.python_version()}, {__import__('os').cpu_count()} cores",
        "rows": rows,
        "edubrain_s": round(eb, 2),
        "edubrain_rows_per_s": round(rows / eb),
        "duckdb_read_csv_s": round(dk, 2),
        "duckdb_rows_per_s": round(rows / dk),
        "frictionless_sample_rows": fr_rows,
        "frictionless_s": round(fr, 2),
        "frictionless_rows_per_s": round(fr_rows / fr),
        "edubrain_vs_duckdb": round(eb / dk, 2),
        "edubrain_vs_frictionless_speedup": round((rows / eb) / (fr_rows / fr), 1),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
