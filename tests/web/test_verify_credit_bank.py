"""Integration: a credential the credit bank issued on recognition verifies through the public API and page, with
its status read from the platform's own status list (``edubrain.credit_bank.status``), and fails once revoked."""

from __future__ import annotations

import copy
import json

from fastapi.testclient import TestClient

from edubrain.credit_bank import service as bank
from tests.credit_bank.bank import COURSE, INSTITUTION, Bank, bank_city  # noqa: F401
from tests.web.conftest import make_app

URL = "/api/v1/credentials/verify"


def _states(answer: dict) -> dict[str, str]:
    return {c["name"]: c["state"] for c in answer["checks"]}


def test_a_recognised_credit_verifies_then_fails_status_once_revoked(bank_city: Bank) -> None:  # noqa: F811
    p, home = bank_city.principals, bank_city.home
    made = bank.deposit(home, p["ann"], INSTITUTION, COURSE)
    credential = bank.decide(home, p["rev"], made.id, "recognise").credential
    assert credential is not None
    document = bank.credential_document(home, p["ann"], credential.id)
    assert document["credentialStatus"]["statusListCredential"].startswith("http://127.0.0.1:8000/credentials/status/")
    client = TestClient(make_app(home))

    answer = client.post(URL, json=document).json()
    assert answer["verdict"] == "valid", answer["checks"]
    assert _states(answer)["status"] == "passed"
    page = client.post("/verify", data={"credential": json.dumps(document, ensure_ascii=False)})
    assert "有效 / Valid" in page.text

    achievement = document["credentialSubject"]["achievement"]
    assert "4 学分" in achievement["name"]  # the credits the bank recognised are in the signed achievement
    for field, value in (
        ("credit", achievement["name"].replace("4 学分", "40 学分")),
        ("name", "高等数学（上）（4 学分 / credits）"),
        ("issuance date", None),
    ):
        tampered = copy.deepcopy(document)
        if value is None:
            tampered["validFrom"] = "2020-01-01T00:00:00Z"
        else:
            tampered["credentialSubject"]["achievement"]["name"] = value
        failed = [n for n, s in _states(client.post(URL, json=tampered).json()).items() if s == "failed"]
        assert failed == ["proof"], field

    bank.revoke(home, p["rev"], credential.id, "证书造假")
    revoked = client.post(URL, json=document).json()
    assert revoked["verdict"] == "invalid" and _states(revoked)["status"] == "failed"
    status = next(c for c in revoked["checks"] if c["name"] == "status")
    assert "撤销" in status["zh"] and "revoked" in status["en"]

    unknown = copy.deepcopy(document)
    unknown["credentialStatus"]["statusListCredential"] = "http://127.0.0.1:8000/credentials/status/nosuchlist"
    answer = client.post(URL, json=unknown).json()
    status = next(c for c in answer["checks"] if c["name"] == "status")
    assert status["state"] == "failed" and "本平台没有状态列表 nosuchlist" in status["zh"]
