"""The evidence of one profile value: the source rows at the input version the profile was computed from.

For an indicator (:class:`~edubrain.analytics.profiles.definitions.IndicatorDef`)
the evidence is the rows of ``evidence.dataset`` whose ``subject_field`` is
the subject (every number of a student's merged group; or the profile's
``subject_column`` value, such as a school's district) and whose
``year_field`` is the year, narrowed by the definition's fixed ``where``
filters, read at the version recorded for that dataset in the lineage of the
profile version shown. A composite value lists its further evidence
(``also``); a ``via`` joins the evidence rows to a second dataset (the
classes a teacher taught → their exam results). Each row comes with the
batch that wrote it: its organisation, table version and commit time (for
readers who see that organisation's records). A school's submission values
rest on no lake rows: their evidence is the submission batches behind them
(:mod:`edubrain.profiles.batch_evidence`, ``store = "operational"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from edubrain.governance.audit_unit import one_audit_commit
from edubrain.governance.identity import Principal
from edubrain.governance.profile_access import record_profile_read
from edubrain.governance.provenance import batch_provenance, input_versions
from edubrain.governance.readpath import ROW_KEY, read_dataset
from edubrain.governance.scope import Scope
from edubrain.home import Home
from edubrain.profiles._common import (
    PROFILE_DATASETS,
    ProfileError,
    frame_of,
    hidden_fields,
    minimise,
    no_such,
    resolve_student,
    scalar,
    subject_read,
)
from edubrain.profiles._common import indicator as find_indicator
from edubrain.profiles.batch_evidence import batch_evidence
from edubrain.profiles.models import Evidence, EvidenceRow, EvidenceSet, IndicatorInfo, ProfileKind

if TYPE_CHECKING:
    from edubrain.analytics.profiles.definitions import Evidence as EvidenceDef
    from edubrain.analytics.profiles.definitions import IndicatorDef


@one_audit_commit
def evidence(
    home: Home,
    principal: Principal,
    kind: ProfileKind,
    subject: str,
    indicator: str,
    school_year: int,
    *,
    purpose: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Evidence:
    """The rows the value of ``indicator`` of ``subject`` in ``school_year`` was computed from (audited).

    Args:
        home: The installation.
        principal: Who reads.
        kind: ``student`` (subject: the pseudonym), ``teacher`` (teacher id) or ``school`` (school code).
        subject: Who the profile is about.
        indicator: The indicator id (``IndicatorValue.id``).
        school_year: The profile year.
        purpose: Declared purpose (needed by staff for students, as for
            :func:`~edubrain.profiles.student_profile`).
        limit: At most this many rows of each set (None: all). ``total`` still counts every row; a ``via`` set
            joins the main rows read (this page of them).
        offset: Main rows to skip (a later page of the main set; the other sets start at their first row).

    Raises:
        AccessDenied: the subject, or its profile in that year, is unknown or outside the scope (same
            message); or the reader may not see the profile or the evidence dataset.
        ProfileError: an unknown indicator, or one of another kind of profile (``not_found``).
    """
    if kind not in PROFILE_DATASETS:
        raise ProfileError(f"未知的画像类别 {kind}", f"Unknown kind of profile {kind}", kind=kind)
    definition = find_indicator(kind, indicator)
    if not definition.has_evidence:
        raise ProfileError(
            f"指标 {definition.title_zh} 没有证据行",
            f"Indicator {definition.title_en} has no evidence rows",
            indicator=definition.id,
        )
    reader = principal
    own = Scope.of(home, principal).own_records_only()
    if kind == "student":
        found = resolve_student(home, principal, subject, purpose)
        reader, ids, subject = found.reader, list(found.ids), found.pseudonym
        key_filter: dict[str, Any] = {"student_pseudonym": list(found.pseudonyms)}
    else:
        ids = [subject]
        key_filter = {"teacher_id": subject} if kind == "teacher" else {"school_code": subject}
    profile_dataset = PROFILE_DATASETS[kind]
    profile = subject_read(home, reader, profile_dataset, {**key_filter, "school_year": school_year}, purpose=purpose)
    if profile.table.num_rows == 0:
        raise no_such(kind, subject)
    hidden = hidden_fields(profile)
    row = frame_of(profile).to_dicts()[0]
    value = None if definition.column in hidden else scalar(row.get(definition.column))
    info = _info(definition)
    if definition.evidence is None:  # the submission batches of the operational database (a school's)
        withheld = definition.column in hidden
        return batch_evidence(home, reader, definition, info, subject, school_year, value, withheld, profile.version)
    inputs = input_versions(home, profile_dataset, profile.version)

    def subject_ids(ev: EvidenceDef) -> list[str]:
        if ev.subject_column is None:
            return ids
        found_value = row.get(ev.subject_column)
        return [] if found_value is None else [str(found_value)]

    main_ev = definition.evidence
    main, main_frame = _read_set(
        home, reader, "also", main_ev, subject_ids(main_ev), school_year, inputs, purpose, len(ids), own,
        limit=limit, offset=offset,
    )  # fmt: skip
    more: list[EvidenceSet] = []
    for ev in definition.also:
        also, _ = _read_set(
            home, reader, "also", ev, subject_ids(ev), school_year, inputs, purpose, len(ids), own, limit=limit
        )
        more.append(also)
    if main_ev.via is not None:
        via = main_ev.via
        more.insert(0, _read_via(home, reader, via.dataset, via.fields, main_frame, inputs, purpose, own, limit))
    record_profile_read(
        home, reader, kind="evidence", subject=subject, purpose=purpose, dataset=main.dataset, rows=len(main.rows),
        masked=bool(main.masked), detail={"profile": kind, "indicator": definition.id, "school_year": school_year,
                                          "version": main.version, "total": main.total, "offset": offset},
    )  # fmt: skip
    return Evidence(
        kind=kind,
        subject=subject,
        school_year=school_year,
        indicator=info,
        value=value,
        dataset=main.dataset,
        version=main.version,
        filters=main.filters,
        columns=main.columns,
        rows=main.rows,
        total=main.total,
        masked=main.masked,
        purpose=purpose,
        more=tuple(more),
    )


def _info(definition: IndicatorDef) -> IndicatorInfo:
    """What the indicator is and how it is computed."""
    return IndicatorInfo(
        id=definition.id,
        profile=definition.profile,
        domain=str(definition.domain),
        column=definition.column,
        title_zh=definition.title_zh,
        title_en=definition.title_en,
        unit=definition.unit or "",
        method_zh=definition.method_zh,
        method_en=definition.method_en,
    )


def _read_set(
    home: Home,
    reader: Principal,
    relation: str,
    ev: EvidenceDef,
    ids: list[str],
    school_year: int,
    inputs: dict[str, int | None],
    purpose: str | None,
    subjects: int,
    own: bool,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[EvidenceSet, pl.DataFrame]:
    """The rows of one evidence declaration at its input version (no rows when the input had none then).

    With ``limit``, one page of them (``offset`` rows skipped, in key order); the set's ``total`` counts all.
    """
    filters: dict[str, Any] = {ev.subject_field: ids}
    if ev.year_field is not None:
        filters[ev.year_field] = school_year
    for name, wanted in ev.filters.items():
        filters[name] = list(wanted)
    shown = {k: (subjects if k == ev.subject_field and ev.subject_column is None else v) for k, v in filters.items()}
    columns = tuple(home.catalog.dataset(ev.dataset).field_names)
    if (ev.dataset in inputs and inputs[ev.dataset] is None) or not ids:
        empty = EvidenceSet("also" if relation == "also" else "via", ev.dataset, None, shown, columns, (), 0)
        return empty, pl.DataFrame()
    read = read_dataset(
        home, reader, ev.dataset, filters=filters, version=inputs.get(ev.dataset), purpose=purpose, row_key=True,
        limit=limit, offset=offset,
    )  # fmt: skip
    frame = frame_of(read)
    shown_frame, minimised = minimise(home, ev.dataset, frame, own)
    rows = _rows(home, reader, ev.dataset, shown_frame)
    masked = tuple(sorted(hidden_fields(read) | set(minimised)))
    found = EvidenceSet("also", ev.dataset, read.version, shown, columns, rows, read.total, masked)
    return found, frame


def _read_via(
    home: Home,
    reader: Principal,
    dataset_id: str,
    fields: tuple[str, ...],
    evidence_rows: pl.DataFrame,
    inputs: dict[str, int | None],
    purpose: str | None,
    own: bool,
    limit: int | None = None,
) -> EvidenceSet:
    """The rows of ``dataset_id`` matching the evidence rows on all of ``fields`` (a semi-join; ``limit`` first)."""
    columns = tuple(home.catalog.dataset(dataset_id).field_names)
    if evidence_rows.is_empty() or (dataset_id in inputs and inputs[dataset_id] is None):
        return EvidenceSet("via", dataset_id, None, {}, columns, (), 0)
    keys = evidence_rows.select([pl.col(f).cast(pl.String) for f in fields]).unique()
    filters: dict[str, Any] = {f: sorted(keys.get_column(f).drop_nulls().to_list()) for f in fields}
    read = read_dataset(
        home, reader, dataset_id, filters=filters, version=inputs.get(dataset_id), purpose=purpose, row_key=True
    )
    frame = frame_of(read)
    if frame.height:
        joined = frame.with_columns([pl.col(f).cast(pl.String).alias(f"__k_{f}") for f in fields])
        keys = keys.rename({f: f"__k_{f}" for f in fields})
        frame = joined.join(keys, on=[f"__k_{f}" for f in fields], how="semi").drop([f"__k_{f}" for f in fields])
    total = frame.height
    frame, minimised = minimise(home, dataset_id, frame if limit is None else frame.head(limit), own)
    rows = _rows(home, reader, dataset_id, frame)
    shown = {f: len(v) for f, v in filters.items()}
    masked = tuple(sorted(hidden_fields(read) | set(minimised)))
    return EvidenceSet("via", dataset_id, read.version, shown, columns, rows, total, masked)


def _rows(home: Home, reader: Principal, dataset_id: str, frame: pl.DataFrame) -> tuple[EvidenceRow, ...]:
    """The evidence rows with their batch's organisation, version and commit time (where the reader sees them)."""
    if frame.is_empty():
        return ()
    names = home.catalog.dataset(dataset_id).field_names
    batches = [str(b) for b in frame.get_column("_batch_id").to_list()] if "_batch_id" in frame.columns else []
    known = batch_provenance(home, Scope.of(home, reader), dataset_id, batches)
    out = []
    for row in frame.to_dicts():
        batch = row.get("_batch_id")
        where = known.get(str(batch)) if batch is not None else None
        out.append(
            EvidenceRow(
                values={n: scalar(row.get(n)) for n in names if n in row},
                row_key=row.get(ROW_KEY),
                batch_id=None if batch is None else str(batch),
                org=row.get("_org"),
                committed_at=None if where is None else where.committed_at,
                version=None if where is None else where.version,
            )
        )
    return tuple(out)
