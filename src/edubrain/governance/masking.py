"""Masking personal information for display, one vectorised expression per PII kind.

Each masker keeps the part of a value that identifies no one on its own
(a region, a surname, a district, a year) and replaces the rest with ``*``,
following GB/T 35273-2020 《信息安全技术 个人信息安全规范》 on de-identification
(去标识化) and on limiting what is displayed (个人信息的展示限制). The functions
are pure polars expressions: they run over whole columns (millions of rows) in
one pass.

Every masker is:

* **total**: a null stays null; a value of the wrong shape is replaced by a
  fixed run of ``*`` (never shown in part, whatever it holds);
* **idempotent**: masking a masked value returns it unchanged;
* **typed**: the result is always a ``String`` column (a masked birth date is
  ``2015-**-**``, not a date, so it can never pass for a real one).

See ``docs/privacy.md`` for the formats with examples.
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args, overload

import polars as pl

from edubrain.catalog.models import PiiKind

MaskKind = PiiKind | Literal["withhold"]
"""A PII kind of the catalog, or ``withhold`` (the value is removed: null)."""

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

NATIONAL_ID_MALFORMED = "*" * 18
STUDENT_NUMBER_MALFORMED = "*" * 19
PHONE_MALFORMED = "*" * 11
ADDRESS_HIDDEN = "****"
BIRTH_DATE_MALFORMED = "****-**-**"
EMAIL_HIDDEN = "***"

COMPOUND_SURNAMES: frozenset[str] = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 司空 夏侯 轩辕 端木 独孤 "
    "南宫 西门 百里 呼延 澹台 公冶 太史 申屠 闻人 赫连 万俟 钟离 单于 濮阳 淳于 东郭 仲孙".split()
)
"""Two-character surnames (复姓) of the traditional 《百家姓》, kept whole when masking a name."""

_ID18 = r"^[0-9]{6}[0-9*]{8}[0-9]{3}[0-9X]$"
_ID15 = r"^[0-9]{6}[0-9*]{6}[0-9]{3}$"
_STUDENT_NUMBER = r"^[GJL][0-9]{6}[0-9*]{8}[0-9]{3}[0-9X]$"
_MOBILE = r"^1[0-9]{2}[0-9*]{4}[0-9]{4}$"
_PHONE_DECORATION = r"^(?:\+|00)?86|[\s\-()（）]"
_DISTRICT_PREFIX = r"^([\p{Han}--[区县]]{0,10}[\p{Han}--[区县小社园校街景厂营院矿片]][区县])"
_BIRTH_YEAR = r"^((?:18|19|20)[0-9]{2})(?:[-/.年][0-9*]{1,2}[-/.月][0-9*]{1,2}日?|[0-9]{4})(?:[ T].*)?$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def mask_national_id(text: pl.Expr) -> pl.Expr:
    """Mask a 身份证号 (GB 11643-1999), keeping the region and the last four characters.

    ``110108201503151234`` -> ``110108********1234``: the 6-digit address code
    stays, the birth date and the first sequence digit are hidden. A 15-digit first-generation number keeps
    region and sequence (``110108******123``). Anything else becomes 18 ``*``.
    """
    value = text.cast(pl.String).str.strip_chars().str.to_uppercase()
    return (
        pl.when(value.str.contains(_ID18))
        .then(pl.concat_str(value.str.slice(0, 6), pl.lit("*" * 8), value.str.slice(14, 4)))
        .when(value.str.contains(_ID15))
        .then(pl.concat_str(value.str.slice(0, 6), pl.lit("*" * 6), value.str.slice(12, 3)))
        .otherwise(pl.lit(NATIONAL_ID_MALFORMED))
    )


def mask_student_number(text: pl.Expr) -> pl.Expr:
    """Mask a 全国学籍号 (``G`` / ``J`` / ``L`` + 18 characters), keeping the letter, region and last four.

    ``G110108201503151234`` -> ``G110108********1234``. Anything else becomes 19 ``*``.
    """
    value = text.cast(pl.String).str.strip_chars().str.to_uppercase()
    return (
        pl.when(value.str.contains(_STUDENT_NUMBER))
        .then(pl.concat_str(value.str.slice(0, 7), pl.lit("*" * 8), value.str.slice(15, 4)))
        .otherwise(pl.lit(STUDENT_NUMBER_MALFORMED))
    )


def mask_name(text: pl.Expr) -> pl.Expr:
    """Mask a personal name, keeping the surname; each other character becomes ``*``.

    ``张三`` -> ``张*``, ``李小明`` -> ``李**``, ``欧阳娜娜`` -> ``欧阳**`` (a
    复姓 from :data:`COMPOUND_SURNAMES` is kept whole when at least one
    character follows it). At least one character is always hidden, so a
    one-character value becomes ``*``. The length is kept, as is usual for
    displayed names; the given name is never shown.
    """
    value = text.cast(pl.String).str.strip_chars()
    length = value.str.len_chars()
    compound = value.str.slice(0, 2).is_in(list(COMPOUND_SURNAMES)) & (length >= 3)
    keep = pl.when(compound).then(2).when(length >= 2).then(1).otherwise(0)
    return value.str.slice(0, keep).str.pad_end(length, "*")


def mask_phone(text: pl.Expr) -> pl.Expr:
    """Mask a mobile number, keeping the first three and the last four digits.

    ``13812341234`` -> ``138****1234``. Spaces, dashes, brackets and a ``+86``
    prefix are dropped first. Anything that is not then an 11-digit mobile
    number (a landline, text) becomes 11 ``*``.
    """
    value = text.cast(pl.String).str.replace_all(_PHONE_DECORATION, "")
    return (
        pl.when(value.str.contains(_MOBILE))
        .then(pl.concat_str(value.str.slice(0, 3), pl.lit("****"), value.str.slice(7, 4)))
        .otherwise(pl.lit(PHONE_MALFORMED))
    )


def mask_address(text: pl.Expr) -> pl.Expr:
    """Mask an address, keeping the text up to and including the first 区 or 县.

    ``北京市海淀区中关村大街27号`` -> ``北京市海淀区****``. The kept prefix must be
    Chinese characters only, at most 11 before the 区/县, and must not end in
    小区、社区、园区、校区、街区、景区、厂区、营区、院区、矿区 or 片区 (a housing
    estate is not a district). Otherwise the whole address becomes ``****``.
    The hidden part is always four ``*``, whatever its length.
    """
    district = text.cast(pl.String).str.strip_chars().str.extract(_DISTRICT_PREFIX, 1)
    return pl.concat_str(district.fill_null(""), pl.lit(ADDRESS_HIDDEN))


def mask_birth_date(text: pl.Expr) -> pl.Expr:
    """Mask a birth date, keeping the year: ``2015-03-15`` -> ``2015-**-**`` (a string).

    Accepts a ``Date`` / ``Datetime`` column or text (``2015-03-15``,
    ``2015/3/15``, ``20150315``, ``2015年3月15日``). The result is text on purpose:
    a date such as 1 January would look like a real birth date and silently
    shift ages by up to a year. Analyses that need the year should derive an
    integer ``birth_year`` instead. Anything else becomes ``****-**-**``.
    """
    year = text.cast(pl.String).str.strip_chars().str.extract(_BIRTH_YEAR, 1)
    return (
        pl.when(year.is_not_null()).then(pl.concat_str(year, pl.lit("-**-**"))).otherwise(pl.lit(BIRTH_DATE_MALFORMED))
    )


def mask_email(text: pl.Expr) -> pl.Expr:
    """Mask an e-mail address, keeping the first character and the domain.

    ``zhangsan@example.edu.cn`` -> ``z***@example.edu.cn``. A local part of one
    character is hidden entirely (``***@example.edu.cn``). The hidden part is
    always ``***``. Anything that is not an address becomes ``***``.
    """
    value = text.cast(pl.String).str.strip_chars()
    local = value.str.extract(r"^(.*)@[^@]*$", 1)
    domain = value.str.extract(r"@([^@]*)$", 1)
    first = local.str.slice(0, 1)
    keep = pl.when((local.str.len_chars() >= 2) & (first != "*")).then(first).otherwise(pl.lit(""))
    return (
        pl.when(value.str.contains(_EMAIL))
        .then(pl.concat_str(keep, pl.lit(EMAIL_HIDDEN + "@"), domain))
        .otherwise(pl.lit(EMAIL_HIDDEN))
    )


def withhold(text: pl.Expr) -> pl.Expr:
    """Withhold the value entirely: every row becomes null (a ``String`` column)."""
    return pl.lit(None, dtype=pl.String).alias("__withheld")


_MASKERS = {
    "national_id": mask_national_id,
    "name": mask_name,
    "phone": mask_phone,
    "address": mask_address,
    "birth_date": mask_birth_date,
    "student_number": mask_student_number,
    "email": mask_email,
    "other": withhold,
    "withhold": withhold,
}
MASK_KINDS: tuple[str, ...] = (*get_args(PiiKind), "withhold")


@overload
def mask_column(values: pl.Expr, pii_kind: MaskKind | None) -> pl.Expr: ...
@overload
def mask_column(values: pl.Series, pii_kind: MaskKind | None) -> pl.Series: ...
def mask_column(values: pl.Expr | pl.Series, pii_kind: MaskKind | None) -> pl.Expr | pl.Series:
    """Mask a column as its PII kind requires.

    Args:
        values: A column expression (e.g. ``pl.col("id_number")``) or a Series,
            of any type (it is cast to text).
        pii_kind: The catalog's PII kind of the field; ``other``,
            ``withhold`` or None withhold the value (all null).

    Returns:
        The masked column, of type ``String``, under the same name. Nulls
        stay null.

    Raises:
        ValueError: an unknown kind.

    Example:
        >>> mask_column(pl.Series("id", ["110108201503151234", None]), "national_id").to_list()
        ['110108********1234', None]
    """
    masker = _MASKERS.get(pii_kind or "withhold")
    if masker is None:
        raise ValueError(f"unknown PII kind {pii_kind!r}; known: {', '.join(MASK_KINDS)}")
    if isinstance(values, pl.Series):
        frame = values.to_frame("__value")
        masked = frame.select(mask_column(pl.col("__value"), pii_kind)).to_series()
        return masked.alias(values.name)
    out = pl.when(values.is_not_null()).then(masker(values)).otherwise(pl.lit(None, dtype=pl.String))
    name = values.meta.output_name(raise_if_undetermined=False)
    return out.alias(name) if name is not None else out


def mask_frame(frame: FrameT, fields_to_mask: dict[str, MaskKind | None]) -> FrameT:
    """Mask the named columns of a (lazy) frame, each by its PII kind; other columns are kept.

    Args:
        frame: The rows, a ``DataFrame`` or ``LazyFrame``.
        fields_to_mask: Column name -> PII kind; ``other``, ``withhold`` or
            None withhold the column (all null, kept as a ``String`` column).

    Raises:
        polars.exceptions.ColumnNotFoundError: a named column is missing.

    Example:
        >>> rows = pl.DataFrame({"name": ["李小明"], "guardian_phone": ["13812341234"], "grade": ["11"]})
        >>> mask_frame(rows, {"name": "name", "guardian_phone": "phone"}).row(0)
        ('李**', '138****1234', '11')
    """
    return frame.with_columns([mask_column(pl.col(name), kind).alias(name) for name, kind in fields_to_mask.items()])
