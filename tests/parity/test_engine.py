"""The two engines read the same lake version and give the same answers."""

from __future__ import annotations

import pyarrow as pa

from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.jobs.engine import LakeEngine
from tests.conftest import write_csv


def _births(home: Home, tmp_path, rows: list[list[object]]) -> None:
    path = write_csv(tmp_path / "births.csv", [["行政区划代码", "年份", "出生人数"], *rows])
    assert ingest_file(home, path, "births", "110000").report.status == "committed"


def _totals(engine: LakeEngine, home: Home, version: int | None) -> list[dict[str, object]]:
    births = engine.table(home.lake, home.catalog.dataset("births"), version)
    expr = births.group_by("district_code").aggregate(total=births.births.sum(), years=births.year.count())
    return sorted(engine.collect(expr).to_pylist(), key=lambda r: str(r["district_code"]))


def test_both_engines_read_the_same_versions(
    home: Home, tmp_path, duckdb_engine: LakeEngine, spark_engine: LakeEngine
) -> None:
    _births(home, tmp_path, [["110101", 2016, 9000], ["110108", 2016, 30000]])
    _births(home, tmp_path, [["110108", 2017, 31000]])
    for version in (0, 1, None):
        assert _totals(duckdb_engine, home, version) == _totals(spark_engine, home, version)
    assert _totals(duckdb_engine, home, 0) == [
        {"district_code": "110101", "total": 9000, "years": 1},
        {"district_code": "110108", "total": 30000, "years": 1},
    ]


def test_an_empty_table_has_the_lake_schema(home: Home, duckdb_engine: LakeEngine, spark_engine: LakeEngine) -> None:
    for engine in (duckdb_engine, spark_engine):
        table = engine.table(home.lake, home.catalog.dataset("births"))
        assert engine.collect(table).num_rows == 0
        assert "district_code" in table.columns and "_batch_id" in table.columns


def test_arrow_parameter_tables_join_lake_tables(
    home: Home, tmp_path, duckdb_engine: LakeEngine, spark_engine: LakeEngine
) -> None:
    _births(home, tmp_path, [["110101", 2016, 9000], ["110108", 2016, 30000]])
    weights = pa.table({"district_code": ["110101", "110108"], "weight": [0.5, 2.0]})
    results = []
    for engine in (duckdb_engine, spark_engine):
        births = engine.table(home.lake, home.catalog.dataset("births"))
        w = engine.arrow(weights)
        expr = births.join(w, "district_code").mutate(weighted=births.births * w.weight)
        results.append(sorted(engine.collect(expr.select("district_code", "weighted")).to_pylist(), key=str))
    assert (
        results[0]
        == results[1]
        == [
            {"district_code": "110101", "weighted": 4500.0},
            {"district_code": "110108", "weighted": 60000.0},
        ]
    )


def test_batches_stream_the_rows_collect_gives(
    home: Home, tmp_path, duckdb_engine: LakeEngine, spark_engine: LakeEngine
) -> None:
    _births(home, tmp_path, [["110101", 2016, 9000], ["110108", 2016, 30000], ["110108", 2017, 31000]])
    for engine in (duckdb_engine, spark_engine):
        births = engine.table(home.lake, home.catalog.dataset("births"))
        expr = births.select("district_code", "year", "births")
        chunks = list(engine.batches(expr, rows=2))
        assert [c.num_rows for c in chunks] == [2, 1], engine.name
        streamed = pa.concat_tables(chunks)
        assert streamed.schema == engine.collect(expr).schema
        assert sorted(streamed.to_pylist(), key=str) == sorted(engine.collect(expr).to_pylist(), key=str)
