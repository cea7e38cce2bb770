"""Designating 新型智慧校园示范校 (and revoking it): the city's step after the ranked shortlist.

《北京教育信息化“十四五”规划》: “遴选100所新型智慧校园示范校”. A city administrator designates an approved
school-year that is on the demonstration shortlist (its ``shortlist_rank`` in ``smart_campus_scores``, read by the
caller through the governed read path) and may revoke a designation with a reason. Each is one transaction with
its workflow event (``designate`` / ``revoke``, state ``approved`` before and after) and its audit event
(``smart_campus``); the designation is read back from those events
(:mod:`edubrain.governance.smart_campus_designations`). A district or school reader may see a designation and
gets ``access_denied`` when trying to make one; an id outside the reader's scope answers ``not_found``.
"""

from __future__ import annotations

from edubrain.governance import smart_campus as wf
from edubrain.governance.identity import Principal
from edubrain.governance.scope import Scope
from edubrain.governance.smart_campus_designations import designated_ids
from edubrain.governance.smart_campus_records import Assessment
from edubrain.home import Home
from edubrain.store.db import session_scope


def may_designate(principal: Principal) -> bool:
    """Whether ``principal`` is a city administrator, who designates and revokes (the shortlist's button rule)."""
    return any(g.role == wf.ACTOR_ROLES["city"] and g.org_level == "city" for g in principal.grants)


def designate(
    home: Home, principal: Principal, assessment_id: str, shortlist_rank: int | None, comment: str | None = None
) -> Assessment:
    """Designate an approved, shortlisted assessment a demonstration school (a city administrator only).

    Raises:
        AssessmentNotFound: unknown, or outside the principal's read scope.
        AccessDenied: the principal reads it but is not a city administrator.
        WorkflowError: not approved, not on the shortlist (``shortlist_rank`` None), or designated already.
    """
    return _step(home, principal, assessment_id, "designate", (comment or "").strip()[:1000] or None, shortlist_rank)


def revoke(home: Home, principal: Principal, assessment_id: str, reason: str | None) -> Assessment:
    """Revoke a designation, with a reason (a city administrator only); the assessment stays approved.

    Raises:
        AssessmentNotFound: unknown, or outside the principal's read scope.
        AccessDenied: the principal reads it but is not a city administrator.
        WorkflowError: not designated, or no reason given.
    """
    return _step(home, principal, assessment_id, "revoke", (reason or "").strip()[:1000] or None, None)


def _step(home: Home, principal: Principal, assessment_id: str, action: str, comment: str | None,
          rank: int | None) -> Assessment:  # fmt: skip
    scope = Scope.of(home, principal)
    with session_scope(home.engine) as session:
        row = wf._load(session, scope, assessment_id)
        if "city" not in wf.acting_levels(scope, row.school_code):
            what = ("认定示范校", "designate demonstration schools") if action == "designate" else (
                "撤销示范校认定", "revoke a demonstration designation")  # fmt: skip
            raise wf._refuse_level(principal, "city", *what)
        if row.state != "approved":
            raise wf.WorkflowError(
                "只有市级已认定的自评可以认定或撤销示范校", "Only an approved self-assessment can be designated or "
                "revoked", state=row.state,
            )  # fmt: skip
        designated = row.id in designated_ids(session, [row.id])
        detail: dict[str, int] = {}
        if action == "designate":
            if designated:
                raise wf.WorkflowError("该校该学年已是示范校", "The school-year is designated already", action=action)
            if rank is None:
                raise wf.WorkflowError(
                    "该校不在示范校候选名单中（须市级已认定且达标，并在前 100 名内），不能认定",
                    "The school is not on the demonstration shortlist (approved, meeting the standard, within the "
                    "first 100), so it cannot be designated", action=action,
                )  # fmt: skip
            detail["shortlist_rank"] = int(rank)
        else:
            if not designated:
                raise wf.WorkflowError(
                    "该校该学年不是示范校，无可撤销", "The school-year is not designated", action=action
                )
            if comment is None:
                raise wf.WorkflowError("撤销时必须填写原因", "A revocation needs a reason", field="comment")
        wf._record(session, principal, row, action, row.state, "city", comment, **detail)
        return wf._view(session, scope, row)
