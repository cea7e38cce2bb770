"""Validation reports through governance: values of personal fields masked by the reader's clearance.

A problem quotes the offending value (``value``) and its messages embed it.
A report is personal data at the level of the field it is about: a 全国学籍号
(G + 身份证号) in a problem is as sensitive as in the roster. Reports are
stored with sensitive values (L4) already masked, so the operational
database never holds a second, unguarded copy, and every reader sees them
masked again to its own clearance (a district analyst at L2 sees no pupil's
name in a school's report).
"""

from __future__ import annotations

import polars as pl

from edubrain.catalog.models import Dataset, PiiKind
from edubrain.exchange.report import ProblemGroup, SubmissionReport
from edubrain.governance.masking import mask_column
from edubrain.home import Home

STORED_CLEARANCE = 3
"""Reports are stored masked to L3: sensitive personal values (L4) never reach the operational database."""
_DIGITS = r"\d{6,}"
"""Runs of digits left in a masked problem's message (dates and id digits quoted beside the value)."""


def masked_ranks(home: Home, dataset: Dataset, clearance: int) -> dict[str, PiiKind | None]:
    """Fields of ``dataset`` above ``clearance``, with their PII kind (None: withheld)."""
    return {spec.name: spec.pii for spec in dataset.fields if home.catalog.levels[spec.classification].rank > clearance}


def mask_problems(home: Home, dataset: Dataset, problems: pl.DataFrame, clearance: int) -> pl.DataFrame:
    """``problems`` (the problem frame shape) with values of fields above ``clearance`` masked, in all rows at once."""
    hidden = masked_ranks(home, dataset, clearance)
    if not hidden or problems.is_empty():
        return problems
    secret = pl.col("field").is_in(list(hidden))
    masked = pl.coalesce(
        *[pl.when(pl.col("field") == name).then(mask_column(pl.col("value"), kind)) for name, kind in hidden.items()]
    )
    out = problems.with_columns(masked.alias("__masked"), secret.alias("__secret"))
    for message in ("message_zh", "message_en"):
        out = out.with_columns(
            pl.when(pl.col("__secret")).then(_scrubbed(message)).otherwise(pl.col(message)).alias(message)
        )
    out = out.with_columns(
        pl.when(pl.col("__secret")).then(pl.col("__masked")).otherwise(pl.col("value")).alias("value")
    )
    return out.drop("__masked", "__secret")


def _scrubbed(message: str) -> pl.Expr:
    """``message`` with the problem's value replaced by its masked form, then any long run of digits hidden.

    A problem group that quotes no value of its own (its message quotes one row's) gets a message that quotes none.
    """
    text, value = pl.col(message), pl.col("value")
    parts = text.str.split(value).list.eval(pl.element().str.replace_all(_DIGITS, "＊＊＊"))
    spliced = parts.list.join(pl.col("__masked").fill_null("＊"))
    found = value.is_not_null() & (value.str.len_chars() > 0)
    generic = (
        pl.concat_str(pl.lit("“"), pl.col("column"), pl.lit("”不符合规则 "), pl.col("rule"), pl.lit("（值已按查看者密级隐去）"))
        if message.endswith("zh")
        else pl.concat_str(pl.lit("'"), pl.col("column"), pl.lit("' breaks rule "), pl.col("rule"),
                           pl.lit(" (the value is hidden at the reader's clearance)"))
    )  # fmt: skip
    return pl.when(found).then(spliced).otherwise(generic.str.replace_all(_DIGITS, "＊＊＊"))


def _groups_frame(groups: list[ProblemGroup]) -> pl.DataFrame:
    return pl.DataFrame(
        [g.model_dump() for g in groups],
        schema={
            "rule": pl.String, "column": pl.String, "field": pl.String, "value": pl.String, "count": pl.Int64,
            "rows": pl.List(pl.Int64), "message_zh": pl.String, "message_en": pl.String,
        },
    )  # fmt: skip


def mask_report(home: Home, report: SubmissionReport, clearance: int) -> SubmissionReport:
    """A copy of ``report`` whose problem groups and warnings show fields above ``clearance`` masked."""
    dataset = home.catalog.dataset(report.dataset)
    out = report.model_copy(deep=True)
    for name in ("groups", "warnings"):
        groups: list[ProblemGroup] = getattr(out, name)
        if groups:
            frame = mask_problems(home, dataset, _groups_frame(groups), clearance)
            setattr(out, name, [ProblemGroup(**row) for row in frame.to_dicts()])
    return out
