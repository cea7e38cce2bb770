"""The smart-campus workflow through REST: allowed and refused transitions, audit, scores, freezing."""

from __future__ import annotations

from sqlalchemy import select

from edubrain.governance.audit import AuditEvent
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import SCHOOL
from tests.smart_campus.conftest import FULL_SCORES, PDF

P = "/api/v1/smart-campus"


def _draft(city: ApiCity, user: str = "school1", school: str = SCHOOL, year: int = 2025) -> str:
    response = city.client.post(
        f"{P}/assessments", json={"school": school, "school_year": year}, headers=city.auth(user)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _step(city: ApiCity, user: str, aid: str, action: str, comment: str | None = None) -> object:
    return city.client.post(f"{P}/assessments/{aid}/{action}", json={"comment": comment}, headers=city.auth(user))


def test_smart_campus_full_workflow_with_a_return_and_resubmission(scity: ApiCity) -> None:
    aid = _draft(scity)
    assert_error(_step(scity, "school1", aid, "submit"), 400, "workflow_error")  # nothing scored yet
    put = scity.client.put(f"{P}/assessments/{aid}/scores", json={"scores": FULL_SCORES}, headers=scity.auth("school1"))
    assert put.status_code == 200 and put.json()["scores"]["smart_teaching"] == 9
    assert _step(scity, "school1", aid, "submit").json()["state"] == "submitted"
    assert_error(_step(scity, "haidian", aid, "return"), 400, "workflow_error")  # a return needs a comment
    returned = _step(scity, "haidian", aid, "return", "请补充智慧教学佐证").json()
    assert returned["state"] == "returned" and returned["events"][-1]["comment"] == "请补充智慧教学佐证"
    again = scity.client.put(
        f"{P}/assessments/{aid}/scores", json={"scores": {"smart_teaching": 8}}, headers=scity.auth("school1")
    )
    assert again.status_code == 200  # a returned assessment can be edited
    assert _step(scity, "school1", aid, "submit").json()["state"] == "submitted"
    assert _step(scity, "haidian", aid, "recommend").json()["state"] == "recommended"
    approved = _step(scity, "city", aid, "approve").json()
    assert approved["state"] == "approved" and approved["actions"] == ["designate"]  # the city may designate next
    assert [e["action"] for e in approved["events"]] == [
        "create", "save", "submit", "return", "save", "submit", "recommend", "approve",
    ]  # fmt: skip
    frozen = scity.client.put(
        f"{P}/assessments/{aid}/scores", json={"scores": {"smart_teaching": 9}}, headers=scity.auth("school1")
    )
    assert_error(frozen, 400, "workflow_error")
    ev = scity.client.post(f"{P}/assessments/{aid}/evidence", files={"file": ("a.pdf", PDF, "application/pdf")},
                           data={"indicator": "smart_teaching"}, headers=scity.auth("school1"))  # fmt: skip
    assert_error(ev, 400, "workflow_error")  # no evidence added to a frozen assessment
    with session_scope(scity.home.engine) as session:
        steps = [
            e.detail["step"] for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "smart_campus"))
        ]
    assert steps == ["create", "save", "submit", "return", "save", "submit", "recommend", "approve"]


def test_smart_campus_approval_sets_the_standard_and_the_scores(scity: ApiCity) -> None:
    aid = _draft(scity)
    scity.client.put(f"{P}/assessments/{aid}/scores", json={"scores": FULL_SCORES}, headers=scity.auth("school1"))
    _step(scity, "school1", aid, "submit")
    _step(scity, "haidian", aid, "recommend")
    before = scity.client.get(f"{P}/schools/{SCHOOL}/2025", headers=scity.auth("city")).json()
    assert before["state"] == "recommended" and before["meets_standard"] is False and before["total"] == 77.0
    _step(scity, "city", aid, "approve")
    after = scity.client.get(f"{P}/schools/{SCHOOL}/2025", headers=scity.auth("city")).json()
    assert after["meets_standard"] is True and after["shortlist_rank"] == 1 and "总分 77.0" in after["explanation_zh"]
    over = scity.client.get(f"{P}/overview", headers=scity.auth("city")).json()
    city_rate = next(r for r in over["rates"] if r["district_code"] == "110000")
    assert (city_rate["schools"], city_rate["meeting"], city_rate["target"]) == (3, 1, 85.0)
    assert over["states"] == {"approved": 1, "none": 2} and over["shortlist"][0]["school_code"] == SCHOOL
    own = scity.client.get(f"{P}/overview", headers=scity.auth("school1")).json()
    assert own["rates"] == [] and own["states"] == {"approved": 1}  # its one row is no area's rate
    other = scity.client.get(f"{P}/overview", headers=scity.auth("school2")).json()
    assert other["states"] == {"none": 1} and other["shortlist"] == []  # nothing of school1 leaks


def test_smart_campus_refused_transitions(scity: ApiCity) -> None:
    aid = _draft(scity)
    scity.client.put(f"{P}/assessments/{aid}/scores", json={"scores": FULL_SCORES}, headers=scity.auth("school1"))
    assert_error(_step(scity, "school1", aid, "approve"), 400, "workflow_error")  # draft cannot be approved at all
    _step(scity, "school1", aid, "submit")
    assert_error(_step(scity, "school1", aid, "recommend"), 403, "access_denied")  # a school cannot review itself
    assert_error(_step(scity, "city", aid, "approve"), 400, "workflow_error")  # the district has not recommended
    assert_error(_step(scity, "chaoyang", aid, "recommend"), 404, "not_found")  # another district: not even seen
    assert_error(_step(scity, "hdanalyst", aid, "recommend"), 403, "access_denied")  # reads, may not act
    _step(scity, "haidian", aid, "recommend")
    assert_error(_step(scity, "haidian", aid, "approve"), 403, "access_denied")  # a district cannot approve
    assert_error(_step(scity, "school1", aid, "approve"), 403, "access_denied")  # a school cannot approve itself
    assert_error(_step(scity, "auditor", aid, "approve"), 403, "access_denied")  # auditors read only
    bad = scity.client.put(
        f"{P}/assessments/{aid}/scores", json={"scores": {"smart_teaching": 99}}, headers=scity.auth("school1")
    )
    assert_error(bad, 400, "workflow_error")
    assert "0 到 9" in bad.json()["error"]["message_zh"] and "from 0 to 9" in bad.json()["error"]["message_en"]
