"""Errors a browser is shown: pages in the site's layout, Chinese first with English; the API keeps its JSON shape.

In process (ASGI client) for every status the app answers by itself (404, 405, 422, 500), a bad page number and
an upload named ``..``; in Chromium, a mistyped address and a bad query value as a person sees them.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.home import Home
from tests.conftest import SCHOOL
from tests.web.conftest import Client, build_city, chromium, logged_in_page, make_app, serve

HTML = {"Accept": "text/html,application/xhtml+xml"}


def paragraphs(html: str) -> list[str]:
    """The texts of the error box (the message in the page's language, then the other)."""
    box = re.search(r'<div class="error" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert box, "no error box"
    return re.findall(r"<p[^>]*>(.*?)</p>", box.group(1), re.S)


def assert_error_page(response, status: int, code: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """An HTML page of ``status`` in the layout (header and heading), never a JSON body; returns its messages."""
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    assert '<header class="top">' in response.text and 'id="error-heading"' in response.text
    assert '{"error"' not in response.text
    if code:
        assert f'data-code="{code}"' in response.text
    return paragraphs(response.text)


def test_error_pages_mistyped_address_is_a_404_page_with_the_users_navigation(as_user: Client) -> None:
    response = as_user("school").get("/no-such-page?lang=zh", headers=HTML)
    zh, en = assert_error_page(response, 404, "not_found")
    assert "页面不存在" in response.text and "/no-such-page" in zh and en.startswith("Not found")
    assert 'id="site-menu"' in response.text and 'href="/submit"' in response.text


def test_error_pages_anonymous_visitor_gets_the_404_page_too(app: FastAPI) -> None:
    response = TestClient(app).get("/nope/deeper")  # no Accept header: not under /api/, so a page
    assert_error_page(response, 404, "not_found")
    assert 'id="site-menu"' not in response.text


def test_error_pages_bad_query_value_is_a_422_page_in_chinese_then_english(as_user: Client) -> None:
    response = as_user("school").get("/data/students?page=abc&lang=zh", headers=HTML)
    zh, en = assert_error_page(response, 422, "invalid_request")
    assert zh == "请求参数无效：page 应为整数"
    assert not re.search(r"[A-Za-z]{3,}", zh.replace("page", "")), zh  # no pydantic English in the zh message
    assert en.startswith("Invalid request: query.page")
    english = assert_error_page(as_user("school").get("/data/students?page=abc&lang=en", headers=HTML), 422)
    assert english[0].startswith("Invalid request") and english[1].startswith("请求参数无效")


def test_error_pages_huge_page_number_is_a_clear_422_not_a_500(as_user: Client) -> None:
    response = as_user("school").get("/data/students?page=99999999999999999999&lang=zh", headers=HTML)
    zh, _ = assert_error_page(response, 422, "invalid_request")
    assert zh == "请求参数无效：page 不能大于 1000000"
    assert as_user("school").get("/data/students?page=0").status_code == 422


def test_error_pages_wrong_method_is_a_405_page_that_names_the_allowed_ones(as_user: Client) -> None:
    response = as_user("city").post("/catalog?lang=zh", headers=HTML)
    assert_error_page(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"] and "不支持该操作" in response.text


def test_error_pages_upload_named_dot_dot_is_a_clear_400(as_user: Client) -> None:
    client = as_user("school")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/submit").text)
    assert token
    response = client.post(
        "/submit?lang=zh",
        data={"dataset": "students", "org": SCHOOL, "csrf_token": token.group(1)},
        files={"file": ("..", b"a,b\n1,2\n")},
        headers=HTML,
    )
    zh, en = assert_error_page(response, 400, "input_file_error")
    assert zh.startswith("不支持的文件格式") and en.startswith("Unsupported file format")


def test_error_pages_htmx_request_gets_the_error_fragment_alone(as_user: Client) -> None:
    response = as_user("city").get("/status?lang=zh", headers={**HTML, "HX-Request": "true"})
    assert response.status_code == 422 and "<html" not in response.text
    assert paragraphs(response.text)[0] == "请求参数无效：district 缺少此项"


def test_error_pages_api_keeps_the_one_json_shape_with_a_chinese_zh_message(app: FastAPI) -> None:
    client = TestClient(app)
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/catalog/students/template?lang=fr").json()["error"]
    assert bad["code"] == "invalid_request" and bad["details"]["problems"][0]["loc"] == ["query", "lang"]
    assert (
        bad["message_zh"].startswith("请求参数无效：lang 取值无效，可选：") and "Input should" not in bad["message_zh"]
    )
    assert "Input should" in bad["message_en"]
    assert client.get("/healthz").headers["content-type"].startswith("application/json")


def test_error_pages_a_browser_typing_an_api_address_gets_a_page(app: FastAPI) -> None:
    response = TestClient(app).get("/api/v1/no-such-thing", headers=HTML)
    assert_error_page(response, 404, "not_found")


@pytest.fixture(scope="module")
def broken_app(web_home: Home) -> FastAPI:
    """The app with one page that fails unexpectedly (a bug)."""
    app = make_app(web_home)

    @app.get("/broken-page", include_in_schema=False)
    def broken() -> None:
        raise RuntimeError("a bug with a pupil's name 张三 in its message")

    return app


def test_error_pages_internal_error_is_a_500_page_with_the_error_id_and_nothing_internal(broken_app: FastAPI) -> None:
    client = TestClient(broken_app, raise_server_exceptions=False)
    response = client.get("/broken-page", headers=HTML)
    zh, en = assert_error_page(response, 500, "internal_error")
    assert re.search(r"错误编号 [0-9a-f]{32}", zh) and "error id" in en
    assert "张三" not in response.text and "RuntimeError" not in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    api = client.get("/api/v1/broken-page-does-not-exist")
    assert api.headers["content-type"].startswith("application/json")


@pytest.mark.slow
def test_error_pages_browser_shows_a_page_for_a_mistyped_address_and_a_bad_value(tmp_path_factory, catalog) -> None:  # type: ignore[no-untyped-def]
    home = build_city(tmp_path_factory.mktemp("errorcity"), catalog)
    home.engine.dispose()
    with chromium() as browser, serve(home) as url:
        page = logged_in_page(browser, url, "school", "/")
        for path, status, heading in (
            ("/catalgo", 404, "页面不存在"),
            ("/data/students?page=99999999999999999999", 422, "请求参数无效"),
            ("/fitness?year=twenty", 422, "请求参数无效"),
        ):
            response = page.goto(f"{url}{path}")
            assert response is not None and response.status == status, path
            assert page.inner_text("#error-heading") == heading, path
            body = page.inner_text("body")
            assert not body.lstrip().startswith("{") and "Input should" not in page.inner_text(".error p:not(.other)")
            assert page.locator("#site-menu a").count() >= 3, path  # the layout, with the user's navigation
        page.close()
