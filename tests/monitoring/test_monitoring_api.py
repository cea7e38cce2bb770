"""``/api/v1/monitoring``: the indicator list, the values inside each caller's scope, and red-team reads."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiCity, assert_error
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL

PREFIX = "/api/v1/monitoring"
GIGABIT = f"{PREFIX}/indicators/school_gigabit_access/values"


def _orgs(city: ApiCity, user: str, url: str = GIGABIT) -> set[str]:
    response = city.client.get(url, headers=city.auth(user))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"])
    return {row["org_code"] for row in body["data"]}


def test_the_indicator_list_has_targets_goals_and_the_plans_sentences(mcity: ApiCity) -> None:
    body = mcity.client.get(f"{PREFIX}/indicators", headers=mcity.auth("school1")).json()
    assert body["count"] == len(body["data"]) == 9 and len(body["goals"]) == 7
    gigabit = next(i for i in body["data"] if i["id"] == "school_gigabit_access")
    assert (gigabit["target"], gigabit["unit_zh"], gigabit["direction"], gigabit["goal"]) == (
        100.0, "%", "higher", "infrastructure",
    )  # fmt: skip
    assert "学校千兆接入率" in gigabit["source_quote"] and "≥ 1000 Mbps" in gigabit["formula_zh"]
    assert body["goals"][5]["pending"] == []  # the demonstration schools are measured now
    demo = next(i for i in body["data"] if i["id"] == "smart_campus_demonstration_schools")
    assert (demo["target"], demo["unit_zh"], demo["goal"]) == (100.0, "所", "environment")
    assert next(i for i in body["data"] if i["id"] == "smart_campus_standard_rate")["target"] == 85.0
    assert_error(mcity.client.get(f"{PREFIX}/indicators"), 401)


def test_each_caller_gets_the_values_of_its_scope(mcity: ApiCity) -> None:
    everything = {"110000", "110108", "110105", SCHOOL, OTHER_SCHOOL, CHAOYANG_SCHOOL}
    assert _orgs(mcity, "city") == everything
    assert _orgs(mcity, "analyst") == everything
    assert _orgs(mcity, "haidian") == {"110108", SCHOOL, OTHER_SCHOOL}
    assert _orgs(mcity, "chaoyang") == {"110105", CHAOYANG_SCHOOL}
    assert _orgs(mcity, "school1") == {SCHOOL}
    assert _orgs(mcity, "cyschool") == {CHAOYANG_SCHOOL}


def test_the_values_are_the_reported_ones(mcity: ApiCity) -> None:
    rows = mcity.client.get(GIGABIT, headers=mcity.auth("city")).json()["data"]
    value = {(r["org_code"], r["school_year"]): (r["value"], r["met"]) for r in rows}
    assert value[(SCHOOL, 2024)] == (0.0, False) and value[(SCHOOL, 2025)] == (100.0, True)
    assert value[("110108", 2025)] == (100.0, True) and value[("110000", 2025)] == (100 * 2 / 3, False)
    assert rows[0]["name_zh"] and {r["org_level"] for r in rows} == {"city", "district", "school"}
    page = mcity.client.get(f"{GIGABIT}?org_level=district&school_year=2025", headers=mcity.auth("city")).json()
    assert {(r["org_code"], r["value"]) for r in page["data"]} == {("110108", 100.0), ("110105", 0.0)}


@pytest.mark.parametrize("level", [None, "school", "district", "city"])
def test_red_team_a_school_never_gets_another_organisations_values(mcity: ApiCity, level: str | None) -> None:
    query = f"?org_level={level}" if level else ""
    for indicator in ("school_gigabit_access", "wireless_coverage", "student_terminals_per_100"):
        url = f"{PREFIX}/indicators/{indicator}/values{query}"
        assert _orgs(mcity, "school1", url) <= {SCHOOL}
        assert _orgs(mcity, "school2", url) <= {OTHER_SCHOOL}
    rows = mcity.client.get(
        "/api/v1/datasets/monitoring_indicators/rows?limit=500", headers=mcity.auth("school1")
    ).json()
    assert rows["count"] == 7 * 2 and {r["org_code"] for r in rows["data"]} == {SCHOOL}  # 7 indicators, 2 years


def test_red_team_teachers_pupils_and_the_public_get_no_values(mcity: ApiCity) -> None:
    assert _orgs(mcity, "teacher") == set()  # a class grant covers no organisation's row
    assert_error(mcity.client.get(GIGABIT, headers=mcity.auth("pupil")), 403, "access_denied")
    assert_error(mcity.client.get(GIGABIT, headers=mcity.auth("citizen")), 403, "access_denied")


def test_an_unknown_indicator_is_404_and_a_bad_id_422(mcity: ApiCity) -> None:
    assert_error(mcity.client.get(f"{PREFIX}/indicators/nope/values", headers=mcity.auth("city")), 404, "not_found")
    assert_error(mcity.client.get(f"{PREFIX}/indicators/Bad-Id/values", headers=mcity.auth("city")), 422)
