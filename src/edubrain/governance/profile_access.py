"""The governance side of profiles: the ``profile_read`` audit event and score distributions with small cells hidden.

:mod:`edubrain.profiles` assembles profiles from governed reads
(:func:`~edubrain.governance.readpath.read_dataset`); what it needs beyond
rows lives here, so it never opens the store:

- :func:`student_number_of` finds the student number a pseudonym stands for
  among the roster numbers inside the reader's scope (the pseudonyms of a
  scope's numbers are computed once per roster version and kept), so a
  pupil's page reads only the pupil's roster rows, not the school's;
- :func:`record_profile_read` writes one ``profile_read`` event per profile,
  evidence or PDF read: who, the kind of profile, the subject (a pseudonym,
  teacher id or school code), the purpose, and whether values were masked;
- :func:`score_distributions` summarises numeric fields (mean and quartiles)
  per group inside the principal's row scope, returning no value of a person:
  a group of 1 … k-1 rows (k = ``EDUBRAIN_SMALL_CELL_MIN``) has every
  statistic withheld, so a district sees how its schools' pupils score
  without seeing any pupil.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.governance.aggregates import check_countable
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import pseudonym_key, pseudonymise
from edubrain.governance.readpath import (
    AccessDenied,
    connection,
    drop_connection,
    filter_sql,
    grant_rank,
    register_view,
    scope_predicates,
)
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.store.snapshots import snapshots

STATISTICS = ("n", "mean", "p25", "median", "p75")
"""Statistics of each value field, as columns ``<field>__<statistic>``."""
ROWS = "rows"
SUPPRESSED = "suppressed"
ROSTER = "students"


def student_number_of(home: Home, principal: Principal, pseudonym: str, links: pl.DataFrame) -> str | None:
    """The roster number inside ``principal``'s row scope whose pseudonym is ``pseudonym``, or None.

    A number matches by its own pseudonym or, when it was merged away (``links``: ``student_id`` →
    ``canonical_id``, :func:`~edubrain.governance.identity_links.active_links`), by its canonical number's;
    an own match wins, then the lowest number. The roster's distinct numbers in the scope and their
    pseudonyms are computed in one vectorised pass per roster version and scope and kept (they leave this
    function only as the one number matched, which the caller then reads through the read path, audited).
    """
    dataset = home.catalog.dataset(ROSTER)
    predicates = scope_predicates(home, principal, dataset)
    snap = snapshots(home.lake).current(dataset.id)
    key = pseudonym_key(home.settings)
    sql = f"select distinct cast(student_id as varchar) as student_id from roster_ids where ({' or '.join(predicates)})"

    def compute() -> pl.DataFrame:
        con = connection()
        try:
            register_view(con, "roster_ids", dataset, snap.files)
            frame = pl.from_arrow(con.sql(sql).to_arrow_table())
        except Exception:
            drop_connection()
            raise
        assert isinstance(frame, pl.DataFrame)
        frame = frame.filter(pl.col("student_id").is_not_null())
        return frame.with_columns(own_p=pseudonymise(frame.get_column("student_id"), "student", key)).sort("student_id")

    ids = snapshots(home.lake).memo((dataset.id,), ("pseudonyms", snap.version, sql, key.key_id), compute)
    own = ids.filter(pl.col("own_p") == pseudonym)
    if own.height:
        return str(own.get_column("student_id")[0])
    linked = ids.select("student_id").join(links.select("student_id", "canonical_id"), on="student_id", how="inner")
    if linked.is_empty():
        return None
    linked = linked.with_columns(canonical_p=pseudonymise(linked.get_column("canonical_id"), "student", key))
    via = linked.filter(pl.col("canonical_p") == pseudonym).sort("student_id")
    return str(via.get_column("student_id")[0]) if via.height else None


def record_profile_read(
    home: Home,
    principal: Principal,
    *,
    kind: str,
    subject: str,
    purpose: str | None,
    dataset: str | None = None,
    rows: int | None = None,
    fields: Sequence[str] = (),
    masked: bool = False,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append a ``profile_read`` event (committed at once, or with the others of an enclosing audit unit).

    Args:
        home: The installation.
        principal: Who read.
        kind: ``student``, ``teacher``, ``school``, ``evidence``, ``record_pdf``, ``choices`` or ``summary``.
        subject: The pseudonym, teacher id, school code or district the read was about.
        purpose: The declared purpose; None is recorded as ``self_access`` for students and parents and as
            ``routine_duty`` for others.
        dataset: The dataset read (the profile's or the evidence's).
        rows: Rows shown.
        fields: Fields shown unmasked, if any.
        masked: Whether some values were masked or withheld from the reader.
        detail: More context (indicator, school year …).
    """
    from edubrain.governance.audit_unit import append_event

    if purpose is None:
        purpose = "self_access" if Scope.of(home, principal).own_records_only() else "routine_duty"
    grant = principal.grants[0] if principal.grants else None
    append_event(
        home.engine,
        actor=principal.id,
        actor_role=",".join(sorted({g.role for g in principal.grants})) or None,
        org_code=None if grant is None else grant.org_code,
        action="profile_read",
        dataset=dataset,
        fields=list(fields),
        row_count=rows,
        purpose=purpose,
        minors=kind in ("student", "evidence", "record_pdf", "choices"),
        detail={"kind": kind, "subject": subject, "masked": masked, **(detail or {})},
    )


@dataclass(frozen=True)
class Distributions:
    """Per-group statistics of numeric fields (see :func:`score_distributions`).

    Attributes:
        table: The ``by`` columns, ``rows`` (None when suppressed), ``suppressed`` (``small_cell`` or None) and
            ``<field>__n``, ``__mean``, ``__p25``, ``__median``, ``__p75`` of each value field.
        version: The table version summarised.
        min_count: The small-cell minimum applied.
    """

    table: pl.DataFrame
    version: int | None
    min_count: int


def score_distributions(
    home: Home,
    principal: Principal,
    dataset_id: str,
    values: Sequence[str],
    by: Sequence[str],
    filters: dict[str, Any] | None = None,
    *,
    min_count: int | None = None,
) -> Distributions:
    """Mean and quartiles of numeric ``values`` per group of ``by``, over the rows in the principal's scope.

    The value fields may be sensitive (they leave only as statistics of at least ``min_count`` rows); the
    ``by`` and filter fields must be countable (:func:`~edubrain.governance.aggregates.check_countable`).

    Raises:
        AccessDenied: the principal may not read the dataset; a field is unknown or not numeric; a group or
            filter field identifies a person, is sensitive or is above the principal's clearance.
    """
    dataset = home.catalog.dataset(dataset_id)
    predicates = scope_predicates(home, principal, dataset)
    clearance = min(grant_rank(home, g.role, None) for g in principal.grants)
    check_countable(home, dataset, [*by, *(filters or {})], clearance)
    for name in values:
        if name not in dataset.field_names or dataset.field(name).type not in ("integer", "number"):
            raise AccessDenied(
                f"字段 {dataset_id}.{name} 不存在或不是数值，不能汇总",
                f"Field {dataset_id}.{name} is unknown or not numeric: it cannot be summarised",
                field=name,
            )
    k = home.settings.small_cell_min if min_count is None else min_count
    snap = snapshots(home.lake).current(dataset.id)
    where, params = filter_sql(dataset, filters or {})
    groups = ", ".join(f'"{b}"' for b in by)
    stats = ", ".join(
        f'count("{v}")::bigint as "{v}__n", avg("{v}")::double as "{v}__mean", '
        f'quantile_cont("{v}", 0.25)::double as "{v}__p25", median("{v}")::double as "{v}__median", '
        f'quantile_cont("{v}", 0.75)::double as "{v}__p75"'
        for v in values
    )
    sql = (
        f"select {groups + ', ' if by else ''}count(*)::bigint as {ROWS}{', ' + stats if stats else ''} "
        f"from summarised where ({' or '.join(predicates)}) {where}"
        + (f" group by {groups} order by {groups}" if by else "")
    )

    def compute() -> pl.DataFrame:
        con = connection()
        try:
            register_view(con, "summarised", dataset, snap.files)
            frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
        except Exception:
            drop_connection()
            raise
        assert isinstance(frame, pl.DataFrame)
        small = (pl.col(ROWS) > 0) & (pl.col(ROWS) < k) if k > 1 else pl.lit(False)
        hidden = [c for c in frame.columns if c == ROWS or "__" in c]
        frame = frame.with_columns(pl.when(small).then(pl.lit("small_cell")).otherwise(None).alias(SUPPRESSED))
        return frame.with_columns([pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in hidden])

    # statistics only (small cells suppressed), the same for every reader of the same scope: kept per table version
    key = ("distributions", snap.version, sql, tuple(map(str, params)), k)
    return Distributions(snapshots(home.lake).memo((dataset.id,), key, compute), snap.version, k)
