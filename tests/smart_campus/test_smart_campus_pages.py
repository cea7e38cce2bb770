"""The 智慧校园达标评定 pages: rendered HTML (no raw JSON), the workflow through forms, refusals out of scope."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, ApiCity
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.smart_campus.conftest import FULL_SCORES, PDF

BASE = "/monitoring/smart-campus"


def _web(city: ApiCity, user: str) -> TestClient:
    client = TestClient(city.client.app, follow_redirects=False)
    assert client.post("/login", data={"username": user, "password": PASSWORD, "next": "/"}).status_code == 303
    return client


def _html(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert not response.text.lstrip().startswith("{")
    return response.text


def _post(client: TestClient, path: str, page: str, data: dict[str, object] | None = None, **kw: object) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert token, page
    response = client.post(path, data={"csrf_token": token.group(1), **(data or {})}, **kw)  # type: ignore[arg-type]
    assert response.status_code == 303, response.text[:800]


def test_smart_campus_pages_carry_the_workflow_from_draft_to_approval(scity: ApiCity) -> None:
    school, haidian, city = _web(scity, "school1"), _web(scity, "haidian"), _web(scity, "city")
    page = f"{BASE}/{SCHOOL}/2025"
    html = _html(school, page)
    assert 'id="smart-campus-draft"' in html and "未自评" in html
    _post(school, f"{page}/draft", page)
    _post(school, f"{page}/scores", page, {f"score_{k}": v for k, v in FULL_SCORES.items()})
    token = re.search(r'name="csrf_token" value="([^"]+)"', school.get(page).text)
    assert token
    uploaded = school.post(f"{page}/evidence", data={"indicator": "smart_teaching", "csrf_token": token.group(1)},
                           files={"file": ("方案.pdf", PDF, "application/pdf")})  # fmt: skip
    assert uploaded.status_code == 303, uploaded.text[:500]
    html = _html(school, page)
    assert "方案.pdf" in html and 'data-action="submit"' in html and 'data-action="approve"' not in html
    _post(school, f"{page}/submit", page)
    html = _html(haidian, page)
    assert 'data-action="recommend"' in html and 'data-action="return"' in html and 'data-action="approve"' not in html
    _post(haidian, f"{page}/recommend", page)
    assert 'data-action="approve"' in _html(city, page)
    _post(city, f"{page}/approve", page)
    html = _html(city, page)
    assert 'data-meets="1"' in html and "市级已认定" in html and 'id="smart-campus-radar"' in html
    assert html.count('data-step="') == 6  # create, save, evidence, submit, recommend, approve
    overview = _html(city, BASE)
    assert "实现全市中小学智慧校园达标率85%" in overview and 'id="smart-campus-chart"' in overview
    assert f'data-school="{SCHOOL}"' in overview and "总分 77.0" in overview
    assert re.search(r'data-area="110000">.*?<td class="num">3</td><td class="num">1</td>', overview, re.S)
    assert "智慧校园达标" in _html(school, "/monitoring")  # the navigation link
    evidence = re.search(rf'href="{BASE}/evidence/([0-9a-f]{{32}})"', html)
    assert evidence and city.get(f"{BASE}/evidence/{evidence.group(1)}").content == PDF
    assert _web(scity, "school2").get(f"{BASE}/evidence/{evidence.group(1)}").status_code == 404


def test_smart_campus_pages_refuse_out_of_scope_viewers(scity: ApiCity) -> None:
    page = f"{BASE}/{SCHOOL}/2025"
    for user in ("school2", "cyschool", "chaoyang"):
        response = _web(scity, user).get(page)
        assert response.status_code == 404 and "text/html" in response.headers["content-type"], user
    for user in ("teacher", "citizen"):
        assert _web(scity, user).get(BASE).status_code == 403
    assert _web(scity, "citizen").get(BASE).status_code == 403
    assert _web(scity, "school2").post(f"{page}/draft").status_code in (403, 404)  # no token, not its school
    chaoyang = _html(_web(scity, "chaoyang"), f"{BASE}/{CHAOYANG_SCHOOL}/2025")
    assert 'id="smart-campus-draft"' not in chaoyang  # a district cannot draft for a school
    assert _html(_web(scity, "school2"), f"{BASE}/{OTHER_SCHOOL}/2025").count('id="smart-campus-draft"') == 1
    assert "尚无评定数据" in _html(_web(scity, "auditor"), BASE)
