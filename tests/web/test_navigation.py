"""What each demo role sees: every navigation link opens a page the role can use, and no other page is linked.

The demo accounts of ``make demo`` (:func:`edubrain.synth.demo.create_demo_accounts`, one per role) on the
synthetic city of the page tests (it has fitness scores). In process: the nav of each role, each link answering
200, the rule of each page agreeing with its route, the datasets listed in 数据浏览, a parent's and a student's
fitness results, the public cockpit's note. In Chromium: every link of every role is a rendered page.
"""

from __future__ import annotations

import re

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.governance import identity
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.synth.demo import DemoAccount, create_demo_accounts
from edubrain.web.navigation import NAV
from tests.web.conftest import chromium, make_app, serve
from tests.web.test_fitness_page_city import SynthWeb, lake_table

DEMO_PASSWORD = "demo-password-nav-1"
_ACCOUNTS: dict[str, list[DemoAccount]] = {}
EXPECTED = {
    "city_admin": {"/", "/catalog", "/submit", "/data", "/fitness", "/forecast", "/monitoring", "/profiles", "/teaching/items", "/identity", "/service/queue", "/supervision", "/safety"},
    "city_analyst": {"/", "/catalog", "/data", "/fitness", "/forecast", "/monitoring", "/profiles", "/teaching/items", "/identity", "/service/queue", "/supervision", "/safety"},
    "district_admin": {"/", "/catalog", "/submit", "/data", "/fitness", "/forecast", "/monitoring", "/profiles", "/teaching/items", "/identity", "/service/queue", "/supervision", "/safety"},
    "district_analyst": {"/", "/catalog", "/data", "/fitness", "/forecast", "/monitoring", "/profiles", "/teaching/items", "/identity", "/service/queue", "/supervision", "/safety"},
    "school_admin": {"/", "/catalog", "/submit", "/data", "/fitness", "/monitoring", "/profiles", "/teaching/items", "/learning/mastery", "/identity", "/safety"},
    "teacher": {"/", "/catalog", "/data", "/fitness", "/profiles", "/learning/mastery"},
    "student": {"/", "/catalog", "/data", "/fitness/mine", "/profiles", "/learning/me"},
    "parent": {"/", "/catalog", "/data", "/fitness/mine", "/profiles", "/learning/me"},
    "auditor": {"/", "/catalog", "/data", "/fitness", "/forecast", "/monitoring", "/audit", "/profiles", "/teaching/items", "/service/queue", "/supervision", "/safety"},
    "public": {"/", "/catalog", "/data"},
    "learner": {"/", "/catalog", "/data", "/credit-bank"},
    "credit_reviewer": {"/", "/catalog", "/data", "/credit-bank/queue"},
}  # fmt: skip
"""The links each demo role is shown."""
LEVELS = {"优秀", "良好", "及格", "不及格"}


def demo_accounts(home: Home) -> list[DemoAccount]:
    """The demo accounts of the city (made once per city: the city is shared by the page tests)."""
    key = str(home.settings.home)
    if key not in _ACCOUNTS:
        accounts = create_demo_accounts(home, DEMO_PASSWORD)
        _ACCOUNTS[key] = [a for a in accounts if a.role != "node"]
        home.engine.dispose()
    return _ACCOUNTS[key]


@pytest.fixture(scope="module")
def demo(city: SynthWeb) -> dict[str, TestClient]:
    """A logged-in client per demo role."""
    app: FastAPI = make_app(city.home)
    clients = {}
    for account in demo_accounts(city.home):
        client = TestClient(app, follow_redirects=False)
        response = client.post("/login", data={"username": account.username, "password": DEMO_PASSWORD, "next": "/"})
        assert response.status_code == 303, account
        clients[account.role] = client
    return clients


def nav_links(html: str) -> list[str]:
    """The hrefs of the header's navigation."""
    menu = re.search(r'<nav id="site-menu">(.*?)</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', menu.group(1)) if menu else []


def is_page(response) -> bool:  # type: ignore[no-untyped-def]
    """A rendered page of the site: HTML in the layout with a heading, not a JSON body."""
    text = response.text
    return response.headers["content-type"].startswith("text/html") and '<header class="top">' in text and "<h1" in text


def test_navigation_each_demo_role_is_shown_only_the_pages_it_may_use(demo: dict[str, TestClient]) -> None:
    assert set(demo) == set(EXPECTED)
    for role, client in demo.items():
        links = nav_links(client.get("/").text)
        assert set(links) == EXPECTED[role], role
        for link in links:
            response = client.get(link)
            assert response.status_code == 200 and is_page(response), (role, link, response.status_code)


def test_navigation_a_page_refuses_exactly_the_roles_its_link_is_hidden_from(
    demo: dict[str, TestClient], city: SynthWeb
) -> None:
    for role, client in demo.items():
        principal = _demo_principal(city.home, role)
        for item in NAV:
            status = client.get(item.path).status_code
            assert status == (200 if item.rule(city.home, principal) else 403), (role, item.path, status)


def footer_links(html: str) -> list[str]:
    """The hrefs of the footer's public services."""
    footer = re.search(r'<footer class="site">(.*?)</footer>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', footer.group(1)) if footer else []


def test_navigation_the_public_services_in_the_footer_open_for_everyone(
    demo: dict[str, TestClient], city: SynthWeb
) -> None:
    anonymous = TestClient(make_app(city.home), follow_redirects=False)
    for role, client in {**demo, "anonymous": anonymous}.items():
        links = footer_links(client.get("/login" if role == "anonymous" else "/").text)
        signed_in = ["/supervision/public"] if role != "anonymous" else []  # the grade list reads as a principal
        assert links == ["/service", "/service/lookup", "/verify", *signed_in], role
        for link in links:
            response = client.get(link)
            assert response.status_code == 200 and is_page(response), (role, link, response.status_code)


def _demo_principal(home: Home, role: str) -> Principal:
    with session_scope(home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, f"demo_{role}"))


def test_navigation_data_index_lists_only_datasets_the_role_may_read(
    demo: dict[str, TestClient], city: SynthWeb
) -> None:
    catalog = city.home.catalog
    listed = {}
    for role, client in demo.items():
        listed[role] = re.findall(r'<a href="/data/([a-z_]+)"', client.get("/data").text)
        assert listed[role], role
        for dataset in listed[role]:
            response = client.get(f"/data/{dataset}")
            assert response.status_code == 200 and is_page(response), (role, dataset, response.status_code)
    shared = sorted(d.id for d in catalog.datasets.values() if d.sharing == "unconditional")
    assert listed["public"] == shared
    assert "fitness_scores" in listed["parent"] and "teachers" not in listed["parent"]
    assert len(listed["city_admin"]) == len(catalog.datasets)


def test_navigation_parent_and_student_see_the_child_fitness_grade(demo: dict[str, TestClient], city: SynthWeb) -> None:
    child = _demo_principal(city.home, "parent").grants[0].refs[0]
    key = pseudonym_key(city.home.settings)
    stored = lake_table(city.home, "fitness_scores").filter(
        pl.col("student_pseudonym") == pseudonym(child, "student", key)
    )
    assert stored.height >= 1
    for role in ("parent", "student"):
        html = demo[role].get("/fitness/mine?lang=zh").text
        years = re.findall(r'<tr data-year="(\d+)">', html)
        assert sorted(int(y) for y in years) == sorted(stored["school_year"].to_list()), role
        levels = re.findall(r'data-level="([^"]*)">([^<]*)<', html)
        assert [shown for stored_level, shown in levels if stored_level] == [
            lv for lv in stored.sort("school_year", descending=True)["level"].to_list() if lv
        ]
        assert {shown for _, shown in levels} & LEVELS, role
    assert "子女的体质健康成绩" in demo["parent"].get("/fitness/mine?lang=zh").text
    assert "My child" in demo["parent"].get("/fitness/mine?lang=en").text
    assert demo["teacher"].get("/fitness/mine").status_code == 403


def test_navigation_public_cockpit_says_what_the_public_can_see(demo: dict[str, TestClient]) -> None:
    public = demo["public"].get("/?lang=zh").text
    assert "公开共享的数据集" in public and "本人或子女" not in public
    parent = demo["parent"].get("/?lang=zh").text
    assert "体质健康成绩" in parent and "本人或子女" in parent


@pytest.mark.slow
def test_navigation_browser_every_link_of_every_demo_role_is_a_rendered_page(browser_city: SynthWeb) -> None:
    accounts = demo_accounts(browser_city.home)
    with chromium() as browser, serve(browser_city.home) as url:
        for account in accounts:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(30_000)
            page.goto(f"{url}/login")
            page.fill("input[name=username]", account.username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(f"{url}/")
            links = page.eval_on_selector_all("#site-menu a", "links => links.map(a => a.getAttribute('href'))")
            assert set(links) == EXPECTED[account.role], account.role
            for link in links:
                response = page.goto(f"{url}{link}")
                assert response is not None and response.status == 200, (account.role, link)
                assert page.locator("main h1").count() >= 1, (account.role, link)
                assert not page.inner_text("body").lstrip().startswith("{"), (account.role, link)
                assert page.locator(f"#site-menu a[href='{link}'].on").count() == 1, (account.role, link)
            if account.role == "parent":
                page.goto(f"{url}/fitness/mine")
                shown = set(page.locator("td.level").all_inner_texts())
                assert shown & LEVELS, shown
            page.close()
