"""The 数据报送 page in real Chromium: one upload is one POST, and the upload shows its progress."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from tests.conftest import student_rows, write_csv
from tests.web.conftest import build_city, logged_in_page, need_chromium, serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[str]:
    need_chromium()
    home = build_city(tmp_path_factory.mktemp("submitcity"), catalog)
    home.engine.dispose()
    with serve(home) as url:
        yield url


def _posts(page) -> list[str]:  # type: ignore[no-untyped-def]
    """A list that collects the POST /submit requests the page makes from now on."""
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/submit") else None)
    return posts


def test_browser_one_chosen_file_is_submitted_once(browser, server: str, tmp_path: Path) -> None:
    page = logged_in_page(browser, server, "school", "/submit")
    posts = _posts(page)
    before = page.locator("#history-table tr[data-batch]").count()
    page.select_option("#dataset", "students")
    page.set_input_files("#file-input", str(write_csv(tmp_path / "名册.csv", student_rows(3, start=40))))
    page.wait_for_selector("#report-body[data-status=committed]")
    # The person then does what the form offers: there is no second button to press, and submitting the
    # form again (Enter in a field) does not send the same file a second time.
    assert not page.locator("#submit-form button[type=submit]").is_visible()
    page.evaluate("document.getElementById('submit-form').requestSubmit()")
    page.wait_for_timeout(1500)
    assert len(posts) == 1, posts
    assert page.locator("#history-table tr[data-batch]").count() == before + 1
    page.close()


def test_browser_upload_shows_bytes_sent_then_the_validation_stage(browser, server: str, tmp_path: Path) -> None:
    page = logged_in_page(browser, server, "school", "/submit?lang=zh")
    assert not page.locator("#upload-progress").is_visible()
    page.evaluate(
        """() => {
            window.stages = [];
            const stage = document.getElementById("upload-stage");
            new MutationObserver(() => window.stages.push(stage.textContent)).observe(
                stage, {childList: true, characterData: true, subtree: true});
        }"""
    )
    page.select_option("#dataset", "students")
    page.set_input_files("#file-input", str(write_csv(tmp_path / "大名册.csv", student_rows(400, start=100))))
    page.wait_for_selector("#report-body[data-status]")
    assert page.locator("#upload-progress").is_visible()
    bar = page.locator("#upload-bar")
    assert bar.get_attribute("max") == "100" and bar.evaluate("b => b.value") == 100
    stages = page.evaluate("window.stages")
    sent = [i for i, s in enumerate(stages) if s.startswith("上传中") and " KB / " in s]
    validating = [i for i, s in enumerate(stages) if "校验中" in s]
    assert sent and validating and sent[-1] < validating[0], stages  # bytes sent, then the validation stage
    assert stages[sent[-1]].endswith("（100 %）"), stages
    assert page.inner_text("#upload-stage").strip() not in ("", "…")
    page.close()
