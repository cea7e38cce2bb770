"""Designating 新型智慧校园示范校 through REST: who may, from the shortlist only, revoking with a reason, audit, and
the monitoring tree's 达标率 and demonstration count changing with the step that changed them."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from edubrain.governance.audit import AuditEvent
from edubrain.store.db import session_scope
from tests.api.conftest import PASSWORD, ApiCity, assert_error
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.smart_campus.conftest import FULL_SCORES
from tests.web.conftest import login, make_app

P = "/api/v1/smart-campus"
M = "/api/v1/monitoring/indicators"
DEMO = "smart_campus_demonstration_schools"
RATE = "smart_campus_standard_rate"


def _approved(city: ApiCity, school: str, admin: str, district: str, scores: dict[str, float]) -> str:
    """A self-assessment of ``school`` for 2025 taken through draft, scores, submit, recommend and approve."""
    made = city.client.post(f"{P}/assessments", json={"school": school, "school_year": 2025}, headers=city.auth(admin))
    assert made.status_code == 201, made.text
    aid = str(made.json()["id"])
    saved = city.client.put(f"{P}/assessments/{aid}/scores", json={"scores": scores}, headers=city.auth(admin))
    assert saved.status_code == 200, saved.text
    for user, action in ((admin, "submit"), (district, "recommend"), ("city", "approve")):
        assert _step(city, user, aid, action).status_code == 200
    return aid


def _step(city: ApiCity, user: str, aid: str, action: str, comment: str | None = None) -> Any:
    return city.client.post(f"{P}/assessments/{aid}/{action}", json={"comment": comment}, headers=city.auth(user))


def _value(city: ApiCity, indicator: str, org: str, user: str = "city") -> dict[str, Any]:
    body = city.client.get(f"{M}/{indicator}/values", params={"school_year": 2025}, headers=city.auth(user)).json()
    return next(r for r in body["data"] if r["org_code"] == org)


def test_designation_is_the_citys_step_audited_and_counted_by_the_indicator(scity: ApiCity) -> None:
    aid = _approved(scity, SCHOOL, "school1", "haidian", FULL_SCORES)
    assert _value(scity, DEMO, "110000")["value"] == 0.0
    assert_error(_step(scity, "haidian", aid, "designate"), 403, "access_denied")  # sees it, may not make it
    assert_error(_step(scity, "school1", aid, "designate"), 403, "access_denied")
    outside = _step(scity, "cyschool", aid, "designate")  # another district's school: as if the id did not exist
    unknown = _step(scity, "cyschool", "0" * 32, "designate")
    assert assert_error(outside, 404, "not_found")["details"].keys() == assert_error(unknown, 404)["details"].keys()
    done = _step(scity, "city", aid, "designate", "示范引领")
    assert done.status_code == 200 and done.json()["designated"] is True and done.json()["actions"] == ["revoke"]
    assert done.json()["state"] == "approved"  # a designation is an event, not a state
    assert_error(_step(scity, "city", aid, "designate"), 400, "workflow_error")  # designated already
    seen = scity.client.get(f"{P}/assessments/{aid}", headers=scity.auth("haidian")).json()
    assert seen["designated"] is True and seen["actions"] == []
    overview = scity.client.get(f"{P}/overview", headers=scity.auth("haidian")).json()
    assert [e["designated"] for e in overview["shortlist"]] == [True] and overview["designated"] == 1
    city = _value(scity, DEMO, "110000")  # refreshed by the step itself, no monitoring run in between
    assert (city["value"], city["target"], city["met"], city["progress"]) == (1.0, 100.0, False, 0.01)
    district = _value(scity, DEMO, "110108", "haidian")
    assert (district["value"], district["target"], district["met"]) == (1.0, None, None)
    assert_error(_step(scity, "city", aid, "revoke"), 400, "workflow_error")  # a revocation needs a reason
    revoked = _step(scity, "city", aid, "revoke", "复核未通过").json()
    assert revoked["designated"] is False and revoked["actions"] == ["designate"]
    assert [(e["action"], e["comment"]) for e in revoked["events"][-2:]] == [
        ("designate", "示范引领"), ("revoke", "复核未通过"),
    ]  # fmt: skip
    assert _value(scity, DEMO, "110000")["value"] == 0.0
    with session_scope(scity.home.engine) as session:
        audit = [e.detail for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "smart_campus"))]
    steps = [
        (d["step"], d.get("shortlist_rank"), d.get("comment")) for d in audit if d["step"] in ("designate", "revoke")
    ]
    assert steps == [("designate", 1, "示范引领"), ("revoke", None, "复核未通过")]


def test_only_a_shortlisted_school_can_be_designated(scity: ApiCity) -> None:
    below = {**FULL_SCORES, "data_governance": 0, "digital_resources": 0, "data_exchange": 0}  # 数据与资源 below floor
    aid = _approved(scity, OTHER_SCHOOL, "school2", "haidian", below)
    assert_error(_step(scity, "city", aid, "designate"), 400, "workflow_error")
    assert_error(_step(scity, "city", aid, "revoke", "x"), 400, "workflow_error")  # nothing to revoke
    made = scity.client.post(
        f"{P}/assessments", json={"school": CHAOYANG_SCHOOL, "school_year": 2025}, headers=scity.auth("cyschool")
    )
    assert_error(_step(scity, "city", made.json()["id"], "designate"), 400, "workflow_error")  # a draft


def test_approving_a_school_changes_the_trees_rate_at_once(scity: ApiCity) -> None:
    aid = _approved(scity, OTHER_SCHOOL, "school2", "haidian", FULL_SCORES)
    before = _value(scity, RATE, "110000")
    # three stored schools (two in Haidian, one in Chaoyang); one approved and meeting the standard
    assert (before["value"], before["schools_met"], before["schools"]) == (100 * 1 / 3, 1, 3)
    second = _approved(scity, SCHOOL, "school1", "haidian", FULL_SCORES)
    after = _value(scity, RATE, "110000")
    assert (after["value"], after["schools_met"]) == (100 * 2 / 3, 2) and aid != second
    tree = login(make_app(scity.home), "city", PASSWORD).get("/monitoring?year=2025")
    shown = re.search(r'data-indicator="smart_campus_standard_rate">(.*?)</li>', tree.text, re.S)
    assert tree.status_code == 200 and shown is not None and "66.7%" in shown.group(1)
