"""Credit grades of training providers read through governance (信用分级分类监管).

Rules (docs/graded-supervision.md):

- ``provider_credit_grades`` and ``provider_credit_items`` are scoped by
  :class:`~edubrain.governance.scope.Scope` on ``district_code``: a district's officers see their district's
  providers, the city all; schools, teachers, pupils, parents and the public none;
- a provider or district outside the reader's scope gets the same answer as one that does not exist;
- ``provider_public_grades`` (grade only, no score, no items) is shared unconditionally: anyone may list it;
- every read goes through :func:`~edubrain.governance.readpath.read_dataset` (no personal data is in these
  datasets, so nothing is masked or audited as personal information).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from edubrain.analytics.supervision.model import load_credit_model
from edubrain.governance.aggregates import count_rows
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.governance.scope import AccessDenied, reads_rows, viewpoint
from edubrain.home import Home
from edubrain.supervision.models import (
    CreditItem,
    GradeBoard,
    GradeCount,
    ProviderDetail,
    ProviderGrade,
    PublicGrade,
    PublicList,
)

GRADES, ITEMS, PUBLIC = "provider_credit_grades", "provider_credit_items", "provider_public_grades"
LIMIT = 5000
"""Most providers one read returns (a district registers a few hundred)."""


def may_supervise(home: Home, principal: Principal) -> bool:
    """Whether ``principal`` is city or district staff with a row scope on the grades."""
    return viewpoint(principal).level in ("city", "district") and reads_rows(home, principal, GRADES)


def _refused(principal: Principal, what: str) -> AccessDenied:
    return AccessDenied(
        f"{principal.name} 不能查看{what}的信用监管信息（不存在或不在您的权限范围内）",
        f"{principal.name} may not read the supervision of {what} (it does not exist or is outside your scope)",
        org=what,
    )


def _check(home: Home, principal: Principal, district: str | None) -> dict[str, Any]:
    if not may_supervise(home, principal):
        raise AccessDenied(
            f"{principal.name} 不能查看信用分级监管：仅市、区教育行政部门人员可查看",
            f"{principal.name} may not read graded supervision: city and district education staff only",
        )
    view = viewpoint(principal)
    if district and not (view.level == "city" or district == view.org_code):
        raise _refused(principal, district)
    return {"district_code": district} if district else {}


def _day(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _grade(row: dict[str, Any], today: dt.date) -> ProviderGrade:
    due = row.get("next_inspection_due")
    return ProviderGrade(
        provider_code=row["provider_code"], name=row.get("name"), district_code=row["district_code"],
        provider_type=row.get("provider_type"), licence_status=row.get("licence_status"),
        code_valid=row.get("code_valid"), score=row.get("score"), grade=row["grade"],
        licence_override=row.get("licence_override"), deductions=row.get("deductions"), bonuses=row.get("bonuses"),
        items=row.get("items"), top_items=row.get("top_items"), last_inspection_date=_day(row.get("last_inspection_date")),
        interval_months=row.get("interval_months"), next_inspection_due=_day(due),
        overdue=isinstance(due, dt.date) and due < today, as_of=_day(row.get("as_of")),
    )  # fmt: skip


def grade_board(
    home: Home, principal: Principal, *, district: str | None = None, grade: str | None = None
) -> GradeBoard:
    """The providers the reader supervises (of ``district``, of ``grade`` when given), soonest inspection first.

    Raises:
        AccessDenied: the reader is not city or district staff, or ``district`` is outside its scope.
    """
    filters = _check(home, principal, district)
    wanted = {**filters, **({"grade": grade} if grade else {})}
    read = read_dataset(
        home, principal, GRADES, filters=wanted, sort=["next_inspection_due", "provider_code"], limit=LIMIT
    )
    rows = read.table.to_pylist()
    as_of = next((r["as_of"] for r in rows if r.get("as_of")), None)
    today = as_of or dt.date.today()
    counted = count_rows(home, principal, GRADES, by=["district_code", "grade"], filters=filters)
    counts = tuple(GradeCount(str(r["district_code"]), str(r["grade"]), int(r["rows"])) for r in counted.to_dicts())
    model = load_credit_model()
    intervals = tuple((g.grade, g.months, g.zh, g.en) for g in model.grades)
    providers = tuple(_grade(r, today) for r in rows)
    return GradeBoard(district, grade, read.total, providers, counts, intervals, _day(as_of), read.version)


def provider_detail(home: Home, principal: Principal, provider_code: str) -> ProviderDetail:
    """One provider's grade and every item of its score, each traced to its record.

    Raises:
        AccessDenied: the reader may not supervise, or the provider is unknown or outside its scope (one answer).
    """
    _check(home, principal, None)
    read = read_dataset(home, principal, GRADES, filters={"provider_code": provider_code}, limit=1)
    rows = read.table.to_pylist()
    if not rows:
        raise _refused(principal, provider_code)
    row = rows[0]
    found = read_dataset(home, principal, ITEMS, filters={"provider_code": provider_code}, sort=["record_date"])
    items = tuple(
        CreditItem(
            item_id=r["item_id"], source_dataset=r["source_dataset"], record_id=r["record_id"],
            record_date=_day(r.get("record_date")), kind=r["kind"], severity=r.get("severity"),
            base_points=float(r["base_points"]), age_days=r.get("age_days"), weight=float(r["weight"]),
            points=float(r["points"]),
        )
        for r in found.table.to_pylist()
    )  # fmt: skip
    model = load_credit_model()
    return ProviderDetail(_grade(row, row.get("as_of") or dt.date.today()), items, model.start_score, model.version)


def public_list(
    home: Home, principal: Principal, *, district: str | None = None, grade: str | None = None
) -> PublicList:
    """The public grade list (any reader, the public included): name, code, district, type, grade."""
    wanted = {**({"district_code": district} if district else {}), **({"grade": grade} if grade else {})}
    read = read_dataset(home, principal, PUBLIC, filters=wanted, sort=["district_code", "name"], limit=LIMIT)
    listed = tuple(
        PublicGrade(r["provider_code"], r.get("name"), r["district_code"], r.get("provider_type"), r["grade"],
                    _day(r.get("as_of")))
        for r in read.table.to_pylist()
    )  # fmt: skip
    return PublicList(district, grade, read.total, listed)
