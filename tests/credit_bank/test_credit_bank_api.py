"""The credit bank's REST API and its public status route, as the learner, the institution and an attacker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from edubrain.api.app import create_app
from edubrain.credentials.status_list import entry_is_set
from tests.api.conftest import assert_error
from tests.credit_bank.bank import COURSE, INSTITUTION, OTHER_INSTITUTION, Bank

P = "/api/v1/credit-bank"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api(bank_city: Bank) -> Iterator[tuple[Bank, TestClient]]:
    with TestClient(create_app(bank_city.home)) as client:
        yield bank_city, client


def _deposit(bank_city: Bank, client: TestClient, user: str = "ann", **extra: object) -> str:
    body = {**COURSE, "institution": INSTITUTION, **extra}
    response = client.post(f"{P}/deposits", json=body, headers=bank_city.auth(user))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_api_workflow_deposit_evidence_decide_download_and_public_status(api: tuple[Bank, TestClient]) -> None:
    b, client = api
    assert client.get(f"{P}/institutions", headers=b.auth("ann")).json()["count"] == 2
    did = _deposit(b, client)
    up = client.post(f"{P}/deposits/{did}/evidence", files={"file": ("成绩单.pdf", PDF, "application/pdf")},
                     headers=b.auth("ann"))  # fmt: skip
    assert up.status_code == 201, up.text
    queue = client.get(f"{P}/deposits", params={"view": "queue"}, headers=b.auth("rev")).json()
    assert [d["id"] for d in queue["data"]] == [did] and queue["data"][0]["evidence"][0]["size"] == len(PDF)
    evidence = client.get(f"{P}/evidence/{queue['data'][0]['evidence'][0]['id']}", headers=b.auth("rev"))
    assert evidence.status_code == 200 and evidence.content == PDF
    preview = client.get(f"{P}/deposits/{did}/preview", headers=b.auth("rev")).json()
    assert preview["decision"] == "accepted" and preview["reason_en"]
    done = client.post(f"{P}/deposits/{did}/decision", json={"decision": "recognise"}, headers=b.auth("rev")).json()
    assert done["state"] == "recognised" and done["decision"]["engine"]["rule_id"] == "cn-deposit"
    cid = done["credential"]["id"]
    document = client.get(f"{P}/credentials/{cid}", headers=b.auth("ann"))
    assert document.status_code == 200 and "attachment" in document.headers["content-disposition"]
    entry = document.json()["credentialStatus"]
    list_path = "/credentials/status/" + entry["statusListCredential"].rsplit("/", 1)[1]
    public = client.get(list_path)  # no login
    assert public.status_code == 200 and not entry_is_set(entry, public.json())
    assert "安一" not in public.text and "learner" not in public.text
    revoked = client.post(f"{P}/credentials/{cid}/revoke", json={"reason": "证书造假"}, headers=b.auth("rev"))
    assert revoked.status_code == 200, revoked.text
    assert entry_is_set(entry, client.get(list_path).json())
    progress = client.get(f"{P}/progress", headers=b.auth("ann")).json()
    assert progress["total"] == 0.0 and {r["requirement_id"] for r in progress["requirements"]} >= {"cn-total"}
    assert_error(client.get("/credentials/status/" + "0" * 32), 404, "not_found")


def test_api_attacker_cannot_read_change_move_or_infer(api: tuple[Bank, TestClient]) -> None:
    b, client = api
    did = _deposit(b, client)
    unknown = "f" * 32
    for user in ("bo", "rev2", "dist", "city"):  # another learner, another institution, a district, the city
        for path in (f"{P}/deposits/{did}", f"{P}/deposits/{unknown}", f"{P}/deposits/{did}/preview"):
            body = assert_error(client.get(path, headers=b.auth(user)), 404, "not_found")
            assert did not in body["message_en"] or path.endswith(did) or path.endswith("preview")
        decided = client.post(f"{P}/deposits/{did}/decision", json={"decision": "recognise"}, headers=b.auth(user))
        assert_error(decided, 404, "not_found")
        same = client.post(f"{P}/deposits/{unknown}/decision", json={"decision": "recognise"}, headers=b.auth(user))
        assert decided.json()["error"]["message_en"].replace(did, "X") == same.json()["error"]["message_en"].replace(
            unknown, "X"
        )
        up = client.post(f"{P}/deposits/{did}/evidence", files={"file": ("a.pdf", PDF, "application/pdf")},
                         headers=b.auth(user))  # fmt: skip
        assert_error(up, 404, "not_found")
        assert client.get(f"{P}/deposits", params={"view": "queue"}, headers=b.auth(user)).json()["count"] == 0
        assert client.get(f"{P}/deposits", headers=b.auth(user)).json()["count"] == 0
    # the learner reads its deposit but cannot decide it
    assert_error(client.get(f"{P}/deposits/{did}/preview", headers=b.auth("ann")), 404, "not_found")
    assert_error(client.post(f"{P}/deposits/{did}/decision", json={"decision": "recognise"}, headers=b.auth("ann")),
                 404, "not_found")  # fmt: skip
    # move: a learner cannot deposit into another's account; a reviewer only to its own institution
    bo = b.accounts["bo"]
    assert_error(client.post(f"{P}/deposits", json={**COURSE, "institution": INSTITUTION, "learner": bo},
                             headers=b.auth("ann")), 404, "not_found")  # fmt: skip
    assert_error(client.post(f"{P}/deposits", json={**COURSE, "institution": OTHER_INSTITUTION, "learner": bo},
                             headers=b.auth("rev")), 404, "not_found")  # fmt: skip
    made = client.post(
        f"{P}/deposits", json={**COURSE, "institution": INSTITUTION, "learner": bo}, headers=b.auth("rev")
    )
    assert made.status_code == 201 and made.json()["learner_id"] == bo
    assert [d["id"] for d in client.get(f"{P}/deposits", headers=b.auth("bo")).json()["data"]] == [made.json()["id"]]
    # not an authorised institution (no reviewer there): answered like an unknown one
    assert_error(client.post(f"{P}/deposits", json={**COURSE, "institution": "110101"}, headers=b.auth("ann")),
                 404, "not_found")  # fmt: skip
    # only a city administrator opens accounts
    assert_error(client.post(f"{P}/accounts", json={"name": "x"}, headers=b.auth("rev")), 403, "access_denied")
    assert_error(client.get(f"{P}/deposits"), 401)


def test_api_credentials_and_evidence_are_out_of_reach_of_others(api: tuple[Bank, TestClient]) -> None:
    b, client = api
    did = _deposit(b, client)
    client.post(
        f"{P}/deposits/{did}/evidence", files={"file": ("a.pdf", PDF, "application/pdf")}, headers=b.auth("ann")
    )
    evidence_id = client.get(f"{P}/deposits/{did}", headers=b.auth("ann")).json()["evidence"][0]["id"]
    cid = client.post(f"{P}/deposits/{did}/decision", json={"decision": "recognise"},
                      headers=b.auth("rev")).json()["credential"]["id"]  # fmt: skip
    for user in ("bo", "rev2", "dist"):
        assert_error(client.get(f"{P}/credentials/{cid}", headers=b.auth(user)), 404, "not_found")
        assert_error(client.get(f"{P}/evidence/{evidence_id}", headers=b.auth(user)), 404, "not_found")
        assert_error(client.post(f"{P}/credentials/{cid}/revoke", json={"reason": "x"}, headers=b.auth(user)),
                     404, "not_found")  # fmt: skip
        assert client.get(f"{P}/credentials", headers=b.auth(user)).json()["count"] == 0
    assert_error(client.post(f"{P}/credentials/{cid}/revoke", json={"reason": "x"}, headers=b.auth("ann")),
                 404, "not_found")  # fmt: skip
    assert client.get(f"{P}/credentials", headers=b.auth("ann")).json()["count"] == 1
    fake = client.post(f"{P}/deposits/{_deposit(b, client)}/evidence", files={"file": ("a.pdf", b"MZ\x90exe", "application/pdf")},
                       headers=b.auth("ann"))  # fmt: skip
    assert_error(fake, 422, "input_file_error")
