"""The forecast's backtest: forecast each past year on the same day, compare with how the year ended.

For a year Y the forecast is :func:`~edubrain.analytics.training.coverage.coverage_expr` judged on
``Y-MM-DD`` (:attr:`TrainingTargets.backtest_day`, 30 June, unless another day is asked for), which sees only
the records that had ended by then and the history before Y. "Will miss" is the status ``at_risk``; a person who had already met the target by then is
forecast not to miss. The outcome is the same transform judged on 31 December of Y: ``missed`` or ``met``. Both
count the same people (a person-year present in both). Precision is the share of the people forecast to miss who
did; recall the share of those who missed that were forecast. The register adds no person to a past year (it
lists the staff of the latest year), but its roles are today's: a small leak, in ``docs/training-coverage.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import ibis

from edubrain.analytics.training.coverage import coverage_expr
from edubrain.analytics.training.targets import TrainingTargets, load_targets

if TYPE_CHECKING:
    from ibis.expr.types import Table

BACKTEST_COLUMNS: tuple[str, ...] = (
    "year",
    "as_of",
    "people",
    "forecast_miss",
    "missed",
    "hits",
    "precision",
    "recall",
)


def forecast_date(year: int, day: str) -> dt.date:
    """The date ``MM-DD`` of ``year``.

    Raises:
        ValueError: ``day`` is not a ``MM-DD`` date of that year.
    """
    month, mday = (int(part) for part in day.split("-"))
    return dt.date(year, month, mday)


def outcomes_expr(
    tables: Mapping[str, Table], year: int, targets: TrainingTargets | None = None, day: str | None = None
) -> Table:
    """Per person counted in ``year``: ``forecast_miss`` (on ``day``, ``MM-DD``) and ``missed`` (at the year's end).

    ``day`` defaults to :attr:`TrainingTargets.backtest_day`.
    """
    tg = targets or load_targets()
    early = coverage_expr(tables, tg, forecast_date(year, day or tg.backtest_day))
    early = early.filter(early["year"] == year)
    early = early.select(f_id=early["teacher_id"], forecast_miss=early["status"] == "at_risk", as_of=early["as_of"])
    late = coverage_expr(tables, tg, dt.date(year, 12, 31))
    late = late.filter(late["year"] == year)
    late = late.select("teacher_id", "year", missed=late["status"] == "missed")
    joined = late.join(early, late["teacher_id"] == early["f_id"])
    return joined.select("teacher_id", "year", "as_of", "forecast_miss", "missed")


def backtest_expr(
    tables: Mapping[str, Table], years: Sequence[int], targets: TrainingTargets | None = None, day: str | None = None
) -> Table:
    """Per year of ``years``: people, forecast to miss, missed, hits (both), precision and recall (null on 0/0).

    Raises:
        ValueError: ``years`` is empty, or ``day`` is not a ``MM-DD`` date.
    """
    if not years:
        raise ValueError("no year to backtest")
    parts = [outcomes_expr(tables, y, targets, day) for y in years]
    rows = parts[0] if len(parts) == 1 else ibis.union(*parts)
    one = ibis.literal(1, "int64")
    zero = ibis.literal(0, "int64")
    counted = rows.group_by("year", "as_of").aggregate(
        people=rows.count(),
        forecast_miss=ibis.ifelse(rows["forecast_miss"], one, zero).sum(),
        missed=ibis.ifelse(rows["missed"], one, zero).sum(),
        hits=ibis.ifelse(rows["forecast_miss"] & rows["missed"], one, zero).sum(),
    )
    return counted.mutate(
        precision=ibis.ifelse(
            counted["forecast_miss"] > 0,
            counted["hits"].cast("float64") / counted["forecast_miss"].cast("float64"),
            ibis.null("float64"),
        ),
        recall=ibis.ifelse(
            counted["missed"] > 0,
            counted["hits"].cast("float64") / counted["missed"].cast("float64"),
            ibis.null("float64"),
        ),
    ).select(*BACKTEST_COLUMNS)
