"""The graduation rule: 50 % of the final year's 学年总分 + 50 % of the mean of the other years."""

from __future__ import annotations

import ibis
import pyarrow as pa

from edubrain.analytics.fitness.graduation import graduation_expr


def _graduate(rows: list[tuple[str, int, str, float | None, str]]) -> dict[str, dict[str, object]]:
    table = pa.table(
        {
            "student_id": [r[0] for r in rows],
            "school_year": [r[1] for r in rows],
            "grade": [r[2] for r in rows],
            "total_score": pa.array([r[3] for r in rows], pa.float64()),
            "status": [r[4] for r in rows],
        }
    )
    con = ibis.duckdb.connect()
    result = con.to_pyarrow(graduation_expr(ibis.memtable(table)))
    return {row["student_id"]: row for row in result.to_pylist()}


def test_fitness_graduation_score_is_half_final_year_half_mean_of_other_years() -> None:
    got = _graduate(
        [
            ("a", 2022, "31", 70.0, "complete"),
            ("a", 2023, "32", 80.0, "complete"),
            ("a", 2024, "33", 90.3, "complete"),
            ("b", 2024, "16", 65.0, "complete"),
            ("c", 2023, "42", 40.0, "complete"),
            ("c", 2024, "43", 45.0, "complete"),
            ("d", 2023, "22", 88.0, "complete"),
            ("d", 2024, "23", None, "exempt"),
            ("e", 2023, "22", 88.0, "incomplete"),
            ("e", 2024, "23", 70.0, "complete"),
        ]
    )
    # a: 0.5 × 90.3 + 0.5 × 75 = 82.65 → 82.7 (half up), 良好
    assert (got["a"]["graduation_score"], got["a"]["level"], got["a"]["years"]) == (82.7, "良好", 3)
    assert (got["b"]["graduation_score"], got["b"]["years"]) == (65.0, 1)
    # c: 0.5 × 45 + 0.5 × 40 = 42.5: university below 50 → 结业或肄业
    assert (got["c"]["graduation_score"], got["c"]["meets_completion"]) == (42.5, False)
    assert (got["d"]["status"], got["d"]["level"], got["d"]["graduation_score"]) == ("exempt", "免测", None)
    # e: the incomplete year is not one of the "other years"
    assert (got["e"]["graduation_score"], got["e"]["years"]) == (70.0, 1)
    assert got["b"]["meets_completion"] is True
