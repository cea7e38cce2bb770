"""The submission batches behind a school profile's submission values, for the profile evidence.

The profiles job computes a school's ``batches``, ``accepted_row_share`` and
``up_to_date_share`` from the operational database's submission batches
(:func:`edubrain.analytics.profiles.schools.submission_stats`), not from lake
rows. Their evidence is those batches, read here (the profile facade never
opens the store):

- :func:`computed_at` — when a version of a derived dataset was written: the
  batches that had finished by then are the ones its values could count;
- :func:`school_batches` — one school's batches that had finished by a time,
  in the columns ``submission_stats`` reads, for a principal whose record scope
  (:meth:`~edubrain.governance.scope.Scope.sees_org`, as for the submission
  history) includes the school.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select

from edubrain.governance.audit import as_utc
from edubrain.governance.identity import Principal
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch

BATCH_SCHEMA: dict[str, pl.DataType] = {
    "batch_id": pl.String(),
    "org_code": pl.String(),
    "dataset": pl.String(),
    "status": pl.String(),
    "rows_read": pl.Int64(),
    "rows_accepted": pl.Int64(),
    "created_at": pl.Datetime("us"),
    "finished_at": pl.Datetime("us"),
    "lake_version": pl.Int64(),
}
"""Columns of :func:`school_batches`: times are UTC without a zone, as the profiles job reads ``created_at``."""


def computed_at(home: Home, dataset_id: str, version: int | None) -> dt.datetime | None:
    """The commit time (UTC) of ``version`` of the derived dataset ``dataset_id`` (None when there is none).

    A derived version replaces the whole table, so the newest commit at or before ``version`` wrote its rows.
    """
    if version is None:
        return None
    made = [c for c in home.lake.history(dataset_id) if int(c["version"]) <= version and "timestamp" in c]
    if not made:
        return None
    newest = max(made, key=lambda c: int(c["version"]))
    return dt.datetime.fromtimestamp(int(newest["timestamp"]) / 1000, dt.UTC)


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else as_utc(value).replace(tzinfo=None)


def school_batches(home: Home, principal: Principal, school_code: str, until: dt.datetime) -> pl.DataFrame:
    """The submission batches of ``school_code`` that had finished by ``until``, oldest first (:data:`BATCH_SCHEMA`).

    A batch still pending, or created or finished after ``until``, is left out: a value computed at ``until``
    could not count it.

    Raises:
        AccessDenied: the principal's record scope does not include the school (the same rule as the
            submission history).
    """
    if not Scope.of(home, principal).sees_org(school_code):
        raise AccessDenied(
            f"{principal.name} 不能查看学校 {school_code} 的报送记录",
            f"{principal.name} may not read the submission records of school {school_code}",
            org=school_code,
        )
    query = (
        select(
            SubmissionBatch.id, SubmissionBatch.org_code, SubmissionBatch.dataset, SubmissionBatch.status,
            SubmissionBatch.rows_read, SubmissionBatch.rows_accepted, SubmissionBatch.created_at,
            SubmissionBatch.finished_at, SubmissionBatch.lake_version,
        )
        .where(SubmissionBatch.org_code == school_code)
        .order_by(SubmissionBatch.created_at, SubmissionBatch.id)
    )  # fmt: skip
    with session_scope(home.engine) as session:
        rows = [(*r[:6], _naive_utc(r[6]), _naive_utc(r[7]), r[8]) for r in session.execute(query)]
    frame = pl.DataFrame(rows, schema=BATCH_SCHEMA, orient="row")
    cut = _naive_utc(until)
    finished = pl.col("finished_at").fill_null(pl.col("created_at"))  # a batch of old may lack its finish time
    return frame.filter(pl.col("status") != "pending", pl.col("created_at") <= cut, finished <= cut)
