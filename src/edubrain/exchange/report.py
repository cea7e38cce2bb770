"""The submission report: every problem, grouped by cause, with a summary."""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, Field

Status = Literal["committed", "unchanged", "rejected"]

_BY_VALUE = {"code", "code_legacy", "reference", "scope"}
"""Rules whose cause is the value itself: one missing school is one cause however many rows carry it."""
MAX_VALUE_GROUPS = 20
EXAMPLE_ROWS = 10


class Problem(BaseModel):
    """One broken rule in one place of the file."""

    row: int | None = Field(description="Row number as shown in the file; null for the file as a whole")
    column: str = Field(description="Header as written in the file")
    field: str
    value: str | None
    rule: str
    message_zh: str
    message_en: str


class ProblemGroup(BaseModel):
    """Problems that share one cause: one rule on one column (and, for some rules, one value)."""

    rule: str
    column: str
    field: str
    value: str | None
    count: int
    rows: list[int] = Field(description=f"The first {EXAMPLE_ROWS} rows affected")
    message_zh: str
    message_en: str


class SubmissionReport(BaseModel):
    """What happened to one submitted file."""

    batch_id: str
    dataset: str
    org: str
    file: str
    file_format: str
    encoding: str
    sha256: str
    mode: str
    status: Status
    submitted_by: str | None = Field(default=None, description="The principal that submitted (user or node id)")
    transfer: dict[str, Any] | None = Field(
        default=None, description="For a transfer: the organisations the rows came from, the receiver, the reason"
    )
    version: int | None = None
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_added: int = 0
    rows_changed: int = 0
    rows_retired: int = 0
    message_zh: str = ""
    message_en: str = ""
    problem_count: int = 0
    groups: list[ProblemGroup] = Field(default_factory=list)
    warning_count: int = 0
    warnings: list[ProblemGroup] = Field(
        default_factory=list, description="Warnings (e.g. undeclared personal data); they never block a submission"
    )

    def stored_form(self) -> dict[str, Any]:
        """The report as kept with the batch: everything but a very long tail of groups."""
        data = self.model_dump(mode="json")
        data["groups"] = data["groups"][:200]
        data["warnings"] = data["warnings"][:200]
        return data


def group_problems(problems: pl.DataFrame) -> list[ProblemGroup]:
    """Group problems by cause, file-level causes first, then the largest groups."""
    if problems.is_empty():
        return []
    by_value = pl.col("rule").is_in(list(_BY_VALUE))
    keyed = problems.with_columns(pl.when(by_value).then(pl.col("value")).otherwise(None).alias("__cause"))
    many = (
        keyed.filter(by_value)
        .group_by("rule", "column")
        .agg(pl.col("__cause").n_unique().alias("n"))
        .filter(pl.col("n") > MAX_VALUE_GROUPS)
    )
    if many.height:
        collapse = keyed.join(many, on=["rule", "column"], how="left").get_column("n").is_not_null()
        keyed = keyed.with_columns(pl.when(collapse).then(None).otherwise(pl.col("__cause")).alias("__cause"))
    grouped = (
        keyed.group_by("rule", "column", "field", "__cause", maintain_order=True)
        .agg(
            pl.len().alias("count"),
            pl.col("row").drop_nulls().head(EXAMPLE_ROWS).alias("rows"),
            pl.col("message_zh").first(),
            pl.col("message_en").first(),
            pl.col("row").is_null().any().alias("file_level"),
        )
        .sort(["file_level", "count"], descending=[True, True], maintain_order=True)
    )
    return [
        ProblemGroup(
            rule=g["rule"],
            column=g["column"],
            field=g["field"],
            value=g["__cause"],
            count=g["count"],
            rows=g["rows"],
            message_zh=g["message_zh"],
            message_en=g["message_en"],
        )
        for g in grouped.iter_rows(named=True)
    ]
