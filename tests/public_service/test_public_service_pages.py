"""The 接诉即办 pages: the public form and lookup without login, the staff queue, a case, the dashboard, the cockpit."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from edubrain import public_service as ps
from tests.api.conftest import PASSWORD, ApiCity
from tests.public_service.conftest import CHAOYANG_TEXT, HAIDIAN_TEXT, principal


def _web(city: ApiCity, user: str | None = None) -> TestClient:
    client = TestClient(city.client.app, follow_redirects=False)
    if user:
        assert client.post("/login", data={"username": user, "password": PASSWORD, "next": "/"}).status_code == 303
    return client


def _token(client: TestClient, page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found, page
    return found.group(1)


def _page(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html") and "style=" not in response.text
    return response.text


def test_public_service_citizen_files_and_follows_a_case_without_login(pcity: ApiCity) -> None:
    web = _web(pcity)
    assert 'id="service-intake"' in _page(web, "/service")
    form = {"csrf_token": _token(web, "/service"), "text": HAIDIAN_TEXT, "district": "110108", "phone": "13812345678"}
    done = web.post("/service", data=form)
    assert done.status_code == 200 and 'id="service-receipt"' in done.text
    code = re.search(r'id="service-code">([^<]+)<', done.text).group(1)  # type: ignore[union-attr]
    check = re.search(r'id="service-check-code">([^<]+)<', done.text).group(1)  # type: ignore[union-attr]
    token = _token(web, "/service/lookup")
    seen = web.post("/service/lookup", data={"csrf_token": token, "code": code, "check_code": check})
    assert seen.status_code == 200 and 'data-status="routed"' in seen.text and "13812345678" not in seen.text
    wrong = web.post("/service/lookup", data={"csrf_token": token, "code": code, "check_code": "WRONG123"})
    assert wrong.status_code == 404 and 'id="service-case"' not in wrong.text


def test_public_service_form_shows_bilingual_errors_and_keeps_the_text(pcity: ApiCity) -> None:
    web = _web(pcity)
    form = {"csrf_token": _token(web, "/service"), "text": HAIDIAN_TEXT, "district": "999999"}
    zh = web.post("/service", data=form)
    assert zh.status_code == 422 and "所在区" in zh.text and HAIDIAN_TEXT in zh.text
    en = web.post("/service?lang=en", data={**form, "text": "short"})
    assert en.status_code == 422 and "needs 10–2000 characters" in en.text


def test_public_service_queue_and_case_pages_are_scoped(pcity: ApiCity) -> None:
    ps.file_case(pcity.home, text=HAIDIAN_TEXT, district="110108", name="张三", phone="13812345678")
    ps.file_case(pcity.home, text=CHAOYANG_TEXT, district="110105")
    ids = {x.district_code: x.id for x in ps.list_cases(pcity.home, principal(pcity.home, "city"))}
    assert _web(pcity).get("/service/queue").status_code == 303
    school = _web(pcity, "school1")
    assert school.get("/service/queue").status_code == 403 and 'href="/service/queue"' not in _page(school, "/")
    haidian = _web(pcity, "haidian")
    html = _page(haidian, "/service/queue")
    assert f'data-case="{ids["110108"]}"' in html and ids["110105"] not in html and "13812345678" not in html
    assert 'href="/service/queue"' in _page(haidian, "/")
    case = _page(haidian, f"/service/cases/{ids['110108']}")
    assert "13812345678" in case and 'data-step="respond"' in case
    assert _web(pcity, "chaoyang").get(f"/service/cases/{ids['110108']}").status_code == 404
    data = {"csrf_token": _token(haidian, "/service/queue"), "response": "已责成学校整改，谢谢反映。"}
    assert haidian.post(f"/service/cases/{ids['110108']}/respond", data=data).status_code == 303
    assert 'data-status="responded"' in _page(haidian, f"/service/cases/{ids['110108']}")
    dashboard = _page(haidian, "/service/dashboard")
    assert 'id="service-sla-office"' in dashboard and 'data-key="health_arts"' in dashboard
    assert 'id="cockpit-service-alerts"' in _page(_web(pcity, "city"), "/")
