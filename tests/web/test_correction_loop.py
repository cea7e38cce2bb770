"""The demo's correction loop in real Chromium, as the demo school's clerk (``demo_school_admin``).

A small synthetic 东城区 and 海淀区 are bulk-loaded and given the demo accounts of ``make demo``; the clerk uploads
``examples/students_1101080001_errors.csv``, sees the bad cells marked red and the problems grouped by cause,
fixes the file, resubmits it and sees the new version in the history table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.demo import EXAMPLE_SCHOOL, create_demo_accounts, demo_school
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.web.conftest import PASSWORD, chromium, logged_in_page, need_chromium, serve

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).parents[2] / "examples" / "students_1101080001_errors.csv"
FIXES = {  # (file row, header) -> corrected value: what the report asks the clerk to change
    (2, "身份证号"): "110108201906059918",
    (3, "性别"): "男",
    (4, "学校标识码"): EXAMPLE_SCHOOL,
    (6, "全国学籍号"): "G110108201905099993",
    (6, "身份证号"): "110108201905099993",
    (6, "出生日期"): "2019-05-09",
    (7, "出生日期"): "2019-02-28",
}


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A synthetic 东城区 and 海淀区 (one school year), bulk-loaded as ``make demo`` does, with the demo accounts."""
    need_chromium()
    root = tmp_path_factory.mktemp("demo-city")
    config = SynthConfig(
        scale=0.003,
        seed=7,
        years=1,
        out=root / "city",
        districts=("110101", "110108"),  # 东城区's schools come first: the demo school is still the example's
        formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0),
    )
    generate(config, workers=1)
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    accounts = {a.username: a for a in create_demo_accounts(home, PASSWORD)}
    assert demo_school(home)[0] == EXAMPLE_SCHOOL == accounts["demo_school_admin"].org_code
    home.engine.dispose()
    return home


@pytest.fixture(scope="module")
def server(demo_home: Home) -> Iterator[str]:
    with serve(demo_home) as url:
        yield url


def _corrected(path: Path) -> Path:
    """The example file with :data:`FIXES` applied (file row 1 is the header)."""
    with open(EXAMPLE, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for (row, header), value in FIXES.items():
        rows[row - 1][rows[0].index(header)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_demo_clerk_uploads_the_example_sees_red_cells_fixes_and_commits_a_new_version(
    demo_home: Home, server: str, tmp_path: Path
) -> None:
    stored = pl.from_arrow(demo_home.lake.read(demo_home.catalog.dataset("students"), columns=["school_code"]))
    with chromium() as browser:
        page = logged_in_page(browser, server, "demo_school_admin", "/submit")
        page.select_option("#dataset", "students")
        page.set_input_files("#file-input", str(EXAMPLE))
        page.wait_for_selector("#report-body[data-status=rejected]")
        marked = page.eval_on_selector_all(
            "#file-preview td.bad",
            "cells => cells.map(c => [Number(c.closest('tr').dataset.row), c.dataset.column,"
            " getComputedStyle(c).backgroundColor])",
        )
        assert {(row, column) for row, column, _ in marked} >= {
            (2, "身份证号"), (3, "性别"), (4, "学校标识码"), (5, "全国学籍号"), (6, "全国学籍号"), (7, "出生日期")
        }  # fmt: skip
        assert {colour for *_, colour in marked} == {"rgb(253, 236, 234)"}  # red, every one
        rules = page.eval_on_selector_all("#problem-groups tr[data-rule]", "rows => rows.map(r => r.dataset.rule)")
        assert {"duplicate_key", "check_digit", "code", "scope", "type_date"} <= set(rules)
        assert "未存储任何数据" in page.inner_text("#report-body")
        before = page.locator("#history-table tr[data-batch]").count()

        page.set_input_files("#file-input", str(_corrected(tmp_path / "students_1101080001_fixed.csv")))
        page.wait_for_selector("#report-body[data-status=committed]")
        version = page.get_attribute("#report-body", "data-version")
        assert version is not None and int(version) >= 1
        assert "新增 7 行" in page.inner_text("#report-body")
        page.wait_for_function(f"document.querySelectorAll('#history-table tr[data-batch]').length > {before}")
        newest = page.locator("#history-table tr[data-batch]").first
        assert newest.locator(".pill").inner_text() == "已提交"
        assert newest.locator("td.num").first.inner_text() == version
        page.close()
    after = pl.from_arrow(demo_home.lake.read(demo_home.catalog.dataset("students"), columns=["school_code"]))
    assert after.height == stored.height + 7
