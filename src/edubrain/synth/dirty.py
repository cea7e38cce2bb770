"""Realistic mistakes in submitted files, and the problems the exchange must report for each.

Every mistake is chosen so the exchange's rules catch it deterministically,
whatever else is stored: the expected problems are listed as
``(row, column, rule)`` with the row as the submitter sees it (header = 1)
and the column as written. A dirty file is followed in the manifest by its
corrected resubmission, so a rejected file never leaves later files
without the rows they refer to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from edubrain.catalog.models import Dataset

MISSPELT = {"address": ("家庭往址", "adress"), "phone": ("联系电活", "phnoe"), "reason": ("异动原困", "reson"),
            "class_name": ("班级明称", "class_nmae"), "smart_classrooms": ("智慧教宝数", "smart_rooms")}  # fmt: skip
"""Field -> (misspelt Chinese header, misspelt English header); none of them is an alias."""
ENGLISH = {"ethnicity": "Ethnic group", "subject": "Course", "training_type": "Training level"}
"""Required fields -> an English header the catalog does not know."""


@dataclass
class Mistake:
    """A dirty copy of a table and what it must trigger.

    Attributes:
        kind: The mistake's name (``check_digit``, ``other_school`` …).
        frame: The table with the mistake (catalog columns, as text).
        headers: Header overrides: field -> header as written.
        expected: (row, field or header, rule); a field is turned into its header when written.
    """

    kind: str
    frame: pl.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    expected: list[tuple[int | None, str, str]] = field(default_factory=list)


Injector = Callable[[pl.DataFrame, Dataset, np.random.Generator, str], Mistake | None]


def _set(frame: pl.DataFrame, row: int, column: str, value: str | None) -> pl.DataFrame:
    values = frame.get_column(column).to_list()
    values[row] = value
    return frame.with_columns(pl.Series(column, values, dtype=pl.String))


def _value_mistake(
    column: str, value: Callable[[str | None], str], rules: list[tuple[str, str]], kind: str
) -> Injector:
    """Replace one row's ``column`` with ``value(old)``; expect ``rules`` as (field, rule) on that row."""

    def inject(frame: pl.DataFrame, dataset: Dataset, rng: np.random.Generator, other: str) -> Mistake | None:
        present = np.flatnonzero(frame.get_column(column).is_not_null().to_numpy())
        if not len(present):
            return None
        row = int(rng.choice(present))
        old = frame.get_column(column)[row]
        dirty = _set(frame, row, column, value(old))
        return Mistake(kind, dirty, expected=[(row + 2, f, r) for f, r in rules])

    return inject


def _bad_check(old: str | None) -> str:
    text = old or ""
    digit = "0123456789X"
    return text[:17] + digit[(digit.index(text[17]) + 3) % 11]


def _duplicate(frame: pl.DataFrame, dataset: Dataset, rng: np.random.Generator, other: str) -> Mistake | None:
    row = int(rng.integers(0, frame.height))
    dirty = pl.concat([frame, frame.slice(row, 1)])
    key = dataset.primary_key[0]
    return Mistake(
        "duplicate_key", dirty, expected=[(row + 2, key, "duplicate_key"), (frame.height + 2, key, "duplicate_key")]
    )


def _other_school(reference_field: str) -> Injector:
    """A row carrying another school's code: outside the submitter's scope, and its reference breaks."""

    def inject(frame: pl.DataFrame, dataset: Dataset, rng: np.random.Generator, other: str) -> Mistake | None:
        row = int(rng.integers(0, frame.height))
        dirty = _set(frame, row, "school_code", other)
        return Mistake(
            "other_school", dirty, expected=[(row + 2, "school_code", "scope"), (row + 2, reference_field, "reference")]
        )

    return inject


def _header(name: str, english: bool) -> Injector:
    def inject(frame: pl.DataFrame, dataset: Dataset, rng: np.random.Generator, other: str) -> Mistake | None:
        spec = dataset.field(name)
        written = ENGLISH[name] if english else MISSPELT[name][0]
        expected: list[tuple[int | None, str, str]] = [(None, "=" + written, "unmapped_header")]
        if spec.required:
            expected.append((None, "=" + spec.title_zh, "missing_required_column"))
        return Mistake("english_header" if english else "misspelt_header", frame, {name: written}, expected)

    return inject


INJECTORS: dict[str, list[Injector]] = {
    "students": [
        _value_mistake(
            "id_number", _bad_check, [("id_number", "check_digit"), ("student_id", "student_number_id")], "check_digit"
        ),
        _value_mistake("ethnicity", lambda _: "60", [("ethnicity", "code")], "wrong_code"),
        _value_mistake(
            "birth_date",
            lambda old: (old or "2015-01-01")[:5] + "02-30",
            [("birth_date", "type_date")],
            "impossible_date",
        ),
        _duplicate,
        _other_school("class_id"),
        _header("address", False),
        _header("ethnicity", True),
    ],
    "teachers": [
        _value_mistake("id_number", _bad_check, [("id_number", "check_digit")], "check_digit"),
        _value_mistake("title", lambda _: "999", [("title", "code")], "wrong_code"),
        _duplicate,
        _header("phone", False),
    ],
    "classes": [
        _value_mistake("grade", lambda _: "17", [("grade", "code")], "wrong_code"),
        _duplicate,
        _header("class_name", False),
    ],
    "exam_scores": [
        _value_mistake("score", lambda _: "105", [("score", "compare")], "score_above_full"),
        _value_mistake("subject", lambda _: "99", [("subject", "code")], "wrong_code"),
        _duplicate,
        _other_school("student_id"),
        _header("subject", True),
    ],
    "fitness_tests": [
        _value_mistake("height_cm", lambda _: "320", [("height_cm", "maximum")], "impossible_value"),
        _value_mistake("weight_kg", lambda _: "4.5", [("weight_kg", "minimum")], "impossible_value"),
        _value_mistake("sex", lambda _: "3", [("sex", "code")], "wrong_code"),
        _duplicate,
        _other_school("student_id"),
    ],
    "training_records": [
        _value_mistake("hours", lambda _: "-4", [("hours", "minimum")], "impossible_value"),
        _value_mistake("training_type", lambda _: "88", [("training_type", "code")], "wrong_code"),
        _duplicate,
        _header("training_type", True),
    ],
    "teacher_assignments": [
        _value_mistake("weekly_periods", lambda _: "60", [("weekly_periods", "maximum")], "impossible_value"),
        _value_mistake("subject", lambda _: "99", [("subject", "code")], "wrong_code"),
        _duplicate,
    ],
    "school_infrastructure": [
        _value_mistake(
            "wireless_coverage_pct", lambda _: "120", [("wireless_coverage_pct", "maximum")], "impossible_value"
        ),
        _header("smart_classrooms", False),
    ],
    "student_status_changes": [
        _value_mistake("change_type", lambda _: "20", [("change_type", "code")], "wrong_code"),
        _value_mistake("change_date", lambda _: "2025-13-01", [("change_date", "type_date")], "impossible_date"),
        _duplicate,
        _header("reason", False),
    ],
}
"""Mistakes each dataset can receive."""


def inject(text: pl.DataFrame, dataset: Dataset, rng: np.random.Generator, other_school: str) -> Mistake | None:
    """One mistake, chosen at random among those that apply, in a copy of ``text`` (catalog columns as text)."""
    if text.height < 2 or dataset.id not in INJECTORS:
        return None
    options = INJECTORS[dataset.id]
    for index in rng.permutation(len(options)):
        mistake = options[int(index)](text, dataset, rng, other_school)
        if mistake is not None:
            return mistake
    return None
