"""Indicators (优良率, 及格率, …, change on last year) and the data-quality warning, on hand-made scored rows."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa
import pytest

from edubrain.analytics.fitness import district_map, drill_down, indicators_expr, trend, warnings_expr
from edubrain.analytics.fitness.scoring import score_columns
from edubrain.analytics.fitness.standard import load_standard

STD = load_standard()
RAW = [i.field for i in STD.scored_items if i.field]


def _row(school: str, year: int, level: str | None, total: float | None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys([*RAW, *score_columns()])
    row.update(
        school_year=year,
        district_code=school[:6],
        school_code=school,
        class_id="C1",
        grade="21",
        sex="1",
        status="complete" if level else "exempt",
        level=level,
        total_score=total,
        bmi_band="正常" if level else None,
    )
    row.update(extra)
    return row


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    names = list(rows[0])
    floats = set(RAW) | {"bmi", "standard_score", "total_score"}
    ints = {c for c in score_columns() if c.endswith(("_score", "_bonus")) and c not in floats} | {
        "bonus",
        "school_year",
    }
    kinds = {c: pa.float64() if c in floats else pa.int64() if c in ints else pa.string() for c in names}
    return pa.table({c: pa.array([r[c] for r in rows], kinds[c]) for c in names})


def _run(expr: Any) -> list[dict[str, Any]]:
    return ibis.duckdb.connect().to_pyarrow(expr).to_pylist()


def test_fitness_indicators_rates_and_change_on_last_year() -> None:
    a, b = "1101080001", "1101050001"
    rows = [
        _row(a, 2024, "优秀", 92.0, vital_capacity_score=100),
        _row(a, 2024, "良好", 85.0, vital_capacity_score=80, bmi_band="超重"),
        _row(a, 2024, "及格", 70.0, vital_capacity_score=50, bmi_band="肥胖"),
        _row(a, 2024, "不及格", 50.0, vital_capacity_score=40),
        _row(a, 2024, None, None),
        _row(b, 2024, "良好", 81.0, sex="2"),
        _row(a, 2023, "及格", 65.0),
        _row(a, 2023, "不及格", 55.0),
    ]
    result = _run(indicators_expr(ibis.memtable(_table(rows))))
    key = {(r["level"], r["org_code"], r["school_year"], r["grade"], r["sex"]): r for r in result}
    school = key[("school", a, 2024, "*", "*")]
    assert (school["students"], school["tested"], school["exempt"]) == (5, 4, 1)
    assert school["excellent_good_rate"] == 0.5 and school["pass_rate"] == 0.75
    assert school["mean_total"] == pytest.approx(74.25)
    assert school["overweight_rate"] == 0.25 and school["obesity_rate"] == 0.25
    assert school["vital_capacity_pass_rate"] == 0.5
    assert school["change_mean_total"] == pytest.approx(74.25 - 60.0)
    assert school["change_pass_rate"] == pytest.approx(0.75 - 0.5) and school["parent_code"] == "110108"
    city = key[("city", "110000", 2024, "*", "*")]
    assert city["tested"] == 5 and city["excellent_good_rate"] == pytest.approx(3 / 5)
    assert key[("district", "110105", 2024, "21", "2")]["excellent_good_rate"] == 1.0
    assert key[("class", f"{a}:C1", 2024, "21", "1")]["parent_code"] == a
    assert key[("school", b, 2024, "*", "*")]["change_mean_total"] is None


def test_fitness_warnings_flag_implausible_schools_only() -> None:
    rows = []
    for i in range(12):
        school = f"11010800{i:02d}"
        for j in range(25):
            total = 70.0 + (j % 10) + i % 3
            rows.append(
                _row(school, 2024, "及格", total, sprint_50m_s=8.0 + (j % 7) / 10, sprint_50m_score=70 + j % 20)
            )
    perfect = "1101089901"
    rows += [_row(perfect, 2024, "优秀", 100.0, sprint_50m_s=7.0 + j / 100, sprint_50m_score=100) for j in range(25)]
    same = "1101089902"
    rows += [_row(same, 2024, "及格", 75.0, sprint_50m_s=8.0, sprint_50m_score=76) for _ in range(25)]
    low = "1101089903"
    rows += [_row(low, 2024, "不及格", 20.0, sprint_50m_s=9.0 + j / 100, sprint_50m_score=10) for j in range(25)]
    small = "1101089904"
    rows += [_row(small, 2024, "优秀", 100.0, sprint_50m_s=8.0, sprint_50m_score=100) for _ in range(5)]
    found = {(w["school_code"], w["check"], w["item"]) for w in _run(warnings_expr(ibis.memtable(_table(rows))))}
    assert (perfect, "perfect_scores", "*") in found
    assert (same, "identical_values", "sprint_50m") in found
    assert (low, "unlike_city", "*") in found
    assert not {w for w in found if w[0] == small}
    assert {w[0] for w in found} == {perfect, same, low}


def test_fitness_views_map_trend_and_drill_down() -> None:
    a, b = "1101080001", "1101050001"
    rows = [_row(a, 2023, "及格", 65.0), _row(a, 2024, "优秀", 92.0), _row(b, 2024, "良好", 81.0)]
    indicators = indicators_expr(ibis.memtable(_table(rows)))
    con = ibis.duckdb.connect()
    mapped = con.to_pyarrow(district_map(indicators, 2024)).to_pylist()
    assert [(r["district_code"], r["excellent_good_rate"]) for r in mapped] == [("110105", 1.0), ("110108", 1.0)]
    years = con.to_pyarrow(trend(indicators, a)).to_pylist()
    assert [(r["school_year"], r["mean_total"]) for r in years] == [(2023, 65.0), (2024, 92.0)]
    schools = con.to_pyarrow(drill_down(indicators, "110108", 2024)).to_pylist()
    assert [(r["level"], r["org_code"]) for r in schools] == [("school", a)]
    classes = con.to_pyarrow(drill_down(indicators, a, 2024)).to_pylist()
    assert [r["org_code"] for r in classes] == [f"{a}:C1"]
    districts = con.to_pyarrow(drill_down(indicators, "110000", 2024)).to_pylist()
    assert [r["org_code"] for r in districts] == ["110105", "110108"]
