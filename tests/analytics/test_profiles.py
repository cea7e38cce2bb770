"""The profile transforms against hand-computed values on small inputs, and the evidence property.

THE KEY PROPERTY: a profile value changes when one of its evidence rows changes, and not otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import ibis
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.analytics.profiles import load_indicators, score_parameters
from edubrain.analytics.profiles.schools import school_profiles_expr, student_counts, submission_stats
from edubrain.analytics.profiles.students import COLUMNS as STUDENT_COLUMNS
from edubrain.analytics.profiles.students import student_locations_expr, student_profiles_expr
from edubrain.analytics.profiles.teachers import teacher_profiles_expr
from edubrain.catalog.registry import get_catalog
from edubrain.errors import CatalogError
from edubrain.store.lake import arrow_type

A = "G110101201001010011"
B = "G110101201001010022"
A_OLD = "G110101201001010033"  # a duplicate record of A, merged into A by identity resolution
S = "1101080001"
S2 = "1101080002"
LINK_SCHEMA = pa.schema([("student_id", pa.string()), ("canonical_id", pa.string())])
FITNESS_SCHEMA = pa.schema(
    [
        ("student_id", pa.string()),
        ("school_code", pa.string()),
        ("class_id", pa.string()),
        ("grade", pa.string()),
        ("school_year", pa.int64()),
        ("total_score", pa.float64()),
        ("level", pa.string()),
        ("status", pa.string()),
    ]
)


@pytest.fixture(scope="module")
def con() -> Iterator[Any]:
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


def _table(dataset: str, rows: list[dict[str, Any]]) -> Any:
    fields = get_catalog().dataset(dataset).fields
    schema = pa.schema([pa.field(f.name, arrow_type(f)) for f in fields])
    return ibis.memtable(pa.Table.from_pylist(rows, schema=schema))


def _exam(student: str, year: int, exam: str, subject: str, score: float, full: float = 100, **kw: Any) -> dict:
    row = {"exam_id": exam, "student_id": student, "school_code": S, "class_id": f"C{year}", "school_year": year}
    return {**row, "term": kw.get("term", 1), "grade": kw.get("grade", "31"), "subject": subject, "score": score} | {
        "full_score": full
    }


def _act(rid: str, student: str, year: int, kind: str, hours: float) -> dict:
    return {
        "record_id": rid,
        "student_id": student,
        "school_code": S,
        "school_year": year,
        "term": 1,
        "activity_type": kind,
        "activity_name": "x",
        "activity_date": dt.date(year, 10, 1),
        "hours": hours,
    }


def _conduct(rid: str, student: str, year: int, kind: str, rating: str | None = None, term: int = 1) -> dict:
    return {
        "record_id": rid,
        "student_id": student,
        "school_code": S,
        "school_year": year,
        "term": term,
        "record_type": kind,
        "rating": rating,
        "description": "x",
        "record_date": dt.date(year + (term - 1), 11 if term == 1 else 4, 1),
    }


def _award(aid: str, student: str, year: int, domain: str) -> dict:
    return {"award_id": aid, "student_id": student, "school_code": S, "school_year": year, "domain": domain}


def base_inputs() -> dict[str, list[dict[str, Any]]]:
    """Two students over two years; A has a merged duplicate record A_OLD holding A's 2023 evidence."""
    return {
        "students": [
            {"student_id": A, "school_code": S, "class_id": "C2024", "school_year": 2024, "grade": "32"},
            {"student_id": B, "school_code": S2, "class_id": "K2024", "school_year": 2024, "grade": "32"},
        ],
        "exam_scores": [
            _exam(A, 2024, "E1", "01", 80),
            _exam(A, 2024, "E1", "02", 45, 50),  # 90 %
            _exam(A, 2024, "E2", "01", 55, term=2),  # 55 %: below 60
            _exam(A_OLD, 2023, "E0", "01", 60, grade="31"),
            _exam(A_OLD, 2023, "E0", "02", 70, grade="31"),
            {**_exam(B, 2024, "E1", "01", 90), "school_code": S2, "class_id": "K2024"},
            {**_exam(B, 2023, "E0", "01", 75, grade="31"), "school_code": S2, "class_id": "K2023"},
        ],
        "fitness": [
            {"student_id": A, "school_code": S, "class_id": "C2024", "grade": "32", "school_year": 2024}
            | {"total_score": 104.0, "level": "优秀", "status": "complete"},
            {"student_id": A_OLD, "school_code": S, "class_id": "C2023", "grade": "31", "school_year": 2023}
            | {"total_score": 82.5, "level": "良好", "status": "complete"},
            {"student_id": B, "school_code": S2, "class_id": "K2024", "grade": "32", "school_year": 2024}
            | {"total_score": None, "level": None, "status": "incomplete"},
        ],
        "schools": [
            {"school_code": S, "district_code": "110108", "name": "一校", "school_type": "211"},
            {"school_code": S2, "district_code": "110105", "name": "二校", "school_type": "211"},
        ],
        "student_activities": [
            _act("a1", A, 2024, "11", 18.0),
            _act("a2", A, 2024, "12", 30.0),
            _act("a3", A, 2024, "22", 8.0),
            _act("a4", A, 2024, "25", 12.0),
            _act("a5", A, 2024, "23", 16.0),
            _act("b1", B, 2024, "21", 100.0),
        ],
        "student_awards": [
            _award("w1", A, 2024, "4"),
            _award("w2", A, 2024, "4"),
            _award("w3", A, 2024, "4"),
            _award("w4", A, 2024, "5"),
            _award("w5", A, 2024, "2"),
        ],
        "student_conduct": [
            _conduct("c1", A, 2024, "1", "2", term=1),
            _conduct("c2", A, 2024, "1", "1", term=2),  # the year's last rating: 优秀
            _conduct("c3", A, 2024, "2"),
            _conduct("c4", A, 2024, "3"),
            _conduct("c5", B, 2024, "2"),
        ],
        "info_literacy": [
            {"student_id": A, "school_code": S, "school_year": 2024, "dimension": "1", "score": 81.0},
            {"student_id": A, "school_code": S, "school_year": 2024, "dimension": "4", "score": 92.0},
        ],
        "identity_links": [{"student_id": A_OLD, "canonical_id": A}],
    }


def _tables(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out = {}
    for name, data in rows.items():
        if name == "identity_links":
            out[name] = ibis.memtable(pa.Table.from_pylist(data, schema=LINK_SCHEMA))
        elif name == "fitness":
            # the scored tests, and (their raw columns) the tests themselves
            out[name] = out["fitness_tests"] = ibis.memtable(pa.Table.from_pylist(data, schema=FITNESS_SCHEMA))
        else:
            out[name] = _table(name, data)
    return out


def profiles(con: Any, rows: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, int], dict[str, Any]]:
    result = con.to_pyarrow(student_profiles_expr(_tables(rows))).to_pylist()
    return {(r["student_id"], r["school_year"]): r for r in result}


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-9)
    return bool(a == b)


def _changed(before: dict, after: dict) -> set[tuple[tuple[str, int], str]]:
    assert before.keys() == after.keys()
    return {(k, c) for k in before for c in before[k] if not _close(before[k][c], after[k][c])}


def test_every_indicator_and_domain_score_by_hand(con: Any) -> None:
    got = profiles(con, base_inputs())
    assert set(got) == {(A, 2023), (A, 2024), (B, 2023), (B, 2024)}
    a = got[(A, 2024)]
    assert a["school_code"] == S and a["district_code"] == "110108" and a["class_id"] == "C2024" and a["grade"] == "32"
    assert a["conduct_rating"] == "1" and a["commendations"] == 1 and a["disciplinary"] == 1
    assert a["volunteer_hours"] == 8.0
    assert a["exam_mean_pct"] == pytest.approx((80 + 90 + 55) / 3)
    assert a["exam_pass_share"] == pytest.approx(2 / 3)
    assert a["exam_trend"] == pytest.approx(75.0 - 65.0)
    assert a["fitness_total"] == 104.0 and a["fitness_level"] == "优秀"
    assert a["fitness_trend"] == pytest.approx(104.0 - 82.5)
    assert a["arts_hours"] == 48.0 and a["arts_awards"] == 3
    assert a["practice_hours"] == 36.0 and a["labour_hours"] == 12.0
    assert a["literacy_awareness"] == 81.0 and a["literacy_ethics"] == 92.0
    assert a["literacy_computational"] is None and a["literacy_skills"] is None
    assert a["awards_total"] == 5
    # moral: 95 (优秀) + 2 (one commendation) - 10 (one disciplinary) + 8 h x 0.25 = 2  ->  89
    assert a["domain_moral"] == pytest.approx(89.0)
    assert a["domain_academic"] == pytest.approx(75.0)
    assert a["domain_health"] == 100.0  # 104 capped
    # arts: 48 h of a 36 h reference -> 90 (capped), 3 awards x 5 = 15 -> 10 (capped); 100
    assert a["domain_arts"] == 100.0
    # practice: 36 h of a 72 h reference -> 45; one social practice award -> +5; 50
    assert a["domain_practice"] == pytest.approx(50.0)
    assert a["records_merged"] == 1

    old = got[(A, 2023)]  # only A_OLD's evidence, under A; school/class/grade from the exams (not on the roster)
    assert old["exam_mean_pct"] == pytest.approx(65.0) and old["exam_trend"] is None
    assert old["class_id"] == "C2023" and old["grade"] == "31" and old["fitness_total"] == 82.5
    assert old["records_merged"] == 1 and old["domain_moral"] is None and old["arts_hours"] is None

    b = got[(B, 2024)]
    assert b["school_code"] == S2 and b["district_code"] == "110105"
    assert b["exam_trend"] == pytest.approx(15.0)
    # B's fitness test is incomplete: no total, no health score (never 0)
    assert b["fitness_total"] is None and b["domain_health"] is None and b["fitness_trend"] is None
    # activities exist, none arts: 0 hours (a real zero) -> arts score 0; no award rows at all -> null counts
    assert b["arts_hours"] == 0.0 and b["domain_arts"] == 0.0
    assert b["practice_hours"] == 100.0 and b["domain_practice"] == 90.0
    assert b["arts_awards"] is None and b["awards_total"] is None
    # a commendation but no rating: counts known, moral score unknown
    assert b["commendations"] == 1 and b["disciplinary"] == 0 and b["conduct_rating"] is None
    assert b["domain_moral"] is None
    assert b["records_merged"] == 0
    assert got[(B, 2023)]["exam_mean_pct"] == 75.0 and got[(B, 2023)]["class_id"] == "K2023"
    assert list(a) == list(STUDENT_COLUMNS)


def test_the_locations_are_those_of_the_profiles(con: Any) -> None:
    rows = base_inputs()
    rows["exam_scores"].append({**_exam(B, 2022, "E9", "01", 40), "school_code": S2, "class_id": "K2022"})
    tables = _tables(rows)
    full = con.to_pyarrow(student_profiles_expr(tables).select("student_id", "school_code", "school_year"))
    located = con.to_pyarrow(student_locations_expr(tables))
    key = ("student_id", "school_year")
    assert sorted(full.to_pylist(), key=lambda r: tuple(r[k] for k in key)) == sorted(
        located.to_pylist(), key=lambda r: tuple(r[k] for k in key)
    )
    assert len(full) == 5


def test_without_the_link_the_duplicate_is_a_separate_student(con: Any) -> None:
    rows = base_inputs()
    rows["identity_links"] = []
    got = profiles(con, rows)
    assert (A_OLD, 2023) in got and (A, 2023) not in got
    assert got[(A, 2024)]["exam_trend"] is None and got[(A, 2024)]["records_merged"] == 0
    assert got[(A_OLD, 2023)]["records_merged"] == 0


def test_a_merge_folds_the_same_year_evidence_of_both_ids(con: Any) -> None:
    rows = base_inputs()
    rows["exam_scores"].append(_exam(A_OLD, 2024, "E1", "03", 100))
    rows["student_activities"].append(_act("o1", A_OLD, 2024, "11", 6.0))
    got = profiles(con, rows)
    assert got[(A, 2024)]["exam_mean_pct"] == pytest.approx((80 + 90 + 55 + 100) / 4)
    assert got[(A, 2024)]["arts_hours"] == 54.0
    assert not any(k[0] == A_OLD for k in got)


def test_domain_scores_stay_within_0_and_100(con: Any) -> None:
    rows = base_inputs()
    rows["student_conduct"] += [_conduct(f"d{i}", B, 2024, "3") for i in range(6)]
    rows["student_conduct"].append(_conduct("r", B, 2024, "1", "4"))
    got = profiles(con, rows)
    assert got[(B, 2024)]["disciplinary"] == 6
    assert got[(B, 2024)]["domain_moral"] == 0.0  # 50 + 2 - 60 = -8, held at 0
    rows["student_conduct"] = rows["student_conduct"][:-7] + [_conduct("r", B, 2024, "1", "4")]
    assert profiles(con, rows)[(B, 2024)]["domain_moral"] == 52.0  # 50 + 2


EXAM_COLUMNS = {"exam_mean_pct", "exam_pass_share", "domain_academic"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, 2), score=st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1)))
def test_changing_one_exam_score_changes_only_that_students_exam_values(con: Any, index: int, score: float) -> None:
    rows = base_inputs()
    before = profiles(con, rows)
    full = rows["exam_scores"][index]["full_score"]
    rows["exam_scores"][index] = {**rows["exam_scores"][index], "score": score * full / 100}
    after = profiles(con, rows)
    changed = _changed(before, after)
    allowed = {((A, 2024), c) for c in EXAM_COLUMNS | {"exam_trend"}}
    assert changed <= allowed
    old_pct = before[(A, 2024)]["exam_mean_pct"]
    assert (((A, 2024), "exam_mean_pct") in changed) == (not _close(old_pct, after[(A, 2024)]["exam_mean_pct"]))
    original = [80.0, 90.0, 55.0][index]
    if abs(original - score) > 1e-6:
        assert ((A, 2024), "exam_mean_pct") in changed and ((A, 2024), "domain_academic") in changed


def test_an_earlier_years_exam_changes_the_next_years_trend_only(con: Any) -> None:
    rows = base_inputs()
    before = profiles(con, rows)
    rows["exam_scores"][3] = {**rows["exam_scores"][3], "score": 80}
    changed = _changed(before, profiles(con, rows))
    assert changed == {
        ((A, 2023), "exam_mean_pct"),
        ((A, 2023), "domain_academic"),
        ((A, 2024), "exam_trend"),
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hours=st.floats(0, 200, allow_nan=False).map(lambda v: round(v, 1)).filter(lambda v: v != 18.0))
def test_changing_an_arts_activity_changes_only_arts_values(con: Any, hours: float) -> None:
    rows = base_inputs()
    before = profiles(con, rows)
    rows["student_activities"][0] = {**rows["student_activities"][0], "hours": hours}
    changed = _changed(before, profiles(con, rows))
    assert ((A, 2024), "arts_hours") in changed
    assert changed <= {((A, 2024), "arts_hours"), ((A, 2024), "domain_arts")}


def test_changing_a_conduct_rating_changes_only_moral_values(con: Any) -> None:
    rows = base_inputs()
    before = profiles(con, rows)
    rows["student_conduct"][1] = {**rows["student_conduct"][1], "rating": "3"}
    changed = _changed(before, profiles(con, rows))
    assert changed == {((A, 2024), "conduct_rating"), ((A, 2024), "domain_moral")}
    assert profiles(con, rows)[(A, 2024)]["domain_moral"] == pytest.approx(70 + 2 - 10 + 2)


def test_every_student_indicator_is_a_column_with_evidence_in_the_catalog() -> None:
    catalog = get_catalog()
    for d in load_indicators():
        assert d.column in catalog.dataset(d.dataset_id).field_names, d.id
        for ev in ([d.evidence] if d.evidence else []) + list(d.also):
            fields = catalog.dataset(ev.dataset).field_names
            assert ev.subject_field in fields and (ev.year_field is None or ev.year_field in fields), d.id
            assert all(k in fields for k, _ in ev.where), d.id
    columns = {d.column for d in load_indicators("student")}
    assert columns == set(STUDENT_COLUMNS) - {"student_id", "school_code", "district_code", "class_id", "grade"} - {
        "school_year",
        "records_merged",
    }
    with pytest.raises(CatalogError):
        load_indicators("parent")
    assert score_parameters().conduct_base == {"1": 95.0, "2": 85.0, "3": 70.0, "4": 50.0}


def _teacher_inputs() -> dict[str, Any]:
    assign = [
        {
            "teacher_id": "T1",
            "class_id": "C1",
            "subject": "02",
            "school_code": S,
            "school_year": 2024,
            "weekly_periods": 5,
        },
        {
            "teacher_id": "T1",
            "class_id": "C2",
            "subject": "01",
            "school_code": S,
            "school_year": 2024,
            "weekly_periods": 4,
        },
        {
            "teacher_id": "T1",
            "class_id": "C1",
            "subject": "01",
            "school_code": S,
            "school_year": 2024,
            "weekly_periods": 3,
        },
        {
            "teacher_id": "T2",
            "class_id": "C3",
            "subject": "03",
            "school_code": S,
            "school_year": 2024,
            "weekly_periods": 6,
        },
    ]
    exams = [
        {**_exam(A, 2024, "E1", "01", 80), "class_id": "C1"},
        {**_exam(B, 2024, "E1", "01", 60), "class_id": "C1"},
        {**_exam(A, 2024, "E1", "02", 40, 50), "class_id": "C1"},  # 80 %
        {**_exam(B, 2024, "E1", "01", 30), "class_id": "C2"},
        {**_exam(B, 2024, "E1", "02", 99), "class_id": "C2"},  # C2 subject 02: not taught by T1
        {**_exam(B, 2023, "E0", "01", 10), "class_id": "C1"},  # another year
    ]
    return {
        "teachers": _table(
            "teachers",
            [
                {"teacher_id": "T1", "school_code": S, "is_principal": True, "name": "x"},
                {"teacher_id": "T2", "school_code": S, "is_principal": False, "name": "y"},
                {"teacher_id": "T3", "school_code": S2, "is_principal": False, "name": "z"},
            ],
        ),
        "teacher_assignments": _table("teacher_assignments", assign),
        "training_records": _table(
            "training_records",
            [
                {"record_id": "r1", "teacher_id": "T1", "school_code": S, "year": 2024, "hours": 20.0},
                {"record_id": "r2", "teacher_id": "T1", "school_code": S, "year": 2024, "hours": 12.0},
                {"record_id": "r3", "teacher_id": "T2", "school_code": S, "year": 2024, "hours": 71.5},
                {"record_id": "r4", "teacher_id": "T3", "school_code": S2, "year": 2023, "hours": 80.0},
            ],
        ),
        "teacher_portfolio": _table(
            "teacher_portfolio",
            [
                {"record_id": "p1", "teacher_id": "T1", "school_code": S, "school_year": 2024, "category": "1"},
                {"record_id": "p2", "teacher_id": "T1", "school_code": S, "school_year": 2024, "category": "3"},
                {"record_id": "p3", "teacher_id": "T1", "school_code": S, "school_year": 2024, "category": "3"},
            ],
        ),
        "exam_scores": _table("exam_scores", exams),
        "schools": _table("schools", base_inputs()["schools"]),
    }


def test_teacher_profiles_by_hand(con: Any) -> None:
    got = {
        (r["teacher_id"], r["school_year"]): r
        for r in con.to_pyarrow(teacher_profiles_expr(_teacher_inputs())).to_pylist()
    }
    assert set(got) == {("T1", 2024), ("T2", 2024), ("T3", 2023)}
    t1 = got[("T1", 2024)]
    assert t1["classes_taught"] == 2 and t1["subjects"] == "01,02" and t1["weekly_periods"] == 12
    assert t1["training_hours"] == 32.0 and t1["training_target"] == 32.0 and t1["training_met"] is True
    # C1/01: 80, 60; C1/02: 80; C2/01: 30 -> mean 62.5 (C2/02 and 2023 not counted)
    assert t1["class_exam_mean_pct"] == pytest.approx(62.5)
    assert (t1["portfolio_ethics"], t1["portfolio_teaching"], t1["portfolio_research"], t1["portfolio_service"]) == (
        1,
        0,
        2,
        0,
    )
    assert t1["is_principal"] is True and t1["district_code"] == "110108"
    t2 = got[("T2", 2024)]
    assert t2["training_target"] == 72.0 and t2["training_met"] is False and t2["class_exam_mean_pct"] is None
    assert t2["portfolio_ethics"] is None  # no portfolio record: unknown, not 0
    t3 = got[("T3", 2023)]
    assert t3["school_code"] == S2 and t3["classes_taught"] == 0 and t3["subjects"] is None and t3["training_met"]


def test_submission_stats_by_hand() -> None:
    batches = pl.DataFrame(
        {
            "org_code": [S, S, S, S, "110108"],
            "dataset": ["exam_scores", "students", "exam_scores", "students", "schools"],
            "status": ["committed", "rejected", "committed", "pending", "committed"],
            "rows_read": [10, 5, 10, 99, 7],
            "rows_accepted": [10, 0, 8, 99, 7],
            "created_at": [
                dt.datetime(2024, 10, 1),
                dt.datetime(2025, 3, 1),
                dt.datetime(2023, 10, 1),
                dt.datetime(2025, 3, 2),
                dt.datetime(2025, 3, 1),
            ],
        }
    )
    out = submission_stats(batches, {"exam_scores": "termly", "students": "termly"}, [S], dt.date(2025, 3, 5))
    rows = {r["school_year"]: r for r in out.to_pylist()}
    assert set(rows) == {2023, 2024} and all(r["school_code"] == S for r in out.to_pylist())
    assert rows[2023]["batches"] == 1 and rows[2023]["accepted_row_share"] == pytest.approx(0.8)
    assert rows[2024]["batches"] == 2 and rows[2024]["accepted_row_share"] == pytest.approx(10 / 15)
    # 2023 as of 2024-08-31: exam_scores last committed 2023-10-01, 335 days > 183: stale
    assert rows[2023]["up_to_date_share"] == 0.0
    # 2024 as of today 2025-03-05: exam_scores 2024-10-01 (155 days) fresh; students never committed
    assert rows[2024]["up_to_date_share"] == 1.0


def test_school_profiles_by_hand(con: Any) -> None:
    tables = _tables(base_inputs())
    students = student_profiles_expr(tables)
    teacher = _teacher_inputs()
    subs = pa.table(
        {
            "school_code": [S],
            "school_year": [2024],
            "batches": [3],
            "accepted_row_share": [0.9],
            "up_to_date_share": [0.5],
        },
        schema=pa.schema(
            [
                ("school_code", pa.string()),
                ("school_year", pa.int64()),
                ("batches", pa.int64()),
                ("accepted_row_share", pa.float64()),
                ("up_to_date_share", pa.float64()),
            ]
        ),
    )
    schools = _table(
        "schools",
        [
            {"school_code": S, "district_code": "110108", "name": "一校", "school_type": "312"}
            | {"planned_places_primary": 600, "planned_places_junior": 300, "planned_places_senior": 0},
            {"school_code": S2, "district_code": "110105", "name": "二校", "school_type": "211"},
        ],
    )
    forecasts = _table(
        "place_forecasts",
        [
            {"scenario": "base", "district_code": "110108", "stage": "2", "school_year": 2024, "place_gap": -10.0},
            {"scenario": "base", "district_code": "110108", "stage": "3", "school_year": 2024, "place_gap": 25.0},
            {"scenario": "base", "district_code": "110108", "stage": "4", "school_year": 2024, "place_gap": 999.0},
            {"scenario": "high", "district_code": "110108", "stage": "2", "school_year": 2024, "place_gap": 500.0},
        ],
    )
    expr = school_profiles_expr(
        {
            "schools": schools,
            "classes": _table("classes", [{"class_id": "C2024", "school_code": S, "school_year": 2024, "grade": "32"}]),
            "teacher_assignments": teacher["teacher_assignments"],
            "fitness": tables["fitness"],
            "exam_scores": tables["exam_scores"],
            "school_infrastructure": _table(
                "school_infrastructure", [{"school_code": S, "school_year": 2024, "internet_bandwidth_mbps": 1000}]
            ),
            "place_forecasts": forecasts,
            "student_counts": student_counts(students.select("student_id", "school_code", "school_year")),
            "submissions": ibis.memtable(subs),
        }
    )
    got = {(r["school_code"], r["school_year"]): r for r in con.to_pyarrow(expr).to_pylist()}
    s = got[(S, 2024)]
    assert s["students"] == 1 and s["classes"] == 1 and s["teachers"] == 2 and s["student_teacher_ratio"] == 0.5
    assert s["stages"] == "2,3" and s["planned_places"] == 900 and s["forecast_gap"] == pytest.approx(15.0)
    assert s["fitness_good_rate"] == 1.0 and s["exam_mean_pct"] == pytest.approx(75.0)
    assert s["internet_bandwidth_mbps"] == 1000.0 and s["class_bandwidth_mbps"] is None
    assert (s["batches"], s["accepted_row_share"], s["up_to_date_share"]) == (3, 0.9, 0.5)
    s2 = got[(S2, 2024)]
    # B's only test is incomplete: no rate (not 0); no planned places: no stages, no forecast
    assert s2["fitness_good_rate"] is None and s2["stages"] is None and s2["forecast_gap"] is None
    assert s2["teachers"] == 0 and s2["student_teacher_ratio"] is None and s2["batches"] == 0
    assert got[(S, 2023)]["students"] == 1  # A's merged 2023 record, counted once under A
