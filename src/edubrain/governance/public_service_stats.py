"""Aggregates of public-service cases in the reader's scope: SLA figures and daily topic counts.

Counts only (no text, no contact): per office and per district, the cases received, answered, the response rate
(answered / received), the on-time rate (answered by the deadline / answered), the open cases past their deadline and
the mean satisfaction of rated cases; and the number of cases per district, category and day for the burst
detectors (未诉先办). Each read is audited (``read_masked`` with the counts' scope).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import select

from edubrain.governance.audit import record_event
from edubrain.governance.identity import Principal
from edubrain.governance.public_service_models import PublicServiceCase
from edubrain.governance.public_service_work import readable_districts
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.db import session_scope

_COLUMNS = ("district_code", "office", "category", "status", "received_at", "sla_due", "responded_at", "satisfaction")


@dataclass(frozen=True)
class SlaLine:
    """The SLA figures of one office or district (rates in 0–1, None when there is nothing to divide by)."""

    key: str
    received: int
    responded: int
    response_rate: float | None
    on_time_rate: float | None
    overdue_open: int
    satisfaction: float | None
    rated: int


def _frame(home: Home, principal: Principal, since: dt.date | None, what: str) -> pl.DataFrame:
    """The scoped case columns (no text) as a frame; the read is audited."""
    allowed = readable_districts(home, Scope.of(home, principal))
    query = select(*(getattr(PublicServiceCase, c) for c in _COLUMNS))
    if allowed is not None:
        query = query.where(PublicServiceCase.district_code.in_(allowed))
    if since is not None:
        query = query.where(PublicServiceCase.received_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    with session_scope(home.engine) as session:
        rows = [] if allowed == [] else session.execute(query).all()
        record_event(session, actor=principal.id, action="read_masked", row_count=len(rows),
                     detail={"public_service": what, "districts": "all" if allowed is None else allowed})  # fmt: skip
    schema: dict[str, Any] = {"district_code": pl.Utf8, "office": pl.Utf8, "category": pl.Utf8, "status": pl.Utf8,
              "received_at": pl.Datetime("us", "UTC"), "sla_due": pl.Datetime("us", "UTC"),
              "responded_at": pl.Datetime("us", "UTC"), "satisfaction": pl.Int64}  # fmt: skip
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def sla_summary(
    home: Home, principal: Principal, by: str = "office", since: dt.date | None = None, now: dt.datetime | None = None
) -> list[SlaLine]:
    """SLA figures per ``office`` or ``district_code`` over the principal's cases (received since ``since``)."""
    if by not in ("office", "district_code", "category"):
        raise ValueError(by)
    frame = _frame(home, principal, since, f"sla_by_{by}")
    moment = now or dt.datetime.now(dt.UTC)
    answered = pl.col("responded_at").is_not_null()
    grouped = frame.group_by(by).agg(
        pl.len().alias("received"),
        answered.sum().alias("responded"),
        (answered & (pl.col("responded_at") <= pl.col("sla_due"))).sum().alias("on_time"),
        (~answered & (pl.col("sla_due") < moment)).sum().alias("overdue_open"),
        pl.col("satisfaction").mean().alias("satisfaction"),
        pl.col("satisfaction").is_not_null().sum().alias("rated"),
    ).sort(by)  # fmt: skip

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    return [
        SlaLine(
            r[by] or "",
            r["received"],
            r["responded"],
            share(r["responded"], r["received"]),
            share(r["on_time"], r["responded"]),
            r["overdue_open"],
            None if r["satisfaction"] is None else round(r["satisfaction"], 2),
            r["rated"],
        )  # fmt: skip
        for r in grouped.iter_rows(named=True)
    ]


def daily_counts(home: Home, principal: Principal, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Cases per district, category and day (``start`` … ``end`` inclusive, Beijing time), every day present.

    Cases without a category (in triage) count under ``triage``. Columns: district_code, category, day, n.
    """
    frame = _frame(home, principal, start - dt.timedelta(days=1), "daily_counts")
    local = pl.col("received_at").dt.convert_time_zone("Asia/Shanghai").dt.date().alias("day")
    counted = (
        frame.with_columns(local, pl.col("category").fill_null("triage"))
        .filter(pl.col("day").is_between(start, end))
        .group_by("district_code", "category", "day")
        .agg(pl.len().cast(pl.Int64).alias("n"))
    )
    days = pl.DataFrame({"day": pl.date_range(start, end, "1d", eager=True)})
    series = counted.select("district_code", "category").unique()
    grid = series.join(days, how="cross")
    return (
        grid.join(counted, on=["district_code", "category", "day"], how="left")
        .with_columns(pl.col("n").fill_null(0))
        .sort("district_code", "category", "day")
    )
