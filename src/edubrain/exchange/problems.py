"""Problems found in a submission, as one dataframe shape.

Every check is a vectorised mask over all rows; the rows it flags become
problems of one shape, so that the results concatenate into one table:
``row`` (as the user sees it in the file; null for file-level problems),
``column`` (header as written), ``field``, ``value``, ``rule``,
``message_zh``, ``message_en``.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Check:
    """One rule applied to every row: a mask and how to describe the rows it flags.

    Attributes:
        mask: True where the rule is broken (null counts as not broken).
        field: The catalog field the problem is reported on.
        column: The header as written in the file.
        rule: The rule's id (``required``, ``code``, ``reference`` ...).
        zh: Message in Chinese (an expression over the row).
        en: Message in English.
        value: The offending value shown in the report.
    """

    mask: pl.Expr
    field: str
    column: str
    rule: str
    zh: pl.Expr
    en: pl.Expr
    value: pl.Expr


def row_check(
    mask: pl.Expr,
    *,
    field: str,
    column: str,
    rule: str,
    zh: pl.Expr | str,
    en: pl.Expr | str,
    value: pl.Expr | None = None,
) -> Check:
    """A :class:`Check`; ``value`` defaults to the field's submitted text."""
    return Check(
        mask=mask,
        field=field,
        column=column,
        rule=rule,
        zh=pl.lit(zh) if isinstance(zh, str) else zh,
        en=pl.lit(en) if isinstance(en, str) else en,
        value=value if value is not None else pl.col(raw(field)),
    )


def evaluate(frame: pl.DataFrame, checks: list[Check]) -> list[pl.DataFrame]:
    """Run every check over ``frame`` and return the problems of those that flag rows.

    All masks are computed in one parallel pass; only checks that flag a row
    build problem rows, so a clean file costs one pass over the data.
    """
    if not checks:
        return []
    flags = frame.select([c.mask.fill_null(False).alias(f"__m{i}") for i, c in enumerate(checks)])
    hit = flags.select(pl.all().any()).row(0)
    found = []
    for i, check in enumerate(checks):
        if not hit[i]:
            continue
        found.append(
            frame.filter(flags.get_column(f"__m{i}")).select(
                pl.col(ROW_COLUMN).cast(pl.Int64).alias("row"),
                pl.lit(check.column, pl.String).alias("column"),
                pl.lit(check.field, pl.String).alias("field"),
                check.value.cast(pl.String).alias("value"),
                pl.lit(check.rule, pl.String).alias("rule"),
                check.zh.cast(pl.String).alias("message_zh"),
                check.en.cast(pl.String).alias("message_en"),
            )
        )
    return found


def file_problem(*, column: str, field: str, rule: str, zh: str, en: str, value: str | None = None) -> pl.DataFrame:
    """A problem with the file as a whole (no row): a header, a missing column."""
    return pl.DataFrame(
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
