"""The evidence of a school's submission values: the operational database's batches behind them.

A school profile's ``batches`` and ``accepted_row_share`` of a school year
count the school's batches created in that year (not pending); its
``up_to_date_share`` is the share of the datasets it has committed whose last
commit by the year's end is within the catalog's update frequency
(:func:`~edubrain.analytics.profiles.schools.submission_stats`). Their
evidence is those batches: read through governance
(:func:`~edubrain.governance.submission_evidence.school_batches`, the record
scope of the submission history), cut at the time the profile version shown
was computed (a batch finished later is not in the value), and selected by
the same functions the job's statistics are made of
(:func:`~edubrain.analytics.profiles.schools.year_batches`,
:func:`~edubrain.analytics.profiles.schools.timeliness`), so the value can be
recomputed from the rows shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

from edubrain.analytics.profiles.schools import COMMITTED, timeliness, year_batches
from edubrain.governance.identity import Principal
from edubrain.governance.profile_access import record_profile_read
from edubrain.governance.submission_evidence import computed_at, school_batches
from edubrain.home import Home
from edubrain.profiles._common import scalar
from edubrain.profiles.models import Evidence, EvidenceRow, EvidenceSet, IndicatorInfo, Scalar

if TYPE_CHECKING:
    from edubrain.analytics.profiles.definitions import IndicatorDef

BATCHES = "submission_batches"
"""The ``dataset`` of batch evidence (the operational database's table of submission batches)."""
TIMELINESS = "submission_timeliness"
"""The ``dataset`` of timeliness evidence: one row per dataset the school committed."""
BATCH_COLUMNS: tuple[str, ...] = ("batch_id", "dataset", "status", "rows_read", "rows_accepted", "created_at")
TIMELINESS_COLUMNS: tuple[str, ...] = (
    "dataset",
    "update_frequency",
    "max_days",
    "last_batch_id",
    "last_committed",
    "as_of",
    "days_since",
    "up_to_date",
)


def _utc(value: dt.datetime | None) -> str | None:
    """A naive UTC time as ISO 8601 with its zone, to the second."""
    return None if value is None else value.replace(tzinfo=dt.UTC).isoformat(timespec="seconds")


def _batch_rows(frame: pl.DataFrame, school_code: str) -> tuple[EvidenceRow, ...]:
    """Each batch as an evidence row: its fields, and where it landed (table version, finish time if committed)."""
    out = []
    for b in frame.to_dicts():
        values: dict[str, Scalar] = {c: scalar(b[c]) for c in BATCH_COLUMNS if c != "created_at"}
        values["created_at"] = _utc(b["created_at"])
        done = b["status"] in COMMITTED
        out.append(
            EvidenceRow(values, None, b["batch_id"], school_code, _utc(b["finished_at"]) if done else None,
                        b["lake_version"] if done else None)
        )  # fmt: skip
    return tuple(out)


def _timeliness_rows(fresh: pl.DataFrame, frame: pl.DataFrame, school_code: str) -> tuple[EvidenceRow, ...]:
    """Each dataset's last commit as an evidence row, with that batch's table version and finish time."""
    landed = {b["batch_id"]: b for b in frame.select("batch_id", "finished_at", "lake_version").to_dicts()}
    out = []
    for r in fresh.to_dicts():
        batch = landed.get(r["last_batch_id"], {})
        values = {c: scalar(r[c]) for c in TIMELINESS_COLUMNS}
        out.append(
            EvidenceRow(values, None, r["last_batch_id"], school_code, _utc(batch.get("finished_at")),
                        batch.get("lake_version"))
        )  # fmt: skip
    return tuple(out)


def batch_evidence(
    home: Home,
    principal: Principal,
    definition: IndicatorDef,
    info: IndicatorInfo,
    school_code: str,
    school_year: int,
    value: Scalar,
    hidden: bool,
    profile_version: int | None,
) -> Evidence:
    """The batches behind one submission value of a school profile row the principal has just read (audited).

    Args:
        home: The installation.
        principal: Who reads (already allowed to read that school's profile row).
        definition: The indicator (``batch_evidence`` ``year`` or ``timeliness``).
        info: Its description.
        school_code: The school.
        school_year: The profile year.
        value: The profile value as the reader sees it.
        hidden: Whether the value is withheld from the reader (then so are its rows).
        profile_version: The ``school_profiles`` version read (its commit time cuts the batches).

    Raises:
        AccessDenied: the reader's record scope does not include the school's submissions.
    """
    until = (computed_at(home, "school_profiles", profile_version) or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    stamp = until.isoformat(timespec="seconds")
    frame = school_batches(home, principal, school_code, until)
    main = batches = _year_set(frame, school_code, school_year, stamp)
    if definition.batch_evidence == "timeliness":
        main = _timeliness_set(home, frame, school_code, school_year, until)
    more = (batches,) if main is not batches else ()
    if hidden:
        main = EvidenceSet("also", main.dataset, None, main.filters, main.columns, (), 0, main.columns)
        more = ()
    record_profile_read(
        home, principal, kind="evidence", subject=school_code, purpose=None, dataset=main.dataset, rows=main.total,
        masked=hidden, detail={"profile": "school", "indicator": definition.id, "school_year": school_year,
                               "store": "operational", "computed_at": stamp},
    )  # fmt: skip
    return Evidence(
        kind="school", subject=school_code, school_year=school_year, indicator=info, value=value,
        dataset=main.dataset, version=None, filters=main.filters, columns=main.columns, rows=main.rows,
        total=main.total, masked=main.masked, more=more, store="operational", computed_at=stamp,
    )  # fmt: skip


def _year_set(frame: pl.DataFrame, school_code: str, school_year: int, stamp: str) -> EvidenceSet:
    """The school's batches of the year (those ``batches`` and ``accepted_row_share`` count)."""
    year = year_batches(frame, school_year)
    filters: dict[str, Any] = {
        "org_code": school_code,
        "school_year": school_year,
        "created_at": [dt.date(school_year, 9, 1).isoformat(), dt.date(school_year + 1, 8, 31).isoformat()],
        "status_not": ["pending"],
        "finished_by": stamp,
    }
    return EvidenceSet("also", BATCHES, None, filters, BATCH_COLUMNS, _batch_rows(year, school_code), year.height)


def _timeliness_set(
    home: Home, frame: pl.DataFrame, school_code: str, school_year: int, until: dt.datetime
) -> EvidenceSet:
    """Per dataset the school committed, its last commit by the year's end and whether it is within its frequency."""
    frequencies = {d.id: d.update_frequency for d in home.catalog.datasets.values() if not d.derived}
    fresh = pl.from_arrow(timeliness(frame, frequencies, school_year, until.date()))
    assert isinstance(fresh, pl.DataFrame)
    filters: dict[str, Any] = {
        "org_code": school_code,
        "status": list(COMMITTED),
        "as_of": min(dt.date(school_year + 1, 8, 31), until.date()).isoformat(),
        "finished_by": until.isoformat(timespec="seconds"),
    }
    rows = _timeliness_rows(fresh, frame, school_code)
    return EvidenceSet("also", TIMELINESS, None, filters, TIMELINESS_COLUMNS, rows, len(rows))
