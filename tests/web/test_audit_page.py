"""The 审计日志 page as the auditor (and a school administrator) uses it, in-process and in real Chromium.

The browser tests share one served city; the one that tampers with an event puts it back afterwards, so
the tests pass in any order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from edubrain.catalog import Catalog
from edubrain.governance.audit import list_events, record_event
from edubrain.governance.audit_report import BEIJING
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.conftest import SCHOOL
from tests.governance.test_audit import tamper
from tests.web.conftest import Client, build_city, chromium, logged_in_page, need_chromium, serve

EXPORTS = 3


def _seed(home: Home) -> None:
    """Three exports of pupils' rows by the school's clerk, and a masked read, on top of the city's events."""
    with session_scope(home.engine) as session:
        clerk = session.execute(text("SELECT id FROM users WHERE username = 'school'")).scalar_one()
        for rows in range(1, EXPORTS + 1):
            record_event(
                session, actor=clerk, actor_role="school_admin", org_code=SCHOOL, action="export",
                dataset="students", row_count=rows, minors=True, detail={"format": "csv"},
            )  # fmt: skip
        record_event(session, actor=clerk, action="read_masked", dataset="students", row_count=5, minors=True)


@pytest.fixture(scope="module")
def seeded(web_home: Home) -> Home:
    _seed(web_home)
    return web_home


def _last_event(home: Home) -> dict:
    with session_scope(home.engine) as session:
        return list_events(session, limit=1)[0].to_dict()


# ---- in-process -------------------------------------------------------------------------------------------


def test_audit_page_search_by_action_lists_only_that_action_with_names(seeded: Home, as_user: Client) -> None:
    response = as_user("auditor").get("/audit?action=export")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    html = response.text
    assert html.count('data-action="export"') == EXPORTS and 'data-action="read_masked"' not in html
    assert "数据导出" in html and ">school<" in html  # the clerk's username, not the user id
    assert "学生" in html  # the dataset's title


def test_audit_page_search_is_itself_recorded_and_shown_without_json(seeded: Home, as_user: Client) -> None:
    as_user("auditor").get("/audit?action=export&since=2026-01-01")
    event = _last_event(seeded)
    assert (event["action"], event["actor_role"]) == ("audit_read", "auditor")
    assert event["detail"]["search"] == {"action": "export", "since": "2026-01-01", "page": 1}
    html = as_user("auditor").get("/audit?action=audit_read").text
    assert "search.action: export; search.since: 2026-01-01; search.page: 1" in html
    table = html[html.index('id="audit-table"') :]
    assert "{" not in table and "查阅审计日志" in table


def test_audit_page_bad_values_give_a_bilingual_html_page_not_json(seeded: Home, as_user: Client) -> None:
    bad = as_user("auditor").get("/audit?since=2026-02-31")
    assert bad.status_code == 400 and bad.text.lstrip().startswith("<!doctype html>")
    assert "无法识别的日期" in bad.text and "Unrecognised date" in bad.text
    huge = as_user("auditor").get("/audit?page=99999999999999999999")
    assert huge.status_code == 200 and 'id="audit-table"' in huge.text
    year = as_user("auditor").get("/audit/report.zip?year=..")
    assert year.status_code == 400 and "<!doctype html>" in year.text


@pytest.mark.parametrize("username", ["school", "cityadmin", "teacher"])
def test_audit_page_other_roles_get_403_and_no_nav_entry(seeded: Home, as_user: Client, username: str) -> None:
    client = as_user(username)
    for response in (client.get("/audit"), client.get("/audit/report.zip?year=2026"), client.post("/audit/verify")):
        assert response.status_code == 403 and "只有审计员可以查阅审计日志" in response.text
    assert 'href="/audit"' not in client.get("/catalog").text
    assert 'href="/audit"' in as_user("auditor").get("/catalog").text


def test_audit_page_anonymous_visitor_is_sent_to_login(seeded: Home, app) -> None:  # type: ignore[no-untyped-def]
    response = TestClient(app, follow_redirects=False).get("/audit")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


# ---- in real Chromium -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[tuple[Home, str]]:
    need_chromium()
    home = build_city(tmp_path_factory.mktemp("auditcity"), catalog)
    _seed(home)
    with serve(home) as url:
        yield home, url
    home.engine.dispose()


@pytest.fixture(scope="module")
def browser(served: tuple[Home, str]):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


@pytest.mark.slow
def test_audit_page_browser_auditor_searches_by_action_and_sees_matching_events(browser, served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    page = logged_in_page(browser, url, "auditor", "/audit")
    assert page.locator("#nav-audit").inner_text() == "审计日志"
    page.select_option("#search-action", "export")
    page.click("#search-button")
    page.wait_for_url("**/audit?*action=export*")
    rows = page.locator("#audit-table tbody tr")
    assert rows.count() == EXPORTS
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.action)")) == {"export"}
    seqs = rows.evaluate_all("rs => rs.map(r => Number(r.dataset.seq))")
    assert seqs == sorted(seqs, reverse=True)  # newest first
    first = rows.first.inner_text()
    assert "数据导出" in first and "school" in first and "学校管理员" in first
    assert "{" not in page.locator("#audit-table").inner_text()  # no raw JSON
    page.close()


@pytest.mark.slow
def test_audit_page_browser_verify_is_intact_then_names_the_tampered_event(browser, served) -> None:  # type: ignore[no-untyped-def]
    home, url = served
    page = logged_in_page(browser, url, "auditor", "/audit")
    page.click("#verify-button")
    outcome = page.locator("#verify-outcome")
    outcome.wait_for()
    assert outcome.get_attribute("data-ok") == "1" and "完整" in outcome.inner_text()
    with session_scope(home.engine) as session:
        seq, rows = session.execute(text("SELECT seq, row_count FROM audit_events WHERE action = 'export'")).first()
    tamper(home, "UPDATE audit_events SET row_count = 999 WHERE seq = :seq", seq=seq)
    try:
        page.reload()
        page.click("#verify-button")
        page.wait_for_selector("#verify-outcome[data-ok='0']")
        shown = page.locator("#verify-outcome").inner_text()
        assert page.get_attribute("#verify-outcome", "data-first-bad") == str(seq)
        assert "已被篡改" in shown and f"第一个异常事件：#{seq}" in shown and f"事件 #{seq} 的内容与其哈希不符" in shown
    finally:
        tamper(home, "UPDATE audit_events SET row_count = :rows WHERE seq = :seq", seq=seq, rows=rows)
    page.close()


@pytest.mark.slow
def test_audit_page_browser_report_downloads_as_a_zip(browser, served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    page = logged_in_page(browser, url, "auditor", "/audit")
    year = dt.datetime.now(BEIJING).year
    assert page.locator("#report-year").input_value() == str(year)
    with page.expect_download() as waiting:
        page.click("#report-button")
    download = waiting.value
    assert download.suggested_filename == f"minors_report_{year}.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    names = archive.namelist()
    assert f"minors_report_{year}.html" in names and f"minors_report_{year}_exports.csv" in names
    assert "未成年人个人信息" in archive.read(f"minors_report_{year}.html").decode()
    exports = archive.read(f"minors_report_{year}_exports.csv").decode("utf-8-sig").splitlines()
    assert len(exports) == 1 + EXPORTS
    page.close()


@pytest.mark.slow
def test_audit_page_browser_school_admin_gets_403_and_no_nav_entry(browser, served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    page = logged_in_page(browser, url, "school", "/catalog")
    assert page.locator("a[href='/audit']").count() == 0
    response = page.goto(f"{url}/audit")
    assert response is not None and response.status == 403
    assert "只有审计员可以查阅审计日志" in page.locator("main").inner_text()
    assert page.locator("pre").count() == 0 and not page.content().lstrip().startswith("{")
    page.close()


@pytest.mark.slow
def test_audit_page_browser_is_usable_at_phone_width(browser, served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    page = logged_in_page(browser, url, "auditor", "/audit")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.querySelector('main').getBoundingClientRect().right")
    assert width <= 390
    for selector in ("#verify-button", "#report-button", "#search-button", "#search-actor", "#search-until"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    overflow = page.evaluate(
        "(() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; })()"
    )
    assert overflow <= 0
    action = page.locator("#audit-table td.action").first.bounding_box()  # each event is a card, not a squeezed column
    assert action is not None and action["width"] >= 250 and action["height"] < 40
    page.click("#verify-button")
    page.wait_for_selector("#verify-outcome")
    box = page.locator("#verify-outcome").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    page.close()
