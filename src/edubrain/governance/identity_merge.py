"""Identity resolution workflow (学籍身份合并): find duplicate student records, review, merge, reject, undo.

The same child can stand in the rosters twice: re-registered at a new school under a new 学籍号 while the old
record stays behind, with a typo in the name, a wrong birth-date digit, or without the 身份证号 on one record.

- :func:`find_candidates` reads the students in the principal's scope through the one read path
  (:func:`edubrain.governance.readpath.read_dataset`, with a purpose: the read is audited), scores pairs with
  :func:`edubrain.analytics.linkage.score_pairs` (rules plus Splink) and stores the pairs at or above the
  threshold as open candidates with their probability.
- :func:`list_candidates` shows the candidates whose two records both lie inside the principal's scope, side by
  side, masked to the principal's clearance (unmasked only for a declared purpose, audited).
- :func:`merge` (choose the canonical record), :func:`reject` and :func:`undo` decide. The principal needs a
  submitting grant whose scope holds BOTH records' schools (a school within itself, a district bureau within its
  district, the city across districts). A candidate outside that scope reads exactly like one that does not
  exist: no existence oracle. Each decision is an audit event (``identity_merge``, ``identity_reject``,
  ``identity_undo``) written in the same transaction as the decision.
- A merge or undo changes :func:`edubrain.governance.identity_links.links_revision`; the derived profiles record
  it in their lineage and are recomputed by :func:`edubrain.exchange.derive.after_session`, called here after the
  decision commits.

Candidates are addressed by an opaque id (32 hex characters), never by 学籍号 (paths are logged).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from edubrain.analytics.linkage import COLUMNS, MATCH_THRESHOLD, LinkageSettings, score_pairs
from edubrain.errors import EduBrainError
from edubrain.exchange import derive
from edubrain.governance import policy
from edubrain.governance.audit import record_event
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.identity_links import active_edges, resolve_roots
from edubrain.governance.models import IdentityCandidate, IdentityMerge
from edubrain.governance.readpath import ROW_KEY, read_dataset, row_keys
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.store.db import session_scope

DATASET = "students"
DEFAULT_PURPOSE = "enrollment_management"
"""The purpose of reading the rosters unmasked to find duplicates (学籍管理)."""
SHOWN_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "school_code",
    "class_id",
    "grade",
    "hukou_district_code",
    "address",
    "guardian_phone",
)
"""Fields shown side by side for review (masked to the reader's clearance)."""
MAX_PAGE = 200
MAX_OFFSET = 1_000_000
"""Largest page offset (candidates are a few per thousand records)."""


class IdentityError(EduBrainError):
    """An identity decision that cannot be made as asked (nothing was changed)."""

    code = "identity_refused"
    exit_code = 1


def _not_found(candidate_id: str) -> AccessDenied:
    """One answer for "no such candidate" and "not in your scope": no existence oracle."""
    return AccessDenied(
        "疑似重复记录不存在，或不在您可办理的范围内（合并、驳回、撤销须由同时管辖两条记录所在学校的账户办理）",
        "No such duplicate candidate, or it is outside what you may decide (merging, rejecting and undoing need "
        "an account whose submitting scope holds both records' schools)",
        candidate=candidate_id[:40],
    )


@dataclass(frozen=True)
class FindResult:
    """What :func:`find_candidates` did: records read, pairs scored, candidates new and updated."""

    records: int
    pairs: int
    new: int
    updated: int
    threshold: float


@dataclass(frozen=True)
class CandidateView:
    """One candidate as a reviewer sees it: the pair, its score and decision, the two records (masked)."""

    id: str
    probability: float
    match_weight: float
    rule: str
    status: str
    found_at: dt.datetime
    decided_at: dt.datetime | None
    left: dict[str, Any] = field(default_factory=dict)
    right: dict[str, Any] = field(default_factory=dict)
    canonical: str | None = None
    may_decide: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "probability": round(self.probability, 6),
            "match_weight": round(self.match_weight, 4),
            "rule": self.rule,
            "status": self.status,
            "found_at": self.found_at.isoformat(),
            "decided_at": None if self.decided_at is None else self.decided_at.isoformat(),
            "left": self.left,
            "right": self.right,
            "canonical": self.canonical,
            "may_decide": self.may_decide,
        }


@dataclass(frozen=True)
class CandidatePage:
    """A page of candidates and the total in scope."""

    items: list[CandidateView]
    total: int
    masked: list[str] = field(default_factory=list)


# scope


def _reviewer_grants(principal: Principal) -> list[Grant]:
    """Grants of an organisation's staff who submit or query data (city, district, school scope): the reviewers.

    Auditors (city scope, neither submitting nor querying) read the trail of these decisions, not the pairs.
    """
    return [
        g
        for g in principal.grants
        if policy.role(g.role).scope in ("city", "district", "school")
        and (policy.role(g.role).may_submit or policy.role(g.role).may_query)
    ]


def may_review(principal: Principal) -> bool:
    """Whether the principal sees the review of duplicates at all (a city, district or school grant)."""
    return bool(_reviewer_grants(principal))


def may_decide_any(home: Home, principal: Principal) -> bool:
    """Whether the principal may find and decide duplicates somewhere (a reviewer grant whose role may submit)."""
    return any(policy.role(g.role).may_submit for g in _reviewer_grants(principal))


def _covers(scope: Scope, schools: Sequence[str], *, submitting: bool) -> bool:
    """Whether one grant (a submitting one when ``submitting``) has both schools in its scope."""
    allowed = set(_reviewer_grants(scope.principal))
    grants = [g for g in scope.grants_over(schools[0]) if g in allowed]
    for code in schools[1:]:
        over = scope.grants_over(code)
        grants = [g for g in grants if g in over]
    return any(policy.role(g.role).may_submit for g in grants) if submitting else bool(grants)


def _visible_filter(scope: Scope) -> Any:
    """SQL condition: candidates whose two schools lie inside the principal's record scope (None: all)."""
    codes = scope.org_codes()
    if not _reviewer_grants(scope.principal):
        return IdentityCandidate.id.is_(None)  # nothing
    if codes is None:
        return IdentityCandidate.id.is_not(None)
    return IdentityCandidate.left_school.in_(codes) & IdentityCandidate.right_school.in_(codes)


def _decidable(session: Session, scope: Scope, candidate_id: str) -> IdentityCandidate:
    """The candidate, locked, if the principal may decide on it; else the same AccessDenied as for none."""
    found = session.execute(
        select(IdentityCandidate).where(IdentityCandidate.id == str(candidate_id)[:32]).with_for_update()
    ).scalar_one_or_none()
    if found is None or not _covers(scope, [found.left_school, found.right_school], submitting=True):
        raise _not_found(str(candidate_id))
    return found


# find


def find_candidates(
    home: Home,
    principal: Principal,
    *,
    purpose: str = DEFAULT_PURPOSE,
    threshold: float = MATCH_THRESHOLD,
    settings: LinkageSettings | None = None,
) -> FindResult:
    """Score the students in ``principal``'s scope and store the likely duplicates as open candidates.

    The roster is read unmasked through the read path for ``purpose`` (audited there). Pairs at or above
    ``threshold`` are stored; a pair already stored keeps its decision (an open one gets the new score).

    Raises:
        AccessDenied: the principal may not submit (review) or not unmask for a purpose.
        IdentityError: the threshold is not a probability.
    """
    if not 0 < threshold <= 1:
        raise IdentityError(f"阈值须在 (0, 1] 内：{threshold}", f"The threshold must be in (0, 1]: {threshold}")
    if not any(policy.role(g.role).may_submit for g in _reviewer_grants(principal)):
        raise AccessDenied(
            f"{principal.name} 的角色不能办理学籍身份合并",
            f"{principal.name}'s roles may not review student identities",
        )
    read = read_dataset(home, principal, DATASET, purpose=purpose)
    frame = pl.from_arrow(read.table)
    assert isinstance(frame, pl.DataFrame)
    if frame.height < 2:
        return FindResult(frame.height, 0, 0, 0, threshold)
    params = settings or LinkageSettings(floor=threshold)
    pairs = score_pairs(frame.select(list(COLUMNS)), params).filter(pl.col("match_probability") >= threshold)
    new = updated = 0
    with session_scope(home.engine) as session:
        stored = {
            (c.left_id, c.right_id): c
            for c in session.scalars(
                select(IdentityCandidate).where(IdentityCandidate.left_id.in_(pairs.get_column("left_id").to_list()))
            )
        }
        for row in pairs.iter_rows(named=True):  # the pairs above the threshold: a few per thousand records
            known = stored.get((row["left_id"], row["right_id"]))
            if known is not None:
                if known.status == "open":
                    known.probability, known.match_weight = row["match_probability"], row["match_weight"]
                    known.rule = row["rule"]
                    updated += 1
                continue
            session.add(
                IdentityCandidate(
                    id=secrets.token_hex(16),
                    left_id=row["left_id"],
                    right_id=row["right_id"],
                    left_school=row["left_school"],
                    right_school=row["right_school"],
                    probability=row["match_probability"],
                    match_weight=row["match_weight"],
                    rule=row["rule"],
                    status="open",
                    found_by=principal.id,
                )
            )
            new += 1
    return FindResult(frame.height, pairs.height, new, updated, threshold)


# list


def list_candidates(
    home: Home,
    principal: Principal,
    *,
    status: str | None = "open",
    purpose: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> CandidatePage:
    """The candidates whose two records both lie inside the principal's scope, with the records side by side.

    Records are read through the read path, masked to the principal's clearance (unmasked for ``purpose``,
    audited). Highest probability first.

    Raises:
        IdentityError: an unknown status or a page size out of range.
    """
    if status not in (None, "open", "merged", "rejected"):
        raise IdentityError(f"未知状态 {status}", f"Unknown status {status}", status=str(status)[:20])
    if not 1 <= limit <= MAX_PAGE or not 0 <= offset <= MAX_OFFSET:
        raise IdentityError(
            f"每页 1 至 {MAX_PAGE} 条，起始位置 0 至 {MAX_OFFSET}",
            f"A page holds 1 to {MAX_PAGE} candidates from offset 0 to {MAX_OFFSET}",
        )
    if purpose is not None:
        policy.purpose(purpose)  # an unknown purpose is refused even when the page turns out empty
    scope = Scope.of(home, principal)
    where = _visible_filter(scope)
    if status is not None:
        where = where & (IdentityCandidate.status == status)
    with session_scope(home.engine) as session:
        total = int(session.scalar(select(func.count(IdentityCandidate.id)).where(where)) or 0)
        rows = session.scalars(
            select(IdentityCandidate)
            .where(where)
            .order_by(IdentityCandidate.probability.desc(), IdentityCandidate.id)
            .limit(limit)
            .offset(offset)
        ).all()
        merges = {
            m.candidate_id: m.canonical_id
            for m in session.scalars(
                select(IdentityMerge).where(
                    IdentityMerge.candidate_id.in_([r.id for r in rows]), IdentityMerge.undone_at.is_(None)
                )
            )
        }
    if not rows:
        return CandidatePage([], total)
    records, masked = _records(home, principal, rows, purpose)
    items = []
    for c in rows:
        canonical = merges.get(c.id)
        items.append(
            CandidateView(
                id=c.id,
                probability=c.probability,
                match_weight=c.match_weight,
                rule=c.rule,
                status=c.status,
                found_at=c.found_at,
                decided_at=c.decided_at,
                left=records.get(c.left_id, {}),
                right=records.get(c.right_id, {}),
                canonical=None if canonical is None else ("left" if canonical == c.left_id else "right"),
                may_decide=_covers(scope, [c.left_school, c.right_school], submitting=True),
            )
        )
    return CandidatePage(items, total, masked)


def _records(
    home: Home, principal: Principal, rows: Sequence[IdentityCandidate], purpose: str | None
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The shown fields of the candidates' records by student id, masked, read through the read path.

    Rows are matched by their keyed row key (``_key``), so a masked 学籍号 still finds its record.
    """
    dataset = home.catalog.dataset(DATASET)
    ids = sorted({c.left_id for c in rows} | {c.right_id for c in rows})
    schools = sorted({c.left_school for c in rows} | {c.right_school for c in rows})
    read = read_dataset(home, principal, DATASET, filters={"school_code": schools}, row_key=True, purpose=purpose)
    frame = pl.from_arrow(read.table)
    assert isinstance(frame, pl.DataFrame)
    wanted = pl.DataFrame({"student_id": ids}).with_columns(row_keys(home, dataset, pl.DataFrame({"student_id": ids})))
    joined = wanted.rename({"student_id": "_sid"}).join(frame, on=ROW_KEY, how="inner")
    shown = [f for f in ("student_id", *SHOWN_FIELDS) if f in joined.columns]
    out = {
        row["_sid"]: {k: (None if row[k] is None else str(row[k])) for k in shown}
        for row in joined.select("_sid", *shown).iter_rows(named=True)
    }
    return out, list(read.masked)


# decisions


def _actor_role(principal: Principal) -> str:
    return ",".join(sorted({g.role for g in principal.grants}))


def _audit(session: Session, principal: Principal, action: str, candidate: IdentityCandidate, **detail: Any) -> None:
    record_event(
        session,
        actor=principal.id,
        actor_role=_actor_role(principal),
        org_code=principal.grants[0].org_code if principal.grants else None,
        action=action,
        dataset=DATASET,
        fields=["student_id"],
        row_count=2,
        minors=True,
        detail={
            "candidate": candidate.id,
            "records": [candidate.left_id, candidate.right_id],
            "schools": [candidate.left_school, candidate.right_school],
            "probability": round(candidate.probability, 6),
            "rule": candidate.rule,
            **detail,
        },
    )


def merge(home: Home, principal: Principal, candidate_id: str, canonical: str, *, reason: str = "") -> str:
    """Merge the candidate's two records: the other one into ``canonical`` (``left`` or ``right``).

    Returns:
        The status afterwards (``merged``).

    Raises:
        AccessDenied: no such candidate, or the principal's submitting scope does not hold both schools (one
            answer for both).
        IdentityError: the candidate is not open, ``canonical`` is not ``left``/``right``, or the two records
            are already one group.
    """
    if canonical not in ("left", "right"):
        raise IdentityError(
            "须指明保留哪一条记录（left 或 right）", "Name the record to keep: left or right", canonical=canonical[:10]
        )
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        candidate = _decidable(session, scope, candidate_id)
        if candidate.status != "open":
            raise IdentityError(
                f"该疑似重复记录已处理（{candidate.status}），请先撤销",
                f"This candidate is already decided ({candidate.status}); undo it first",
            )
        keep, drop = (
            (candidate.left_id, candidate.right_id) if canonical == "left" else (candidate.right_id, candidate.left_id)
        )
        roots = resolve_roots(active_edges(session))
        keep_root, drop_root = roots.get(keep, keep), roots.get(drop, drop)
        if keep_root == drop_root:
            raise IdentityError("两条记录已属于同一合并组", "The two records are already merged into one group")
        now = dt.datetime.now(dt.UTC)
        session.add(
            IdentityMerge(
                candidate_id=candidate.id,
                student_id=drop_root,
                canonical_id=keep_root,
                merged_at=now,
                merged_by=principal.id,
                reason=reason[:500],
            )
        )
        candidate.status, candidate.decided_at, candidate.decided_by = "merged", now, principal.id
        _audit(session, principal, "identity_merge", candidate, canonical=keep_root, merged=drop_root, reason=reason)
    derive.after_session(home)  # the profiles read the links: recompute what became stale
    return "merged"


def reject(home: Home, principal: Principal, candidate_id: str, *, reason: str = "") -> str:
    """Mark the candidate as two different children (``rejected``); see :func:`merge` for the errors."""
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        candidate = _decidable(session, scope, candidate_id)
        if candidate.status != "open":
            raise IdentityError(
                f"该疑似重复记录已处理（{candidate.status}），请先撤销",
                f"This candidate is already decided ({candidate.status}); undo it first",
            )
        candidate.status, candidate.decided_at, candidate.decided_by = "rejected", dt.datetime.now(dt.UTC), principal.id
        _audit(session, principal, "identity_reject", candidate, reason=reason)
    return "rejected"


def undo(home: Home, principal: Principal, candidate_id: str, *, reason: str = "") -> str:
    """Undo the decision on a candidate: a merge is marked undone (kept in history), the candidate is open again.

    Returns:
        The status afterwards (``open``).

    Raises:
        AccessDenied: as for :func:`merge`.
        IdentityError: the candidate is open (nothing to undo).
    """
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        candidate = _decidable(session, scope, candidate_id)
        if candidate.status == "open":
            raise IdentityError("该疑似重复记录尚未处理，无可撤销", "This candidate is not decided; nothing to undo")
        previous = candidate.status
        now = dt.datetime.now(dt.UTC)
        undone = session.scalars(
            select(IdentityMerge).where(IdentityMerge.candidate_id == candidate.id, IdentityMerge.undone_at.is_(None))
        ).all()
        for m in undone:
            m.undone_at, m.undone_by = now, principal.id
        candidate.status, candidate.decided_at, candidate.decided_by = "open", None, None
        _audit(session, principal, "identity_undo", candidate, undone=previous, reason=reason)
    if previous == "merged":
        derive.after_session(home)
    return "open"
