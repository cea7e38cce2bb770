"""Reading statements: filters, StatementRef targeting, formats, paging and headers (xAPI 1.0.3 Communication §2.1.3)."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from tests.api.conftest import assert_error
from tests.lrs.conftest import ACTIVITY, PUPILS, VERB, Lrs, new_id, pupil, statement

OTHER_VERB = "http://adlnet.gov/expapi/verbs/attempted"
OTHER_ACTIVITY = "https://edubrain.example/activities/reading-2"


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["statements"]]


@pytest.fixture
def run(lrs: Lrs) -> tuple[str, dict[str, str]]:
    """A registration of its own with four statements: (registration, name -> id)."""
    registration = new_id()
    context = {"registration": registration}
    made = {
        "pupil0_completed": statement(pupil(PUPILS[0]), context=context),
        "pupil1_attempted": statement(pupil(PUPILS[1]), verb={"id": OTHER_VERB}, context=context),
        "teacher_about_pupil1": statement(
            {"mbox": "mailto:teacher@example.com"}, object=pupil(PUPILS[1]), context=context
        ),  # fmt: skip
        "pupil2_in_parent": statement(
            pupil(PUPILS[2]),
            object={"id": OTHER_ACTIVITY},
            context={**context, "contextActivities": {"parent": [{"id": ACTIVITY}]}, "instructor": pupil(PUPILS[3])},
        ),  # fmt: skip
    }
    found = {}
    for name, body in made.items():
        found[name] = lrs.post("app1", body).json()[0]
    return registration, found


def test_an_empty_result_is_200_with_an_empty_array(lrs: Lrs) -> None:
    """Communication 2.1.3: with no match the LRS MUST return 200 and a StatementResult with an empty array."""
    response = lrs.get("app1", registration=new_id())
    assert response.json() == {"statements": [], "more": ""}


def test_agent_filter_matches_actor_or_object_and_related_agents_widens_it(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """Communication 2.1.3 ``agent``/``related_agents``: actor or object; related adds instructor, team, authority…"""
    registration, made = run
    pupil1 = json.dumps(pupil(PUPILS[1]))
    assert set(ids(lrs.get("app1", registration=registration, agent=pupil1))) == {made["pupil1_attempted"], made["teacher_about_pupil1"]}  # fmt: skip
    instructor = json.dumps(pupil(PUPILS[3], "名字不参与匹配"))
    assert ids(lrs.get("app1", registration=registration, agent=instructor)) == []
    assert ids(lrs.get("app1", registration=registration, agent=instructor, related_agents="true")) == [made["pupil2_in_parent"]]  # fmt: skip


def test_verb_filter(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """Communication 2.1.3 ``verb``: only statements with that verb id."""
    registration, made = run
    assert ids(lrs.get("app1", registration=registration, verb=OTHER_VERB)) == [made["pupil1_attempted"]]


def test_activity_filter_matches_the_object_and_related_activities_widens_it(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """Communication 2.1.3 ``activity``/``related_activities``: the object; related adds context activities."""
    registration, made = run
    direct = set(ids(lrs.get("app1", registration=registration, activity=ACTIVITY)))
    assert made["pupil2_in_parent"] not in direct and made["pupil0_completed"] in direct
    related = set(ids(lrs.get("app1", registration=registration, activity=ACTIVITY, related_activities="true")))
    assert made["pupil2_in_parent"] in related


def test_a_statement_targeting_a_matching_statement_matches_too(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """Communication 2.1.3 (Filter Conditions for StatementRefs): a statement whose object is a StatementRef to a matching
    statement matches the non-time filters as well, recursively."""
    registration, made = run
    ref = {"objectType": "StatementRef", "id": made["pupil1_attempted"]}
    first = lrs.post("app1", statement({"mbox": "mailto:reviewer@example.com"}, object=ref)).json()[0]
    second = lrs.post("app1", statement({"mbox": "mailto:head@example.com"}, object={"objectType": "StatementRef", "id": first})).json()[0]  # fmt: skip
    assert set(ids(lrs.get("app1", verb=OTHER_VERB))) >= {made["pupil1_attempted"], first, second}


def test_since_is_exclusive_until_inclusive_and_ascending_orders_by_stored(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """Communication 2.1.3 ``since`` (exclusive), ``until`` (inclusive), ``ascending``; default newest stored first."""
    registration, made = run
    newest_first = ids(lrs.get("app1", registration=registration))
    assert newest_first == list(reversed(made.values()))
    assert ids(lrs.get("app1", registration=registration, ascending="true")) == list(made.values())
    stored = lrs.get("app1", statementId=made["pupil1_attempted"]).json()["stored"]
    assert made["pupil1_attempted"] not in ids(lrs.get("app1", registration=registration, since=stored))
    assert made["pupil1_attempted"] in ids(lrs.get("app1", registration=registration, until=stored))
    assert made["pupil2_in_parent"] not in ids(lrs.get("app1", registration=registration, until=stored))


def test_limit_and_more_page_through_every_statement_once(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """Data 2.5 / Communication 2.1.3: ``limit`` caps a page; ``more`` is a relative IRL to the rest, empty at the end."""
    registration, made = run
    seen: list[str] = []
    response = lrs.get("app1", registration=registration, limit=3)
    while True:
        body = response.json()
        seen += [s["id"] for s in body["statements"]]
        if not body["more"]:
            break
        assert body["more"].startswith("/xAPI/statements?more=")
        lrs.post("app1", statement(context={"registration": registration}))  # stored meanwhile: never shifts a page
        response = lrs.client.get(body["more"], headers=lrs.auth("app1"))
    assert seen == list(reversed(made.values()))


def test_a_more_link_is_bound_to_its_caller_and_tamper_proof(lrs: Lrs, run) -> None:  # type: ignore[no-untyped-def]
    """The ``more`` cursor is signed and bound to the principal: another caller or an altered cursor gets 400."""
    registration, _ = run
    more = lrs.get("app1", registration=registration, limit=1).json()["more"]
    assert_error(lrs.client.get(more, headers=lrs.auth("app2")), 400, "xapi_invalid")
    assert_error(lrs.client.get(more[:-3] + "AAA", headers=lrs.auth("app1")), 400, "xapi_invalid")


def test_format_ids_keeps_only_identifiers(lrs: Lrs) -> None:
    """Communication 2.1.3 ``format=ids``: only what identifies Agents, Activities, Verbs and Groups."""
    [statement_id] = lrs.post("app1", statement()).json()
    got = lrs.get("app1", statementId=statement_id, format="ids").json()
    assert got["actor"] == {"objectType": "Agent", "account": pupil(PUPILS[0])["account"]}
    assert got["verb"] == {"id": VERB} and got["object"] == {"objectType": "Activity", "id": ACTIVITY}


def test_format_canonical_returns_one_language_per_map_by_accept_language(lrs: Lrs) -> None:
    """Communication 2.1.3 (Language Filtering): canonical returns one language per map, chosen by Accept-Language."""
    [statement_id] = lrs.post("app1", statement()).json()
    headers = {**lrs.auth("app1"), "Accept-Language": "en-US;q=0.9, zh-CN"}
    got = lrs.client.get("/xAPI/statements", params={"statementId": statement_id, "format": "canonical"}, headers=headers).json()  # fmt: skip
    assert got["verb"]["display"] == {"zh-CN": "完成"}
    assert got["object"]["definition"]["name"] == {"zh-CN": "第一单元"}


def test_statement_id_with_other_filters_or_both_ids_is_refused(lrs: Lrs) -> None:
    """Communication 2.1.3: both ids, or an id with a parameter other than format/attachments, MUST be a 400."""
    one = new_id()
    assert_error(lrs.get("app1", statementId=one, voidedStatementId=new_id()), 400, "xapi_invalid")
    assert_error(lrs.get("app1", statementId=one, verb=VERB), 400, "xapi_invalid")
    assert_error(lrs.get("app1", color="blue"), 400, "xapi_invalid")
    assert_error(lrs.get("app1", ascending="yes"), 400, "xapi_invalid")


def test_consistent_through_and_last_modified_headers(lrs: Lrs) -> None:
    """Communication 2.1.3: all responses to Statement requests MUST carry X-Experience-API-Consistent-Through;
    a single statement SHOULD carry Last-Modified matching its ``stored``."""
    [statement_id] = lrs.post("app1", statement()).json()
    time.sleep(0.01)
    response = lrs.get("app1", statementId=statement_id)
    through = dt.datetime.fromisoformat(response.headers["X-Experience-API-Consistent-Through"].replace("Z", "+00:00"))
    stored = dt.datetime.fromisoformat(response.json()["stored"].replace("Z", "+00:00"))
    assert through >= stored
    assert response.headers["Last-Modified"] == stored.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert "X-Experience-API-Consistent-Through" in lrs.get("app1", registration=new_id()).headers
    for other in (lrs.post("app1", statement()), lrs.get("app1", statementId=new_id()), lrs.get("city")):
        assert "X-Experience-API-Consistent-Through" in other.headers, other.status_code


def test_attachments_true_answers_multipart_and_false_json(lrs: Lrs) -> None:
    """Communication 2.1.3: ``attachments=true`` MUST use the multipart format; ``false`` MUST report application/json."""
    [statement_id] = lrs.post("app1", statement()).json()
    multipart = lrs.get("app1", statementId=statement_id, attachments="true")
    assert multipart.headers["content-type"].startswith("multipart/mixed")
    assert statement_id.encode() in multipart.content
    plain = lrs.get("app1", statementId=statement_id, attachments="false")
    assert plain.headers["content-type"] == "application/json"


def test_head_answers_like_get_without_a_body(lrs: Lrs) -> None:
    """Communication 1.1: the LRS MUST answer HEAD as GET, without content."""
    [statement_id] = lrs.post("app1", statement()).json()
    response = lrs.client.head("/xAPI/statements", params={"statementId": statement_id}, headers=lrs.auth("app1"))
    assert response.status_code == 200 and response.content == b""
    assert "X-Experience-API-Consistent-Through" in response.headers
