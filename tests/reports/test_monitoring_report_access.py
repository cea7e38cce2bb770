"""Who may have the annual monitoring report, on the web (GET /monitoring/report), REST and the CLI.

City staff and auditors: any area; district staff: their own district only; schools, teachers, parents and the
public: none. A refused download answers 403 with the usual bilingual error and writes no audit event.
"""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from edubrain.governance.audit import list_events
from edubrain.governance.identity import Grant, Principal, get_user
from edubrain.governance.scope import AccessDenied
from edubrain.reports.monitoring_report import monitoring_report
from edubrain.store.db import session_scope
from tests.cli.test_cli import _error_line, _run
from tests.reports.monitoring_city import PASSWORD, YEAR, ReportCity
from tests.web.conftest import login, make_app

WEB = "/monitoring/report"
API = "/api/v1/monitoring/report"
ALLOWED = [("city", "110000"), ("city", "110119"), ("cityadmin", "110108"), ("auditor", "110000"),
           ("auditor", "110108"), ("haidian", "110108"), ("yanqing", "110119")]  # fmt: skip
REFUSED = [("haidian", "110119"), ("haidian", "110000"), ("yanqing", "110108"), ("yanqing", "110000"),
           ("school", "110108"), ("school", "110000"), ("teacher", "110108"), ("parent", "110108"),
           ("citizen", "110000")]  # fmt: skip


def _exports(city: ReportCity, username: str) -> int:
    with session_scope(city.home.engine) as session:
        user = get_user(session, username)
        return len(list_events(session, actor=user.id, action="export"))


@pytest.fixture(scope="module")
def web(rcity: ReportCity) -> dict[str, TestClient]:
    app = make_app(rcity.home)
    return {name: login(app, name, PASSWORD) for name, _ in {*ALLOWED, *REFUSED}}


@pytest.mark.parametrize(("user", "area"), ALLOWED)
def test_web_and_rest_serve_the_report_to_those_who_may_have_it(
    rcity: ReportCity, web: dict[str, TestClient], user: str, area: str
) -> None:
    before = _exports(rcity, user)
    page = web[user].get(WEB, params={"year": YEAR, "area": area, "format": "pdf"})
    assert page.status_code == 200, page.text
    assert page.headers["content-type"] == "application/pdf" and page.content.startswith(b"%PDF")
    assert page.headers["cache-control"] == "no-store"
    assert f"monitoring-report-{area}-{YEAR}.pdf" in page.headers["content-disposition"]
    rest = web[user].get(API, params={"year": YEAR, "area": area, "format": "xlsx"}, headers=rcity.token(user))
    assert rest.status_code == 200, rest.text
    assert load_workbook(io.BytesIO(rest.content))["封面"]["B4"].value.endswith(f"（{area}）")
    assert _exports(rcity, user) == before + 2  # one audit event per report


@pytest.mark.parametrize(("user", "area"), REFUSED)
def test_red_team_a_report_outside_the_scope_is_refused_on_web_and_rest(
    rcity: ReportCity, web: dict[str, TestClient], user: str, area: str
) -> None:
    before = _exports(rcity, user)
    for fmt in ("pdf", "xlsx"):
        page = web[user].get(WEB, params={"year": YEAR, "area": area, "format": fmt})
        assert page.status_code == 403 and not page.content.startswith(b"%PDF"), page.text[:200]
        rest = TestClient(web[user].app).get(API, params={"year": YEAR, "area": area, "format": fmt},
                                            headers=rcity.token(user))  # fmt: skip
        assert rest.status_code == 403
        error = rest.json()["error"]
        assert error["code"] == "access_denied" and area in error["message_zh"] and area in error["message_en"]
    assert _exports(rcity, user) == before


def test_red_team_the_library_refuses_whoever_has_no_city_or_own_district_grant(rcity: ReportCity) -> None:
    for grant in (Grant("school_admin", rcity.school, "school"), Grant("teacher", rcity.school, "school", ("X",)),
                  Grant("parent", rcity.school, "school", ("G0",)), Grant("student", rcity.school, "school", ("G0",)),
                  Grant("public", "110000", "city"), Grant("node", "110108", "district"),
                  Grant("district_admin", "110119", "district")):  # fmt: skip
        who = Principal(f"r-{grant.role}", grant.role, (grant,))
        with pytest.raises(AccessDenied):
            monitoring_report(rcity.home, who, year=YEAR, area="110108", fmt="xlsx")


def test_anonymous_visitors_are_sent_to_log_in_and_bad_input_is_explained(
    rcity: ReportCity, web: dict[str, TestClient]
) -> None:
    anonymous = TestClient(web["city"].app, follow_redirects=False)
    assert anonymous.get(WEB, params={"year": YEAR, "area": "110000"}).status_code == 303
    assert anonymous.get(API, params={"year": YEAR, "area": "110000"}).status_code == 401
    bad = web["city"].get(WEB, params={"year": YEAR, "area": "110000", "format": "docx"})
    assert bad.status_code == 400 and "docx" in bad.text
    unknown = TestClient(web["city"].app).get(API, params={"year": YEAR, "area": "999999"}, headers=rcity.token("city"))
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found" and "110108" in unknown.json()["error"]["message_en"]
    page = web["city"].get(WEB, params={"year": YEAR, "area": "999999"})
    assert page.status_code == 404 and "999999" in page.text
    early = TestClient(web["city"].app).get(API, params={"year": 2001, "area": "110108"}, headers=rcity.token("city"))
    assert early.status_code == 404 and str(YEAR) in early.json()["error"]["message_zh"]


def test_the_monitoring_page_links_the_report_for_a_city_or_district_only(
    rcity: ReportCity, web: dict[str, TestClient]
) -> None:
    html = web["haidian"].get("/monitoring").text
    assert f"/monitoring/report?year={YEAR}&amp;area=110108&format=pdf" in html
    assert "年度信息化监测报告" in html
    assert 'id="monitoring-report"' not in web["school"].get("/monitoring").text
    english = web["city"].get("/monitoring", params={"lang": "en"}).text
    assert "Annual monitoring report" in english and "area=110000" in english


def test_cli_writes_the_report_and_refuses_another_district(rcity: ReportCity) -> None:
    env = {"EDUBRAIN_PASSWORD": PASSWORD, "EDUBRAIN_DATABASE_URL": rcity.home.settings.resolved_database_url}
    out = rcity.home.settings.home.parent / "haidian.xlsx"
    done = _run(rcity.home.settings.home, "monitoring", "report", "--year", str(YEAR), "--area", "110108",
                "--format", "xlsx", "--out", str(out), "--user", "haidian", **env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert load_workbook(out).sheetnames[2] == "未达标学校" and "海淀区" in done.stdout
    refused = _run(rcity.home.settings.home, "--lang", "en", "monitoring", "report", "--year", str(YEAR), "--area",
                   "110119", "--out", str(out.with_suffix(".pdf")), "--user", "haidian", **env)  # fmt: skip
    assert refused.returncode == 3
    assert "may not have the annual monitoring report of 110119" in _error_line(refused.stderr, refused.stdout)
    assert not out.with_suffix(".pdf").exists()
