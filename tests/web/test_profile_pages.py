"""The 全息画像 pages in process: who may open which page, every value's evidence link, values equal to the lake's.

A synthetic Haidian (all source datasets of the profiles, two school years) loaded in bulk, the real profile
job (:func:`edubrain.jobs.profiles.run_profiles`) run on it, and the demo accounts of ``make demo`` (one per
role, on the demo school). The pages call only the governed facade (:mod:`edubrain.profiles`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.governance.identity import Principal
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.home import Home
from edubrain.jobs.profiles import run_profiles
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.demo import DemoAccount, create_demo_accounts
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from edubrain.web.navigation import may_view_profiles
from tests.web.conftest import make_app
from tests.web.test_fitness_page_city import lake_table

PASSWORD = "profile-pages-password-1"
DISTRICT = "110108"


@dataclass(frozen=True)
class ProfileWeb:
    """The built city: its home, the demo accounts and the demo pupil's pseudonym."""

    home: Home
    accounts: list[DemoAccount]
    pupil: str
    school: str


_BUILT: dict[str, ProfileWeb] = {}


def profile_city(factory: pytest.TempPathFactory) -> ProfileWeb:
    """Build (once per process) the city described in the module docstring."""
    if "city" in _BUILT:
        return _BUILT["city"]
    root = factory.mktemp("profile-pages")
    config = SynthConfig(
        scale=0.003,
        seed=11,
        years=2,
        out=root / "city",
        districts=(DISTRICT,),
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    generate(config, workers=1)
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    run_profiles(home)
    accounts = [a for a in create_demo_accounts(home, PASSWORD) if a.role != "node"]
    child = _principal(home, "demo_parent").grants[0].refs[0]
    school = next(a.org_code for a in accounts if a.role == "school_admin")
    home.engine.dispose()
    _BUILT["city"] = ProfileWeb(home, accounts, pseudonym(child, "student", pseudonym_key(home.settings)), school)
    return _BUILT["city"]


def _principal(home: Home, username: str) -> Principal:
    with db.session_scope(home.engine) as session:
        return identity.principal_of(session, identity.get_user(session, username))


@pytest.fixture(scope="module")
def pcity(tmp_path_factory: pytest.TempPathFactory) -> ProfileWeb:
    return profile_city(tmp_path_factory)


@pytest.fixture(scope="module")
def demo(pcity: ProfileWeb) -> dict[str, TestClient]:
    """A logged-in client per demo role."""
    app: FastAPI = make_app(pcity.home)
    clients = {}
    for account in pcity.accounts:
        client = TestClient(app, follow_redirects=False)
        response = client.post("/login", data={"username": account.username, "password": PASSWORD, "next": "/"})
        assert response.status_code == 303, account
        clients[account.role] = client
    return clients


def evidence_links(page: str) -> list[str]:
    """The evidence links of a profile page (unescaped hrefs)."""
    return [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" data-evidence="', page)]


def value_cells(page: str) -> list[tuple[str, int, str, bool]]:
    """(indicator, year, stored value, linked) of every value cell of the indicator tables."""
    out = []
    for table in re.findall(r'<table class="grid indicators"[^>]*>(.*?)</table>', page, re.S):
        for indicator, row in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', table, re.S):
            for year, value, body in re.findall(
                r'<td class="num val" data-year="(\d+)" data-value="([^"]*)">(.*?)</td>', row, re.S
            ):
                out.append((indicator, int(year), html.unescape(value), "data-evidence" in body))
    return out


def evidence_rows(page: str) -> int:
    body = re.search(r'<table class="grid" id="evidence-rows">(.*?)</table>', page, re.S)
    return len(re.findall(r"<tr data-row=", body.group(1))) if body else 0


def test_profile_pages_entry_answers_exactly_the_roles_its_nav_link_is_shown_to(
    demo: dict[str, TestClient], pcity: ProfileWeb
) -> None:
    shown = set()
    for role, client in demo.items():
        rule = may_view_profiles(pcity.home, _principal(pcity.home, f"demo_{role}"))
        response = client.get("/profiles?lang=zh")
        assert response.status_code == (200 if rule else 403), (role, response.status_code)
        assert ('href="/profiles"' in client.get("/").text) == rule, role
        if rule:
            shown.add(role)
    assert {"school_admin", "teacher", "student", "parent", "district_admin", "city_analyst"} <= shown
    assert "public" not in shown
    summary = demo["district_admin"].get("/profiles?lang=zh").text
    assert 'id="summary-table"' in summary and f'href="/profiles/schools/{pcity.school}"' in summary
    assert "/profiles/students/" not in summary  # a district sees aggregates, never one pupil


def test_profile_pages_parent_and_student_see_their_own_and_no_other(
    demo: dict[str, TestClient], pcity: ProfileWeb
) -> None:
    for role in ("parent", "student"):
        entry = demo[role].get("/profiles").text
        assert re.findall(r'data-pseudonym="([^"]+)"', entry) == [pcity.pupil], role
        page = demo[role].get(f"/profiles/students/{pcity.pupil}")
        assert page.status_code == 200 and 'id="profile-radar"' in page.text, role
    other = pl.from_arrow(pcity.home.lake.read(pcity.home.catalog.dataset("student_profiles")))
    assert isinstance(other, pl.DataFrame)
    stranger = other.filter(pl.col("student_pseudonym") != pcity.pupil)["student_pseudonym"][0]
    assert demo["parent"].get(f"/profiles/students/{stranger}").status_code == 403
    assert demo["district_admin"].get(f"/profiles/students/{pcity.pupil}?purpose=teaching").status_code == 403


def test_profile_pages_staff_choose_a_purpose_then_a_pupil(demo: dict[str, TestClient], pcity: ProfileWeb) -> None:
    teacher = demo["teacher"]
    first = teacher.get("/profiles").text
    assert 'id="profile-picker"' in first and "data-pseudonym" not in first  # no pupil before a purpose
    asked = teacher.get(f"/profiles/students/{pcity.pupil}")
    assert asked.status_code == 200 and 'id="purpose-form"' in asked.text
    picked = teacher.get("/profiles?purpose=teaching").text
    pupils = re.findall(r'data-pseudonym="([^"]+)"', picked)
    assert pcity.pupil in pupils
    klass = _principal(pcity.home, "demo_teacher").grants[0].refs[0]
    stored = lake_table(pcity.home, "students").filter(pl.col("class_id") == klass)
    assert len(pupils) == stored.height  # the teacher's class, no other pupil
    searched = teacher.get("/profiles?purpose=teaching&q=zzzz-nobody").text
    assert "data-pseudonym" not in searched


def test_profile_pages_every_student_value_links_to_working_evidence_and_equals_the_lake(
    demo: dict[str, TestClient], pcity: ProfileWeb
) -> None:
    client = demo["school_admin"]
    page = client.get(f"/profiles/students/{pcity.pupil}?purpose=teaching&lang=zh")
    assert page.status_code == 200
    cells = value_cells(page.text)
    stored = lake_table(pcity.home, "student_profiles").filter(pl.col("student_pseudonym") == pcity.pupil)
    assert stored.height >= 1 and cells
    by_year = {r["school_year"]: r for r in stored.to_dicts()}
    from edubrain.analytics.profiles.definitions import load_indicators

    columns = {d.id: d.column for d in load_indicators("student")}
    for indicator, year, value, linked in cells:
        expected = by_year[year][columns[indicator]]
        assert value == ("" if expected is None else str(expected)), (indicator, year, value, expected)
        assert linked == (expected is not None), (indicator, year)  # every value links; an empty one has nothing
    links = evidence_links(page.text)
    assert len(links) >= len([c for c in cells if c[3]])
    for link in set(links):
        assert "purpose=teaching" in link
        response = client.get(link)
        assert response.status_code == 200, (link, response.text[:300])
        value = html.unescape(re.search(r'id="evidence-value" data-value="([^"]*)"', response.text).group(1))
        indicator, year = re.search(r"/evidence/([a-z_]+)\?year=(\d+)", link).groups()
        expected = by_year[int(year)][columns[indicator]]
        assert value == str(expected), link
        if expected not in (0, 0.0, False, ""):
            assert evidence_rows(response.text) >= 1, link
    assert 'id="timeline"' in page.text and 'id="methods"' in page.text


def test_profile_pages_evidence_rows_show_batch_school_and_masked_values(
    demo: dict[str, TestClient], pcity: ProfileWeb
) -> None:
    client = demo["school_admin"]
    page = client.get(f"/profiles/students/{pcity.pupil}?purpose=teaching").text
    link = next(h for h in evidence_links(page) if "/exam_mean_pct?" in h or "/domain_health?" in h)
    shown = client.get(link).text
    rows = re.findall(r'<tr data-row="[^"]*" data-org="(\d+)">\s*<td><code>([0-9a-f]+)</code>', shown)
    assert rows and all(org == pcity.school or org.startswith("11") for org, _ in rows)
    assert re.search(r'id="evidence-version">第 \d+ 版', shown)
    number = lake_table(pcity.home, "students").filter(pl.col("school_code") == pcity.school)["student_id"][0]
    assert str(number) not in shown  # the evidence never prints a student number
    # without the purpose the same evidence is refused for staff (sensitive personal information)
    assert client.get(link.replace("&purpose=teaching", "")).status_code == 403


def test_profile_pages_school_and_teacher_profiles_link_every_value(
    demo: dict[str, TestClient], pcity: ProfileWeb
) -> None:
    client = demo["district_admin"]
    school = client.get(f"/profiles/schools/{pcity.school}?lang=zh")
    assert school.status_code == 200
    stored = lake_table(pcity.home, "school_profiles").filter(pl.col("school_code") == pcity.school)
    from edubrain.analytics.profiles.definitions import load_indicators

    defs = {d.id: d for d in load_indicators("school")}
    by_year = {r["school_year"]: r for r in stored.to_dicts()}
    cells = value_cells(school.text)
    assert cells
    for indicator, year, value, linked in cells:
        expected = by_year[year][defs[indicator].column]
        assert value == ("" if expected is None else str(expected)), (indicator, year)
        assert linked == (expected is not None and defs[indicator].has_evidence), (indicator, year)
    assert "school_batches" in {i for i, _, _, linked in cells if linked}  # from the submission batches
    for link in set(evidence_links(school.text)):
        shown = client.get(link)
        assert shown.status_code == 200, link
        indicator, year = re.search(r"/evidence/([a-z_]+)\?year=(\d+)", link).groups()  # type: ignore[union-attr]
        value = html.unescape(re.search(r'id="evidence-value" data-value="([^"]*)"', shown.text).group(1))  # type: ignore[union-attr]
        assert value == str(by_year[int(year)][defs[indicator].column]), link  # the page shows the lake's value
    teacher = re.search(r'href="(/profiles/teachers/[^"]+)"', school.text)
    assert teacher, "the school profile lists its teachers"
    page = client.get(teacher.group(1))
    assert page.status_code == 200 and 'id="assignments"' in page.text and "<meter" in page.text
    for link in set(evidence_links(page.text)):
        assert client.get(link).status_code == 200, link
    assert demo["teacher"].get(f"/profiles/schools/{pcity.school}").status_code == 403  # a class grant


def test_profile_pages_english_pdf_and_no_raw_json(demo: dict[str, TestClient], pcity: ProfileWeb) -> None:
    client = demo["parent"]
    english = client.get(f"/profiles/students/{pcity.pupil}?lang=en").text
    assert "Student profile" in english and "How each value is computed" in english and "学生画像" not in english
    body = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", english, flags=re.S)
    assert not re.search(r'[{\[]\s*"[a-z_]+"\s*:', re.sub(r"<[^>]+>", " ", body))  # no JSON outside data blocks
    assert "<script>" not in english and " onclick=" not in english  # CSP: no inline script
    pdf = client.get(f"/profiles/students/{pcity.pupil}/record.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert demo["school_admin"].get(f"/profiles/students/{pcity.pupil}/record.pdf").status_code == 403


def row_keys_shown(page: str) -> list[str]:
    """The ``data-row`` keys of the evidence rows of a page, in order."""
    body = re.search(r'<table class="grid" id="evidence-rows">(.*?)</table>', page, re.S)
    return re.findall(r'<tr data-row="([^"]*)"', body.group(1)) if body else []


def test_profile_pages_evidence_shows_its_rows_a_page_at_a_time(
    demo: dict[str, TestClient], pcity: ProfileWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edubrain.web import pages_profiles

    client = demo["district_admin"]
    school = client.get(f"/profiles/schools/{pcity.school}?lang=zh").text
    totals = {}
    for link in sorted(set(evidence_links(school))):
        found = re.search(r"来源数据行（共 (\d+) 行）", client.get(link).text)
        if found:
            totals[link] = int(found.group(1))
    link, total = max(totals.items(), key=lambda item: item[1])
    assert total > 6, totals  # a school's value resting on many rows
    monkeypatch.setattr(pages_profiles, "EVIDENCE_PAGE_ROWS", 6)
    first_six = row_keys_shown(client.get(link).text)
    monkeypatch.setattr(pages_profiles, "EVIDENCE_PAGE_ROWS", 3)
    one = client.get(link).text
    assert len(row_keys_shown(one)) == 3 and f"来源数据行（共 {total} 行）" in one  # the count is of every row
    pages = -(-total // 3)
    assert f"第 1 / {pages} 页" in one and 'rel="prev"' not in one
    following = html.unescape(re.search(r'<a href="([^"]+)" rel="next"', one).group(1))  # type: ignore[union-attr]
    year = re.search(r"year=(\d+)", link).group(1)  # type: ignore[union-attr]
    assert "page_no=2" in following and f"year={year}" in following
    two = client.get(following).text
    assert row_keys_shown(one) + row_keys_shown(two) == first_six  # consecutive pages, in the same order
    last = client.get(f"{link}&page_no={pages}").text
    assert len(row_keys_shown(last)) == total - 3 * (pages - 1) and 'rel="next"' not in last


def test_profile_pages_one_page_request_is_one_audit_commit(demo: dict[str, TestClient], pcity: ProfileWeb) -> None:
    """The pupil page's reads (roster, profile, status changes) and its profile_read: one commit, not one each."""
    from tests.governance.test_audit_unit import audit_commits

    pages = [
        ("teacher", f"/profiles/students/{pcity.pupil}?purpose=teaching"),
        ("school_admin", f"/profiles/schools/{pcity.school}"),
    ]
    for role, path in pages:
        with audit_commits(pcity.home.engine) as commits:
            assert demo[role].get(path).status_code == 200
        assert len(commits) == 1 and commits[0] >= (3 if role == "teacher" else 1), (path, commits)
