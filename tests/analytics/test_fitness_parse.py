"""Raw values in the forms schools submit them: minutes.seconds, primes, full-width digits, names of grades."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.analytics.fitness.parse import Range, format_problems, parse_results

RANGES = {
    "sprint_50m_s": Range(5, 30, "50米跑", "50 m sprint"),
    "run_800m_s": Range(120, 600, "800米跑", "800 m run"),
    "run_1000m_s": Range(120, 600, "1000米跑", "1000 m run"),
}


def _parse(column: str, field: str, values: list[str], seconds: bool = False) -> tuple[list[object], pl.DataFrame]:
    frame = pl.DataFrame({column: values}, schema={column: pl.String})
    parsed = parse_results(
        frame, {column: field}, RANGES, seconds_headers=frozenset({column}) if seconds else frozenset()
    )
    return parsed.table[field].to_list(), parsed.problems


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3'25\"", 205),
        ("3′25″", 205),
        ("3’25”", 205),
        ("3:25", 205),
        ("3分25秒", 205),
        ("3.25", 205),
        ("3.5", 230),
        ("4.05", 245),
        ("３．２５", 205),
        (" 3'05 ", 185),
    ],
)
def test_fitness_parse_endurance_times(text: str, seconds: int) -> None:
    values, problems = _parse("1000米跑", "run_1000m_s", [text])
    assert values == [seconds] and problems.height == 0


def test_fitness_parse_seconds_column_takes_plain_seconds() -> None:
    values, problems = _parse("run_800m_s", "run_800m_s", ["215", "198.0"], seconds=True)
    assert values == [215.0, 198.0] and problems.height == 0


def test_fitness_parse_impossible_values_are_reported_with_row_and_column() -> None:
    values, problems = _parse("800米跑", "run_800m_s", ["3.61", "abc", "12.00", "", "3'20\""])
    assert values == [None, None, None, None, 200.0]
    assert problems["row"].to_list() == [2, 3, 4]
    assert "秒数须小于 60" in problems["zh"][0] and "below 60" in problems["en"][0]
    assert "不是时间" in problems["zh"][1]
    assert "120–600" in problems["zh"][2] and "800 m run" in problems["en"][2]
    text = format_problems(problems, "en")
    assert "row 2, column '800米跑'" in text and "row 4" in text


def test_fitness_parse_fifty_metres_sex_grade_and_exempt() -> None:
    frame = pl.DataFrame(
        {
            "50米跑": ["8.5", "８．３", "40"],
            "性别": ["男", "2", "x"],
            "年级": ["初一", "33", "七年级"],
            "免测": ["否", "是", "maybe"],
        },
        schema={c: pl.String for c in ["50米跑", "性别", "年级", "免测"]},
    )
    parsed = parse_results(frame, {"50米跑": "sprint_50m_s", "性别": "sex", "年级": "grade", "免测": "exempt"}, RANGES)
    assert parsed.table["sprint_50m_s"].to_list() == [8.5, 8.3, None]
    assert parsed.table["sex"].to_list() == ["1", "2", None]
    assert parsed.table["grade"].to_list() == ["21", "33", None]
    assert parsed.table["exempt"].to_list() == [False, True, None]
    assert sorted(parsed.problems["column"].to_list()) == ["50米跑", "免测", "年级", "性别"]
    assert set(parsed.problems["row"].to_list()) == {4}
