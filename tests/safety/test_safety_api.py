"""Campus safety over REST: rates per 1,000 pupils, suppression, warnings, and who may see what (red team)."""

from __future__ import annotations

from tests.api.conftest import ApiCity, assert_error
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL

BASE = "/api/v1/safety"


def test_safety_api_school_officer_reads_own_incidents(city: ApiCity) -> None:
    body = city.client.get(f"{BASE}/incidents", headers=city.auth("school1")).json()
    assert body["school_code"] == SCHOOL and body["count"] == 14
    assert body["incidents"][0]["incident_date"] == "2025-11-17"  # newest first (1 September + 11 weeks)


def test_safety_api_other_school_answers_as_unknown(city: ApiCity) -> None:
    other = assert_error(
        city.client.get(f"{BASE}/incidents", params={"school": OTHER_SCHOOL}, headers=city.auth("school1")), 403
    )
    unknown = assert_error(
        city.client.get(f"{BASE}/incidents", params={"school": "1101089999"}, headers=city.auth("school1")), 403
    )
    assert other["message_en"].replace(OTHER_SCHOOL, "?") == unknown["message_en"].replace("1101089999", "?")


def test_safety_api_district_gets_no_incident_rows(city: ApiCity) -> None:
    assert_error(city.client.get(f"{BASE}/incidents", headers=city.auth("haidian")), 403)
    assert_error(city.client.get(f"{BASE}/incidents", params={"school": SCHOOL}, headers=city.auth("haidian")), 403)


def test_safety_api_district_rates_hide_small_cells(city: ApiCity) -> None:
    body = city.client.get(f"{BASE}/overview", headers=city.auth("haidian")).json()
    assert (body["level"], body["district_code"], body["term"], body["min_cell"]) == ("school", "110108", "2025-1", 10)
    rows = {r["org_code"]: r for r in body["rows"]}
    assert set(rows) == {SCHOOL, OTHER_SCHOOL}
    assert (rows[SCHOOL]["incidents"], rows[SCHOOL]["pupils"], rows[SCHOOL]["rate_per_1000"]) == (14, 4, 3500.0)
    assert rows[SCHOOL]["by_type"] == {"21": None, "41": None}  # 2 hidden, and 12 with it (complementary)
    assert (rows[OTHER_SCHOOL]["incidents"], rows[OTHER_SCHOOL]["by_type"]) == (None, {"31": None})
    every = [r["incidents"] for r in body["patterns"]] + [v for r in body["rows"] for v in r["by_type"].values()]
    assert all(v is None or v == 0 or v >= 10 for v in every)
    assert body["patterns"] and all(p["incidents"] is None or p["incidents"] >= 10 for p in body["patterns"])


def test_safety_api_warnings_are_scoped(city: ApiCity) -> None:
    haidian = city.client.get(f"{BASE}/overview", headers=city.auth("haidian")).json()["warnings"]
    assert haidian and {w["district_code"] for w in haidian} == {"110108"}
    assert any(w["org_code"] == SCHOOL and w["incident_type"] == "21" for w in haidian)
    town = city.client.get(f"{BASE}/overview", headers=city.auth("city")).json()
    found = {(w["org_code"], w["incident_type"], w["week_start"]) for w in town["warnings"]}
    assert (CHAOYANG_SCHOOL, "41", "2025-10-13") in found and ("110105", "41", "2025-10-13") in found
    assert town["level"] == "district" and {r["org_code"] for r in town["rows"]} >= {"110108", "110105"}


def test_safety_api_other_district_and_outsiders_refused(city: ApiCity) -> None:
    other = assert_error(
        city.client.get(f"{BASE}/overview", params={"district": "110105"}, headers=city.auth("haidian")), 403
    )
    unknown = assert_error(
        city.client.get(f"{BASE}/overview", params={"district": "110199"}, headers=city.auth("haidian")), 403
    )
    assert other["message_en"].replace("110105", "?") == unknown["message_en"].replace("110199", "?")
    for user in ("teacher", "citizen"):
        assert_error(city.client.get(f"{BASE}/overview", headers=city.auth(user)), 403)
        assert_error(city.client.get(f"{BASE}/incidents", headers=city.auth(user)), 403)
