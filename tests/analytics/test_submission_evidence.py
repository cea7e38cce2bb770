"""The rows behind the school profile's submission values: :func:`year_batches` and :func:`timeliness`.

Each value of :func:`submission_stats` must be recomputable from the rows these functions return for that
school and year (the evidence the profile pages show), by hand and for random batches.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edubrain.analytics.profiles.schools import submission_stats, timeliness, year_batches

S, S2 = "1101080001", "1101080002"
FREQUENCIES = {"exam_scores": "termly", "students": "termly", "student_status_changes": "daily", "x": "irregular"}
SCHEMA = {
    "batch_id": pl.String,
    "org_code": pl.String,
    "dataset": pl.String,
    "status": pl.String,
    "rows_read": pl.Int64,
    "rows_accepted": pl.Int64,
    "created_at": pl.Datetime("us"),
}


def _batches(rows: list[tuple[str, str, str, int, int, dt.datetime]]) -> pl.DataFrame:
    return pl.DataFrame([(f"b{i}", *r) for i, r in enumerate(rows)], schema=SCHEMA, orient="row")


def test_timeliness_lists_the_last_commit_of_each_dataset_by_the_years_end() -> None:
    batches = _batches(
        [
            (S, "exam_scores", "committed", 10, 10, dt.datetime(2023, 10, 1)),
            (S, "exam_scores", "unchanged", 10, 10, dt.datetime(2024, 10, 1, 8)),
            (S, "exam_scores", "committed", 10, 10, dt.datetime(2025, 9, 2)),  # after the 2024 year's end
            (S, "students", "rejected", 5, 0, dt.datetime(2025, 3, 1)),  # never committed: not counted
            (S, "student_status_changes", "committed", 3, 3, dt.datetime(2025, 3, 1)),
            (S, "x", "committed", 1, 1, dt.datetime(2025, 3, 1)),  # no frequency: left out
            (S, "exam_scores", "pending", 9, 9, dt.datetime(2025, 3, 3)),
        ]
    )
    year = year_batches(batches, 2024)
    assert year["batch_id"].to_list() == ["b1", "b3", "b4", "b5"]  # not pending, created 2024-09-01 … 2025-08-31
    rows = {r["dataset"]: r for r in timeliness(batches, FREQUENCIES, 2024, dt.date(2025, 3, 5)).to_pylist()}
    assert set(rows) == {"exam_scores", "student_status_changes"}
    exam = rows["exam_scores"]
    assert exam["last_batch_id"] == "b1" and exam["last_committed"] == dt.date(2024, 10, 1)
    assert exam["as_of"] == dt.date(2025, 3, 5) and exam["days_since"] == 155 and exam["max_days"] == 183
    assert exam["up_to_date"] is True and exam["update_frequency"] == "termly"
    assert rows["student_status_changes"]["days_since"] == 4 and rows["student_status_changes"]["up_to_date"] is False
    # a past year ends on 31 August
    past = timeliness(batches, FREQUENCIES, 2023, dt.date(2025, 3, 5)).to_pylist()
    assert [(r["dataset"], r["as_of"], r["up_to_date"]) for r in past] == [("exam_scores", dt.date(2024, 8, 31), False)]
    # no batch in the year: no rows (the value is null)
    assert timeliness(batches, FREQUENCIES, 2022, dt.date(2025, 3, 5)).num_rows == 0


DAYS = st.integers(min_value=0, max_value=4 * 365)
BATCH = st.tuples(
    st.sampled_from([S, S2]),
    st.sampled_from(sorted(FREQUENCIES)),
    st.sampled_from(["committed", "unchanged", "rejected", "failed", "pending"]),
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=50),
    DAYS,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(BATCH, min_size=1, max_size=25), DAYS)
def test_every_submission_value_is_recomputed_from_its_rows(
    raw: list[tuple[str, str, str, int, int, int]], today_offset: int
) -> None:
    start = dt.datetime(2022, 6, 1)
    rows = [(o, d, s, r, min(a, r), start + dt.timedelta(days=n, hours=n % 24)) for o, d, s, r, a, n in raw]
    batches = _batches(rows)
    today = (start + dt.timedelta(days=today_offset)).date()
    stats = submission_stats(batches.drop("batch_id"), FREQUENCIES, [S, S2], today).to_pylist()
    seen = set()
    for value in stats:
        school, year = value["school_code"], value["school_year"]
        seen.add((school, year))
        mine = batches.filter(pl.col("org_code") == school)
        shown = year_batches(mine, year)
        assert value["batches"] == shown.height
        read, accepted = shown["rows_read"].sum(), shown["rows_accepted"].sum()
        assert value["accepted_row_share"] == (pytest.approx(accepted / read) if read else None)
        fresh = timeliness(mine, FREQUENCIES, year, today).column("up_to_date").to_pylist()
        assert value["up_to_date_share"] == (pytest.approx(sum(fresh) / len(fresh)) if fresh else None)
    # and every batch that is not pending is behind a value of its school and year
    for o, _, status, _, _, created in rows:
        if status != "pending":
            assert (o, created.year if created.month >= 9 else created.year - 1) in seen
