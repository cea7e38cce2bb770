"""HTTP hardening, tested as an attacker would: cross-site form posts, framing, leaking 500s and logs, /metrics.

Findings of issue 12 closed here: CSRF on the web app's forms, security headers on every response, the API docs
without a CDN, internal errors without internals, no pupil data in the server's logs, and a closed /metrics.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from edubrain.api.app import create_app
from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from tests.api.conftest import PASSWORD
from tests.conftest import SCHOOL
from tests.security.conftest import ApiCity, assert_error

OWN = "http://testserver"
EVIL = "https://evil.example"
SECRET = "secret detail 张三 110108201501011234"
"""A pupil's name and ID number in an exception message: it must reach neither the client nor the log."""


def _token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token field"
    return found.group(1)


def browser_login(city: ApiCity, username: str) -> tuple[TestClient, str]:
    """A client that behaves like a browser (Origin and Sec-Fetch-Site on posts) logged in as ``username``."""
    client = TestClient(city.client.app, follow_redirects=False)
    token = _token_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/", "csrf_token": token},
        headers={"Origin": OWN, "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 303, response.text
    return client, _token_of(client.get("/submit").text)


def _still_logged_in(client: TestClient) -> bool:
    return client.get("/submit").status_code == 200


# 1. CSRF ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},
        {"Referer": f"{EVIL}/attack.html"},
    ],
    ids=["origin", "null-origin", "fetch-metadata", "fetch-metadata-only", "sibling-subdomain", "referer"],
)
def test_http_cross_site_post_with_a_valid_session_is_refused(shared: ApiCity, headers: dict[str, str]) -> None:
    client, token = browser_login(shared, "school1")
    response = client.post("/logout", data={"csrf_token": token}, headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "跨站请求" in response.text and "Cross-site request" in response.text
    assert _still_logged_in(client)  # the forged logout did nothing


def test_http_cross_site_upload_is_refused_before_anything_is_stored(shared: ApiCity) -> None:
    client, token = browser_login(shared, "school1")
    before = client.get(f"/submit/history?org={SCHOOL}").text.count("data-batch=")
    response = client.post(
        "/submit",
        data={"dataset": "students", "org": SCHOOL, "csrf_token": token},
        files={"file": ("x.csv", "学籍号\n1\n".encode())},
        headers={"Origin": EVIL},
    )
    assert response.status_code == 403 and "text/html" in response.headers["content-type"]
    assert client.get(f"/submit/history?org={SCHOOL}").text.count("data-batch=") == before


def test_http_login_csrf_is_refused(shared: ApiCity) -> None:
    """An attacker's page logging the victim into the attacker's account."""
    client = TestClient(shared.client.app, follow_redirects=False)
    response = client.post(
        "/login", data={"username": "school2", "password": PASSWORD, "next": "/"}, headers={"Origin": EVIL}
    )
    assert response.status_code == 403
    assert "edubrain_access" not in response.cookies


def test_http_browser_post_without_or_with_a_wrong_token_is_refused(shared: ApiCity) -> None:
    client, token = browser_login(shared, "school1")
    same = {"Origin": OWN, "Sec-Fetch-Site": "same-origin"}
    missing = client.post("/logout", headers=same)
    assert missing.status_code == 403 and "令牌" in missing.text and "token" in missing.text
    wrong = client.post("/logout", data={"csrf_token": token[::-1]}, headers=same)
    assert wrong.status_code == 403
    other, _ = browser_login(shared, "school2")
    stolen_cookie_pair = client.post("/logout", data={"csrf_token": _token_of(other.get("/login").text)}, headers=same)
    assert stolen_cookie_pair.status_code == 403  # another session's token is not this one's
    assert _still_logged_in(client)


def test_http_own_form_post_and_htmx_header_are_accepted(shared: ApiCity) -> None:
    same = {"Origin": OWN, "Sec-Fetch-Site": "same-origin"}
    client, token = browser_login(shared, "school1")
    htmx = client.post("/logout", headers={**same, "HX-Request": "true", "X-CSRF-Token": token})
    assert htmx.status_code == 200 and htmx.headers["HX-Redirect"] == "/login"
    assert not _still_logged_in(client)
    client, token = browser_login(shared, "school1")
    assert client.post("/logout", data={"csrf_token": token}, headers=same).status_code == 303
    assert not _still_logged_in(client)


def test_http_every_post_form_and_htmx_carry_the_token(shared: ApiCity) -> None:
    client, token = browser_login(shared, "school1")
    page = client.get("/submit").text
    forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", page, re.S)
    assert len(forms) >= 2  # the upload and the logout
    assert all(f'name="csrf_token" value="{token}"' in form for form in forms)
    body = re.search(r"<body[^>]*>", page)
    assert body and "hx-headers" in body.group(0) and token in body.group(0)


def test_http_api_does_not_accept_the_web_session_cookie(shared: ApiCity) -> None:
    client, _ = browser_login(shared, "city")
    assert client.cookies.get("edubrain_access")
    assert_error(client.get("/api/v1/datasets/students/rows"), 401, "auth_error")
    assert_error(client.get("/api/v1/auth/me"), 401, "auth_error")


# 2. Security headers -------------------------------------------------------------------------------------------------


def _csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers.get("content-security-policy", "")
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in (p.strip() for p in policy.split(";"))}


def test_http_every_response_carries_the_security_headers(shared: ApiCity) -> None:
    client, _ = browser_login(shared, "city")
    responses = {
        "login page": shared.client.get("/login"),
        "cockpit": client.get("/"),
        "data page": client.get("/data/students"),
        "api rows": shared.client.get("/api/v1/datasets/students/rows", headers=shared.auth("city")),
        "api export": shared.client.get("/api/v1/datasets/students/export", headers=shared.auth("city")),
        "api error": shared.client.get("/api/v1/datasets/students/rows"),
        "unknown path": shared.client.get("/no/such/page"),
        "docs": shared.client.get("/docs"),
        "static": shared.client.get("/static/app.css"),
    }
    for what, response in responses.items():
        csp = _csp(response)
        assert csp.get("default-src") == "'self'", what
        assert csp.get("frame-ancestors") == "'none'", what
        assert "unsafe-inline" not in csp.get("script-src", "") and "unsafe-eval" not in csp.get("script-src", "")
        assert csp.get("object-src") == "'none'", what
        assert response.headers.get("x-frame-options") == "DENY", what
        assert response.headers.get("x-content-type-options") == "nosniff", what
        assert response.headers.get("referrer-policy") == "same-origin", what
        if what == "static":
            assert "no-store" not in response.headers.get("cache-control", ""), what
        else:
            assert response.headers.get("cache-control") == "no-store", what


def test_http_templates_have_no_inline_script_or_event_handler() -> None:
    from edubrain.web.render import WEB

    for template in sorted((WEB / "templates").glob("*.html")):
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), template.name
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert "style=" not in html, template.name


# 3. API docs without a CDN --------------------------------------------------------------------------------------------


def test_http_docs_load_nothing_from_outside_the_app(shared: ApiCity) -> None:
    from edubrain.web import VENDOR_FILES

    response = shared.client.get("/docs")
    assert response.status_code == 200
    assert not re.findall(r"https?://", response.text), "the docs page names an outside URL"
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', response.text):
        assert asset.startswith("/static/"), asset
        assert asset.rsplit("/", 1)[1] in VENDOR_FILES or not asset.startswith("/static/vendor/")
    assert "<script>" not in response.text  # the initialiser is a static file too (CSP)
    assert shared.client.get("/redoc").status_code == 404
    assert shared.client.get("/docs/oauth2-redirect").status_code == 404


# 4. A 500 names nothing internal -------------------------------------------------------------------------------------


def test_http_internal_error_body_is_generic_and_the_log_has_its_id_not_its_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Home(Settings(home=tmp_path), get_catalog()))

    @app.get("/api/v1/boom")  # under /api/: the JSON shape (a browser's page is tests/web/test_error_pages.py)
    def boom() -> None:
        raise RuntimeError(SECRET)

    with caplog.at_level(logging.DEBUG), TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/boom?student_id=110108201501011234")
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=RuntimeError(SECRET))
    error = assert_error(response, 500, "internal_error")
    assert "RuntimeError" not in response.text and "secret" not in response.text and "张三" not in response.text
    error_id = error["details"]["error_id"]
    assert re.fullmatch(r"[0-9a-f]{12,32}", error_id) and error_id in error["message_en"]
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("cache-control") == "no-store"
    handler = logging.StreamHandler()
    server = "\n".join(handler.format(r) for r in caplog.records if not r.name.startswith("httpx"))  # not the client
    assert error_id in server and "/boom" in server
    assert "RuntimeError" in server and "in boom" in server  # the type and the frames help the operator ...
    assert "secret" not in server and "张三" not in server  # ... the message (pupil data) is not logged
    assert "110108201501011234" not in server  # nor the query string


# 5. No pupil data in the server's logs -------------------------------------------------------------------------------


def test_http_access_log_filter_drops_the_query_string() -> None:
    from edubrain.api.serverlog import uvicorn_log_config

    config = uvicorn_log_config()
    filters = []
    for name in config["handlers"]["access"]["filters"]:
        module, _, attribute = config["filters"][name]["()"].rpartition(".")
        filters.append(getattr(importlib.import_module(module), attribute)())
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/data/students?name=%E5%BC%A0%E4%B8%89&student_id=110108201501011234", "1.1", 200),
        None,
    )
    assert all(f.filter(record) for f in filters)
    line = record.getMessage()
    assert "/data/students" in line and "student_id" not in line and "110108" not in line and "?" not in line


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``edubrain serve`` itself, on a free loopback port, over an initialised embedded home."""
    from tests.web.conftest import free_port

    port = free_port()
    env = {**os.environ, "EDUBRAIN_HOME": str(tmp_path / "home")}
    env.pop("EDUBRAIN_DATABASE_URL", None)
    edubrain = str(Path(sys.executable).with_name("edubrain"))
    subprocess.run([edubrain, "init"], env=env, check=True, capture_output=True)
    command = [edubrain, "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_http_served_access_log_has_no_query_strings(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    assert httpx.get(f"{url}/healthz", params={"student_id": "110108201501011234", "name": "张三"}).status_code == 200
    assert httpx.get(f"{url}/login", params={"next": "/data/students?name=李四"}).status_code == 200
    process.terminate()
    out = process.communicate(timeout=10)[0]
    assert '"GET /healthz HTTP/1.1" 200' in out and '"GET /login HTTP/1.1" 200' in out, out
    assert "110108201501011234" not in out and "student_id" not in out and "%E6%9D%8E" not in out, out


# 6. /metrics is closed -----------------------------------------------------------------------------------------------


def test_http_metrics_refuse_anonymous_and_unprivileged_callers(shared: ApiCity) -> None:
    assert_error(shared.client.get("/metrics"), 401, "auth_error")
    assert_error(shared.client.get("/metrics", headers={"Authorization": "Bearer guess"}), 401, "auth_error")
    assert_error(shared.client.get("/metrics", headers=shared.auth("school1")), 403, "access_denied")
    assert_error(shared.client.get("/metrics", headers=shared.auth("analyst")), 403, "access_denied")
    assert_error(shared.client.get("/metrics", headers=shared.auth("node")), 403, "access_denied")
    admin = shared.client.get("/metrics", headers=shared.auth("city"))
    assert admin.status_code == 200 and "edubrain_http_requests_total" in admin.text


def test_http_metrics_answer_the_scraper_token(shared: ApiCity, monkeypatch: pytest.MonkeyPatch) -> None:
    token = "metrics-scraper-token-0123456789abcdef"
    monkeypatch.setattr(shared.home.settings, "metrics_token", SecretStr(token))
    assert shared.client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert_error(shared.client.get("/metrics", headers={"Authorization": f"Bearer {token}x"}), 401, "auth_error")
    assert_error(shared.client.get("/metrics"), 401, "auth_error")
