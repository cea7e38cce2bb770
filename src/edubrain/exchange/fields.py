"""Field-level checks: type, required, code table, range, pattern, check digit.

Each field is parsed from its submitted text into its catalog type by one
vectorised expression; each rule is a boolean mask over the whole column.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from edubrain.catalog.models import CodeTable, FieldSpec
from edubrain.exchange.problems import Check, fmt, raw, row_check
from edubrain.values import minutes_seconds, seconds_part

_TIME_MARKS = r"['′’:：分\"″”秒]"
_TRUE = ["1", "是", "y", "yes", "true", "t", "√"]
_FALSE = ["0", "否", "n", "no", "false", "f", "×"]
_GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_GB11643_CHECK = "10X98765432"
_GB11643_W = np.array(_GB11643_WEIGHTS, dtype=np.int64)
_GB11643_BYTES = np.frombuffer(_GB11643_CHECK.encode("ascii"), dtype=np.uint8)
NUL = "\x00"
NUL_SHOWN = "\u2400"
"""How a NUL character is shown in a report (SYMBOL FOR NULL): the report is stored, and PostgreSQL refuses NUL."""
_TEXT_TYPES = ("string", "code")
_TYPE_ZH = {"integer": "整数", "number": "数值", "date": "日期（YYYY-MM-DD）", "boolean": "是/否"}


def code_lookup(table: CodeTable) -> dict[str, str]:
    """Accepted spellings -> code: the code, its names and aliases, and the code without leading zeros.

    Leading zeros may be dropped only for tables of fixed-width numeric codes
    (a spreadsheet turns ``01`` into ``1``). Category headings (``category: true``) are not codes a row may carry.
    """
    lookup: dict[str, str] = {}
    usable = [c for c in table.codes if not c.category]
    widths = {len(c.code) for c in usable}
    numeric = all(c.code.isdigit() for c in usable) and len(widths) == 1
    for entry in table.codes:
        if entry.category:
            continue
        for spelling in (entry.code, entry.zh, entry.en, *entry.aliases):
            lookup.setdefault(spelling.lower(), entry.code)
        if numeric:
            lookup.setdefault(str(int(entry.code)), entry.code)
    return lookup


def parse_expr(spec: FieldSpec, table: CodeTable | None) -> pl.Expr:
    """Expression turning the field's submitted text into its catalog type (null if it does not parse)."""
    text = pl.col(raw(spec.name))
    if spec.type == "integer":
        number = text.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
        return number
    if spec.type == "number":
        plain = text.str.replace_all(",", "").cast(pl.Float64, strict=False)
        if spec.minutes_seconds:
            # A marked time, or a number below the field's 60 s floor, is minutes and seconds (3'25", 3.25).
            clean = text.str.strip_chars()
            timed = pl.when(seconds_part(clean) < 60).then(minutes_seconds(clean))
            return pl.when(text.str.contains(_TIME_MARKS) | (plain < 60)).then(timed).otherwise(plain)
        return plain
    if spec.type == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)  # other spellings: see reparse_dates
    if spec.type == "boolean":
        low = text.str.to_lowercase()
        return pl.when(low.is_in(_TRUE)).then(True).when(low.is_in(_FALSE)).then(False).otherwise(None)
    if spec.type == "code" and table is not None:
        return text.str.to_lowercase().replace_strict(code_lookup(table), default=None, return_dtype=pl.String)
    if spec.check_digit == "gb11643":
        return text.str.to_uppercase()
    return text


def reparse_dates(frame: pl.DataFrame, date_fields: list[str]) -> pl.DataFrame:
    """Second pass for dates that are not plain ``YYYY-MM-DD``.

    The first pass parses ISO dates only (fast); rows whose text did not
    parse are tried again with :func:`parse_date`. A clean file skips this.
    """
    for name in date_fields:
        missed = frame.select((pl.col(name).is_null() & pl.col(raw(name)).is_not_null()).any()).item()
        if missed:
            frame = frame.with_columns(pl.coalesce(pl.col(name), parse_date(pl.col(raw(name)))).alias(name))
    return frame


def parse_date(text: pl.Expr) -> pl.Expr:
    """Parse ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD`` and ``YYYYMMDD`` (month and day may lack a zero)."""
    iso = (
        text.str.replace(r"^(\d{4})(\d{2})(\d{2})$", "$1-$2-$3")
        .str.replace_all(r"[/.]", "-")
        .str.replace(r"^(\d{4})-(\d)-", "$1-0$2-")
        .str.replace(r"^(\d{4}-\d{2})-(\d)$", "$1-0$2")
        .str.replace(r"[ T]00:00(:00)?$", "")
    )
    return iso.str.to_date("%Y-%m-%d", strict=False)


def check_column(name: str) -> str:
    """Name of the working column holding the GB 11643 verdict of field ``name``."""
    return f"__check__{name}"


def gb11643_valid(ids: pl.Series) -> pl.Series:
    """The GB 11643-1999 check of each 身份证号 (ISO 7064 MOD 11-2 on the first 17 digits).

    Returns:
        True where the 18th character is right, False where it is wrong,
        null where the value is not 17 digits followed by a digit or ``X``.
        Computed on the bytes with numpy: one matrix product for all rows.
    """
    ids = ids.cast(pl.String)
    sized = (ids.str.len_bytes() == 18).fill_null(False)
    text = ids.filter(sized).to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(text, pa.ChunkedArray):
        text = pa.concat_arrays(text.chunks) if text.num_chunks else pa.array([], pa.large_string())
    verdict = np.zeros(len(ids), dtype=bool)
    formed = np.zeros(len(ids), dtype=bool)
    if len(text):
        offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset : text.offset + len(text) + 1]
        chars = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(-1, 18)
        digits = chars[:, :17].astype(np.int64) - ord("0")
        last = chars[:, 17]
        ok_form = ((digits >= 0) & (digits <= 9)).all(axis=1) & (
            ((last >= ord("0")) & (last <= ord("9"))) | (last == ord("X"))
        )
        where = np.flatnonzero(sized.to_numpy())
        formed[where] = ok_form
        verdict[where] = _GB11643_BYTES[(digits @ _GB11643_W) % 11] == last
    return pl.Series(verdict).set(pl.Series(~formed), None)


def gb11643_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a 身份证号."""
    total = sum(int(d) * w for d, w in zip(first17, _GB11643_WEIGHTS, strict=True))
    return _GB11643_CHECK[total % 11]


def field_checks(spec: FieldSpec, header: str, table: CodeTable | None) -> list[Check]:
    """All field-level checks of one field."""
    text, typed = pl.col(raw(spec.name)), pl.col(spec.name)
    present = text.is_not_null()
    out: list[Check] = []

    def add(mask: pl.Expr, rule: str, zh: pl.Expr | str, en: pl.Expr | str) -> None:
        out.append(row_check(mask, field=spec.name, column=header, rule=rule, zh=zh, en=en))

    if spec.required:
        add(~present, "required", f"必填项“{header}”为空", f"Required column '{header}' is empty")
    if spec.type in _TEXT_TYPES:
        out.append(_nul_check(spec, header))
    if spec.minutes_seconds:
        add(
            present & typed.is_null(),
            "type_time",
            fmt(f"“{header}”的值 {{}} 不是时间（秒数，或 3'25\"、3:25、3.25 表示 3 分 25 秒）", text),
            fmt(f"'{header}' value {{}} is not a time (seconds, or 3'25\", 3:25, 3.25 for 3 min 25 s)", text),
        )
    elif spec.type in _TYPE_ZH:
        add(
            present & typed.is_null(),
            f"type_{spec.type}",
            fmt(f"“{header}”的值 {{}} 不是{_TYPE_ZH[spec.type]}", text),
            fmt(f"'{header}' value {{}} is not a valid {spec.type}", text),
        )
    if spec.type == "code" and table is not None:
        add(*_code_problem(text, typed, present, header, table))
        legacy = [c.code for c in table.codes if c.legacy]
        if legacy:
            add(
                typed.is_in(legacy),
                "code_legacy",
                fmt(f"“{header}”的代码 {{}} 已停用（{table.title_zh}），请使用现行代码", text),
                fmt(f"'{header}' code {{}} is retired ({table.title_en}); use the current code", text),
            )
    if spec.minimum is not None:
        add(
            typed < spec.minimum,
            "minimum",
            fmt(f"“{header}”的值 {{}} 小于下限 {spec.minimum:g}", text),
            fmt(f"'{header}' value {{}} is below the minimum {spec.minimum:g}", text),
        )
    if spec.maximum is not None:
        add(
            typed > spec.maximum,
            "maximum",
            fmt(f"“{header}”的值 {{}} 大于上限 {spec.maximum:g}", text),
            fmt(f"'{header}' value {{}} is above the maximum {spec.maximum:g}", text),
        )
    if spec.pattern:
        add(
            present & ~typed.cast(pl.String).str.contains(spec.pattern),
            "pattern",
            fmt(f"“{header}”的值 {{}} 格式不符（{spec.description_zh or spec.pattern}）", text),
            fmt(f"'{header}' value {{}} has the wrong format ({spec.description_en or spec.pattern})", text),
        )
    if spec.check_digit == "gb11643":
        add(
            pl.col(check_column(spec.name)).not_(),
            "check_digit",
            fmt(f"“{header}”的值 {{}} 校验码错误（GB 11643）", text),
            fmt(f"'{header}' value {{}} fails the GB 11643 check digit", text),
        )
    return out


def _nul_check(spec: FieldSpec, header: str) -> Check:
    """A NUL character (U+0000) in text: never valid, refused by PostgreSQL, shown as ``␀`` in the report."""
    text = pl.col(raw(spec.name))
    shown = text.str.replace_all(NUL, NUL_SHOWN, literal=True)
    return row_check(
        text.str.contains(NUL, literal=True),
        field=spec.name,
        column=header,
        rule="nul_character",
        zh=fmt(f"“{header}”的值 {{}} 含有空字符（NUL，\\x00），不能存储", shown),
        en=fmt(f"'{header}' value {{}} contains a NUL character (\\x00), which cannot be stored", shown),
        value=shown,
    )


def _code_problem(
    text: pl.Expr, typed: pl.Expr, present: pl.Expr, header: str, table: CodeTable
) -> tuple[pl.Expr, str, pl.Expr, pl.Expr]:
    usable = [c for c in table.codes if not c.legacy and not c.category]
    sample = "、".join(f"{c.code} {c.zh}" for c in usable[:6])
    more = " …" if len(usable) > 6 else ""
    return (
        present & typed.is_null(),
        "code",
        fmt(f"“{header}”的值 {{}} 不在代码表《{table.title_zh}》中；可用：{sample}{more}", text),
        fmt(f"'{header}' value {{}} is not in the code table '{table.title_en}'", text),
    )
