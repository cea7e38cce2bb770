"""Red team: a submission must never take over a stored row owned outside the submitter's scope.

Before the fix, a Chaoyang node key (or its district admin) uploading a one-row ``schools`` file moved a Haidian
school into Chaoyang ("committed, 1 changed"), after which Chaoyang read all of that school's pupils. The same
worked for a pupil, a class and a teacher.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from edubrain.exchange.ingest import ingest_file
from edubrain.governance import tokens
from edubrain.governance.identity import Principal
from edubrain.governance.readpath import read_dataset
from edubrain.store.db import session_scope
from tests.api.conftest import OTHER_CLASS, ApiCity
from tests.conftest import CHAOYANG_SCHOOL, CLASS, OTHER_SCHOOL, SCHOOL, student_rows, write_csv

URL = "/api/v1/submissions"
TEACHER_HEADER = ["教师工号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "参加工作日期", "是否校长"]


def _csv(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8")


def _post(city: ApiCity, headers: dict[str, str], dataset: str, rows: list[list[object]]) -> dict:
    files = {"file": ("x.csv", io.BytesIO(_csv(rows)), "text/csv")}
    response = city.client.post(URL, data={"dataset": dataset}, files=files, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _chaoyang_node(city: ApiCity) -> dict[str, str]:
    with session_scope(city.home.engine) as session:
        _, key = tokens.create_api_key(session, "chaoyang-node", "110105")
    return {"Authorization": f"Bearer {key}"}


def _version(city: ApiCity, dataset: str) -> int | None:
    return city.home.lake.version(dataset)


def _refused_for_owner(body: dict) -> None:
    assert body["report"]["status"] == "rejected", body["report"]
    rules = {p["rule"] for p in body["problems"]}
    assert "key_owner" in rules, body["problems"]
    problem = next(p for p in body["problems"] if p["rule"] == "key_owner")
    assert problem["row"] == 2 and problem["message_zh"] and problem["message_en"]
    assert "110108" not in problem["message_zh"].replace(problem["value"], "")  # the owner is not named


def _chaoyang_school(city: ApiCity, folder: Path) -> None:
    """Store a Chaoyang school with a class, as the city, so a Chaoyang attacker has a school of its own."""
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是"],
    ]
    assert ingest_file(city.home, write_csv(folder / "cy.csv", rows), "schools", "110105").report.status == "committed"
    classes = [
        ["班级编号", "学校标识码", "学年", "年级", "班级名称"],
        ["C2025Z", CHAOYANG_SCHOOL, 2025, "11", "一年级9班"],
    ]
    report = ingest_file(city.home, write_csv(folder / "cyc.csv", classes), "classes", CHAOYANG_SCHOOL).report
    assert report.status == "committed"


@pytest.mark.parametrize("who", ["node", "admin"])
def test_security_a_district_cannot_move_another_districts_school_into_its_own(fresh: ApiCity, who: str) -> None:
    headers = _chaoyang_node(fresh) if who == "node" else fresh.auth("chaoyang")
    before = _version(fresh, "schools")
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [SCHOOL, "海淀示例一小", "110105", "211", "是"],
    ]
    _refused_for_owner(_post(fresh, headers, "schools", rows))
    assert _version(fresh, "schools") == before
    schools = fresh.client.get("/api/v1/datasets/schools/rows", headers=fresh.auth("city")).json()["data"]
    assert {r["school_code"]: r["district_code"] for r in schools}[SCHOOL] == "110108"
    pupils = fresh.client.get("/api/v1/datasets/students/rows", headers=fresh.auth("chaoyang"))
    assert pupils.status_code in (200, 403)
    if pupils.status_code == 200:
        assert pupils.json()["data"] == []


def test_security_a_district_cannot_take_over_a_pupil_of_another_district(fresh: ApiCity, tmp_path: Path) -> None:
    _chaoyang_school(fresh, tmp_path)
    victim = student_rows(1, SCHOOL, CLASS)
    victim[1][6], victim[1][7] = CHAOYANG_SCHOOL, "C2025Z"
    before = _version(fresh, "students")
    _refused_for_owner(_post(fresh, fresh.auth("chaoyang"), "students", victim))
    assert _version(fresh, "students") == before
    rows = fresh.client.get("/api/v1/datasets/students/rows", headers=fresh.auth("school1")).json()["data"]
    assert len(rows) == 4  # the pupil is still school 1's


def test_security_a_school_cannot_take_over_a_pupil_of_another_school(fresh: ApiCity) -> None:
    victim = student_rows(1, SCHOOL, CLASS)  # school 1's first pupil
    victim[1][6], victim[1][7] = OTHER_SCHOOL, OTHER_CLASS
    before = _version(fresh, "students")
    _refused_for_owner(_post(fresh, fresh.auth("school2"), "students", victim))
    assert _version(fresh, "students") == before


def test_security_accept_valid_keeps_the_foreign_row_out(fresh: ApiCity) -> None:
    rows = student_rows(1, SCHOOL, CLASS)
    rows[1][6], rows[1][7] = OTHER_SCHOOL, OTHER_CLASS
    rows += student_rows(1, OTHER_SCHOOL, OTHER_CLASS, start=50)[1:]
    files = {"file": ("x.csv", io.BytesIO(_csv(rows)), "text/csv")}
    data = {"dataset": "students", "accept_valid": "true"}
    body = fresh.client.post(URL, data=data, files=files, headers=fresh.auth("school2")).json()
    assert body["report"]["status"] == "committed" and body["report"]["rows_added"] == 1
    assert body["report"]["rows_changed"] == 0


def test_security_a_school_cannot_take_over_a_class_of_another_school(fresh: ApiCity) -> None:
    rows = [["班级编号", "学校标识码", "学年", "年级", "班级名称"], [CLASS, OTHER_SCHOOL, 2025, "11", "一年级1班"]]
    before = _version(fresh, "classes")
    _refused_for_owner(_post(fresh, fresh.auth("school2"), "classes", rows))
    assert _version(fresh, "classes") == before


def test_security_a_school_cannot_take_over_a_teacher_of_another_school(fresh: ApiCity, tmp_path: Path) -> None:
    from tests.conftest import national_id

    nid = national_id(birth="19850312", seq=3)
    mine = [TEACHER_HEADER, ["T000000001", "王老师", "1", "1985-03-12", nid, SCHOOL, "2008-09-01", "否"]]
    assert ingest_file(fresh.home, write_csv(tmp_path / "t.csv", mine), "teachers", SCHOOL).report.status == "committed"
    theirs = [TEACHER_HEADER, ["T000000001", "王老师", "1", "1985-03-12", nid, OTHER_SCHOOL, "2008-09-01", "否"]]
    before = _version(fresh, "teachers")
    _refused_for_owner(_post(fresh, fresh.auth("school2"), "teachers", theirs))
    assert _version(fresh, "teachers") == before


def test_security_the_owner_and_its_district_may_still_change_the_row(fresh: ApiCity) -> None:
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [SCHOOL, "海淀示例一小（新名）", "110108", "211", "是"],
    ]
    body = _post(fresh, fresh.auth("haidian"), "schools", rows)
    assert body["report"]["status"] == "committed" and body["report"]["rows_changed"] == 1
    pupils = student_rows(1, SCHOOL, CLASS)
    pupils[1][1] = "改名"
    body = _post(fresh, fresh.auth("school1"), "students", pupils)
    assert body["report"]["status"] == "committed" and body["report"]["rows_changed"] == 1


def test_security_the_city_may_correct_any_row(fresh: ApiCity) -> None:
    rows = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [SCHOOL, "海淀示例一小", "110108", "211", "否"],
    ]
    body = _post(fresh, fresh.auth("city"), "schools", rows)
    assert body["report"]["status"] == "committed"
    stored = read_dataset(fresh.home, _city(fresh), "schools", filters={"school_code": SCHOOL}).table
    assert stored.column("is_public").to_pylist() == [False]


def _city(city: ApiCity) -> Principal:
    from edubrain.governance.identity import Grant

    return Principal("city", "city", (Grant("city_admin", "110000", "city"),))
