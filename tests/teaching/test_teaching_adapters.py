"""The teaching pages, REST endpoints and CLI on the tiny city: who sees what, and scope attacks (red team)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from edubrain.cli import app as cli_app
from edubrain.governance import identity, tokens
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.web.navigation import nav_items
from tests.api.conftest import assert_error
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.teaching.conftest import CLASSES, exam_id
from tests.web.conftest import PASSWORD, clients, make_app, rows_of

USERS = {
    "analyst": ("110000", "city_analyst", None),
    "haidian": ("110108", "district_admin", None),
    "school1": (SCHOOL, "school_admin", None),
    "school2": (OTHER_SCHOOL, "school_admin", None),
    "teacher": (SCHOOL, "teacher", [CLASSES[SCHOOL]]),
}
API = "/api/v1/teaching"


@pytest.fixture(scope="module")
def site(teaching_home: Home) -> Iterator[tuple[Home, TestClient, dict[str, str]]]:
    """The app over the tiny city, its users and their bearer tokens."""
    bearer: dict[str, str] = {}
    with session_scope(teaching_home.engine) as session:
        for name, (org, role, refs) in USERS.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
            principal = identity.principal_of(session, identity.get_user(session, name))
            bearer[name] = tokens.issue_tokens(session, teaching_home.settings, principal).access_token
    app = make_app(teaching_home)
    with TestClient(app) as client:
        yield teaching_home, client, bearer


def _auth(bearer: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {bearer[user]}"}


def test_teaching_api_items_and_options_for_the_own_school(site: tuple[Home, TestClient, dict[str, str]]) -> None:
    _, client, bearer = site
    listed = client.get(f"{API}/exams", headers=_auth(bearer, "school1"))
    assert listed.status_code == 200 and [e["exam_id"] for e in listed.json()] == [exam_id(SCHOOL)]
    body = client.get(f"{API}/exams/{exam_id(SCHOOL)}/items", headers=_auth(bearer, "school1")).json()
    assert len(body["items"]) == 20 and "negative_discrimination" in body["items"][6]["flags"]
    options = client.get(f"{API}/exams/{exam_id(SCHOOL)}/items/11/options", headers=_auth(bearer, "school1")).json()
    assert {o["option"] for o in options["options"]} == {"A", "B", "C", "D"}


def test_teaching_api_another_schools_exam_is_404_like_an_unknown_one(
    site: tuple[Home, TestClient, dict[str, str]],
) -> None:
    _, client, bearer = site
    other = assert_error(
        client.get(f"{API}/exams/{exam_id(SCHOOL)}/items", headers=_auth(bearer, "school2")), 404, "not_found"
    )
    unknown = assert_error(client.get(f"{API}/exams/IA000000000020251514/items", headers=_auth(bearer, "school2")), 404)
    assert other["message_en"].replace(exam_id(SCHOOL), "X") == unknown["message_en"].replace(
        "IA000000000020251514", "X"
    )
    assert_error(client.get(f"{API}/exams/{exam_id(SCHOOL)}/items/11/options", headers=_auth(bearer, "school2")), 404)
    assert_error(client.get(f"{API}/exams/{exam_id(CHAOYANG_SCHOOL)}/items", headers=_auth(bearer, "haidian")), 404)
    assert_error(client.get(f"{API}/exams", headers=_auth(bearer, "teacher")), 403)
    assert_error(client.get(f"{API}/exams"), 401)


def test_teaching_api_value_added_by_scope(site: tuple[Home, TestClient, dict[str, str]]) -> None:
    _, client, bearer = site
    city = client.get(f"{API}/value-added", headers=_auth(bearer, "analyst")).json()
    assert {s["school_code"] for s in city["schools"]} == {SCHOOL, OTHER_SCHOOL, CHAOYANG_SCHOOL}
    assert "must not be ranked" in city["warning_en"]
    own = client.get(f"{API}/value-added", headers=_auth(bearer, "school2")).json()
    assert [s["school_code"] for s in own["schools"]] == [OTHER_SCHOOL]
    assert_error(client.get(f"{API}/value-added", headers=_auth(bearer, "teacher")), 403)


def test_teaching_pages_render_tables_chart_and_warning(site: tuple[Home, TestClient, dict[str, str]]) -> None:
    home, client, _ = site
    web = clients(client.app)  # type: ignore[arg-type]
    html = web("haidian").get("/teaching/items", params={"lang": "zh"}).text
    assert sorted(rows_of(html, "teaching-exams", "data-exam")) == sorted([exam_id(SCHOOL), exam_id(OTHER_SCHOOL)])
    html = web("school1").get(f"/teaching/items/{exam_id(SCHOOL)}", params={"item": 11, "lang": "zh"}).text
    assert rows_of(html, "teaching-option-table", "data-option") == ["A", "B", "C", "D"]
    assert 'data-flag="distractor_positive"' in html and "区分度为负" in html and "Cronbach" in html
    english = web("school1").get(f"/teaching/items/{exam_id(SCHOOL)}", params={"lang": "en"}).text
    assert "Negative discrimination" in english and "Item analysis" in english
    html = web("analyst").get("/teaching/value-added", params={"lang": "zh"}).text
    assert 'class="caterpillar"' in html and html.count('class="va-school"') == 3 and "不得据此排名" in html
    assert sorted(rows_of(html, "va-table", "data-school")) == sorted([SCHOOL, OTHER_SCHOOL, CHAOYANG_SCHOOL])
    for page in (html, english):
        assert not re.search(r"\sstyle=", page)  # the CSP forbids inline styles


def test_teaching_pages_refuse_and_hide_the_nav_for_a_teacher(site: tuple[Home, TestClient, dict[str, str]]) -> None:
    home, client, _ = site
    web = clients(client.app)  # type: ignore[arg-type]
    assert web("teacher").get("/teaching/items").status_code == 403
    assert web("teacher").get("/teaching/value-added").status_code == 403
    assert web("school2").get(f"/teaching/items/{exam_id(SCHOOL)}").status_code == 404
    with session_scope(home.engine) as session:
        teacher = identity.principal_of(session, identity.get_user(session, "teacher"))
        school = identity.principal_of(session, identity.get_user(session, "school1"))
    assert not {"/teaching/items", "/teaching/value-added"} & {n.path for n in nav_items(home, teacher, "/")}
    header = {n.path for n in nav_items(home, school, "/")}
    assert "/teaching/items" in header and "/teaching/value-added" not in header  # reached by its tab
    tabs = web("school1").get("/teaching/items").text.split('id="teaching-tabs"')[1].split("</nav>")[0]
    assert 'href="/teaching/items" class="on"' in tabs and 'href="/teaching/value-added"' in tabs


def test_teaching_cli_lists_items_and_effects(
    site: tuple[Home, TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _, _ = site
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", home.settings.resolved_database_url)
    monkeypatch.setenv("EDUBRAIN_PASSWORD", PASSWORD)
    runner = CliRunner()
    result = runner.invoke(cli_app, ["teaching", "items", exam_id(SCHOOL), "--user", "school1", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"item_no": 7' in result.stdout and "negative_discrimination" in result.stdout
    refused = runner.invoke(cli_app, ["teaching", "items", exam_id(SCHOOL), "--user", "school2"])
    assert refused.exit_code != 0
    effects = runner.invoke(cli_app, ["teaching", "value-added", "--user", "analyst", "--format", "csv"])
    assert effects.exit_code == 0 and SCHOOL in effects.stdout and CHAOYANG_SCHOOL in effects.stdout
    rerun = runner.invoke(cli_app, ["teaching", "run", "--format", "json"])
    assert rerun.exit_code == 0 and "exam_item_statistics" in rerun.stdout and "school_value_added" in rerun.stdout
