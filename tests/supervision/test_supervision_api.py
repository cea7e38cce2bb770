"""Graded supervision over REST and through the facade: planted grades found, scope held (red team)."""

from __future__ import annotations

import polars as pl

from tests.api.conftest import ApiCity, assert_error

BASE = "/api/v1/supervision"
City = tuple[ApiCity, pl.DataFrame]


def _planted(truth: pl.DataFrame, kind: str, district: str = "110108") -> str:
    return str(truth.filter((pl.col("planted") == kind) & (pl.col("district_code") == district))["provider_code"][0])


def test_supervision_api_planted_grades_match_the_truth(city: City) -> None:
    api, truth = city
    body = api.client.get(f"{BASE}/providers", headers=api.auth("city")).json()
    got = {p["provider_code"]: p for p in body["providers"]}
    assert body["count"] == truth.height == len(got)
    expected = truth.filter(pl.col("expected_grade").is_not_null())
    assert {c: got[c]["grade"] for c in expected["provider_code"]} == dict(
        expected.select("provider_code", "expected_grade").iter_rows()
    )
    bad = truth.filter(~pl.col("code_valid"))["provider_code"].to_list()
    assert sorted(c for c, p in got.items() if p["code_valid"] is False) == sorted(bad)


def test_supervision_api_district_sees_only_its_providers_soonest_due_first(city: City) -> None:
    api, truth = city
    body = api.client.get(f"{BASE}/providers", headers=api.auth("haidian")).json()
    assert {p["district_code"] for p in body["providers"]} == {"110108"}
    assert body["count"] == truth.filter(pl.col("district_code") == "110108").height
    dues = [p["next_inspection_due"] for p in body["providers"]]
    assert dues == sorted(dues)
    assert {c["district_code"] for c in body["counts"]} == {"110108"}
    d_only = api.client.get(f"{BASE}/providers", params={"grade": "D"}, headers=api.auth("haidian")).json()
    assert {p["grade"] for p in d_only["providers"]} == {"D"} and d_only["count"] >= 2


def test_supervision_api_explanation_traces_every_point(city: City) -> None:
    api, truth = city
    code = _planted(truth, "serious")
    body = api.client.get(f"{BASE}/providers/{code}", headers=api.auth("haidian")).json()
    items = body["items"]
    assert {i["source_dataset"] for i in items} == {"provider_inspections", "provider_complaints"}
    assert sorted({i["kind"] for i in items}) == ["complaint", "finding", "overdue"]
    total = body["start_score"] + sum(i["points"] for i in items)
    assert abs(max(total, 0) - body["provider"]["score"]) < 0.06
    assert body["provider"]["grade"] == "D" and body["provider"]["interval_months"] == 1


def test_supervision_api_other_districts_provider_answers_as_unknown(city: City) -> None:
    api, truth = city
    theirs = _planted(truth, "serious", "110105")
    other = assert_error(api.client.get(f"{BASE}/providers/{theirs}", headers=api.auth("haidian")), 403)
    unknown = assert_error(api.client.get(f"{BASE}/providers/91110108MA0000000X", headers=api.auth("haidian")), 403)
    assert other["message_en"].replace(theirs, "?") == unknown["message_en"].replace("91110108MA0000000X", "?")
    assert_error(api.client.get(f"{BASE}/providers", params={"district": "110105"}, headers=api.auth("haidian")), 403)
    assert api.client.get(f"{BASE}/providers/{theirs}", headers=api.auth("chaoyang")).status_code == 200


def test_supervision_api_schools_teachers_and_public_get_no_scores(city: City) -> None:
    api, _ = city
    for user in ("school1", "teacher", "citizen"):
        assert_error(api.client.get(f"{BASE}/providers", headers=api.auth(user)), 403)
    for dataset in ("provider_credit_items", "provider_credit_grades", "provider_inspections"):
        assert_error(api.client.get(f"/api/v1/datasets/{dataset}/rows", headers=api.auth("citizen")), 403)
    public = api.client.get("/api/v1/datasets/provider_public_grades/rows", headers=api.auth("citizen"))
    assert public.status_code == 200 and public.json()["count"] > 0


def test_supervision_api_public_list_has_grades_only(city: City) -> None:
    api, truth = city
    body = api.client.get(f"{BASE}/public", params={"district": "110105"}, headers=api.auth("citizen")).json()
    assert body["count"] == truth.filter(pl.col("district_code") == "110105").height
    assert set(body["providers"][0]) == {"provider_code", "name", "district_code", "provider_type", "grade", "as_of"}
