"""``POST /api/v1/iot/readings``: a school's readings as JSON, through the write door, all or nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from edubrain.exchange.ingest import ingest_file
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import OTHER_SCHOOL, SCHOOL, write_csv

URL = "/api/v1/iot/readings"
DEVICES = [
    ["设备编号", "学校标识码", "设备类别", "设备名称", "安装位置", "安装日期", "设备状态"],
    [f"{SCHOOL}-1101", SCHOOL, "11", "总电表", "配电室", "2024-03-01", "1"],
    [f"{SCHOOL}-2201", SCHOOL, "22", "", "教学楼A-301", "2024-03-01", "1"],
    [f"{OTHER_SCHOOL}-1101", OTHER_SCHOOL, "11", "", "配电室", "2024-03-01", "1"],
]


def readings(days: int = 3) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for day in range(1, days + 1):
        date = f"2025-10-{day:02d}"
        out.append({"device_id": f"{SCHOOL}-1101", "reading_date": date, "metric": "elec_kwh", "value": 400 + day})
        out.append({"device_id": f"{SCHOOL}-2201", "reading_date": date, "metric": "co2_ppm", "value": 800})
    out[-1]["fault_code"] = "02"
    return out


@pytest.fixture
def iot(fresh: ApiCity, tmp_path) -> ApiCity:  # type: ignore[no-untyped-def]
    for school in (SCHOOL, OTHER_SCHOOL):
        rows = [DEVICES[0], *[r for r in DEVICES[1:] if r[1] == school]]
        path = write_csv(tmp_path / f"devices-{school}.csv", rows)
        assert ingest_file(fresh.home, path, "iot_devices", school).report.status == "committed"
    return fresh


def stored(city: ApiCity) -> int:
    """Readings in the lake."""
    if city.home.lake.version("iot_readings") is None:
        return 0
    return city.home.lake.read(city.home.catalog.dataset("iot_readings")).num_rows


def batches(city: ApiCity) -> list[tuple[str, str]]:
    with session_scope(city.home.engine) as session:
        rows = session.execute(
            select(SubmissionBatch.org_code, SubmissionBatch.status).where(SubmissionBatch.dataset == "iot_readings")
        )
        return [(str(o), str(s)) for o, s in rows]


def test_iot_a_school_pushes_its_readings_as_one_batch(iot: ApiCity) -> None:
    response = iot.client.post(URL, json=readings(), headers=iot.auth("school1"))
    assert response.status_code == 201, response.text
    report = response.json()["report"]
    assert report["status"] == "committed" and report["rows_added"] == 6 and report["org"] == SCHOOL
    assert len(report["batch_id"]) == 32
    assert stored(iot) == 6
    again = iot.client.post(URL, json=readings(), headers=iot.auth("school1"))
    assert again.status_code == 201 and again.json()["report"]["status"] == "unchanged"
    assert stored(iot) == 6


def test_iot_ndjson_is_accepted(iot: ApiCity) -> None:
    body = "\n".join(json.dumps(r) for r in readings(2)) + "\n"
    headers = {**iot.auth("school1"), "Content-Type": "application/x-ndjson"}
    response = iot.client.post(URL, content=body.encode(), headers=headers)
    assert response.status_code == 201, response.text
    assert stored(iot) == 4


@pytest.mark.parametrize("user", ["school2", "chaoyang", "teacher", "citizen"])
def test_iot_another_schools_account_is_refused_and_nothing_is_stored(iot: ApiCity, user: str) -> None:
    response = iot.client.post(URL, params={"school": SCHOOL}, json=readings(), headers=iot.auth(user))
    error = assert_error(response, 403, "access_denied")
    assert SCHOOL in error["message_en"] or "may not" in error["message_en"]
    assert stored(iot) == 0
    assert batches(iot) == []


def test_iot_a_school_cannot_push_another_schools_rows_under_its_own_name(iot: ApiCity) -> None:
    """Rows naming another school in a push of school1's own: every such row is a problem, nothing stored."""
    rows = readings(1) + [
        {"device_id": f"{OTHER_SCHOOL}-1101", "school_code": OTHER_SCHOOL, "reading_date": "2025-10-01",
         "metric": "elec_kwh", "value": 10},
    ]  # fmt: skip
    response = iot.client.post(URL, json=rows, headers=iot.auth("school1"))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["report"]["status"] == "rejected"
    assert any(p["row"] == 3 and p["column"] == "school_code" for p in body["problems"]), body["problems"]
    assert stored(iot) == 0
    assert batches(iot) == [(SCHOOL, "rejected")]


def test_iot_the_district_and_its_node_push_for_their_school(iot: ApiCity) -> None:
    for user, days in (("haidian", 1), ("node", 2)):
        response = iot.client.post(URL, params={"school": SCHOOL}, json=readings(days), headers=iot.auth(user))
        assert response.status_code == 201, response.text
        assert response.json()["report"]["org"] == SCHOOL
    assert stored(iot) == 4


def test_iot_bad_rows_get_bilingual_what_and_where_and_nothing_is_half_written(iot: ApiCity) -> None:
    rows = readings(2)
    rows[1]["metric"] = "kwh"  # not a metric code
    rows[2]["device_id"] = f"{SCHOOL}-9999"  # not in the register
    rows[3]["value"] = "lots"
    response = iot.client.post(URL, json=rows, headers=iot.auth("school1"))
    assert response.status_code == 422, response.text
    problems = {(p["row"], p["column"]): p for p in response.json()["problems"]}
    assert {(2, "metric"), (4, "value")} <= set(problems), problems
    assert any(row == 3 for row, _ in problems), problems
    for problem in problems.values():
        assert problem["message_zh"] and problem["message_en"]
    assert "kwh" in problems[(2, "metric")]["message_en"] and "metric" in problems[(2, "metric")]["message_en"]
    assert stored(iot) == 0


def test_iot_malformed_bodies_are_refused_in_both_languages(iot: ApiCity) -> None:
    headers = {**iot.auth("school1"), "Content-Type": "application/json"}
    for body in (b"{not json", b"[]", b'{"device_id": "x"}', b"[1, 2]"):
        assert_error(iot.client.post(URL, content=body, headers=headers), 422, "invalid_request")
    assert_error(iot.client.post(URL, json=readings()), 401)
    assert stored(iot) == 0


def test_iot_a_body_over_the_cap_is_refused(iot: ApiCity, monkeypatch: pytest.MonkeyPatch) -> None:
    from edubrain.api.routers import iot as iot_router

    monkeypatch.setattr(iot_router, "MAX_BODY_MB", 1)
    big = [{**readings(1)[0], "note": "x" * 1000} for _ in range(1200)]
    response = iot.client.post(URL, json=big, headers=iot.auth("school1"))
    assert_error(response, 413, "payload_too_large")
    assert stored(iot) == 0
