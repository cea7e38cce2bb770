"""/api/v1/submissions: upload -> validation report, resubmit -> new version, history scoped per organisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from edubrain.api.uploads import safe_file_name
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, student_rows, write_csv

URL = "/api/v1/submissions"


def _roster(folder: Path, name: str, rows: list[list[object]], encoding: str = "gbk") -> tuple[str, bytes, str]:
    path = write_csv(folder / name, rows, encoding=encoding)
    return (name, path.read_bytes(), "text/csv")


def test_submissions_a_gbk_file_with_an_error_is_reported_cell_by_cell_then_fixed(
    fresh: ApiCity, tmp_path: Path
) -> None:
    rows = student_rows(3, start=40)
    right, rows[2][2] = rows[2][2], "5"  # not a sex code of GB/T 2261.1
    bad = fresh.client.post(
        URL,
        data={"dataset": "students"},
        files={"file": _roster(tmp_path, "学生.csv", rows)},
        headers=fresh.auth("school1"),
    )
    assert bad.status_code == 201, bad.text
    body = bad.json()
    assert body["report"]["status"] == "rejected" and body["report"]["encoding"].lower() in ("gbk", "gb18030")
    assert body["problems_total"] >= 1
    cell = next(p for p in body["problems"] if p["field"] == "sex")
    assert cell["row"] == 3 and cell["column"] == "性别" and cell["message_zh"] and cell["message_en"]
    rows[2][2] = right
    good = fresh.client.post(
        URL,
        data={"dataset": "students"},
        files={"file": _roster(tmp_path, "学生.csv", rows)},
        headers=fresh.auth("school1"),
    )
    report = good.json()["report"]
    assert report["status"] == "committed" and report["version"] == 2 and report["rows_added"] == 3
    detail = fresh.client.get(f"{URL}/{report['batch_id']}", headers=fresh.auth("school1")).json()
    assert detail["status"] == "committed" and detail["report"]["rows_added"] == 3


def test_submissions_history_is_scoped_to_the_organisation(fresh: ApiCity) -> None:
    mine = fresh.client.get(URL, headers=fresh.auth("school1")).json()
    assert mine["count"] == 2 and {b["org_code"] for b in mine["data"]} == {SCHOOL}
    district = fresh.client.get(URL, headers=fresh.auth("haidian")).json()
    assert {b["org_code"] for b in district["data"]} == {"110108", SCHOOL, OTHER_SCHOOL}
    other = fresh.client.get(URL, headers=fresh.auth("school2")).json()["data"][0]["batch_id"]
    assert_error(fresh.client.get(f"{URL}/{other}", headers=fresh.auth("school1")), 404, "not_found")
    assert fresh.client.get(URL, params={"dataset": "classes"}, headers=fresh.auth("school1")).json()["count"] == 1
    assert fresh.client.get(URL, headers=fresh.auth("teacher")).json()["count"] == 0


def test_submissions_rows_of_another_school_are_rejected(fresh: ApiCity, tmp_path: Path) -> None:
    rows = student_rows(2, OTHER_SCHOOL, "C2025B", 60)
    response = fresh.client.post(
        URL,
        data={"dataset": "students"},
        files={"file": _roster(tmp_path, "s.csv", rows)},
        headers=fresh.auth("school1"),
    )
    assert response.json()["report"]["status"] == "rejected"
    assert {p["rule"] for p in response.json()["problems"]} >= {"scope"}


@pytest.mark.parametrize(
    ("user", "data", "status", "code"),
    [
        ("teacher", {"dataset": "students"}, 403, "access_denied"),
        ("school1", {"dataset": "students", "org": OTHER_SCHOOL}, 403, "access_denied"),
        ("school1", {"dataset": "nope"}, 404, "unknown_dataset"),
        ("school1", {"dataset": "students", "mode": "merge"}, 422, "invalid_request"),
        ("school1", {}, 422, "invalid_request"),
    ],
)
def test_submissions_refusals_have_the_error_shape(
    fresh: ApiCity, tmp_path: Path, user: str, data: dict[str, str], status: int, code: str
) -> None:
    files = {"file": _roster(tmp_path, "s.csv", student_rows(1, SCHOOL, CLASS, 70))}
    assert_error(fresh.client.post(URL, data=data, files=files, headers=fresh.auth(user)), status, code)


def test_submissions_unreadable_file_and_unauthenticated(fresh: ApiCity) -> None:
    files = {"file": ("s.pdf", b"%PDF-1.4", "application/pdf")}
    assert_error(fresh.client.post(URL, data={"dataset": "students"}, files=files, headers=fresh.auth("school1")), 422)
    assert_error(fresh.client.post(URL, data={"dataset": "students"}, files=files), 401, "auth_error")
    assert_error(fresh.client.get(URL), 401)
    assert_error(fresh.client.get(f"{URL}/nope"), 401)


def test_submissions_an_upload_over_the_limit_is_413(fresh: ApiCity, tmp_path: Path) -> None:
    fresh.home.settings.max_upload_mb = 0
    files = {"file": _roster(tmp_path, "s.csv", student_rows(1, SCHOOL, CLASS, 80))}
    error = assert_error(
        fresh.client.post(URL, data={"dataset": "students"}, files=files, headers=fresh.auth("school1")), 413
    )
    assert error["code"] == "payload_too_large" and "EDUBRAIN_MAX_UPLOAD_MB" in error["message_en"]


def test_submissions_a_file_name_cannot_leave_the_upload_folder() -> None:
    assert safe_file_name("../../etc/学生.csv") == "学生.csv"
    assert safe_file_name("..") == "upload" and safe_file_name(None) == "upload"
    assert safe_file_name("x" * 300 + ".xlsx") == "x" * 100 + ".xlsx"


def test_submissions_an_upload_named_dot_dot_is_refused_cleanly(fresh: ApiCity) -> None:
    files = {"file": ("..", b"a,b\n1,2\n", "text/csv")}
    response = fresh.client.post(URL, data={"dataset": "students"}, files=files, headers=fresh.auth("school1"))
    assert_error(response, 422, "input_file_error")
