"""The Activities and Agents resources (xAPI 1.0.3 Communication §2.4, §2.5, §3.1), in scope (attacker tests)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from sqlalchemy import select

from edubrain.governance.audit import AuditEvent
from edubrain.store.db import session_scope
from tests.api.conftest import assert_error
from tests.lrs.conftest import OTHER_PUPILS, PUPILS, V2, Lrs, new_id, pupil, statement


def activity(lrs: Lrs, who: str, activity_id: str, version: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    headers = lrs.auth(who, version) if version else lrs.auth(who)
    return lrs.client.get("/xAPI/activities", params={"activityId": activity_id}, headers=headers)


def agents(lrs: Lrs, who: str, agent: Any):  # type: ignore[no-untyped-def]
    return lrs.client.get("/xAPI/agents", params={"agent": json.dumps(agent)}, headers=lrs.auth(who))


def on(activity_id: str, definition: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    target: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition is not None:
        target["definition"] = definition
    return statement(object=target, **extra)


def test_an_activity_is_returned_with_the_newest_definition_merged_over_older_ones(lrs: Lrs) -> None:
    """Communication 2.5.s1 and Data 2.4.4.1: the Activity with the LRS's canonical definition; newer statements
    update it property by property and language by language, older ones fill the gaps (docs/lrs.md)."""
    activity_id = f"https://edubrain.example/activities/{new_id()}"
    lrs.post("app1", on(activity_id, {"name": {"zh-CN": "旧名", "en-US": "Old"}, "description": {"zh-CN": "说明"}, "type": "http://adlnet.gov/expapi/activities/lesson"}))  # fmt: skip
    lrs.post("app1", on(activity_id, {"name": {"zh-CN": "新名"}, "type": "http://adlnet.gov/expapi/activities/assessment"}))  # fmt: skip
    response = activity(lrs, "app1", activity_id)
    assert response.status_code == 200
    assert response.json() == {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {
            "name": {"zh-CN": "新名", "en-US": "Old"},
            "description": {"zh-CN": "说明"},
            "type": "http://adlnet.gov/expapi/activities/assessment",
        },
    }
    assert response.headers["ETag"] == f'"{hashlib.sha1(response.content).hexdigest()}"'


def test_definitions_in_context_activities_and_substatements_count(lrs: Lrs) -> None:
    """Data 2.4.4.1: an Activity is the same wherever it appears (context activities, a SubStatement's object)."""
    parent = f"https://edubrain.example/courses/{new_id()}"
    lrs.post("app1", statement(context={"contextActivities": {"parent": [{"id": parent, "definition": {"name": {"zh-CN": "数学课"}}}]}}))  # fmt: skip
    assert activity(lrs, "app1", parent).json()["definition"] == {"name": {"zh-CN": "数学课"}}


def test_an_unknown_activity_is_still_an_activity_object(lrs: Lrs) -> None:
    """Communication 2.5.s2.b1: without a canonical definition the LRS still returns an Activity object."""
    activity_id = f"https://edubrain.example/activities/{new_id()}"
    assert activity(lrs, "app1", activity_id, V2).json() == {"objectType": "Activity", "id": activity_id}


@pytest.mark.parametrize("who", ["app2", "teacher2", "parent1"])
def test_definitions_only_from_statements_the_caller_may_read(lrs: Lrs, who: str) -> None:
    """Attackers (another school, a teacher of another class, a parent of another child) see an activity known only
    from others' statements exactly as an unknown one: nothing of its definition, nothing to infer."""
    activity_id = f"https://edubrain.example/activities/{new_id()}"
    lrs.post("app1", on(activity_id, {"name": {"zh-CN": "某生的个别化任务"}}, actor=pupil(PUPILS[2])))
    assert activity(lrs, "app1", activity_id).json()["definition"]
    assert activity(lrs, who, activity_id).json() == {"objectType": "Activity", "id": activity_id}


@pytest.mark.parametrize(("params", "where"), [({}, "activityId"), ({"activityId": "not an iri"}, "activityId"), ({"activityId": "https://a.example/x", "agent": "{}"}, "agent")])  # fmt: skip
def test_activity_parameters_are_checked(lrs: Lrs, params: dict[str, str], where: str) -> None:
    """Communication 2.5.s1: ``activityId`` (an IRI) is required; unknown parameters are refused (400)."""
    response = lrs.client.get("/xAPI/activities", params=params, headers=lrs.auth("app1"))
    assert assert_error(response, 400, "xapi_invalid")["details"]["where"] == where


def test_districts_and_the_city_may_not_use_the_activities_or_agents_resources(lrs: Lrs) -> None:
    """Communication 2.4.s3.b2: insufficiently privileged requests are refused with 403 (as for statements)."""
    assert_error(activity(lrs, "haidian", "https://a.example/x"), 403, "access_denied")
    assert_error(agents(lrs, "city", pupil(PUPILS[0])), 403, "access_denied")


def test_a_person_holds_the_identifier_and_the_names_the_caller_may_read(lrs: Lrs) -> None:
    """Communication 2.4.s2 and 2.4.s6: a Person object, array-valued; here the names the agent carries in readable
    statements (the supplied one first)."""
    mailbox = f"mailto:{new_id()}@example.com"
    lrs.post("app1", statement({"mbox": mailbox, "name": "王老师"}))
    lrs.post("app1", statement(pupil(PUPILS[0]), context={"instructor": {"mbox": mailbox, "name": "Wang"}}))
    response = agents(lrs, "app1", {"mbox": mailbox})
    assert response.json() == {"objectType": "Person", "name": ["Wang", "王老师"], "mbox": [mailbox]}
    assert response.headers["ETag"] == f'"{hashlib.sha1(response.content).hexdigest()}"'
    supplied = agents(lrs, "app1", {"objectType": "Agent", "mbox": mailbox, "name": "Mr Wang"}).json()
    assert supplied["name"] == ["Mr Wang", "Wang", "王老师"]


def test_an_unknown_agent_is_a_person_of_the_supplied_agent_only(lrs: Lrs) -> None:
    """Communication 2.4.s3.b3: with nothing more to return the LRS MUST still return a Person object built from
    the agent received."""
    account = {"homePage": "https://sso.example", "name": new_id()}
    assert agents(lrs, "app1", {"account": account, "name": "访客"}).json() == {"objectType": "Person", "name": ["访客"], "account": [account]}  # fmt: skip


@pytest.mark.parametrize("who", ["app2", "teacher2", "parent1"])
def test_a_person_out_of_scope_reveals_nothing_not_even_existence(lrs: Lrs, who: str) -> None:
    """Privacy first: another school, a teacher of another class, a parent of another child asking for a pupil get
    exactly the answer for a pupil the LRS has never seen: the supplied agent, no stored name."""
    lrs.post("app1", statement(pupil(PUPILS[2], "测试二号")))
    assert agents(lrs, "app1", pupil(PUPILS[2])).json()["name"] == ["测试二号"]
    stored = agents(lrs, who, pupil(PUPILS[2])).json()
    never = agents(lrs, who, pupil("G000000000000000000")).json()
    assert stored == {"objectType": "Person", "account": [pupil(PUPILS[2])["account"]]}
    assert never == {"objectType": "Person", "account": [pupil("G000000000000000000")["account"]]}


def test_a_parent_reads_the_childs_person_and_the_read_is_audited(lrs: Lrs) -> None:
    """A parent sees its child's names; the read is an ``lrs_read`` event for the agents resource, with minors."""
    lrs.post("app1", statement(pupil(PUPILS[1], "测试一号")))
    assert agents(lrs, "parent1", pupil(PUPILS[1])).json()["name"] == ["测试一号"]
    with session_scope(lrs.home.engine) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "lrs_read").order_by(AuditEvent.seq.desc())).first()  # fmt: skip
        assert event is not None and event.minors and event.detail["resource"] == "agents"
        assert PUPILS[1] not in json.dumps(event.detail)


@pytest.mark.parametrize("agent", ['{"objectType": "Group", "mbox": "mailto:g@example.com"}', '{"name": "no identifier"}', "not json", '{"mbox": "mailto:a@example.com", "openid": "https://o.example/a"}'])  # fmt: skip
def test_the_agent_parameter_must_be_one_agent_with_one_identifier(lrs: Lrs, agent: str) -> None:
    """Communication 2.4.s2: ``agent`` is an Agent with a single identifier; not a Person, not a Group (400)."""
    response = lrs.client.get("/xAPI/agents", params={"agent": agent}, headers=lrs.auth("app1"))
    assert_error(response, 400, "xapi_invalid")


def test_other_schools_pupils_are_people_of_their_school_only(lrs: Lrs) -> None:
    """School B reads its own pupil's names; school A asking about B's pupil learns nothing."""
    lrs.post("app2", statement(pupil(OTHER_PUPILS[1], "乙校学生")))
    assert agents(lrs, "app2", pupil(OTHER_PUPILS[1])).json()["name"] == ["乙校学生"]
    assert "name" not in agents(lrs, "app1", pupil(OTHER_PUPILS[1])).json()
