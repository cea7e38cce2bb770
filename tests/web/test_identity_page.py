"""The 学籍身份合并 review page (/identity): side-by-side masked comparison, merge, undo, reject, in Chromium.

Candidates are stored directly (the matching is measured in tests/governance/test_identity_resolution.py); the
page is driven as a school administrator would: compare, merge keeping one record, undo, reject.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from edubrain.catalog import Catalog
from edubrain.governance.audit import AuditEvent
from edubrain.governance.identity_links import active_links, links_revision
from edubrain.governance.models import IdentityCandidate
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.conftest import SCHOOL, student_rows
from tests.web.conftest import Client, build_city, chromium, logged_in_page, need_chromium, serve


def _seed(home: Home) -> str:
    """One open candidate: pupils 0 and 1 of the school (build_city stores five)."""
    ids = sorted(str(r[0]) for r in student_rows(2)[1:])
    cid = secrets.token_hex(16)
    with session_scope(home.engine) as session:
        session.add(
            IdentityCandidate(id=cid, left_id=ids[0], right_id=ids[1], left_school=SCHOOL, right_school=SCHOOL,
                              probability=0.991, match_weight=10.2, rule="model", status="open", found_by="test")
        )  # fmt: skip
    return cid


def _actions(home: Home) -> list[str]:
    with session_scope(home.engine) as session:
        return [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("identity_%")))]


def test_identity_page_other_roles_get_403_and_no_nav_entry(web_home: Home, as_user: Client) -> None:
    assert as_user("teacher").get("/identity").status_code == 403
    assert 'href="/identity"' not in as_user("teacher").get("/catalog").text
    school = as_user("school").get("/identity")
    assert school.status_code == 200 and 'href="/identity"' in school.text


def test_identity_page_post_without_csrf_token_is_refused(web_home: Home, as_user: Client) -> None:
    cid = _seed(web_home)
    browser_like = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    response = as_user("school").post(f"/identity/{cid}/reject", data={"status": "open"}, headers=browser_like)
    assert response.status_code == 403
    assert "identity_reject" not in _actions(web_home)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[tuple[Home, str, str]]:
    need_chromium()
    home = build_city(tmp_path_factory.mktemp("identitycity"), catalog)
    cid = _seed(home)
    with serve(home) as url:
        yield home, url, cid
    home.engine.dispose()


@pytest.mark.slow
def test_identity_page_browser_school_compares_merges_undoes_and_rejects(served) -> None:  # type: ignore[no-untyped-def]
    home, url, cid = served
    with chromium() as browser:
        page = logged_in_page(browser, url, "school", "/identity")
        card = page.locator(f"#candidate-{cid}")
        assert card.count() == 1 and "0.991" in card.inner_text()
        table = card.locator("table.identity-compare").inner_text()
        assert "测*" in table and "测试0" not in table  # names masked to the school administrator's clearance
        card.locator("button.merge-right").click()
        page.wait_for_selector("#identity-none")
        assert links_revision(home) == 1 and active_links(home).num_rows == 1
        page.goto(f"{url}/identity?status=merged")
        merged = page.locator(f"#candidate-{cid}")
        assert "（保留）" in merged.inner_text() or "(保留)" in merged.inner_text()
        merged.locator("button.undo").click()
        page.wait_for_url(f"{url}/identity?status=merged")
        assert links_revision(home) == 2 and active_links(home).num_rows == 0
        page.goto(f"{url}/identity")
        page.locator(f"#candidate-{cid} button.reject").click()
        page.wait_for_selector("#identity-none")
        assert _actions(home) == ["identity_merge", "identity_undo", "identity_reject"]
        page.close()
