"""Which approved smart-campus assessments are designated 新型智慧校园示范校, read from the workflow's events.

A designation is not a column or a state: it is the last ``designate`` or ``revoke`` event of an approved
assessment in ``smart_campus_events`` (append-only), so the whole history (who, when, why revoked) is kept where
every other step is, and no table changes. An assessment is designated when its last such event is ``designate``.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from edubrain.governance.smart_campus_models import SmartCampusAssessment, SmartCampusEvent
from edubrain.home import Home
from edubrain.store.db import session_scope

DESIGNATION_STEPS = ("designate", "revoke")
"""The two events that set and clear a designation."""


def designated_ids(session: Session, ids: Collection[str] | None = None) -> set[str]:
    """The ids of the assessments designated now (among ``ids`` when given)."""
    query = (
        select(SmartCampusEvent.assessment_id, SmartCampusEvent.action)
        .where(SmartCampusEvent.action.in_(DESIGNATION_STEPS))
        .order_by(SmartCampusEvent.id)
    )
    if ids is not None:
        query = query.where(SmartCampusEvent.assessment_id.in_(list(ids)))
    last: dict[str, str] = {}
    for assessment_id, action in session.execute(query):  # designation events only: at most a few per school
        last[assessment_id] = action
    return {a for a, action in last.items() if action == "designate"}


def designation_table(home: Home) -> pl.DataFrame:
    """``school_code``, ``school_year`` of every designated school-year (the job reads it as the platform)."""
    with session_scope(home.engine) as session:
        marked = designated_ids(session)
        rows = session.execute(
            select(SmartCampusAssessment.school_code, SmartCampusAssessment.school_year).where(
                SmartCampusAssessment.id.in_(list(marked))
            )
        ).all() if marked else []  # fmt: skip
    return pl.DataFrame(
        [(r[0], int(r[1])) for r in rows], schema={"school_code": pl.String, "school_year": pl.Int64}, orient="row"
    )
