"""The credit-bank pages: the learner archive, the institution queue, downloads, navigation, no inline style."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from edubrain.credit_bank import service as bank
from tests.api.conftest import PASSWORD
from tests.credit_bank.bank import COURSE, INSTITUTION, Bank
from tests.web.conftest import login, make_app


@pytest.fixture
def web(bank_city: Bank) -> tuple[Bank, dict[str, TestClient]]:
    app = make_app(bank_city.home)
    return bank_city, {u: login(app, u, PASSWORD) for u in ("ann", "bo", "rev", "rev2", "dist")}


def _post(client: TestClient, page: str, path: str, data: dict[str, str]) -> object:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert token is not None
    return client.post(path, data={"csrf_token": token.group(1), **data})


def test_learner_deposits_on_the_page_and_the_reviewer_decides_with_the_explanation(
    web: tuple[Bank, dict[str, TestClient]],
) -> None:
    b, c = web
    archive = c["ann"].get("/credit-bank")
    assert archive.status_code == 200 and "我的学分银行" in archive.text and b.accounts["ann"] in archive.text
    assert 'href="/credit-bank"' in archive.text and 'href="/credit-bank/queue"' not in archive.text  # nav by role
    assert "style=" not in archive.text  # the CSP forbids inline styles
    form = {k: str(v) for k, v in COURSE.items()} | {"institution": INSTITUTION}
    assert _post(c["ann"], "/credit-bank", "/credit-bank/deposits", form).status_code == 303  # type: ignore[attr-defined]
    queue = c["rev"].get("/credit-bank/queue")
    assert queue.status_code == 200 and "数据分析基础" in queue.text and 'data-proposal="accepted"' in queue.text
    assert "已存入学分银行并予认定" in queue.text  # the rule's explanation, shown before deciding
    assert 'href="/credit-bank/queue"' in queue.text and 'href="/credit-bank"' not in queue.text
    assert "数据分析基础" not in c["rev2"].get("/credit-bank/queue").text
    deposit_id = re.search(r'data-deposit="([0-9a-f]{32})"', queue.text).group(1)  # type: ignore[union-attr]
    done = _post(c["rev"], "/credit-bank/queue", f"/credit-bank/queue/{deposit_id}/decision", {"decision": "recognise"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    archive = c["ann"].get("/credit-bank")
    assert 'data-state="recognised"' in archive.text and 'id="cb-total">4<' in archive.text
    link = re.search(r'href="(/credit-bank/credentials/[^"]+\.json)"', archive.text)
    assert link is not None
    download = c["ann"].get(link.group(1))
    assert download.status_code == 200 and download.json()["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["bo"].get(link.group(1)).status_code == 404
    assert c["rev2"].get(link.group(1)).status_code == 404
    en = c["ann"].get("/credit-bank?lang=en")
    assert "My credit bank" in en.text


def test_pages_refuse_roles_that_may_not_open_them(web: tuple[Bank, dict[str, TestClient]]) -> None:
    b, c = web
    assert c["dist"].get("/credit-bank").status_code == 403
    assert c["dist"].get("/credit-bank/queue").status_code == 403
    assert c["ann"].get("/credit-bank/queue").status_code == 403
    assert c["rev"].get("/credit-bank").status_code == 403
    made = bank.deposit(b.home, b.principals["ann"], INSTITUTION, COURSE)
    refused = _post(
        c["rev2"], "/credit-bank/queue", f"/credit-bank/queue/{made.id}/decision", {"decision": "recognise"}
    )
    assert refused.status_code == 404  # type: ignore[attr-defined]
    anonymous = TestClient(c["ann"].app, follow_redirects=False)
    assert anonymous.get("/credit-bank").status_code == 303
