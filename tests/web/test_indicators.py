"""The cockpit's indicators (analytics/indicators.py): counts, roll-ups and scope, on hand-made tables."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from edubrain.analytics import indicators

SCHOOLS = pl.DataFrame(
    {
        "school_code": ["1101080001", "1101080002", "1101050001"],
        "name": ["海淀一", "海淀二", "朝阳一"],
        "district_code": ["110108", "110108", "110105"],
    }
)
DISTRICTS = pl.DataFrame(
    {
        "district_code": ["110105", "110108", "110101"],
        "name_zh": ["朝阳区", "海淀区", "东城区"],
        "name_en": ["C", "H", "D"],
    }
)
T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def students() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_code": ["1101080001"] * 4 + ["1101050001"] * 2,
            "school_year": [2025, 2025, 2025, 2024, 2025, 2025],
            "status": ["01", "05", "03", "01", "01", "07"],
        }
    )


def batches() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "org_code": ["1101080001", "1101080001", "1101050001", "110108"],
            "dataset": ["students", "students", "students", "schools"],
            "status": ["committed", "rejected", "rejected", "committed"],
            "created_at": [T0, T0 + dt.timedelta(hours=1), T0, T0],
            "finished_at": [T0, T0 + dt.timedelta(hours=1), T0, T0],
            "problem_count": [0, 3, 7, 0],
        }
    )


def table() -> pl.DataFrame:
    counts = indicators.school_counts(
        SCHOOLS,
        students(),
        pl.DataFrame({"school_code": ["1101080001"] * 3}),
        pl.DataFrame({"school_code": ["1101080002"], "school_year": [2025]}),
    )
    return indicators.indicator_table(counts, indicators.open_error_counts(batches()), DISTRICTS)


def test_indicators_count_enrolled_students_of_the_newest_year_only() -> None:
    counts = indicators.school_counts(
        SCHOOLS,
        students(),
        pl.DataFrame({"school_code": []}, schema={"school_code": pl.String}),
        pl.DataFrame(
            {"school_code": [], "school_year": []}, schema={"school_code": pl.String, "school_year": pl.Int64}
        ),
    )
    by_school = dict(zip(counts["school_code"], counts["students"], strict=True))
    assert by_school == {
        "1101050001": 1,
        "1101080001": 2,
        "1101080002": 0,
    }  # 在读 and 复学 of 2025; 退学, 毕业, 2024 not


def test_indicators_roll_up_schools_to_districts_and_the_city() -> None:
    t = table()
    assert indicators.headline(t, "110000") == {
        "schools": 3,
        "students": 3,
        "teachers": 3,
        "classes": 1,
        "submissions": 4,
        "open_errors": 10,
    }
    assert indicators.headline(t, "110108") == {
        "schools": 2,
        "students": 2,
        "teachers": 3,
        "classes": 1,
        "submissions": 3,
        "open_errors": 3,
    }
    assert indicators.headline(t, "110101") == dict.fromkeys(indicators.INDICATORS, 0)


def test_indicators_open_errors_close_when_the_newest_submission_passes() -> None:
    fixed = pl.concat([batches(), batches().head(1).with_columns(created_at=pl.lit(T0 + dt.timedelta(hours=2)))])
    counts = indicators.open_error_counts(fixed)
    assert dict(zip(counts["org_code"], counts["open_errors"], strict=True))["1101080001"] == 0


def test_indicators_scope_never_widens() -> None:
    t = table()
    assert set(indicators.in_scope(t, "district", "110108")["org_code"]) == {"110108", "1101080001", "1101080002"}
    assert set(indicators.in_scope(t, "school", "1101050001")["org_code"]) == {"1101050001"}
    assert indicators.in_scope(t, "city", "110000").height == t.height


@given(
    st.sampled_from(["110105", "110108", "110101", "1101080001", "1101050001", "999"]),
    st.sampled_from(["district", "school"]),
)
def test_indicators_scoped_rows_are_a_subset_of_the_citys(org: str, level: str) -> None:
    t = table()
    scoped = indicators.in_scope(t, level, org)  # type: ignore[arg-type]
    assert set(scoped["org_code"]) <= set(t["org_code"])
    assert "110000" not in set(scoped["org_code"])


def test_indicators_map_values_per_district() -> None:
    values = indicators.district_values(table(), "schools")
    assert dict(zip(values["name_zh"], values["value"], strict=True)) == {"朝阳区": 1, "海淀区": 2, "东城区": 0}
