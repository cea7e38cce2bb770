"""Who sees students-at-risk flags, through the facade and the REST API, and who may not (red team)."""

from __future__ import annotations

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from edubrain.early_warning import flag_summary, flagged_students, student_flag
from edubrain.governance.scope import AccessDenied
from tests.early_warning.conftest import DISTRICT, PASSWORD, RiskCity, principal

BASE = "/api/v1/at-risk"


def _planted(city: RiskCity, class_id: str) -> set[str]:
    rows = city.truth.filter(pl.col("at_risk") & (pl.col("class_id") == class_id))
    return {city.pseudonym_of(s) for s in rows.get_column("student_id")}


def test_at_risk_teacher_lists_own_class_with_names_and_reasons(risk_city: RiskCity) -> None:
    teacher = principal("teacher", risk_city.school, "school", (risk_city.class_id,))
    found = flagged_students(risk_city.home, teacher, purpose="teaching")
    listed = {s.pseudonym for s in found.students}
    assert _planted(risk_city, risk_city.class_id) <= listed
    assert {s.class_id for s in found.students} == {risk_city.class_id}
    first = found.students[0]
    assert first.name and first.contributions and first.risk_band in ("watch", "high")
    assert first.risk_score == max(s.risk_score for s in found.students)
    assert len({c.domain for c in first.contributions}) >= 2


def test_at_risk_list_needs_a_purpose_and_is_audited(risk_city: RiskCity) -> None:
    teacher = principal("teacher", risk_city.school, "school", (risk_city.class_id,))
    with pytest.raises(AccessDenied, match="purpose"):
        flagged_students(risk_city.home, teacher, purpose=None)
    flagged_students(risk_city.home, teacher, purpose="teaching")
    with risk_city.home.engine.connect() as conn:
        rows = conn.execute(
            text("select purpose from audit_events where actor = :a and action = 'read_unmasked' and dataset = :d"),
            {"a": teacher.id, "d": "student_risk_flags"},
        ).fetchall()
    assert rows and {r[0] for r in rows} == {"teaching"}


def test_at_risk_school_lists_every_class_of_its_own(risk_city: RiskCity) -> None:
    school = principal("school_admin", risk_city.school, "school")
    found = flagged_students(risk_city.home, school, purpose="teaching")
    planted = risk_city.truth.filter(pl.col("at_risk") & (pl.col("school_code") == risk_city.school))
    listed = {s.pseudonym for s in found.students}
    caught = sum(risk_city.pseudonym_of(s) in listed for s in planted.get_column("student_id"))
    assert caught / planted.height >= 0.8 and {s.school_code for s in found.students} == {risk_city.school}


def test_at_risk_teacher_of_another_class_cannot_read_or_count_a_pupil(risk_city: RiskCity) -> None:
    other = principal("teacher", risk_city.school, "school", (risk_city.other_class,))
    target = sorted(_planted(risk_city, risk_city.class_id))[0]
    assert flagged_students(risk_city.home, other, purpose="teaching", class_id=risk_city.class_id).count == 0
    with pytest.raises(AccessDenied) as outside:
        student_flag(risk_city.home, other, target, purpose="teaching")
    with pytest.raises(AccessDenied) as unknown:
        student_flag(risk_city.home, other, "PAAAAAAAAAAAAAAAAAAAA", purpose="teaching")
    assert outside.value.en.replace(target, "X") == unknown.value.en.replace("PAAAAAAAAAAAAAAAAAAAA", "X")
    counted = {r.org_code for r in flag_summary(risk_city.home, other).rows}
    assert counted == {risk_city.other_class}


def test_at_risk_another_school_sees_none_of_this_school(risk_city: RiskCity) -> None:
    other = principal("school_admin", risk_city.other_school, "school")
    found = flagged_students(risk_city.home, other, purpose="teaching")
    assert risk_city.school not in {s.school_code for s in found.students}
    target = sorted(_planted(risk_city, risk_city.class_id))[0]
    with pytest.raises(AccessDenied):
        student_flag(risk_city.home, other, target, purpose="teaching")


def test_at_risk_district_and_city_get_suppressed_counts_only(risk_city: RiskCity) -> None:
    district = principal("district_admin", DISTRICT, "district")
    summary = flag_summary(risk_city.home, district)
    assert summary.level == "school" and summary.min_count == risk_city.home.settings.small_cell_min
    assert all(r.flagged is None or r.flagged >= summary.min_count for r in summary.rows)
    assert any(r.flagged for r in summary.rows)
    with pytest.raises(AccessDenied):
        flagged_students(risk_city.home, district, purpose="teaching")
    with pytest.raises(AccessDenied):
        student_flag(risk_city.home, district, sorted(_planted(risk_city, risk_city.class_id))[0], purpose="teaching")
    city = flag_summary(risk_city.home, principal("city_admin", "110000", "city"))
    assert city.level == "district" and [r.org_code for r in city.rows] == [DISTRICT]


def test_at_risk_pupils_parents_and_public_see_nothing(risk_city: RiskCity) -> None:
    pupil = str(risk_city.truth.filter(pl.col("at_risk"))["student_id"][0])
    for who in (
        principal("parent", risk_city.school, "school", (pupil,)),
        principal("student", risk_city.school, "school", (pupil,)),
        principal("public", "110000", "city"),
    ):
        with pytest.raises(AccessDenied):
            flag_summary(risk_city.home, who)
        with pytest.raises(AccessDenied):
            flagged_students(risk_city.home, who, purpose="teaching")


def test_at_risk_api_teacher_list_and_pupil_explained(risk_city: RiskCity) -> None:
    client, auth = risk_city.client, risk_city.auth
    listed = client.get(f"{BASE}/students", params={"purpose": "teaching"}, headers=auth("teacher"))
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["count"] >= 1 and body["purpose"] == "teaching"
    pseudonym = body["students"][0]["pseudonym"]
    one = client.get(f"{BASE}/students/{pseudonym}", params={"purpose": "teaching"}, headers=auth("teacher"))
    assert one.status_code == 200 and one.json()["contributions"][0]["rationale_en"]
    for user in ("other_teacher", "other_school", "district", "chaoyang", "parent"):
        refused = client.get(f"{BASE}/students/{pseudonym}", params={"purpose": "teaching"}, headers=auth(user))
        assert refused.status_code == 403, (user, refused.text)
    assert client.get(f"{BASE}/summary", headers=auth("parent")).status_code == 403
    assert client.get(f"{BASE}/summary", headers=auth("district")).json()["min_count"] > 0


def test_at_risk_nobody_writes_flags(risk_city: RiskCity) -> None:
    csv = "学生假名,学年,是否预警\nPAAAAAAAAAAAAAAAAAAAA,2025,否\n".encode()
    before = risk_city.home.lake.version("student_risk_flags")
    for user, org in (("teacher", risk_city.school), ("school", risk_city.school), ("city", "110000")):
        sent = risk_city.client.post(
            "/api/v1/submissions", files={"file": ("f.csv", csv, "text/csv")},
            data={"dataset": "student_risk_flags", "org": org}, headers=risk_city.auth(user),
        )  # fmt: skip
        assert sent.status_code in (400, 403, 422), (user, sent.status_code, sent.text)
    assert risk_city.home.lake.version("student_risk_flags") == before


def _login(city: RiskCity, user: str) -> TestClient:
    client = TestClient(city.client.app, follow_redirects=False)
    response = client.post("/login", data={"username": user, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text
    return client


def test_at_risk_pages_scope_the_list_and_hide_the_nav_from_parents(risk_city: RiskCity) -> None:
    teacher = _login(risk_city, "teacher")
    page = teacher.get("/at-risk", params={"purpose": "teaching"})
    assert page.status_code == 200 and 'href="/at-risk"' in page.text and "data-student=" in page.text
    assert "/profiles/students/P" in page.text and "style=" not in page.text
    first = page.text.split('data-student="')[1].split('"')[0]
    one = teacher.get(f"/at-risk/students/{first}", params={"purpose": "teaching", "lang": "en"})
    assert one.status_code == 200 and 'data-indicator="' in one.text
    assert teacher.get(f"/at-risk/students/{first}").text.count('name="purpose"') == 1  # asks the purpose first
    district = _login(risk_city, "district")
    page = district.get("/at-risk", params={"purpose": "teaching"})
    assert page.status_code == 200 and "data-student=" not in page.text and 'id="at-risk-summary"' in page.text
    assert district.get(f"/at-risk/students/{first}", params={"purpose": "teaching"}).status_code == 403
    parent = _login(risk_city, "parent")
    assert 'href="/at-risk"' not in parent.get("/").text
    assert parent.get("/at-risk").status_code == 403
