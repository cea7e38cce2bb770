"""Fixtures and helpers of the web app's tests.

A small city (three schools in two districts, a class, five pupils, one user per role); the synthetic city of
the 体质健康 and 学位预测 page tests; logged-in clients per user; and, for the browser tests, a real uvicorn
server on loopback and headless Chromium (Debian ``chromium``).
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.conftest import CHAOYANG_SCHOOL, CLASS, SCHOOL, home_with_schools, student_rows, write_csv

if TYPE_CHECKING:
    from tests.web.test_fitness_page_city import SynthWeb

Client = Callable[[str], TestClient]
"""A logged-in client per username, made once and reused."""
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PASSWORD = "web-test-password-1"
USERS = {
    # username: (org, role, refs)
    "city": ("110000", "city_analyst", None),
    "cityadmin": ("110000", "city_admin", None),
    "haidian": ("110108", "district_admin", None),
    "chaoyang": ("110105", "district_admin", None),
    "school": (SCHOOL, "school_admin", None),
    "teacher": (SCHOOL, "teacher", [CLASS]),
    "auditor": ("110000", "auditor", None),
}


def build_city(folder: Path, catalog: Catalog) -> Home:
    """Haidian's two schools with a class and five pupils, a Chaoyang school, and the users of :data:`USERS`."""
    home = home_with_schools(folder, catalog)
    chaoyang = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办", "小学规划学位数"],
        [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是", 800],
    ]
    assert ingest_file(home, write_csv(folder / "cy.csv", chaoyang), "schools", "110105").report.status == "committed"
    pupils = write_csv(folder / "pupils.csv", student_rows(5))
    assert ingest_file(home, pupils, "students", SCHOOL).report.status == "committed"
    with session_scope(home.engine) as session:
        for name, (org, role, refs) in USERS.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org, refs)
    return home


def make_app(home: Home) -> FastAPI:
    """The real app (the API's ``create_app``, which mounts the web app)."""
    from edubrain.api.app import create_app
    from edubrain.web.cockpit import IndicatorCache

    app = create_app(home)
    app.state.web_indicators = IndicatorCache(recheck_seconds=0)  # see every submission at once
    return app


@pytest.fixture(scope="module")
def web_home(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Home]:
    home = build_city(tmp_path_factory.mktemp("webcity"), catalog)
    yield home
    home.engine.dispose()


@pytest.fixture(scope="module")
def app(web_home: Home) -> FastAPI:
    return make_app(web_home)


def login(app: FastAPI, username: str, password: str = PASSWORD) -> TestClient:
    """A client logged in as ``username``."""
    client = TestClient(app, follow_redirects=False)
    response = client.post("/login", data={"username": username, "password": password, "next": "/"})
    assert response.status_code == 303, response.text
    return client


def clients(app: FastAPI) -> Client:
    """Logged-in clients of ``app``, one per username, logged in on first use."""
    made: dict[str, TestClient] = {}

    def get(username: str) -> TestClient:
        if username not in made:
            made[username] = login(app, username)
        return made[username]

    return get


@pytest.fixture(scope="module")
def as_user(app: FastAPI) -> Client:
    return clients(app)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> SynthWeb:
    """The synthetic city of the 体质健康 and 学位预测 page tests (built once per process)."""
    from tests.web.test_fitness_page_city import synth_web_city

    return synth_web_city(tmp_path_factory)


@pytest.fixture(scope="module")
def synth_app(city: SynthWeb) -> FastAPI:
    return make_app(city.home)


@pytest.fixture(scope="module")
def user(synth_app: FastAPI) -> Client:
    """Logged-in clients of the synthetic city's app, by username."""
    return clients(synth_app)


def page_data(html: str, script_id: str) -> dict:
    """The JSON a page embeds for its charts in ``<script type="application/json" id=script_id>``."""
    found = re.search(rf'<script type="application/json" id="{script_id}">(.*?)</script>', html, re.S)
    assert found, "the page has no chart data"
    return json.loads(found.group(1))


def rows_of(html: str, table: str, attribute: str = "data-org") -> list[str]:
    """The ``attribute`` of each row of the grid table ``table`` (empty when the page has no such table)."""
    body = re.search(rf'<table class="grid" id="{table}">(.*?)</table>', html, re.S)
    return re.findall(rf'<tr {attribute}="([^"]+)"', body.group(1)) if body else []


def need_chromium() -> None:
    """Skip without Chromium, saying why; with ``CI=true`` a missing Chromium is a failure."""
    if CHROMIUM.exists():
        return
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(home: Home) -> Iterator[str]:
    """A real uvicorn server on a free loopback port over ``home`` (for the browser tests); yields its URL."""
    port = free_port()
    env = {**os.environ, "EDUBRAIN_HOME": str(home.settings.home)}
    env.pop("EDUBRAIN_DATABASE_URL", None)
    command = [sys.executable, "-m", "uvicorn", "--factory", "edubrain.api.app:create_app"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start: " + (process.stdout.read1().decode() if process.stdout else ""))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def chromium():  # type: ignore[no-untyped-def]
    """Headless Chromium (skipped without it, see :func:`need_chromium`), closed on exit."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def logged_in_page(browser, url: str, username: str, path: str):  # type: ignore[no-untyped-def]
    """A Chromium page logged in as ``username`` and opened at ``path``."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page.set_default_timeout(30_000)
    page.goto(f"{url}/login?next={quote(path, safe='')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{url}{path}")
    return page


def open_as(browser, url: str, user: str, path: str, *, password: str = PASSWORD, width: int = 1280):  # type: ignore[no-untyped-def]  # fmt: skip
    """A Chromium page of ``width`` px, logged in through the form as ``user``, then opened at ``path``."""
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    page.set_default_timeout(60_000)
    page.goto(f"{url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}{path}")
    page.wait_for_load_state("networkidle")
    return page


def assert_no_raw_json(page, selector: str = "body", extra: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """What a person sees holds no raw JSON (no ``{"``, ``":``, ``null``, nor any of ``extra``)."""
    text = page.inner_text(selector)
    assert not [t for t in ('{"', '":', "null", *extra) if t in text], text[:500]


@pytest.fixture(scope="module")
def browser_city(tmp_path_factory: pytest.TempPathFactory) -> SynthWeb:
    """The synthetic city for a browser test (skipped before the city is built when Chromium is missing)."""
    from tests.web.test_fitness_page_city import synth_web_city

    need_chromium()
    return synth_web_city(tmp_path_factory)


@contextmanager
def served_page(home: Home, username: str, path: str, charts: tuple[str, ...] = (), settle_ms: int = 0):  # type: ignore[no-untyped-def]
    """``home`` served by uvicorn and opened at ``path`` in Chromium, logged in as ``username``.

    The page is yielded once each chart element whose id is in ``charts`` is marked ``data-ready='1'``
    and a further ``settle_ms`` milliseconds have passed (for the first frame or an animation).
    """
    with chromium() as browser, serve(home) as url:
        page = logged_in_page(browser, url, username, path)
        try:
            for chart in charts:
                page.wait_for_selector(f"#{chart}[data-ready='1']")
            page.wait_for_timeout(settle_ms)
            yield page
        finally:
            page.close()


def screenshot_is_not_blank(png: bytes, background: float = 0.9, what: str = "screenshot") -> None:
    """Many colours, none covering more than ``background`` of the picture."""
    from PIL import Image

    shot = Image.open(io.BytesIO(png)).convert("RGB")
    colours = shot.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, f"the {what} is blank"
    assert max(n for n, _ in colours) < background * shot.width * shot.height


@pytest.fixture(scope="module")
def browser(server: str):  # type: ignore[no-untyped-def]
    """One Chromium per module, started after the module's own ``server`` fixture (the app it drives)."""
    with chromium() as launched:
        yield launched
