"""The public form in real headless Chromium at phone width: no horizontal scroll, filed with the CSP in force."""

from __future__ import annotations

from pathlib import Path

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from tests.api.conftest import populate
from tests.public_service.conftest import HAIDIAN_TEXT
from tests.web.conftest import chromium, serve

pytestmark = pytest.mark.slow
PHONE = {"width": 390, "height": 844}


def test_public_service_browser_form_at_phone_width_files_a_case(tmp_path: Path) -> None:
    home = Home(Settings(home=tmp_path / "home"), get_catalog())  # the default SQLite file, as the server opens it
    populate(home, tmp_path / "files")
    home.engine.dispose()
    with chromium() as browser, serve(home) as url:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{url}/service")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.fill("textarea[name=text]", HAIDIAN_TEXT)
        page.select_option("select[name=district]", "110108")
        page.fill("input[name=phone]", "13812345678")
        page.click("#service-intake button[type=submit]")
        page.wait_for_selector("#service-receipt")
        assert page.inner_text("#service-code").startswith("JS")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert not errors, errors
