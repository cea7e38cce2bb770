"""Every monitoring indicator on hand-computed inputs: four schools in two districts, exact expected values.

The inputs are small enough to compute by hand (the expected values below are written as the arithmetic a person
does: numerator over denominator, times 100 for percentages). The expression runs on in-memory DuckDB; the
parity suite (``tests/parity``) runs the same expression on Spark.
"""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import pyarrow as pa
import pytest

from edubrain.analytics.monitoring import COLUMNS, load_monitoring, monitoring_expr

S1, S2, S3, S4 = "1101080001", "1101080002", "1101050001", "1101050002"
HAIDIAN, CHAOYANG, CITY = "110108", "110105", "110000"
Y = 2024


def _infrastructure() -> pa.Table:
    rows = [
        # school, year, internet, per class, wireless, teacher terminals, student terminals, smart classrooms
        (S1, Y, 1000.0, 100.0, 100.0, 30, 120, 2),
        (S2, Y, 500.0, 50.0, 90.0, 10, 40, 1),
        (S3, Y, 10000.0, 100.0, 99.5, 24, None, 3),
        (S4, Y, 999.0, None, None, 5, 50, 0),
        (S1, Y + 1, 10000.0, 1000.0, 100.0, 40, 150, 5),
    ]
    names = [
        "school_code", "school_year", "internet_bandwidth_mbps", "class_bandwidth_mbps", "wireless_coverage_pct",
        "teacher_terminals", "student_terminals", "smart_classrooms",
    ]  # fmt: skip
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


def _classes() -> pa.Table:
    counts = {(S1, Y): 4, (S2, Y): 2, (S3, Y): 3, (S4, Y): 1, (S1, Y + 1): 5}
    rows = [(f"{s}{y}{k:02d}", s, y) for (s, y), n in counts.items() for k in range(n)]
    return pa.table(
        {"class_id": [r[0] for r in rows], "school_code": [r[1] for r in rows], "school_year": [r[2] for r in rows]}
    )


def _assignments() -> pa.Table:
    teachers = {S1: ["T1", "T1", "T2", "T3"], S2: ["T4", "T5"], S3: ["T6", "T7", "T8", "T9"]}  # T1 teaches twice
    rows = [(t, s, Y) for s, ts in teachers.items() for t in ts]
    return pa.table(
        {"teacher_id": [r[0] for r in rows], "school_code": [r[1] for r in rows], "school_year": [r[2] for r in rows]}
    )


def _students_history() -> pa.Table:
    rows: list[tuple[str, str, int, str, str]] = []
    for school, n in ((S1, 200), (S2, 50), (S3, 100), (S4, 40)):
        rows += [(f"{school}-{i}", school, Y, "01", "a.parquet") for i in range(n)]
    rows.append((f"{S1}-0", S1, Y, "01", "b.parquet"))  # the same pupil in a later version: counted once
    rows.append((f"{S1}-left", S1, Y, "03", "b.parquet"))  # not registered (status 03): not counted
    names = ["student_id", "school_code", "school_year", "status", "_file"]
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


@pytest.fixture(scope="module")
def result() -> Iterator[dict[tuple[str, str, int], dict[str, object]]]:
    con = ibis.duckdb.connect()
    tables = {
        "schools": ibis.memtable(
            pa.table({"school_code": [S1, S2, S3, S4], "district_code": [HAIDIAN, HAIDIAN, CHAOYANG, CHAOYANG]})
        ),
        "school_infrastructure": ibis.memtable(_infrastructure()),
        "classes": ibis.memtable(_classes()),
        "teacher_assignments": ibis.memtable(_assignments()),
        "students": ibis.memtable(_students_history()),
        "smart_campus_scores": ibis.memtable(
            pa.table(
                {
                    "school_code": [S1, S2, S3],
                    "school_year": [Y, Y, Y],
                    "meets_standard": [1, 0, 1],
                    "designated": [1, 0, 1],
                }
            )  # fmt: skip
        ),
    }
    rows = con.to_pyarrow(monitoring_expr(tables)).to_pylist()
    con.disconnect()
    yield {(r["indicator_id"], r["org_code"], r["school_year"]): r for r in rows}


EXPECTED_2024: dict[str, dict[str, float | None]] = {
    # gigabit: S1 1000 ≥ 1000 yes, S2 500 no, S3 10000 yes, S4 999 no
    "school_gigabit_access": {
        S1: 100.0, S2: 0.0, S3: 100.0, S4: 0.0, HAIDIAN: 100 * 1 / 2, CHAOYANG: 100 * 1 / 2, CITY: 100 * 2 / 4,
    },
    # 100 Mbps per class, weighted by the school's classes: S1 4 of 4, S2 0 of 2, S3 3 of 3; S4 reports no value
    "class_100m_access": {S1: 100.0, S2: 0.0, S3: 100.0, HAIDIAN: 100 * 4 / 6, CHAOYANG: 100 * 3 / 3, CITY: 100 * 7 / 9},
    # mean coverage of the reporting schools (S4 reports none)
    "wireless_coverage": {S1: 100.0, S2: 90.0, S3: 99.5, HAIDIAN: 190 / 2, CHAOYANG: 99.5, CITY: 289.5 / 3},
    "wireless_full_coverage": {S1: 100.0, S2: 0.0, S3: 0.0, HAIDIAN: 100 * 1 / 2, CHAOYANG: 0.0, CITY: 100 * 1 / 3},
    # teacher terminals / distinct teachers with an assignment (S1 3, S2 2, S3 4; S4 none: no value)
    "teacher_terminals_per_teacher": {
        S1: 30 / 3, S2: 10 / 2, S3: 24 / 4, S4: None, HAIDIAN: 40 / 5, CHAOYANG: 24 / 4, CITY: 64 / 9,
    },
    # student terminals per 100 registered students (S3 reports no terminals)
    "student_terminals_per_100": {
        S1: 100 * 120 / 200, S2: 100 * 40 / 50, S3: None, S4: 100 * 50 / 40,
        HAIDIAN: 100 * 160 / 250, CHAOYANG: 100 * 50 / 40, CITY: 100 * 210 / 290,
    },
    # smart-campus 达标 (smart_campus_scores): S1 and S3 meet, S2 does not, S4 has no row
    "smart_campus_standard_rate": {S1: 100.0, S2: 0.0, S3: 100.0, HAIDIAN: 100 * 1 / 2, CHAOYANG: 100.0, CITY: 100 * 2 / 3},
    # 示范校: S1 and S3 designated, S2 not, S4 has no row; a count adds up (no ratio)
    "smart_campus_demonstration_schools": {S1: 1.0, S2: 0.0, S3: 1.0, HAIDIAN: 1.0, CHAOYANG: 1.0, CITY: 2.0},
    "smart_classroom_share": {
        S1: 100 * 2 / 4, S2: 100 * 1 / 2, S3: 100 * 3 / 3, S4: 100 * 0 / 1,
        HAIDIAN: 100 * 3 / 6, CHAOYANG: 100 * 3 / 4, CITY: 100 * 6 / 10,
    },
}  # fmt: skip


def test_every_declared_indicator_has_a_golden_value() -> None:
    assert set(EXPECTED_2024) == {i.id for i in load_monitoring().indicators}


@pytest.mark.parametrize("indicator", sorted(EXPECTED_2024))
def test_indicator_values_equal_the_hand_computed_ones(
    result: dict[tuple[str, str, int], dict[str, object]], indicator: str
) -> None:
    got = {org: row["value"] for (ind, org, year), row in result.items() if ind == indicator and year == Y}
    assert got == EXPECTED_2024[indicator]


def test_columns_levels_and_parents(result: dict[tuple[str, str, int], dict[str, object]]) -> None:
    row = result[("school_gigabit_access", S2, Y)]
    assert list(row) == list(COLUMNS)
    assert (row["org_level"], row["parent_code"], row["numerator"], row["denominator"]) == ("school", HAIDIAN, 0.0, 1.0)
    district = result[("class_100m_access", HAIDIAN, Y)]
    assert (district["org_level"], district["parent_code"], district["numerator"], district["denominator"]) == (
        "district", CITY, 4.0, 6.0,
    )  # fmt: skip
    city = result[("wireless_coverage", CITY, Y)]
    assert (city["org_level"], city["parent_code"], city["numerator"], city["denominator"]) == (
        "city",
        None,
        289.5,
        3.0,
    )


def test_met_progress_and_school_counts(result: dict[tuple[str, str, int], dict[str, object]]) -> None:
    short = result[("school_gigabit_access", S4, Y)]
    assert (short["met"], short["progress"], short["target"], short["schools"], short["schools_met"]) == (
        False, 0.0, 100.0, 1, 0,
    )  # fmt: skip
    assert result[("school_gigabit_access", S1, Y)]["met"] is True
    haidian = result[("wireless_coverage", HAIDIAN, Y)]
    assert (haidian["met"], haidian["progress"], haidian["schools"], haidian["schools_met"]) == (False, 0.95, 2, 1)
    full = result[("class_100m_access", CHAOYANG, Y)]
    assert (full["met"], full["progress"], full["schools"], full["schools_met"]) == (True, 1.0, 1, 1)
    no_target = result[("teacher_terminals_per_teacher", CITY, Y)]
    assert (no_target["target"], no_target["met"], no_target["progress"], no_target["schools_met"]) == (
        None, None, None, None,
    )  # fmt: skip
    incomplete = result[("teacher_terminals_per_teacher", S4, Y)]
    assert (incomplete["value"], incomplete["schools"], incomplete["denominator"]) == (None, 0, None)


def test_each_school_year_is_computed_apart(result: dict[tuple[str, str, int], dict[str, object]]) -> None:
    later = {(i, o): r["value"] for (i, o, y), r in result.items() if y == Y + 1}
    assert later[("class_100m_access", S1)] == 100.0 and result[("class_100m_access", S1, Y + 1)]["denominator"] == 5.0
    assert later[("school_gigabit_access", HAIDIAN)] == 100.0
    assert ("school_gigabit_access", CHAOYANG) not in later  # no Chaoyang school reported that year
    assert later[("teacher_terminals_per_teacher", S1)] is None  # no assignments that year


def test_a_count_is_judged_against_its_target_at_the_city_only(
    result: dict[tuple[str, str, int], dict[str, object]],
) -> None:
    city = result[("smart_campus_demonstration_schools", CITY, Y)]
    assert (city["target"], city["met"], city["progress"], city["numerator"], city["schools"], city["schools_met"]) == (
        100.0, False, 2 / 100, 2.0, 3, None,
    )  # fmt: skip
    for org in (HAIDIAN, CHAOYANG, S1, S2):  # a district's or a school's count is context: no target, never judged
        row = result[("smart_campus_demonstration_schools", org, Y)]
        assert (row["target"], row["met"], row["progress"], row["schools_met"]) == (None, None, None, None), org
