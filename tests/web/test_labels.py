"""What people read: titles, names and reasons instead of identifiers, in Chinese and in English.

Browser tests in real headless Chromium against uvicorn over the synthetic city (skipped without Chromium,
a failure under ``CI=true``), and one render of the validation report's template.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from edubrain.web.messages import t
from edubrain.web.render import TEMPLATES
from tests.web.conftest import serve
from tests.web.test_fitness_page_city import SynthWeb
from tests.web.test_phone import phone_page

CJK = re.compile(r"[\u4e00-\u9fff]")
CLASS_CODE = re.compile(r"\b\d{18}\b")


@pytest.fixture(scope="module")
def server(browser_city: SynthWeb) -> Iterator[str]:
    with serve(browser_city.home) as url:
        yield url


def _desktop(browser, server: str, username: str, path: str, lang: str):  # type: ignore[no-untyped-def]
    page = phone_page(browser, server, username, path, lang)
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "expected"), [("zh", "学校基础信息 第 "), ("en", "Schools version ")])
def test_labels_cockpit_names_data_versions_by_title(browser, server: str, lang: str, expected: str) -> None:
    page = _desktop(browser, server, "city", "/", lang)
    try:
        note = page.inner_text("#data-as-of")
        assert expected in note and not re.search(r"\bv\d", note) and "schools" not in note
    finally:
        page.close()


@pytest.mark.slow
def test_labels_english_cockpit_map_names_districts_in_english(browser, server: str) -> None:
    page = _desktop(browser, server, "city", "/", "en")
    try:
        page.wait_for_selector("#district-map[data-ready='1']")
        names = page.evaluate("window.edubrainMap.getOption().series[0].data.map(d => d.name)")
        assert len(names) == 16 and "Haidian District" in names and not any(CJK.search(n) for n in names)
        headings = page.locator("main h1, main h2, main th, main label, #headline .label").all_inner_texts()
        assert not [h for h in headings if CJK.search(h)]
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "why"), [("zh", "已脱敏：密级 L4"), ("en", "Masked: classification L4")])
def test_labels_pupils_show_school_and_class_names_and_why_a_field_is_masked(
    browser, server: str, lang: str, why: str
) -> None:
    page = _desktop(browser, server, "school", "/data/students", lang)
    try:
        table = page.inner_text("#data-table tbody")
        assert not CLASS_CODE.search(table)  # 18-digit class codes
        classes = page.locator("#data-table tbody td span.ref[title]").all_inner_texts()
        assert any("班" in c for c in classes) and "1101080001" not in table
        masked = page.locator("#data-table th.masked")
        assert masked.count() >= 3
        assert all(title.startswith(why) for title in masked.evaluate_all("ths => ths.map(th => th.title)"))
        assert "students" not in page.inner_text("main h1")
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "word"), [("zh", "主键"), ("en", "key")])
def test_labels_catalog_marks_the_key_in_words_not_an_emoji(browser, server: str, lang: str, word: str) -> None:
    page = _desktop(browser, server, "city", "/catalog/students", lang)
    try:
        assert "🔑" not in page.content()
        assert page.inner_text("#field-list tr[data-field='student_id'] .pill.key") == word
        page.goto(f"{server}/data")
        assert not page.locator("#data-list code").count()  # dataset ids are not shown as titles' captions
    finally:
        page.close()


def _report(value: str | None) -> SimpleNamespace:
    group = {"rule": "required", "message_zh": "缺少必填列", "message_en": "Missing column", "column": "姓名"}
    group.update(value=value, count=1, rows=[2])
    return SimpleNamespace(
        status="rejected",
        version=None,
        file="a.csv",
        message_zh="未通过",
        message_en="rejected",
        rows_read=1,
        rows_accepted=0,
        rows_rejected=1,
        encoding="utf-8",
        dataset="students",
        groups=[SimpleNamespace(**group)],
        problem_count=1,
        warnings=[],
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_report_has_no_empty_value_column(lang: str) -> None:
    template = TEMPLATES.get_template("_report.html")
    context = {"lang": lang, "t": lambda key, **v: t(key, lang, **v), "preview": None}
    empty = template.render(report=_report(None), **context)
    assert f"<th>{t('value', lang)}</th>" not in empty
    shown = template.render(report=_report("男?"), **context)
    assert f"<th>{t('value', lang)}</th>" in shown and "男?" in shown
