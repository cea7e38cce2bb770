"""Transfers: moving a pupil or a school between organisations is its own audited action, for those who hold both."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from edubrain.catalog import get_catalog
from edubrain.cli import main
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity
from edubrain.store.db import session_scope
from tests.api.conftest import OTHER_CLASS, ApiCity, assert_error
from tests.conftest import CHAOYANG_SCHOOL, CLASS, OTHER_SCHOOL, SCHOOL, home_with_schools, student_rows, write_csv

URL = "/api/v1/transfers"


def _pupil(city: ApiCity) -> str:
    return str(student_rows(1, SCHOOL, CLASS)[1][0])


def _events(city: ApiCity, action: str) -> list[dict]:
    from edubrain.governance.audit import AuditEvent

    with session_scope(city.home.engine) as session:
        found = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        return [{"actor": e.actor, "detail": e.detail, "rows": e.row_count} for e in found]


def _body(pupil: str, **extra: object) -> dict:
    return {"dataset": "students", "keys": [pupil], "to_org": OTHER_SCHOOL, "class_id": OTHER_CLASS,
            "reason": "转学：随父母工作调动", **extra}  # fmt: skip


def test_security_a_district_moves_a_pupil_between_its_schools_and_it_is_audited(fresh: ApiCity) -> None:
    pupil = _pupil(fresh)
    before = fresh.home.lake.version("students")
    response = fresh.client.post(URL, json=_body(pupil), headers=fresh.auth("haidian"))
    assert response.status_code == 201, response.text
    report = response.json()["report"]
    assert report["status"] == "committed" and report["rows_changed"] == 1 and report["mode"] == "transfer"
    assert fresh.home.lake.version("students") == (before or 0) + 1
    school2 = fresh.client.get("/api/v1/datasets/students/rows", headers=fresh.auth("school2")).json()
    assert school2["count"] == 4  # 3 of its own and the pupil moved in
    school1 = fresh.client.get("/api/v1/datasets/students/rows", headers=fresh.auth("school1")).json()
    assert school1["count"] == 3
    [event] = _events(fresh, "transfer")
    move = event["detail"]["transfer"]
    assert move["from"] == [SCHOOL] and move["to"] == OTHER_SCHOOL and event["rows"] == 1
    assert event["actor"] != f"org:{OTHER_SCHOOL}"  # the person who moved it, not an organisation


def test_security_a_school_cannot_transfer_a_pupil_out_or_in(fresh: ApiCity) -> None:
    pupil = _pupil(fresh)
    for user in ("school1", "school2"):  # the sender does not hold the receiver, nor the receiver the sender
        assert_error(fresh.client.post(URL, json=_body(pupil), headers=fresh.auth(user)), 403, "transfer_refused")
    assert _events(fresh, "transfer") == []


def test_security_another_district_cannot_transfer_or_learn_that_a_pupil_exists(fresh: ApiCity, tmp_path: Path) -> None:
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是"],
    ]
    assert (
        ingest_file(fresh.home, write_csv(tmp_path / "cy.csv", rows), "schools", "110105").report.status == "committed"
    )
    pupil = _pupil(fresh)
    stored = fresh.client.post(URL, json=_body(pupil, to_org=CHAOYANG_SCHOOL), headers=fresh.auth("chaoyang"))
    absent = fresh.client.post(URL, json=_body("G" + "9" * 18, to_org=CHAOYANG_SCHOOL), headers=fresh.auth("chaoyang"))
    first, second = assert_error(stored, 403, "transfer_refused"), assert_error(absent, 403, "transfer_refused")
    assert first["message_en"] == second["message_en"]  # a stored pupil of another district reads as absent


def test_security_a_school_moves_between_districts_only_by_the_city(fresh: ApiCity) -> None:
    body = {"dataset": "schools", "keys": [SCHOOL], "to_org": "110105", "reason": "行政区划调整"}
    for user in ("haidian", "chaoyang"):
        assert_error(fresh.client.post(URL, json=body, headers=fresh.auth(user)), 403, "transfer_refused")
    response = fresh.client.post(URL, json=body, headers=fresh.auth("city"))
    assert response.status_code == 201 and response.json()["report"]["status"] == "committed", response.text
    schools = fresh.client.get("/api/v1/datasets/schools/rows", headers=fresh.auth("city")).json()["data"]
    assert {r["school_code"]: r["district_code"] for r in schools}[SCHOOL] == "110105"


def test_security_a_transfer_into_a_class_of_another_school_is_rejected(fresh: ApiCity) -> None:
    response = fresh.client.post(URL, json=_body(_pupil(fresh), class_id=CLASS), headers=fresh.auth("haidian"))
    assert response.status_code == 201
    body = response.json()
    assert body["report"]["status"] == "rejected" and {p["rule"] for p in body["problems"]} == {"reference"}
    [event] = _events(fresh, "transfer")  # the attempt is on record, as rejected
    assert event["detail"]["status"] == "rejected" and event["rows"] == 0


def test_security_a_transfer_needs_a_reason_and_a_submitting_role(fresh: ApiCity) -> None:
    assert_error(fresh.client.post(URL, json=_body(_pupil(fresh), reason=""), headers=fresh.auth("haidian")), 422)
    assert_error(fresh.client.post(URL, json=_body(_pupil(fresh)), headers=fresh.auth("teacher")), 403)
    assert_error(fresh.client.post(URL, json=_body(_pupil(fresh))), 401)


def test_security_cli_transfer_moves_for_the_district_and_refuses_a_school(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = home_with_schools(tmp_path, get_catalog())
    other = [
        ["班级编号", "学校标识码", "学年", "年级", "班级名称"],
        [OTHER_CLASS, OTHER_SCHOOL, 2025, "11", "一年级2班"],
    ]
    assert (
        ingest_file(home, write_csv(tmp_path / "c2.csv", other), "classes", OTHER_SCHOOL).report.status == "committed"
    )
    roster = write_csv(tmp_path / "s.csv", student_rows(2, SCHOOL, CLASS))
    assert ingest_file(home, roster, "students", SCHOOL).report.status == "committed"
    with session_scope(home.engine) as session:
        for name, role, org in (("hd", "district_admin", "110108"), ("s1", "school_admin", SCHOOL)):
            identity.add_user(session, name, "synthetic-password-1", org)
            identity.grant(session, name, role, org)
    home.engine.dispose()
    for name in [k for k in os.environ if k.startswith("EDUBRAIN_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_PASSWORD", "synthetic-password-1")
    pupil = str(student_rows(1, SCHOOL, CLASS)[1][0])

    def edubrain(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["edubrain", "--lang", "en", *args])
        with pytest.raises(SystemExit) as stopped:
            main()
        return int(stopped.value.code or 0), capsys.readouterr().err

    args = ("transfer", "students", pupil, "--to", OTHER_SCHOOL, "--class", OTHER_CLASS, "--reason", "transfer")
    code, err = edubrain(*args, "--user", "s1")
    assert code == 3 and "scope" in err and "Traceback" not in err
    code, err = edubrain(*args, "--user", "hd")
    assert code == 0, err
    moved = home.lake.read(home.catalog.dataset("students"), columns=["student_id", "school_code"]).to_pylist()
    assert {"student_id": pupil, "school_code": OTHER_SCHOOL} in moved
