"""The REST routes of the profiles: shapes, the PDF, teacher, school and district routes."""

from __future__ import annotations

from tests.api.conftest import assert_error
from tests.conftest import SCHOOL
from tests.profiles.conftest import TEACHER, YEAR, ProfileCity

PREFIX = "/api/v1/profiles"


def test_a_school_reads_a_pupil_its_evidence_and_its_record(pcity: ProfileCity) -> None:
    headers = pcity.api.auth("school1")
    p = pcity.p(pcity.ids[0])
    body = pcity.api.client.get(f"{PREFIX}/students/{p}?purpose=teaching&lang=en", headers=headers).json()
    assert body["pseudonym"] == p and body["years"][0]["school_year"] == YEAR
    assert body["years"][0]["grade_name"] == "Primary 1" and body["identity"]["sex_name"] == "male"
    arts = next(i for i in body["years"][0]["indicators"] if i["column"] == "arts_hours")
    assert arts["value"] == 5.5 and arts["source"]["dataset"] == "student_activities"
    ev = pcity.api.client.get(
        f"{PREFIX}/students/{p}/evidence/arts_hours?school_year={YEAR}&purpose=teaching", headers=headers
    ).json()
    assert ev["total"] == 2 and {r["values"]["record_id"] for r in ev["rows"]} == {"A1", "A2"}
    pdf = pcity.api.client.get(f"{PREFIX}/students/{p}/record.pdf?purpose=teaching", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    choices = pcity.api.client.get(f"{PREFIX}/students?purpose=teaching&limit=2", headers=headers).json()
    assert choices["total"] == 4 and len(choices["items"]) == 2


def test_validation_and_unknown_indicators(pcity: ProfileCity) -> None:
    headers = pcity.api.auth("school1")
    assert_error(pcity.api.client.get(f"{PREFIX}/students/G110108", headers=headers), 422)
    p = pcity.p(pcity.ids[0])
    assert_error(
        pcity.api.client.get(
            f"{PREFIX}/students/{p}/evidence/nope?school_year={YEAR}&purpose=teaching", headers=headers
        ),
        404,
        "not_found",
    )
    assert_error(pcity.api.client.get(f"{PREFIX}/students/{p}?purpose=nonsense", headers=headers), 400)


def test_district_routes(pcity: ProfileCity) -> None:
    headers = pcity.api.auth("haidian")
    teacher = pcity.api.client.get(f"{PREFIX}/teachers/{TEACHER}", headers=headers).json()
    assert teacher["teacher_id"] == TEACHER and teacher["years"][0]["school_code"] == SCHOOL
    school = pcity.api.client.get(f"{PREFIX}/schools/{SCHOOL}", headers=headers).json()
    assert school["name"] == "海淀示例一小"
    summary = pcity.api.client.get(f"{PREFIX}/districts/110108/summary", headers=headers).json()
    assert summary["school_year"] == YEAR and len(summary["schools"]) == 2
    assert all(s["suppressed"] == "small_cell" for s in summary["schools"])
    assert_error(pcity.api.client.get(f"{PREFIX}/districts/110105/summary", headers=headers), 403, "access_denied")
