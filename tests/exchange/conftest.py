"""Exchange fixtures: a fake store of keys, consistent synthetic rows and a one-call validator."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from edubrain.catalog import Catalog
from edubrain.exchange.readers import read_source
from edubrain.exchange.rules import unmatched_in
from edubrain.exchange.validate import Validation, validate
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, STUDENT_HEADERS, national_id, write_csv

OTHER_CLASS = "C2025B"
TEACHER = "T000000001"
OTHER_TEACHER = "T000000002"

STORED: dict[str, pl.DataFrame] = {
    "schools": pl.DataFrame({"school_code": [SCHOOL, OTHER_SCHOOL]}),
    "classes": pl.DataFrame({"class_id": [CLASS, OTHER_CLASS], "school_code": [SCHOOL, OTHER_SCHOOL]}),
    "teachers": pl.DataFrame({"teacher_id": [TEACHER, OTHER_TEACHER], "school_code": [SCHOOL, SCHOOL]}),
}
"""What the fake store holds: two Haidian schools, one class in each, two teachers of the first school."""

TRAINING_HEADERS = [
    "记录编号",
    "教师工号",
    "学校标识码",
    "培训年度",
    "培训类别",
    "培训项目名称",
    "开始日期",
    "结束日期",
    "学时",
]
SCHOOL_HEADERS = ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办", "小学规划学位数"]

Row = dict[str, object]
Validator = Callable[..., Validation]


def stored_keys(dataset: str, fields: list[str]) -> pl.DataFrame | None:
    """A ``KeyLookup`` over :data:`STORED`: None for a dataset with no rows."""
    frame = STORED.get(dataset)
    return None if frame is None else frame.select(fields).unique()


def student(seq: int = 1, *, birth: str = "2019-03-05", male: bool = True, cells: Row | None = None) -> Row:
    """A students row that passes every rule: its 学籍号, 身份证号, birth date and sex agree.

    Args:
        seq: Makes the 身份证号 (and so the 学籍号) distinct; keep it under 100.
        birth: Birth date as ``YYYY-MM-DD``; encoded in the 身份证号.
        male: Sex, encoded in digit 17 of the 身份证号.
        cells: Header -> value overrides, applied last.
    """
    nid = national_id(birth=birth.replace("-", ""), seq=seq, male=male)
    row: Row = dict(
        zip(
            STUDENT_HEADERS,
            ["G" + nid, f"测试{seq}", "1" if male else "2", birth, nid, "01", SCHOOL, CLASS, "2025", "11", "01"],
            strict=True,
        )
    )
    return {**row, **(cells or {})}


def training(
    record: str = "R1", *, teacher: str = TEACHER, year: str = "2024", hours: str = "16", cells: Row | None = None
) -> Row:
    """A training_records row that passes every rule."""
    row: Row = dict(
        zip(
            TRAINING_HEADERS,
            [record, teacher, SCHOOL, year, "60", "校本研修", f"{year}-03-01", f"{year}-03-02", hours],
            strict=True,
        )
    )
    return {**row, **(cells or {})}


def school(code: str = SCHOOL, *, cells: Row | None = None) -> Row:
    """A schools row that passes every rule."""
    row: Row = dict(zip(SCHOOL_HEADERS, [code, "海淀示例一小", "110108", "211", "是", "1200"], strict=True))
    return {**row, **(cells or {})}


def as_table(rows: Sequence[Row], headers: Sequence[str] | None = None) -> list[list[object]]:
    """Dict rows as a CSV table; ``headers`` (as written) replaces the dicts' keys in the header row."""
    keys = list(rows[0])
    return [list(headers or keys), *[[r.get(k) for k in keys] for r in rows]]


def problems(v: Validation, rule: str | None = None) -> list[dict[str, Any]]:
    """The problems of a validation (of one rule), as dicts in report order."""
    found = v.problems if rule is None else v.problems.filter(pl.col("rule") == rule)
    return found.to_dicts()


def rules_found(v: Validation) -> set[str]:
    """The rule ids that flagged something."""
    return set(v.problems.get_column("rule").to_list())


_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


def assert_bilingual(problem: dict[str, Any], headers: Sequence[str]) -> None:
    """The Chinese message is Chinese; the English one has no Chinese beyond the headers and value it quotes."""
    zh, en = problem["message_zh"], problem["message_en"]
    assert zh and en and zh != en
    quoted = sorted([*headers, problem["value"] or "", problem["column"]], key=len, reverse=True)
    for text in quoted:
        if text:
            zh, en = zh.replace(text, ""), en.replace(text, "")
    assert _CJK.search(zh), problem["message_zh"]
    assert not _CJK.search(en), problem["message_en"]


@pytest.fixture
def check(tmp_path: Path, catalog: Catalog) -> Validator:
    """Write rows as a CSV and validate them against a catalog dataset with the fake store.

    Call as ``check(dataset_id, table, keys=..., allowed_orgs=..., today=...)`` where
    ``table`` is a header row followed by data rows, or a list of dict rows.
    """
    counter = iter(range(1_000_000))

    def run(
        dataset_id: str,
        table: Sequence[Row] | list[list[object]],
        *,
        keys: Callable[[str, list[str]], pl.DataFrame | None] = stored_keys,
        allowed_orgs: Sequence[str] | None = None,
        today: dt.date | None = None,
    ) -> Validation:
        rows = as_table(table) if isinstance(table[0], dict) else table  # type: ignore[arg-type]
        path = write_csv(tmp_path / f"submitted{next(counter)}.csv", rows)  # type: ignore[arg-type]
        dataset = catalog.dataset(dataset_id)
        return validate(
            read_source(path),
            dataset,
            catalog,
            keys=unmatched_in(keys),
            allowed_orgs=allowed_orgs,
            org_label="test org",
            today=today or dt.date(2025, 10, 1),
        )

    return run
