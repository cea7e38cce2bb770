"""Problems found in a submission, as one dataframe shape.

Every check produces rows of the same shape, so that checks run as
vectorised filters and their results concatenate into one table:
``row`` (as the user sees it in the file; null for file-level problems),
``column`` (header as written), ``field``, ``value``, ``rule``,
``message_zh``, ``message_en``.
"""

from __future__ import annotations

import polars as pl

from edubrain.exchange.readers import ROW_COLUMN

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "column": pl.String(),
    "field": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "message_zh": pl.String(),
    "message_en": pl.String(),
}


def raw(name: str) -> str:
    """Name of the column holding field ``name``'s text as submitted."""
    return f"raw__{name}"


def row_problems(
    frame: pl.LazyFrame,
    mask: pl.Expr,
    *,
    field: str,
    column: str,
    rule: str,
    zh: pl.Expr | str,
    en: pl.Expr | str,
    value: pl.Expr | None = None,
) -> pl.LazyFrame:
    """The rows of ``frame`` where ``mask`` holds, as problems.

    Args:
        frame: The working frame (``__row``, raw and typed columns).
        mask: True where the rule is broken.
        field: The catalog field the problem is reported on.
        column: The header as written in the file.
        rule: The rule's id (``required``, ``code``, ``reference`` ...).
        zh: Message in Chinese (a literal or an expression over the row).
        en: Message in English.
        value: The offending value; default the field's raw text.
    """
    shown = value if value is not None else pl.col(raw(field))
    return frame.filter(mask).select(
        pl.col(ROW_COLUMN).cast(pl.Int64).alias("row"),
        pl.lit(column, pl.String).alias("column"),
        pl.lit(field, pl.String).alias("field"),
        shown.cast(pl.String).alias("value"),
        pl.lit(rule, pl.String).alias("rule"),
        (pl.lit(zh) if isinstance(zh, str) else zh).cast(pl.String).alias("message_zh"),
        (pl.lit(en) if isinstance(en, str) else en).cast(pl.String).alias("message_en"),
    )


def file_problem(*, column: str, field: str, rule: str, zh: str, en: str, value: str | None = None) -> pl.LazyFrame:
    """A problem with the file as a whole (no row): a header, a missing column."""
    return pl.LazyFrame(
        {
            "row": [None],
            "column": [column],
            "field": [field],
            "value": [value],
            "rule": [rule],
            "message_zh": [zh],
            "message_en": [en],
        },
        schema=PROBLEM_SCHEMA,
    )


def empty_problems() -> pl.DataFrame:
    """A problems table with no rows."""
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def fmt(template: str, *values: pl.Expr) -> pl.Expr:
    """A message expression: ``template`` with each ``{}`` replaced by the next value.

    Unlike ``pl.format``, braces elsewhere in the template (a regex's ``{17}``)
    are kept as they are. A null value shows as an empty string.
    """
    pieces = template.split("{}")
    if len(pieces) != len(values) + 1:
        raise ValueError(f"template has {len(pieces) - 1} slots for {len(values)} values: {template!r}")
    parts: list[pl.Expr] = [pl.lit(pieces[0])]
    for value, piece in zip(values, pieces[1:], strict=True):
        parts += [value.cast(pl.String).fill_null(""), pl.lit(piece)]
    return pl.concat_str(parts)
