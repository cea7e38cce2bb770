"""The public ``/verify`` page in real headless Chromium against uvicorn, with no login: paste a credential and
read "有效 / Valid"; paste a tampered one and see the proof check fail; choose a file; a phone-width screen;
no CSP violation and no raw JSON in the verdict. Without Chromium it skips, saying why; with ``CI=true`` a
missing Chromium is a failure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.store import db
from tests.web.conftest import assert_no_raw_json, chromium, need_chromium, screenshot_is_not_blank, serve
from tests.web.test_verify_api import credit_credential, signed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    need_chromium()
    folder: Path = tmp_path_factory.mktemp("verify-browser")
    settings = Settings(home=folder / "home")
    db.upgrade(settings.resolved_database_url)
    Home(settings, catalog).engine.dispose()
    with serve(Home(settings, catalog)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(served: str):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _open(browser, url: str, width: int, violations: list[str]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/verify")
    return page


def test_browser_paste_a_credential_and_read_valid_then_a_tampered_one(browser, served: str) -> None:  # type: ignore[no-untyped-def]
    violations: list[str] = []
    page = _open(browser, served, 1280, violations)
    try:
        assert page.url.endswith("/verify")  # no login asked
        page.fill("#credential-text", json.dumps(signed(credit_credential()), ensure_ascii=False, indent=2))
        page.click("#verify-submit")
        page.wait_for_selector("#verify-verdict")
        assert page.inner_text("#verify-verdict") == "有效 / Valid"
        assert page.locator("#verify-checks li[data-state='passed']").count() == 5
        assert page.locator("#verify-checks li[data-check='status']").get_attribute("data-state") == "none"
        assert "高等数学（上）" in page.inner_text("#verify-summary")
        assert_no_raw_json(page, "#verify-result")
        screenshot_is_not_blank(page.locator("#verify-result").screenshot(), background=0.97, what="verdict")

        tampered = signed(credit_credential())
        tampered["credentialSubject"]["creditsEarned"] = 12.0
        page.fill("#credential-text", json.dumps(tampered, ensure_ascii=False))
        page.click("#verify-submit")
        page.wait_for_selector("#verify-verdict")
        assert page.inner_text("#verify-verdict") == "无效 / Invalid"
        failed = page.locator("#verify-checks li[data-state='failed']")
        assert failed.count() == 1 and failed.get_attribute("data-check") == "proof"
        assert "证明 / 签名" in failed.inner_text() and "签名无效" in failed.inner_text()
        assert "Invalid signature" in failed.inner_text()
        assert_no_raw_json(page, "#verify-result")
        assert violations == []
    finally:
        page.context.close()


def test_browser_choose_a_file_on_a_phone(browser, served: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    violations: list[str] = []
    page = _open(browser, served, 375, violations)
    try:
        badge = tmp_path / "badge.json"
        badge.write_text(json.dumps(signed(credit_credential("https://elsewhere.example/status/1"))), "utf-8")
        page.set_input_files("#credential-file", str(badge))
        page.wait_for_function("document.getElementById('credential-text').value.length > 100")
        page.click("#verify-submit")
        page.wait_for_selector("#verify-verdict")
        assert page.inner_text("#verify-verdict") == "无法完全验证 / Could not be fully verified"
        status = page.locator("#verify-checks li[data-check='status']")
        assert status.get_attribute("data-state") == "unchecked" and "无法离线检查" in status.inner_text()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the page is wider than the phone: {widths}"
        page.fill("#credential-text", "{ not json")
        page.click("#verify-submit")
        page.wait_for_selector("#verify-error")
        error = page.inner_text("#verify-error")
        assert "JSON 格式错误" in error and "Invalid JSON" in error
        assert violations == []
    finally:
        page.context.close()
