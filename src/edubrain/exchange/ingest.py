"""Submitting a file: read, validate, check scope, and commit one batch all-or-nothing.

The order of writes makes a crash at any point harmless: the batch is
recorded as ``pending`` in the operational database, the lake commit makes
the new version visible atomically (its log entry names the batch), then
the key index and the batch record are updated. A later run finds a
``pending`` batch and settles it from the lake's log: committed if the log
names it, failed if not.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl
import pyarrow as pa
from sqlalchemy import select

from edubrain.catalog.models import Dataset
from edubrain.exchange import derive, roster_time
from edubrain.exchange.limits import ReadLimits
from edubrain.exchange.readers import ROW_COLUMN, SourceTable, read_source
from edubrain.exchange.report import SubmissionReport, group_problems
from edubrain.exchange.validate import Validation, validate
from edubrain.governance.audit import record_event
from edubrain.governance.pii_detect import detect_pii, pii_problems
from edubrain.governance.reports import STORED_CLEARANCE, mask_report
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.keyindex import KeyIndex, index_columns, row_hashes
from edubrain.store.lake import lake_schema
from edubrain.store.models import SubmissionBatch, utcnow
from edubrain.store.orgs import OrgRef, check_may_submit, resolve_organisation, scope_values, sync_schools

Mode = Literal["upsert", "replace-scope", "transfer"]
FAULT_ENV = "EDUBRAIN_FAULT_INJECT"
"""Names a point at which the process kills itself (SIGKILL): used by the crash tests only."""


@dataclass(frozen=True)
class IngestResult:
    """The report of a submission, the full table of its problems, and its warnings (which do not block it)."""

    report: SubmissionReport
    problems: pl.DataFrame
    warnings: pl.DataFrame


def _fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def ingest_file(
    home: Home,
    path: Path,
    dataset_id: str,
    org_code: str,
    *,
    mode: Mode = "upsert",
    accept_valid: bool = False,
    sheet: str | None = None,
) -> IngestResult:
    """Submit ``path`` to ``dataset_id`` as organisation ``org_code``.

    Args:
        home: The EduBrain installation.
        path: A CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), XLSX or JSON Lines file.
        dataset_id: The catalog dataset.
        org_code: The submitting organisation (city, district or school code).
        mode: ``upsert`` adds and replaces rows by primary key;
            ``replace-scope`` also retires the organisation's stored rows
            that the file no longer carries.
        accept_valid: Commit the valid rows even if others are rejected.
        sheet: For XLSX, the sheet to read.

    Raises:
        InputFileError, UnknownDatasetError, UnknownOrganisationError, ScopeError:
            nothing was read or stored.
    """
    home.catalog.dataset(dataset_id)
    home.ensure_initialised()
    source = read_source(path, sheet=sheet, limits=ReadLimits.of(home.settings))
    with Exchange(home) as exchange:
        return exchange.submit(source, dataset_id, org_code, mode=mode, accept_valid=accept_valid)


class Exchange:
    """A writing session: holds the lake's writer lock and the key index for many submissions.

    One file is one batch either way; a session saves reopening the lock,
    the index and the tables for each file, which matters when a loader
    submits thousands of school files.

    Example:
        >>> with Exchange(home) as exchange:  # doctest: +SKIP
        ...     exchange.submit(read_source(path), "students", "1101080001")
    """

    def __init__(self, home: Home) -> None:
        self.home = home
        self._stack = ExitStack()
        self.index: KeyIndex | None = None

    def __enter__(self) -> Exchange:
        self.home.ensure_initialised()
        self._stack.enter_context(self.home.write_lock())
        self.index = self._stack.enter_context(self.home.key_index())
        settle_pending(self.home, self.index)
        return self

    def __exit__(self, *exc: object) -> None:
        self.index = None
        self._stack.close()
        if exc[0] is None:
            derive.after_session(self.home)  # recompute derived datasets made stale in this session

    def submit(
        self,
        source: SourceTable,
        dataset_id: str,
        org_code: str,
        *,
        mode: Mode = "upsert",
        accept_valid: bool = False,
        actor: str | None = None,
        transfer: dict[str, Any] | None = None,
    ) -> IngestResult:
        """Validate ``source`` and commit it as one batch (see :func:`ingest_file`).

        ``actor`` is the principal that submits (recorded with the batch and in
        the audit trail); None for the organisation itself (the CLI's operator,
        a loader). ``transfer`` mode is an upsert made by
        :func:`edubrain.governance.transfers.transfer_rows` only, which
        describes the move in ``transfer`` (kept with the report, audited as
        a ``transfer`` event).
        """
        if self.index is None:
            raise RuntimeError("Exchange.submit needs an open session (use it as a context manager)")
        home, index = self.home, self.index
        dataset = home.catalog.dataset(dataset_id)
        with session_scope(home.engine) as session:
            org = resolve_organisation(session, index, org_code)
        check_may_submit(org, dataset)
        allowed = scope_values(org, dataset, index)
        checked = validate(
            source,
            dataset,
            home.catalog,
            keys=index.unmatched,
            allowed_orgs=allowed,
            owned_elsewhere=None if allowed is None else lambda keys: index.owned_elsewhere(dataset, keys, allowed),
            org_label=f"{org.name_zh}（{org.code}）",
        )
        if mode == "replace-scope":  # a roster replacement never goes back in time
            checked = roster_time.refuse_older_roster(home.lake, dataset, checked, allowed)
        report = _new_report(source, dataset, org, checked, mode)
        report.submitted_by, report.transfer = actor, transfer
        warnings = _pii_warnings(source, dataset, checked)
        report.warning_count, report.warnings = warnings.height, group_problems(warnings)
        if checked.problems.height and (not accept_valid or checked.file_level_failed):
            report.rows_accepted, report.rows_rejected = 0, report.rows_read
            report.message_zh = f"校验未通过，共 {checked.problems.height} 个问题，未存储任何数据"
            report.message_en = f"Rejected: {checked.problems.height} problems; nothing was stored"
            _record(home, report, status="rejected")
            return IngestResult(report, checked.problems, warnings)
        _store(home, index, dataset, checked.accepted(), report, allowed)
        return IngestResult(report, checked.problems, warnings)


def _pii_warnings(source: SourceTable, dataset: Dataset, checked: Validation) -> pl.DataFrame:
    """Columns that look like personal data the catalog does not declare (GB 11643 ids, phones, names, addresses)."""
    columns = checked.mapping.columns
    table = source.frame.select([pl.col(f"c{pos}").alias(name) for name, (pos, _) in columns.items()])
    return pii_problems(detect_pii(table, dataset, {name: header for name, (_, header) in columns.items()}))


def _new_report(source: SourceTable, dataset: Dataset, org: OrgRef, checked: Validation, mode: str) -> SubmissionReport:
    accepted = checked.accepted().height
    return SubmissionReport(
        batch_id=uuid.uuid4().hex,
        dataset=dataset.id,
        org=org.code,
        file=source.name,
        file_format=source.file_format,
        encoding=source.encoding,
        sha256=source.sha256,
        mode=mode,
        status="rejected",
        rows_read=checked.rows.height,
        rows_accepted=accepted,
        rows_rejected=checked.rows.height - accepted,
        problem_count=checked.problems.height,
        groups=group_problems(checked.problems),
    )


def _store(
    home: Home,
    index: KeyIndex,
    dataset: Dataset,
    accepted: pl.DataFrame,
    report: SubmissionReport,
    allowed: list[str] | None,
) -> None:
    """Diff the accepted rows against the stored ones and commit the difference as one version."""
    rows = _lake_rows(accepted, dataset, report.batch_id, report.org, report.sha256)
    hashes = row_hashes(rows, dataset.field_names)
    keyed = rows.select(dataset.primary_key).append_column("_row_hash", hashes)
    status, retired = index.diff(dataset, keyed, allowed, retire=report.mode == "replace-scope")
    tally = {str(name): int(n) for name, n in pl.Series(status).value_counts().rows()}
    report.rows_added, report.rows_changed = tally.get("new", 0), tally.get("changed", 0)
    report.rows_retired = retired.num_rows
    if tally.get("same", 0):
        keep = pa.compute.not_equal(status, "same")
        rows, hashes = rows.filter(keep), hashes.filter(keep)
    if rows.num_rows == 0 and retired.num_rows == 0:
        report.status, report.version = "unchanged", index.version(dataset)
        report.message_zh = "内容与已存储的数据相同，未产生新版本"
        report.message_en = "Same content as stored: no new version"
        _record(home, report, status="unchanged")
        return
    _record(home, report, status="pending")
    _fault_point("before_lake_commit")
    version = home.lake.commit(
        dataset, rows, retired, _commit_metadata(report), replaces_stored=report.rows_changed > 0
    )
    _fault_point("after_lake_commit")
    indexed = rows.select(index_columns(dataset, home.catalog)).append_column("_row_hash", hashes)
    index.apply(dataset, indexed, retired, version, replaces=report.rows_changed > 0)
    if dataset.id == "schools":  # a registered school is an organisation at once, under its current district
        with session_scope(home.engine) as session:
            sync_schools(session, index)
    report.status, report.version = "committed", version
    report.message_zh = f"已提交为版本 {version}：新增 {report.rows_added} 行，更新 {report.rows_changed} 行，退出 {report.rows_retired} 行"
    report.message_en = (
        f"Committed as version {version}: {report.rows_added} added, {report.rows_changed} changed, "
        f"{report.rows_retired} retired"
    )
    _record(home, report, status="committed")


def _lake_rows(accepted: pl.DataFrame, dataset: Dataset, batch_id: str, org: str, sha: str) -> pa.Table:
    """Accepted rows in the lake schema, with their lineage columns."""
    table = accepted.drop(ROW_COLUMN).to_arrow()
    table = table.cast(pa.schema([lake_schema(dataset).field(n) for n in dataset.field_names]))
    n = table.num_rows
    now = dt.datetime.now(dt.UTC)
    return (
        table.append_column("_batch_id", pa.repeat(pa.scalar(batch_id, pa.string()), n))
        .append_column("_org", pa.repeat(pa.scalar(org, pa.string()), n))
        .append_column("_ingested_at", pa.repeat(pa.scalar(now, pa.timestamp("us", tz="UTC")), n))
        .append_column("_source_sha256", pa.repeat(pa.scalar(sha, pa.string()), n))
    )


def _commit_metadata(report: SubmissionReport) -> dict[str, str]:
    return {
        "edubrain.batch_id": report.batch_id,
        "edubrain.org": report.org,
        "edubrain.mode": report.mode,
        "edubrain.source_sha256": report.sha256,
        "edubrain.file": report.file,
        "edubrain.rows_added": str(report.rows_added),
        "edubrain.rows_changed": str(report.rows_changed),
        "edubrain.rows_retired": str(report.rows_retired),
    }


def _record(home: Home, report: SubmissionReport, *, status: str) -> None:
    """Write the batch's row in the operational database (insert or update); a finished batch is audited."""
    with session_scope(home.engine) as session:
        if status != "pending":
            record_event(
                session,
                actor=report.submitted_by or f"org:{report.org}",
                action="transfer" if report.mode == "transfer" else "submission",
                org_code=report.org,
                dataset=report.dataset,
                row_count=report.rows_accepted,
                detail={
                    "batch": report.batch_id,
                    "status": status,
                    "version": report.version,
                    "file": report.file,
                    **({"transfer": report.transfer} if report.transfer else {}),
                },  # fmt: skip
            )
        batch = session.get(SubmissionBatch, report.batch_id)
        if batch is None:
            batch = SubmissionBatch(
                id=report.batch_id,
                dataset=report.dataset,
                org_code=report.org,
                mode=report.mode,
                source_name=report.file,
                source_sha256=report.sha256,
                created_at=utcnow(),
            )
            session.add(batch)
        batch.status = status
        batch.lake_version = report.version
        batch.rows_read, batch.rows_accepted, batch.rows_rejected = (
            report.rows_read,
            report.rows_accepted,
            report.rows_rejected,
        )
        batch.rows_added, batch.rows_changed, batch.rows_retired = (
            report.rows_added,
            report.rows_changed,
            report.rows_retired,
        )
        batch.report = mask_report(home, report, STORED_CLEARANCE).stored_form()  # no raw L4 value is kept
        batch.message = report.message_zh
        if status != "pending":
            batch.finished_at = utcnow()


def settle_pending(home: Home, index: KeyIndex) -> int:
    """Settle batches left ``pending`` by a process that stopped; returns how many were settled.

    A pending batch whose id is in its table's log was committed (its version
    is taken from the log); any other was not, and is marked ``failed``.
    """
    with session_scope(home.engine) as session:
        pending = list(session.scalars(select(SubmissionBatch).where(SubmissionBatch.status == "pending")))
        for batch in pending:
            found = next((h for h in home.lake.history(batch.dataset) if h.get("edubrain.batch_id") == batch.id), None)
            if found is not None:
                batch.status, batch.lake_version = "committed", int(found["version"])
                batch.message = f"进程中断后确认已提交（版本 {found['version']}）"
            else:
                batch.status, batch.message = (
                    "failed",
                    "进程在写入湖表前中断，未存储任何数据 / stopped before the lake commit",
                )
            batch.finished_at = utcnow()
        datasets = {b.dataset for b in pending}
    for dataset_id in datasets:
        index.sync(home.catalog.dataset(dataset_id))
    if "schools" in datasets:
        with session_scope(home.engine) as session:
            sync_schools(session, index)
    return len(pending)
