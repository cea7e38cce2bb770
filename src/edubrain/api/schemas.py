"""Schemas the routers share: principals, pages, submission batches."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from edubrain.exchange.report import Problem, SubmissionReport
from edubrain.governance.identity import Principal

Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
"""Text a client sends that reaches the database: any characters but NUL (PostgreSQL refuses it)."""
MAX_INT = 2**31 - 1
"""Largest offset or version a request may name (the databases' 32-bit integers)."""
MAX_PROBLEMS = 1000
"""Problems listed one by one in a submission response; the report's groups cover all of them."""


class GrantPublic(BaseModel):
    """One role held in one organisation."""

    role: str
    org_code: str
    org_level: str
    refs: list[str]


class PrincipalPublic(BaseModel):
    """Who the caller is and what it may do."""

    id: str
    name: str
    kind: str = Field(description="user or node")
    grants: list[GrantPublic]
    may_submit: bool
    may_query: bool
    may_manage_users: bool

    @classmethod
    def of(cls, principal: Principal) -> PrincipalPublic:
        """The public view of ``principal``."""
        return cls(
            id=principal.id,
            name=principal.name,
            kind=principal.kind,
            grants=[
                GrantPublic(role=g.role, org_code=g.org_code, org_level=g.org_level, refs=list(g.refs))
                for g in principal.grants
            ],
            may_submit=principal.may("may_submit"),
            may_query=principal.may("may_query"),
            may_manage_users=principal.may("may_manage_users"),
        )


class SubmissionResult(BaseModel):
    """The validation report of a submitted file, with its problems cell by cell."""

    report: SubmissionReport
    problems: list[Problem] = Field(description=f"The first {MAX_PROBLEMS} problems, each with row and column")
    problems_total: int
    warnings: list[Problem]


class BatchSummary(BaseModel):
    """One submission batch."""

    batch_id: str
    dataset: str
    org_code: str
    file: str
    mode: str
    status: str = Field(description="pending | committed | unchanged | rejected | failed")
    version: int | None
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_added: int
    rows_changed: int
    rows_retired: int
    message: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


class BatchDetail(BatchSummary):
    """One submission batch with its stored validation report."""

    report: dict[str, Any] | None


class BatchPage(BaseModel):
    """A page of submission batches, newest first."""

    data: list[BatchSummary]
    count: int
