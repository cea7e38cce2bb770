"""The 培训覆盖监测 page: what each user sees, the downloads, and who may not read the list (red team)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from edubrain.catalog import Catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, student_rows
from tests.training.conftest import submit_training_city
from tests.web.conftest import PASSWORD, Client, clients, make_app, rows_of

USERS = {
    "cityadmin": ("110000", "city_admin", None),
    "analyst": ("110000", "city_analyst", None),
    "haidian": ("110108", "district_admin", None),
    "chaoyang": ("110105", "district_admin", None),
    "school1": (SCHOOL, "school_admin", None),
    "school2": (OTHER_SCHOOL, "school_admin", None),
    "teacher": (SCHOOL, "teacher", [CLASS]),
    "parent": (SCHOOL, "parent", [str(student_rows(1)[1][0])]),
}


def build_training_web(home: Home, folder: object) -> Home:
    """The tiny training city of ``tests/training/conftest.py`` and the users of :data:`USERS`."""
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    submit_training_city(home, folder)  # type: ignore[arg-type]
    with db.session_scope(home.engine) as session:
        for name, (org, role, refs) in USERS.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
    return home


@pytest.fixture(scope="module")
def training_web(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Home]:
    folder = tmp_path_factory.mktemp("training-web")
    home = build_training_web(Home(Settings(home=folder / "home"), catalog), folder)
    yield home
    home.engine.dispose()


@pytest.fixture(scope="module")
def web(training_web: Home) -> Client:
    app: FastAPI = make_app(training_web)
    return clients(app)


PAGE = "/monitoring/training"


def test_training_page_shows_a_district_its_schools_and_its_list(web: Client) -> None:
    response = web("haidian").get(PAGE, params={"lang": "zh"})
    assert response.status_code == 200, response.text
    html = response.text
    assert "培训覆盖监测" in html and "每人每年完成不少于32学时，三年实现全覆盖" in html
    assert rows_of(html, "training-orgs") == [SCHOOL, OTHER_SCHOOL]
    assert rows_of(html, "training-list", "data-teacher") == ["T110800001", "T110800004"]
    assert "张校长" in html and "赵老师" in html and "刘校长" not in html
    assert 'id="training-data"' in html and "评估日 2025-10-15" in html
    assert 'id="tab-nav-training"' in html and 'class="on"' in html.split('id="tab-nav-training"')[1][:40]  # its tab


def test_training_page_in_english(web: Client) -> None:
    html = web("haidian").get(PAGE, params={"lang": "en"}).text
    assert "Training coverage" in html and "Action list: people behind the target" in html
    assert "At risk" in html and "Still needed" in html


def test_training_page_city_drills_to_a_district(web: Client) -> None:
    html = web("cityadmin").get(PAGE).text
    assert set(rows_of(html, "training-orgs")) == {"110108", "110105"}
    assert 'id="training-district"' in html
    html = web("cityadmin").get(PAGE, params={"district": "110105"}).text
    assert rows_of(html, "training-list", "data-teacher") == ["T110500001"]


def test_training_page_analyst_sees_no_names(web: Client) -> None:
    html = web("analyst").get(PAGE).text
    assert html.count('<tr data-teacher=""') == 3  # three people listed, none named
    assert 'id="training-masked"' in html and "张校长" not in html and "T110800001" not in html


def test_training_page_past_year_lists_who_missed(web: Client) -> None:
    html = web("haidian").get(PAGE, params={"year": 2024}).text
    assert rows_of(html, "training-list", "data-teacher") == ["T110800003"]
    assert 'data-status="missed"' in html


def test_training_downloads_are_the_pages_rows(web: Client) -> None:
    response = web("haidian").get("/download/training/at-risk.csv", params={"lang": "zh"})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["教师工号"], r["姓名"], r["状态"], r["尚需学时"]) for r in rows] == [
        ("T110800001", "张校长", "有未达标风险", "28.0"),
        ("T110800004", "赵老师", "有未达标风险", "67.0"),
    ]
    book = load_workbook(
        io.BytesIO(web("haidian").get("/download/training/at-risk.xlsx", params={"lang": "en"}).content)
    )
    sheet = book.active
    assert sheet is not None and [c.value for c in sheet[1]][:4] == ["Code", "School", "Teacher id", "Name"]
    coverage = web("haidian").get("/download/training/coverage.csv").content.decode("utf-8-sig")
    assert SCHOOL in coverage and "110105" not in coverage


@pytest.mark.parametrize(
    ("user", "path", "params"),
    [
        ("chaoyang", PAGE, {"district": "110108"}),  # another district's user
        ("chaoyang", "/download/training/at-risk.csv", {"district": "110108"}),
        ("chaoyang", PAGE, {"school": SCHOOL}),
        ("school2", PAGE, {"school": SCHOOL}),  # another school's user
        ("school2", "/download/training/at-risk.xlsx", {"school": SCHOOL}),
        ("teacher", PAGE, {}),  # a teacher
        ("teacher", "/download/training/at-risk.csv", {}),
        ("parent", PAGE, {}),  # a parent
        ("parent", "/download/training/coverage.csv", {}),
    ],
)
def test_training_page_refuses_readers_outside_the_scope(
    web: Client, user: str, path: str, params: dict[str, str]
) -> None:
    response = web(user).get(path, params=params)
    assert response.status_code == 403
    assert "张校长" not in response.text and "T110800001" not in response.text


@pytest.mark.parametrize("user", ["teacher", "parent"])
def test_training_nav_is_hidden_from_those_who_may_not_read(web: Client, user: str) -> None:
    assert 'id="nav-training"' not in web(user).get("/").text


def test_training_page_needs_a_login(training_web: Home) -> None:
    from fastapi.testclient import TestClient

    response = TestClient(make_app(training_web), follow_redirects=False).get(PAGE)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
