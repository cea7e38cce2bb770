"""The pages under the strict Content-Security-Policy, in real headless Chromium: no violation, everything works.

Logged in through the form (its CSRF token), each page's scripts run from /static only: the cockpit, 体质健康
and 学位预测 maps with their tooltips, the data page's filter, the year selector, an HTMX upload (the token in the
``X-CSRF-Token`` header), logging out, and Swagger UI at /docs from the app's own files.
Without Chromium it skips, saying why; with ``CI=true`` a missing Chromium is a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import student_rows
from tests.web.conftest import PASSWORD, chromium, serve
from tests.web.test_fitness_page_city import SynthWeb

pytestmark = pytest.mark.slow


def _watch(page, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Collect the CSP violations (console messages and ``securitypolicyviolation`` events) of ``page``."""
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )


def _login(context, url: str, username: str, path: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/login?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")  # the form's hidden token
    page.wait_for_url(f"{url}{path}")
    return page


def _hover_centre(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)


def test_browser_pages_work_under_the_csp_without_a_violation(browser_city: SynthWeb, tmp_path: Path) -> None:
    violations: list[str] = []
    with chromium() as browser, serve(browser_city.home) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        _watch(context, violations)
        page = _login(context, url, "city", "/")
        page.wait_for_selector("#district-map[data-ready='1']")
        _hover_centre(page, "#district-map")
        page.goto(f"{url}/fitness")
        page.wait_for_selector("#fitness-map[data-ready='1']")
        _hover_centre(page, "#fitness-map")
        years = page.locator("#fitness-year option").evaluate_all("os => os.map(o => o.value)")
        with page.expect_navigation():
            page.select_option("#fitness-year", years[-1])  # data-autosubmit (static app.js)
        assert f"year={years[-1]}" in page.url
        page.goto(f"{url}/forecast")
        page.wait_for_selector("#gap-map[data-ready='1']")
        page.goto(f"{url}/docs")
        page.wait_for_selector(".swagger-ui .info .title")
        assert "EduBrain" in page.inner_text(".swagger-ui .info .title")
        page.close()
        assert violations == []

        school = _login(context, url, "school", "/data/students")
        school.select_option("#filter-field", "sex")
        assert school.get_attribute("#filter-value", "name") == "sex"  # data-names (static app.js)
        school.goto(f"{url}/submit")
        roster = tmp_path / "roster.csv"
        roster.write_text("\n".join(",".join(map(str, r)) for r in student_rows(2, start=90)), encoding="utf-8")
        school.select_option("#dataset", "students")
        school.set_input_files("#file-input", str(roster))  # HTMX post with the X-CSRF-Token header
        school.wait_for_selector("#report-body")
        assert "令牌" not in school.inner_text("#report")
        school.click("form[action='/logout'] button[type=submit]")  # the form's hidden token
        school.wait_for_url(f"{url}/login")
        assert violations == []
        school.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
        )
        school.wait_for_timeout(300)
        assert any("script-src" in v for v in violations), "the watcher sees an injected inline script"
        context.close()
