"""In-process page tests (ASGI client): login, scope, masking, catalog, submissions, language."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.web import missing_vendor_files
from edubrain.web.messages import MESSAGES
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL, STUDENT_HEADERS, student_rows
from tests.web.conftest import PASSWORD, login


def map_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    assert found, "the page has no map data"
    return json.loads(found.group(1))


def test_web_vendor_files_are_installed_by_make_install() -> None:
    assert not missing_vendor_files(), f"run make install (npm ci): missing {missing_vendor_files()}"


def test_web_pages_are_not_in_the_openapi_schema(app: FastAPI) -> None:
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p in ("/", "/login", "/submit") or p.startswith(("/catalog", "/data", "/district"))]


def test_web_anonymous_visitor_is_sent_to_login(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    for path in ("/", "/catalog", "/submit", "/data/students", "/district/110108"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")


def test_web_login_sets_httponly_lax_cookies_and_wrong_password_is_refused(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    bad = client.post("/login", data={"username": "city", "password": "wrong-password-x", "next": "/"})
    assert bad.status_code == 401
    assert "用户名或密码错误" in bad.text
    good = client.post("/login", data={"username": "city", "password": PASSWORD, "next": "/catalog"})
    assert good.status_code == 303 and good.headers["location"] == "/catalog"
    cookies = good.headers.get_list("set-cookie")
    access = next(c for c in cookies if c.startswith("edubrain_access="))
    assert "HttpOnly" in access and "SameSite=lax" in access and "Path=/" in access


def test_web_login_never_redirects_off_site(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    response = client.post("/login", data={"username": "city", "password": PASSWORD, "next": "//evil.example/x"})
    assert response.headers["location"] == "/"


def test_web_logout_revokes_the_session_tokens(app: FastAPI) -> None:
    client = login(app, "city")
    access, refresh = client.cookies.get("edubrain_access"), client.cookies.get("edubrain_refresh")
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 303
    replay = TestClient(app, follow_redirects=False, cookies={"edubrain_access": access, "edubrain_refresh": refresh})
    assert replay.get("/").status_code == 303  # both tokens were revoked


def test_web_expired_access_token_is_refreshed_from_the_refresh_cookie(app: FastAPI) -> None:
    client = login(app, "city")
    refresh = client.cookies.get("edubrain_refresh")
    stale = TestClient(
        app, follow_redirects=False, cookies={"edubrain_access": "not-a-token", "edubrain_refresh": refresh}
    )
    response = stale.get("/")
    assert response.status_code == 200
    renewed = [c for c in response.headers.get_list("set-cookie") if c.startswith("edubrain_refresh=")]
    assert renewed and refresh not in renewed[0]  # rotated
    again = TestClient(app, follow_redirects=False, cookies={"edubrain_refresh": refresh})
    assert again.get("/").status_code == 303  # the old refresh token was used up


def test_web_city_cockpit_shows_city_totals_and_all_16_districts(as_user) -> None:
    html = as_user("city").get("/").text
    assert "驾驶舱 · 北京市" in html
    assert re.search(r'data-indicator="schools">\s*<div class="label">学校数</div>\s*<div class="value">3<', html)
    assert re.search(r'data-indicator="students">\s*<div class="label">在校生数</div>\s*<div class="value">5<', html)
    data = map_data(html)
    assert len(data["series"]["schools"]) == 16
    haidian = next(d for d in data["series"]["schools"] if d["name"] == "海淀区")
    assert haidian == {"name": "海淀区", "value": 2, "code": "110108"}
    assert "/district/110105" in html


def test_web_english_switch_is_remembered(app: FastAPI) -> None:
    client = login(app, "city")
    english = client.get("/?lang=en")
    assert "Cockpit · Beijing" in english.text and "Schools" in english.text
    assert "lang=en" in english.headers["set-cookie"]
    assert "Cockpit" in client.get("/catalog").text.split("<main>")[0]


def test_web_district_user_sees_only_its_own_schools(as_user) -> None:
    client = as_user("haidian")
    html = client.get("/").text
    assert SCHOOL in html and OTHER_SCHOOL in html and CHAOYANG_SCHOOL not in html
    series = map_data(html)["series"]["schools"]
    assert [d["code"] for d in series] == ["110108"]
    assert client.get("/district/110105").status_code == 403
    page = client.get("/district/110108").text
    assert 'id="status-table"' in page and CHAOYANG_SCHOOL not in page
    assert as_user("chaoyang").get("/").text.count('data-org="') == 1  # its one school


def test_web_school_user_sees_only_its_school(as_user) -> None:
    client = as_user("school")
    html = client.get("/").text
    assert re.search(r'data-indicator="schools">\s*<div class="label">学校数</div>\s*<div class="value">1<', html)
    assert 'id="district-map"' not in html
    assert client.get("/district/110108").status_code == 403


def test_web_catalog_pages(as_user) -> None:
    client = as_user("school")
    index = client.get("/catalog").text
    assert 'data-dataset="students"' in index and "GB/T 2261.1" in index and "L4" in index
    page = client.get("/catalog/students").text
    assert 'data-field="id_number"' in page and "有条件共享" in page and "template.xlsx" in page
    assert "学校须已登记" in page or "班级" in page
    assert "男" in client.get("/catalog/code-tables/sex").text
    xlsx = client.get("/catalog/students/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx.headers["content-disposition"]
    missing = client.get("/catalog/nope")
    assert missing.status_code == 404 and "nope" in missing.text


def test_web_dataset_viewer_masks_for_the_role_and_keeps_the_scope(as_user) -> None:
    school = as_user("school").get("/data/students").text
    assert "第 1 / 1 页，共 5 行" in school
    assert "测试0" not in school and "测*" in school  # names are L4: masked for a school administrator
    assert 'id="masked"' in school and 'id="audited"' in school  # L3 fields shown unmasked are audited
    city = as_user("city").get("/data/students").text
    assert "共 5 行" in city and "测试0" not in city
    chaoyang = as_user("chaoyang").get("/data/students").text
    assert "共 0 行" in chaoyang and "没有可见的数据行" in chaoyang
    teacher = as_user("teacher").get("/data/students?sex=2").text
    assert "共 2 行" in teacher


def test_web_dataset_viewer_refuses_unknown_filters_and_purposes_with_both_languages(as_user) -> None:
    response = as_user("school").get("/data/students?nosuchfield=1")
    assert response.status_code == 403 and "没有字段 nosuchfield" in response.text and "has no field" in response.text
    auditor = as_user("auditor").get("/data/students?purpose=student_registration")
    assert auditor.status_code in (400, 403) and "用途" in auditor.text


def test_web_purpose_unmasks_and_is_audited(as_user, web_home) -> None:
    from sqlalchemy import text

    client = as_user("school")
    select = client.get("/data/students").text
    purpose = re.search(r'<select name="purpose"><option value="">—</option><option value="([a-z_]+)"', select).group(1)
    html = client.get(f"/data/students?purpose={purpose}").text
    assert "测试0" in html
    with web_home.engine.connect() as conn:
        found = conn.execute(text("select count(*) from audit_events where purpose = :p"), {"p": purpose}).scalar()
    assert found >= 1


def _gbk_students(path, bad_sex: bool):
    rows = student_rows(3, start=10)
    if bad_sex:
        rows[2][STUDENT_HEADERS.index("性别")] = "男?"
    path.write_bytes("\n".join(",".join(str(v) for v in r) for r in rows).encode("gbk"))
    return path


def test_web_submission_report_marks_bad_cells_then_the_fix_is_a_new_version(as_user, tmp_path) -> None:
    client = as_user("school")
    bad = _gbk_students(tmp_path / "学生名册.csv", bad_sex=True)
    with open(bad, "rb") as handle:
        response = client.post(
            "/submit",
            data={"dataset": "students", "org": SCHOOL, "mode": "upsert"},
            files={"file": ("学生名册.csv", handle, "text/csv")},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "submitted"
    html = response.text
    assert 'data-status="rejected"' in html and "gb18030" in html
    cell = re.search(r'<tr data-row="3">.*?<td class="bad" data-column="性别" title="([^"]+)">男\?</td>', html, re.S)
    assert cell, "the bad sex cell of row 3 is not marked"
    good = _gbk_students(tmp_path / "学生名册.csv", bad_sex=False)
    with open(good, "rb") as handle:
        fixed = client.post(
            "/submit",
            data={"dataset": "students", "org": SCHOOL},
            files={"file": ("学生名册.csv", handle, "text/csv")},
            headers={"HX-Request": "true"},
        ).text
    assert 'data-status="committed"' in fixed and 'id="report-version"' in fixed
    history = client.get(f"/submit/history?org={SCHOOL}").text
    assert history.count("data-batch=") >= 2 and "未通过" in history and "已提交" in history
    batch = re.search(r'href="/submit/batches/([0-9a-f]+)"', history).group(1)
    assert as_user("school").get(f"/submit/batches/{batch}").status_code == 200
    assert as_user("haidian").get(f"/submit/batches/{batch}").status_code == 200
    assert as_user("chaoyang").get(f"/submit/batches/{batch}").status_code == 404


def test_web_district_sees_each_schools_submission_status(as_user, tmp_path) -> None:
    school = as_user("school")
    with open(_gbk_students(tmp_path / "c.csv", bad_sex=True), "rb") as handle:
        school.post("/submit", data={"dataset": "students", "org": SCHOOL}, files={"file": ("c.csv", handle)})
    page = as_user("haidian").get("/status?district=110108&dataset=students").text
    row = re.search(rf'<tr data-school="{SCHOOL}" class="st-(\w+)">', page)
    assert row and row.group(1) == "open_errors"
    other = re.search(rf'<tr data-school="{OTHER_SCHOOL}" class="st-(\w+)">', page)
    assert other and other.group(1) == "not_submitted"
    assert as_user("chaoyang").get("/status?district=110108").status_code == 403
    with open(_gbk_students(tmp_path / "c.csv", bad_sex=False), "rb") as handle:
        school.post("/submit", data={"dataset": "students", "org": SCHOOL}, files={"file": ("c.csv", handle)})
    after = as_user("haidian").get("/submit").text
    assert re.search(rf'<tr data-school="{SCHOOL}" class="st-submitted">', after)


def test_web_submission_refuses_other_organisations_and_bad_files(as_user, tmp_path) -> None:
    client = as_user("school")
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    with open(path, "rb") as handle:
        other = client.post(
            "/submit", data={"dataset": "students", "org": OTHER_SCHOOL}, files={"file": ("x.csv", handle)}
        )
    assert other.status_code == 403 and "may not submit" in other.text
    with open(path, "rb") as handle:
        pdf = client.post("/submit", data={"dataset": "students", "org": SCHOOL}, files={"file": ("x.pdf", handle)})
    assert pdf.status_code == 400 and "不支持的文件格式" in pdf.text and "Unsupported file format" in pdf.text
    assert "您的角色不能报送数据" in as_user("city").get("/submit").text


def test_web_every_message_has_both_languages() -> None:
    assert all(zh and en and zh != en or key in ("app_title",) for key, (zh, en) in MESSAGES.items())


def test_web_masked_pages_are_cached_but_unmasked_reads_are_read_and_audited_each_time(app, as_user, web_home) -> None:
    from sqlalchemy import text

    city = as_user("city")
    city.get("/data/schools")
    hits = app.state.web_pages.hits
    city.get("/data/schools")
    assert app.state.web_pages.hits == hits + 1

    def audited() -> int:
        with web_home.engine.connect() as conn:
            return conn.execute(text("select count(*) from audit_events where action = 'read_unmasked'")).scalar()

    school = as_user("school")
    before = audited()
    school.get("/data/students")
    school.get("/data/students")
    assert audited() == before + 2


def test_web_cockpit_counts_never_read_identifying_columns(web_home) -> None:
    import pytest

    from edubrain.web.cockpit import SOURCES, aggregate_only

    for dataset_id, columns in SOURCES.items():
        aggregate_only(web_home, dataset_id, columns)
    with pytest.raises(ValueError, match="read_dataset"):
        aggregate_only(web_home, "students", ["name"])


def test_web_map_data_cannot_close_its_script_tag() -> None:
    from edubrain.web.render import TEMPLATES

    html = TEMPLATES.env.from_string('{{ {"n": name} | tojson }}').render(name="</script><script>alert(1)</script>")
    assert "</script>" not in html and "\\u003c/script\\u003e" in html


def test_web_every_page_renders_in_english(as_user) -> None:
    pages = {
        "city": [
            "/",
            "/district/110108",
            "/catalog",
            "/catalog/students",
            "/catalog/code-tables/district",
            "/data",
            "/data/schools",
        ],
        "haidian": ["/", "/submit", "/status?district=110108&dataset=teachers", "/data/students"],
        "school": ["/", "/submit", f"/submit/history?org={SCHOOL}", "/data/students?sex=1"],
        "teacher": ["/", "/data/students"],
    }
    for user, paths in pages.items():
        for path in paths:
            response = as_user(user).get(path + ("&" if "?" in path else "?") + "lang=en")
            assert response.status_code == 200, (user, path)
            fragment = path.startswith(("/status", "/submit/history"))
            assert fragment or ('lang="en"' in response.text and "Log out" in response.text), (user, path)
            assert "提交" not in response.text and "报送" not in response.text, (user, path)
    assert "Catalog" in as_user("city").get("/catalog?lang=en").text
