"""Rules across fields and rows, as declared in the catalog (Ed-Fi's "level 2").

Each rule kind is one function returning vectorised checks over the
working frame (see :class:`edubrain.exchange.problems.Check`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from edubrain.catalog.models import (
    AgeForGradeRule,
    CompareRule,
    Dataset,
    GroupSumMaxRule,
    IdBirthDateRule,
    IdSexRule,
    ReferenceRule,
    StudentNumberIdRule,
)
from edubrain.exchange.problems import Check, fmt, raw, row_check
from edubrain.exchange.readers import ROW_COLUMN

KeyLookup = Callable[[str, list[str]], pl.DataFrame | None]
"""(dataset, fields) -> the stored distinct key values, or None if the dataset has no rows yet."""

Unmatched = Callable[[str, list[str], pl.DataFrame], pl.DataFrame]
"""(dataset, fields, candidates) -> the candidate rows that match no stored row of ``dataset``.

``candidates`` has one column per name in ``fields`` (distinct, complete
values); the store answers with the ones it does not hold, so only the
(usually empty) misses travel back, never the stored keys.
"""

OwnedElsewhere = Callable[[pl.DataFrame], pl.DataFrame]
"""(candidate primary keys) -> those whose stored row belongs to an organisation outside the submitter's scope."""

_OPS: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _header(headers: dict[str, str], name: str) -> str:
    return headers.get(name, name)


def _titled_key(headers: dict[str, str], fields: list[str] | tuple[str, ...], separator: str) -> pl.Expr:
    """A key as people read it, each part after its column header: "班级编号 110108000120250111，学校标识码 1101080001"."""
    parts = [pl.concat_str([pl.lit(f"{_header(headers, f)} "), pl.col(f).cast(pl.String)]) for f in fields]
    return pl.concat_str(parts, separator=separator)


def id_birth_date(rule: IdBirthDateRule, headers: dict[str, str]) -> list[Check]:
    """The birth date in digits 7-14 of the 身份证号 must equal the birth date column."""
    encoded = pl.col(rule.id_field).str.slice(6, 8).str.to_integer(strict=False)
    birth = pl.col(rule.birth_date_field)
    stated = birth.dt.year().cast(pl.Int64) * 10000 + birth.dt.month().cast(pl.Int64) * 100 + birth.dt.day()
    mask = encoded.is_not_null() & birth.is_not_null() & (encoded != stated)
    h_id, h_bd = _header(headers, rule.id_field), _header(headers, rule.birth_date_field)
    return [
        row_check(
            mask,
            field=rule.birth_date_field,
            column=h_bd,
            rule="id_birth_date",
            zh=fmt(f"“{h_bd}”{{}} 与“{h_id}”中的出生日期 {{}} 不一致", pl.col(raw(rule.birth_date_field)), encoded),
            en=fmt(
                f"'{h_bd}' {{}} differs from the birth date {{}} in '{h_id}'",
                pl.col(raw(rule.birth_date_field)),
                encoded,
            ),
        )
    ]


def id_sex(rule: IdSexRule, headers: dict[str, str]) -> list[Check]:
    """The 17th digit of the 身份证号 is odd for men (code 1), even for women (code 2), GB 11643."""
    digit = pl.col(rule.id_field).str.slice(16, 1).cast(pl.Int32, strict=False)
    encoded = pl.when(digit % 2 == 1).then(pl.lit("1")).otherwise(pl.lit("2"))
    sex = pl.col(rule.sex_field)
    mask = digit.is_not_null() & sex.is_in(["1", "2"]) & (encoded != sex)
    h_id, h_sex = _header(headers, rule.id_field), _header(headers, rule.sex_field)
    return [
        row_check(
            mask,
            field=rule.sex_field,
            column=h_sex,
            rule="id_sex",
            zh=fmt(f"“{h_sex}”{{}} 与“{h_id}”第 17 位表示的性别不一致", pl.col(raw(rule.sex_field))),
            en=fmt(f"'{h_sex}' {{}} differs from the sex encoded in digit 17 of '{h_id}'", pl.col(raw(rule.sex_field))),
        )
    ]


def student_number_id(rule: StudentNumberIdRule, headers: dict[str, str]) -> list[Check]:
    """A 学籍号 starting with G is G followed by the student's own 身份证号."""
    number, id_number = pl.col(rule.student_number_field), pl.col(rule.id_field)
    mask = number.str.starts_with("G") & id_number.is_not_null() & (number.str.slice(1) != id_number)
    h_sn, h_id = _header(headers, rule.student_number_field), _header(headers, rule.id_field)
    return [
        row_check(
            mask,
            field=rule.student_number_field,
            column=h_sn,
            rule="student_number_id",
            zh=fmt(f"“{h_sn}”{{}} 以 G 开头，但其后不是本人的“{h_id}”", pl.col(raw(rule.student_number_field))),
            en=fmt(
                f"'{h_sn}' {{}} starts with G but is not followed by the student's '{h_id}'",
                pl.col(raw(rule.student_number_field)),
            ),
        )
    ]


def age_for_grade(
    rule: AgeForGradeRule, headers: dict[str, str], today: dt.date, usual_age: dict[str, int]
) -> list[Check]:
    """Age on 31 August of the school year is within ``tolerance_years`` of the grade's usual age.

    ``usual_age`` maps grade codes to the usual age on 31 August (the grade
    code table's ``years``: 6 for primary grade 1, children who are 6 by
    31 August start school that September).
    """
    birth = pl.col(rule.birth_date_field)
    default_year = today.year if today.month >= 9 else today.year - 1
    year = pl.col(rule.school_year_field) if rule.school_year_field else pl.lit(default_year)
    after_cutoff = (birth.dt.month() > 8).cast(pl.Int32)
    age = year.cast(pl.Int32) - birth.dt.year().cast(pl.Int32) - after_cutoff
    expected = pl.col(rule.grade_field).replace_strict(usual_age, default=None, return_dtype=pl.Int32)
    mask = age.is_not_null() & expected.is_not_null() & ((age - expected).abs() > rule.tolerance_years)
    h_bd, h_gr = _header(headers, rule.birth_date_field), _header(headers, rule.grade_field)
    return [
        row_check(
            mask,
            field=rule.birth_date_field,
            column=h_bd,
            rule="age_for_grade",
            zh=fmt(
                f"按“{h_bd}”{{}} 计算的年龄 {{}} 岁与“{h_gr}”{{}} 不符（通常 {{}} 岁）",
                pl.col(raw(rule.birth_date_field)),
                age,
                pl.col(raw(rule.grade_field)),
                expected,
            ),
            en=fmt(
                f"Age {{}} from '{h_bd}' {{}} is implausible for '{h_gr}' {{}} (usually {{}})",
                age,
                pl.col(raw(rule.birth_date_field)),
                pl.col(raw(rule.grade_field)),
                expected,
            ),
        )
    ]


def compare(rule: CompareRule, headers: dict[str, str]) -> list[Check]:
    """``left op right`` where both are present."""
    left, right = pl.col(rule.left), pl.col(rule.right)
    mask = left.is_not_null() & right.is_not_null() & ~_OPS[rule.op](left, right)
    h_l, h_r = _header(headers, rule.left), _header(headers, rule.right)
    return [
        row_check(
            mask,
            field=rule.left,
            column=h_l,
            rule="compare",
            zh=fmt(f"{rule.title_zh}：“{h_l}”{{}}，“{h_r}”{{}}", pl.col(raw(rule.left)), pl.col(raw(rule.right))),
            en=fmt(f"{rule.title_en}: '{h_l}' {{}}, '{h_r}' {{}}", pl.col(raw(rule.left)), pl.col(raw(rule.right))),
        )
    ]


def group_sum_max(rule: GroupSumMaxRule, headers: dict[str, str]) -> list[Check]:
    """The sum of ``field`` within each group stays at or below ``maximum``."""
    total = pl.col(rule.field).sum().over(rule.group_by)
    h = _header(headers, rule.field)
    return [
        row_check(
            total > rule.maximum,
            field=rule.field,
            column=h,
            rule="group_sum_max",
            zh=fmt(f"{rule.title_zh}：同组合计 {{}}，上限 {rule.maximum:g}", total),
            en=fmt(f"{rule.title_en}: group total {{}}, maximum {rule.maximum:g}", total),
        )
    ]


def duplicate_keys(dataset: Dataset, headers: dict[str, str]) -> list[Check]:
    """Every row whose primary key appears more than once in the file."""
    key = dataset.primary_key
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    first = pl.col(ROW_COLUMN).min().over(key)  # evaluated on the flagged rows only: all copies are there
    count = pl.len().over(key)
    mask = complete & (count > 1)
    h = _header(headers, key[0])
    zh_key, en_key = _titled_key(headers, key, "，"), _titled_key(headers, key, ", ")
    return [
        row_check(
            mask,
            field=key[0],
            column=h,
            rule="duplicate_key",
            value=pl.col(key[0]).cast(pl.String),
            zh=fmt("主键（{}）在文件中出现 {} 次（首次在第 {} 行）", zh_key, count, first),
            en=fmt("Primary key ({}) occurs {} times in the file (first at row {})", en_key, count, first),
        )
    ]


def reference(rule: ReferenceRule, headers: dict[str, str], unmatched: Unmatched, frame: pl.DataFrame) -> list[Check]:
    """Rows of ``frame`` whose non-empty reference fields match no stored row of the target dataset."""
    complete = pl.all_horizontal(pl.col(f).is_not_null() for f in rule.fields)
    candidates = (
        frame.lazy()
        .filter(complete)
        .select([pl.col(f).alias(t) for f, t in zip(rule.fields, rule.to, strict=True)])
        .unique()
        .collect()
    )
    missing = unmatched(rule.dataset, list(rule.to), candidates) if candidates.height else candidates
    absent = missing.select(_joined_key([pl.col(t) for t in rule.to])).to_series()
    key = _joined_key([pl.col(f) for f in rule.fields])
    zh_key, en_key = _titled_key(headers, rule.fields, "，"), _titled_key(headers, rule.fields, ", ")
    h = _header(headers, rule.fields[0])
    title_zh = rule.title_zh or f"须存在于数据集 {rule.dataset}"
    title_en = rule.title_en or f"must exist in dataset {rule.dataset}"
    return [
        row_check(
            complete & key.is_in(absent.implode()),
            field=rule.fields[0],
            column=h,
            rule="reference",
            value=pl.col(rule.fields[0]).cast(pl.String),
            zh=fmt(f"{title_zh}：{rule.dataset} 中没有（{{}}）", zh_key),
            en=fmt(f"{title_en}: {rule.dataset} has no ({{}})", en_key),
        )
    ]


def key_ownership(
    dataset: Dataset, headers: dict[str, str], owned_elsewhere: OwnedElsewhere, frame: pl.DataFrame
) -> list[Check]:
    """Rows whose primary key is stored for an organisation outside the submitter's scope.

    A submission may add rows and change or retire rows the submitter owns;
    it may never take over a stored row of another organisation by sending
    its key with its own organisation code (that is a transfer, an audited
    action of its own). The message does not name the owner.
    """
    key = dataset.primary_key
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    candidates = frame.lazy().filter(complete).select(key).unique().collect()
    foreign = owned_elsewhere(candidates) if candidates.height else candidates
    taken = foreign.select(_joined_key([pl.col(k) for k in key])).to_series()
    zh_key, en_key = _titled_key(headers, key, "，"), _titled_key(headers, key, ", ")
    h = _header(headers, key[0])
    return [
        row_check(
            complete & _joined_key([pl.col(k) for k in key]).is_in(taken.implode()),
            field=key[0],
            column=h,
            rule="key_owner",
            value=pl.col(key[0]).cast(pl.String),
            zh=fmt(
                "{} 已由提交单位管辖范围以外的单位登记，不能在此修改或转入；跨单位转移须办理转移手续（学生为学籍异动）",
                zh_key,
            ),
            en=fmt(
                "{} is registered by an organisation outside the submitter's scope: it cannot be changed "
                "or moved here; moving a row between organisations is a transfer (a change of registration for pupils)",
                en_key,
            ),
        )
    ]


def unmatched_in(keys: KeyLookup) -> Unmatched:
    """An :data:`Unmatched` over a lookup that returns every stored key (an in-memory store, a test's fake)."""

    def unmatched(dataset: str, fields: list[str], candidates: pl.DataFrame) -> pl.DataFrame:
        stored = keys(dataset, fields)
        if stored is None or stored.is_empty():
            return candidates
        joined = _joined_key([pl.col(f) for f in fields])
        return candidates.filter(~joined.is_in(stored.select(joined).to_series().implode()))

    return unmatched


def _joined_key(columns: list[pl.Expr]) -> pl.Expr:
    """One text key from several columns (unit separator between them)."""
    if len(columns) == 1:
        return columns[0].cast(pl.String)
    return pl.concat_str([c.cast(pl.String) for c in columns], separator="\x1f")
