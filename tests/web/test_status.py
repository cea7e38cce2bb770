"""Submission status of each school (exchange/status.py): not submitted, open errors, submitted, time to fix."""

from __future__ import annotations

import datetime as dt

import polars as pl

from edubrain.exchange.status import BATCH_SCHEMA, fix_runs, school_status, status_summary

T0 = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
SCHOOLS = pl.DataFrame({"school_code": ["A", "B", "C", "D"], "name": ["甲", "乙", "丙", "丁"]})


def batch(org: str, status: str, hours: float, problems: int = 0, dataset: str = "students") -> dict:
    at = T0 + dt.timedelta(hours=hours)
    return {
        "org_code": org,
        "dataset": dataset,
        "status": status,
        "created_at": at,
        "finished_at": at,
        "problem_count": problems,
    }


def batches() -> pl.DataFrame:
    rows = [
        batch("A", "rejected", 0, 5),
        batch("A", "rejected", 2, 2),
        batch("A", "committed", 5),
        batch("B", "committed", 0),
        batch("B", "rejected", 10, 4),
        batch("C", "rejected", 1, 1, dataset="teachers"),
    ]
    return pl.DataFrame(rows, schema=BATCH_SCHEMA)


def test_status_time_to_fix_runs_from_the_first_rejection_to_the_accepted_submission() -> None:
    runs = fix_runs(batches())
    a = runs.filter(pl.col("org_code") == "A").row(0, named=True)
    assert a["last_fix_hours"] == 5.0 and a["open_since"] is None
    b = runs.filter(pl.col("org_code") == "B").row(0, named=True)
    assert b["last_fix_hours"] is None and b["open_since"] == T0 + dt.timedelta(hours=10)


def test_status_of_each_school() -> None:
    stored = pl.DataFrame({"school_code": ["A", "D"], "rows": [30, 12]})
    now = T0 + dt.timedelta(hours=16)
    status = school_status(SCHOOLS, batches(), stored, "students", now)
    rows = {r["school_code"]: r for r in status.to_dicts()}
    assert rows["A"]["status"] == "submitted" and rows["A"]["last_fix_hours"] == 5.0 and rows["A"]["submissions"] == 3
    assert rows["B"]["status"] == "open_errors" and rows["B"]["open_problems"] == 4 and rows["B"]["open_hours"] == 6.0
    assert rows["C"]["status"] == "not_submitted"  # its rejected file was for another dataset
    assert rows["D"]["status"] == "submitted" and rows["D"]["submissions"] == 0  # sent by its district in bulk
    assert list(status["school_code"])[:2] == ["B", "C"]  # open errors first, then not submitted
    assert status_summary(status) == {"not_submitted": 1, "open_errors": 1, "submitted": 2}


def test_status_with_no_batches_at_all() -> None:
    empty = pl.DataFrame(schema=BATCH_SCHEMA)
    status = school_status(
        SCHOOLS, empty, pl.DataFrame(schema={"school_code": pl.String, "rows": pl.Int64}), "students", T0
    )
    assert set(status["status"]) == {"not_submitted"}
