"""Attacks: another district, a reader who may not act, a citizen without the check code, probing ids."""

from __future__ import annotations

import uuid

import pytest

from edubrain import public_service as ps
from tests.api.conftest import ApiCity, assert_error
from tests.public_service.conftest import CHAOYANG_TEXT, HAIDIAN_TEXT, principal


def _two_cases(city: ApiCity) -> tuple[str, str]:
    ps.file_case(city.home, text=HAIDIAN_TEXT, district="110108", name="张三", phone="13812345678")
    ps.file_case(city.home, text=CHAOYANG_TEXT, district="110105")
    lines = ps.list_cases(city.home, principal(city.home, "city"))
    by = {x.district_code: x.id for x in lines}
    return by["110108"], by["110105"]


def test_public_service_other_district_case_answers_like_an_unknown_one(pcity: ApiCity) -> None:
    haidian_case, chaoyang_case = _two_cases(pcity)
    c = pcity.client
    lines = c.get("/api/v1/public-service/queue", headers=pcity.auth("chaoyang")).json()["data"]
    assert [x["id"] for x in lines] == [chaoyang_case]
    assert c.get("/api/v1/public-service/queue?district=110108", headers=pcity.auth("chaoyang")).json()["count"] == 0
    foreign = c.get(f"/api/v1/public-service/cases/{haidian_case}", headers=pcity.auth("chaoyang"))
    unknown = c.get(f"/api/v1/public-service/cases/{uuid.uuid4().hex}", headers=pcity.auth("chaoyang"))
    assert_error(foreign, 404, "not_found")
    assert_error(unknown, 404, "not_found")
    assert foreign.json()["error"]["message_en"].replace(haidian_case, "X") == unknown.json()["error"][
        "message_en"
    ].replace(unknown.json()["error"]["details"]["case"], "X")
    for step, body in (("respond", {"response": "已处理完毕，谢谢。"}), ("reroute", {"category": "fees", "note": "x"})):
        r = c.post(f"/api/v1/public-service/cases/{haidian_case}/{step}", json=body, headers=pcity.auth("chaoyang"))
        assert_error(r, 404, "not_found")
    assert ps.case_detail(pcity.home, principal(pcity.home, "haidian"), haidian_case).line.status == "routed"


def test_public_service_analyst_reads_masked_and_may_not_act(pcity: ApiCity) -> None:
    haidian_case, chaoyang_case = _two_cases(pcity)
    c = pcity.client
    found = c.get(f"/api/v1/public-service/cases/{haidian_case}", headers=pcity.auth("hdanalyst")).json()
    assert not found["unmasked"] and found["phone"] == "138****5678" and found["name"] == "张*"
    assert "13812345678" not in found["text"] and found["actions"] == []
    r = c.post(f"/api/v1/public-service/cases/{haidian_case}/respond", json={"response": "已处理完毕。"},
               headers=pcity.auth("hdanalyst"))  # fmt: skip
    assert_error(r, 403)
    assert_error(c.get(f"/api/v1/public-service/cases/{chaoyang_case}", headers=pcity.auth("hdanalyst")), 404)


@pytest.mark.parametrize("user", ["school1", "teacher", "citizen"])
def test_public_service_staff_without_a_case_role_see_nothing(pcity: ApiCity, user: str) -> None:
    haidian_case, _ = _two_cases(pcity)
    c = pcity.client
    assert c.get("/api/v1/public-service/queue", headers=pcity.auth(user)).json()["count"] == 0
    assert_error(c.get(f"/api/v1/public-service/cases/{haidian_case}", headers=pcity.auth(user)), 404)
    assert c.get("/api/v1/public-service/sla", headers=pcity.auth(user)).json()["count"] == 0
    assert_error(c.get("/api/v1/public-service/queue"), 401)


def test_public_service_citizen_needs_the_check_code(pcity: ApiCity) -> None:
    c = pcity.client
    body = {"text": HAIDIAN_TEXT, "district": "110108", "name": "张三", "phone": "13812345678"}
    receipt = c.post("/api/v1/public-service/cases", json=body)
    assert receipt.status_code == 201, receipt.text
    code, check = receipt.json()["code"], receipt.json()["check_code"]
    ok = c.post("/api/v1/public-service/lookup", json={"code": code, "check_code": check})
    assert ok.status_code == 200 and "13812345678" not in ok.text and "张三" not in ok.text
    wrong = c.post("/api/v1/public-service/lookup", json={"code": code, "check_code": "AAAAAAAA"})
    unknown = c.post("/api/v1/public-service/lookup", json={"code": "JS20260101XXXXXX", "check_code": check})
    assert_error(wrong, 404, "not_found")
    assert_error(unknown, 404, "not_found")
    rated = c.post("/api/v1/public-service/rating", json={"code": code, "check_code": "AAAAAAAA", "satisfaction": 5})
    assert_error(rated, 404, "not_found")
