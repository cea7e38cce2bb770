"""Attacker tests of the smart-campus evaluation: out-of-scope principals cannot read, change or infer."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from sqlalchemy import func, select

from edubrain.analytics.smart_campus.framework import EvidenceRules
from edubrain.governance.audit import AuditEvent
from edubrain.governance.smart_campus_models import SmartCampusEvidence
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.smart_campus.conftest import FULL_SCORES, PDF, PNG

P = "/api/v1/smart-campus"


def _draft(city: ApiCity, user: str = "school1", school: str = SCHOOL) -> str:
    response = city.client.post(
        f"{P}/assessments", json={"school": school, "school_year": 2025}, headers=city.auth(user)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _upload(city: ApiCity, aid: str, content: bytes, name: str = "a.pdf", user: str = "school1") -> object:
    return city.client.post(f"{P}/assessments/{aid}/evidence", files={"file": (name, content, "application/pdf")},
                            data={"indicator": "smart_teaching"}, headers=city.auth(user))  # fmt: skip


def _stored(city: ApiCity) -> tuple[int, list[Path]]:
    with session_scope(city.home.engine) as session:
        rows = int(session.scalar(select(func.count(SmartCampusEvidence.id))) or 0)
    folder = city.home.settings.home / "smart-campus-evidence"
    return rows, sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_smart_campus_a_school_cannot_draft_or_read_another_school(scity: ApiCity) -> None:
    other = scity.client.post(
        f"{P}/assessments", json={"school": OTHER_SCHOOL, "school_year": 2025}, headers=scity.auth("school1")
    )
    assert_error(other, 404, "not_found")  # not its school: answered like an unknown one
    assert_error(scity.client.post(f"{P}/assessments", json={"school": SCHOOL, "school_year": 2025},
                                   headers=scity.auth("haidian")), 403, "access_denied")  # fmt: skip
    aid = _draft(scity, "school2", OTHER_SCHOOL)
    assert_error(scity.client.get(f"{P}/assessments/{aid}", headers=scity.auth("school1")), 404, "not_found")
    assert_error(scity.client.get(f"{P}/assessments/{'0' * 32}", headers=scity.auth("school1")), 404, "not_found")
    assert_error(scity.client.get(f"{P}/schools/{OTHER_SCHOOL}/2025", headers=scity.auth("school1")), 404, "not_found")
    bad = scity.client.put(f"{P}/assessments/{aid}/scores", json={"scores": FULL_SCORES}, headers=scity.auth("school1"))
    assert_error(bad, 404, "not_found")
    assert scity.client.get(f"{P}/assessments", headers=scity.auth("school1")).json()["count"] == 0
    for user in ("teacher", "citizen"):
        assert scity.client.get(f"{P}/assessments", headers=scity.auth(user)).json()["count"] == 0
        assert_error(scity.client.get(f"{P}/overview", headers=scity.auth(user)), 403, "access_denied")
    assert_error(scity.client.get(f"{P}/overview"), 401)


def test_smart_campus_district_sees_and_reviews_only_its_schools(scity: ApiCity) -> None:
    cy = _draft(scity, "cyschool", CHAOYANG_SCHOOL)
    scity.client.put(f"{P}/assessments/{cy}/scores", json={"scores": FULL_SCORES}, headers=scity.auth("cyschool"))
    scity.client.post(f"{P}/assessments/{cy}/submit", headers=scity.auth("cyschool"))
    assert_error(scity.client.post(f"{P}/assessments/{cy}/recommend", headers=scity.auth("haidian")), 404, "not_found")
    assert_error(scity.client.get(f"{P}/assessments/{cy}", headers=scity.auth("haidian")), 404, "not_found")
    assert scity.client.get(f"{P}/assessments", headers=scity.auth("haidian")).json()["count"] == 0
    over = scity.client.get(f"{P}/overview", headers=scity.auth("haidian")).json()
    assert {r["district_code"] for r in over["rates"]} == {"110108"}  # no city or Chaoyang rate inferred
    assert (
        scity.client.post(f"{P}/assessments/{cy}/recommend", headers=scity.auth("chaoyang")).json()["state"]
        == "recommended"
    )


def test_smart_campus_evidence_is_checked_by_magic_bytes_and_size_and_nothing_is_stored(scity: ApiCity) -> None:
    aid = _draft(scity)
    fake = _upload(scity, aid, b"MZ\x90\x00 this is an exe renamed", "scan.pdf")
    body = assert_error(fake, 422, "input_file_error")
    assert "文件头" in body["message_zh"] and "first bytes" in body["message_en"]
    tiny = EvidenceRules(max_mb=0.00001, types=("pdf", "jpeg", "png"))  # about 10 bytes
    with mock.patch("edubrain.governance.smart_campus_evidence.evidence_rules", return_value=tiny):
        big = assert_error(_upload(scity, aid, PDF), 422, "input_file_error")
    assert "过大" in big["message_zh"] and "too large" in big["message_en"]
    assert_error(_upload(scity, aid, PDF, user="school2"), 404, "not_found")  # another school's assessment
    assert _stored(scity) == (0, [])
    good = _upload(scity, aid, PNG, "photo.png")
    assert good.status_code == 201
    rows, files = _stored(scity)
    assert rows == 1 and len(files) == 1 and files[0].stat().st_mode & 0o077 == 0


def test_smart_campus_evidence_downloads_are_scoped_audited_and_not_guessable(scity: ApiCity) -> None:
    aid = _draft(scity)
    eid = _upload(scity, aid, PDF).json()["id"]
    for user in ("school1", "haidian", "hdanalyst", "city", "analyst", "auditor"):
        got = scity.client.get(f"{P}/evidence/{eid}", headers=scity.auth(user))
        assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf", user
    for user in ("school2", "cyschool", "chaoyang", "teacher", "citizen"):
        assert_error(scity.client.get(f"{P}/evidence/{eid}", headers=scity.auth(user)), 404, "not_found")
    assert_error(scity.client.get(f"{P}/evidence/{'f' * 32}", headers=scity.auth("school2")), 404, "not_found")
    with session_scope(scity.home.engine) as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "smart_campus_evidence_read")).all()
    assert len(reads) == 6 and {r.detail["evidence"] for r in reads} == {eid}
