"""Retention of learning records: statements older than the city's period are deleted, with their traces.

The policy is data (``governance/data/retention.yaml``): statements are kept ``keep_years`` years after they
were stored, all of them (a statement may concern a child and the platform cannot prove it does not), and
documents (State, Activity Profile, Agent Profile) as long after their last update. A run
finds the statements stored before the cut-off, school by school, and, unless it is a dry run, deletes them and
their agent/activity references in one transaction with one ``lrs_retention`` audit event per school (row
count, cut-off; no pseudonyms). Attachment files no statement of the school still names are removed after the
commit (a statement another request stores meanwhile under the same hash can lose its data; docs/lrs.md). The
lake export (``learning_statements``) drops them at its next run, which the CLI starts right after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from typing import Any

import polars as pl
import yaml
from sqlalchemy import Text, cast, delete, func, select
from sqlalchemy.orm import Session

from edubrain.errors import ConfigurationError
from edubrain.governance.audit import record_event
from edubrain.home import Home
from edubrain.lrs import attachment_files
from edubrain.lrs.models import LrsDocument, LrsStatement, LrsStatementRef
from edubrain.store.db import session_scope


@dataclass(frozen=True)
class RetentionPolicy:
    """How long statements are kept: ``keep_years`` after ``stored``."""

    keep_years: int
    reason_zh: str
    reason_en: str

    def cutoff(self, today: dt.date) -> dt.datetime:
        """The first moment kept: midnight UTC of ``today`` less ``keep_years`` years (29 February → 28th)."""
        year = today.year - self.keep_years
        day = today.replace(year=year) if not (today.month == 2 and today.day == 29) else dt.date(year, 2, 28)
        return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def load_policy() -> RetentionPolicy:
    """The packaged policy, checked: ``keep_years`` a whole number of years from 1 to 30.

    Raises:
        ConfigError: bilingual, naming the file and the key.
    """
    path = resources.files("edubrain.governance") / "data" / "retention.yaml"
    spec: dict[str, Any] = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("lrs_statements") or {}
    years = spec.get("keep_years")
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 30:
        raise ConfigurationError(
            f"retention.yaml 的 lrs_statements.keep_years 应为 1–30 的整数，实为 {years!r}",
            f"retention.yaml: lrs_statements.keep_years must be a whole number from 1 to 30, got {years!r}",
        )
    return RetentionPolicy(years, str(spec.get("reason_zh", "")), str(spec.get("reason_en", "")))


@dataclass(frozen=True)
class RetentionRun:
    """What a run found (and, unless ``dry_run``, deleted) per school.

    ``per_school``: statements stored before ``cutoff``; ``documents``: State, Activity Profile and Agent Profile
    documents last updated before it.
    """

    cutoff: dt.datetime
    dry_run: bool
    per_school: dict[str, int]
    documents: dict[str, int]

    @property
    def total(self) -> int:
        """Statements found in all schools."""
        return sum(self.per_school.values())


def apply_retention(home: Home, *, today: dt.date | None = None, dry_run: bool = True) -> RetentionRun:
    """Find, and unless ``dry_run`` delete, the statements stored before the policy's cut-off.

    Args:
        home: The EduBrain home.
        today: The day the period is counted back from (default: today, UTC).
        dry_run: Only count (the default): nothing is deleted and nothing audited.

    Returns:
        The cut-off and the statements per school.
    """
    policy = load_policy()
    cutoff = policy.cutoff(today or dt.datetime.now(dt.UTC).date())
    expired = LrsStatement.stored < cutoff
    stale = LrsDocument.updated < cutoff
    with session_scope(home.engine) as session:
        counts = session.execute(
            select(LrsStatement.org_code, func.count()).where(expired).group_by(LrsStatement.org_code)
        ).all()
        per_school = {str(org): int(n) for org, n in sorted(counts)}
        docs = session.execute(select(LrsDocument.org_code, func.count()).where(stale).group_by(LrsDocument.org_code))
        documents = {str(org): int(n) for org, n in sorted(docs.all())}
        if dry_run or not (per_school or documents):
            return RetentionRun(cutoff, dry_run, per_school, documents)
        attached = _attachment_hashes(session, expired)
        doomed = select(LrsStatement.pk).where(expired).scalar_subquery()
        session.execute(delete(LrsStatementRef).where(LrsStatementRef.statement_pk.in_(doomed)))
        session.execute(delete(LrsStatement).where(expired))
        session.execute(delete(LrsDocument).where(stale))
        for org in sorted(set(per_school) | set(documents)):
            record_event(
                session,
                actor="system",
                action="lrs_retention",
                org_code=org,
                dataset="xapi_statements",
                row_count=per_school.get(org, 0),
                minors=True,
                detail={
                    "cutoff": cutoff.isoformat(),
                    "keep_years": policy.keep_years,
                    "documents": documents.get(org, 0),
                },
            )
        orphans = [(org, sha2) for org, sha2 in attached if not _still_named(session, org, sha2)]
    attachment_files.discard(attachment_files.path_of(home.settings.home, org, sha2) for org, sha2 in orphans)
    return RetentionRun(cutoff, False, per_school, documents)


_SHA2 = r'"sha2"\s*:\s*"([0-9a-fA-F]{56,128})"'


def _attachment_hashes(session: Session, condition: Any) -> set[tuple[str, str]]:
    """(school, SHA-2) of the attachments the statements matching ``condition`` name (pulled out in one pass)."""
    text = cast(LrsStatement.statement, Text)
    rows = session.execute(select(LrsStatement.org_code, text).where(condition, text.like('%"sha2"%'))).all()
    if not rows:
        return set()
    frame = pl.DataFrame(rows, schema=["org", "doc"], orient="row")
    found = frame.select("org", pl.col("doc").str.extract_all(_SHA2).alias("hit")).explode("hit").drop_nulls()
    hashes = found.with_columns(pl.col("hit").str.extract(_SHA2).str.to_lowercase()).unique()
    return {(str(org), str(sha2)) for org, sha2 in hashes.iter_rows()}


def _still_named(session: Session, org: str, sha2: str) -> bool:
    """Whether a statement of ``org`` left after the deletion still names the attachment ``sha2``."""
    text = cast(LrsStatement.statement, Text)
    named = select(LrsStatement.pk).where(LrsStatement.org_code == org, func.lower(text).like(f'%"{sha2}"%'))
    return session.execute(named.limit(1)).first() is not None
