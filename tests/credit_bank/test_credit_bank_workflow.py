"""The credit-bank workflow through the governed facade: deposit, queue, explained recognition, progress, revocation."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from edubrain.credentials.status_list import entry_is_set
from edubrain.credentials.verify import verify
from edubrain.credit_bank import service as bank
from edubrain.credit_bank.status import status_list_credential
from edubrain.governance.audit import AuditEvent
from edubrain.governance.credit_bank_models import CreditBankDecision, CreditBankLearner
from edubrain.store.db import session_scope
from tests.credit_bank.bank import COURSE, INSTITUTION, OTHER_INSTITUTION, Bank

CERT = {"kind": "certificate", "formality": "non_formal", "setting": "out_of_school", "title": "全国计算机等级考试一级",
        "provider": "教育部教育考试院", "credits": 0, "completed_on": "2025-03-01", "code": "CN-NCRE-1"}  # fmt: skip


def test_a_learner_deposits_and_only_its_institution_queues_it(bank_city: Bank) -> None:
    p = bank_city.principals
    made = bank.deposit(bank_city.home, p["ann"], INSTITUTION, COURSE)
    assert made.state == "deposited" and made.learner_name == "安一"
    assert [d.id for d in bank.queue(bank_city.home, p["rev"])] == [made.id]
    assert bank.queue(bank_city.home, p["rev2"]) == []
    assert [d.id for d in bank.my_deposits(bank_city.home, p["ann"])] == [made.id]
    assert bank.my_deposits(bank_city.home, p["bo"]) == []


def test_recognition_stores_the_engine_decision_and_issues_a_verifiable_badge(bank_city: Bank) -> None:
    p, home = bank_city.principals, bank_city.home
    made = bank.deposit(home, p["ann"], INSTITUTION, COURSE)
    seen = bank.preview(home, p["rev"], made.id)
    assert seen["decision"] == "accepted" and seen["granted"] == 4.0 and seen["ruleset_id"] == "cn-city-credit-bank"
    done = bank.decide(home, p["rev"], made.id, "recognise")
    assert done.state == "recognised" and done.decision is not None
    assert done.decision.credits_recognised == 4.0 and done.decision.engine["rule_id"] == "cn-deposit"
    assert done.decision.engine["reason_zh"] and done.decision.ruleset_version == "2025"
    assert done.credential is not None
    document = bank.credential_document(home, p["ann"], done.credential.id)
    assert document["credentialSubject"]["id"].startswith("urn:edubrain:pseudonym:P")
    assert "安一" not in json.dumps(document, ensure_ascii=False)  # the name never travels in a badge
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    entry = document["credentialStatus"]
    list_id = entry["statusListCredential"].rsplit("/", 1)[1]
    published = status_list_credential(home, list_id)
    assert published is not None and not entry_is_set(entry, published)
    result = verify(document, status_lists={entry["statusListCredential"]: published})
    assert result.valid, result.reason_en


def test_a_certificate_converts_by_the_table_and_progress_shows_what_is_missing(bank_city: Bank) -> None:
    p, home = bank_city.principals, bank_city.home
    cert = bank.deposit(home, p["ann"], INSTITUTION, CERT)
    done = bank.decide(home, p["rev"], cert.id, "recognise")
    assert done.decision is not None and done.decision.credits_recognised == 3.0  # 2025 row of the table
    assert done.decision.category == "general" and done.decision.engine["rule_id"] == "cn-certificate-conversion"
    course = bank.deposit(home, p["ann"], INSTITUTION, COURSE)
    bank.decide(home, p["rev"], course.id, "recognise")
    progress = bank.progress(home, p["ann"])
    assert progress is not None and progress["total"] == 7.0
    per = {c["id"]: c["credits"] for c in progress["categories"]}
    assert per == {"major": 4.0, "general": 3.0, "elective": 0.0}
    missing = {r["requirement_id"]: r["missing"] for r in progress["requirements"]}
    assert missing == {"cn-total": 69.0, "cn-major": 36.0, "cn-general": 12.0} and not progress["degree_met"]
    assert bank.progress(home, p["rev"]) is None


def test_the_non_formal_cap_cuts_a_deposit_and_partial_and_refusal_need_reasons(bank_city: Bank) -> None:
    p, home = bank_city.principals, bank_city.home
    first = bank.deposit(home, p["bo"], INSTITUTION, {**COURSE, "credits": 28, "code": "A1"})
    bank.decide(home, p["rev"], first.id, "recognise")
    second = bank.deposit(home, p["bo"], INSTITUTION, {**COURSE, "credits": 5, "code": "A2"})
    seen = bank.preview(home, p["rev"], second.id)
    assert seen["decision"] == "reduced" and seen["granted"] == 2.0 and seen["rule_id"] == "cn-non-formal-cap"
    with pytest.raises(bank.CreditBankError):
        bank.decide(home, p["rev"], second.id, "partial", credits=1)  # no reason
    with pytest.raises(bank.CreditBankError):
        bank.decide(home, p["rev"], second.id, "partial", credits=3, reason="x")  # above what the rules grant
    done = bank.decide(home, p["rev"], second.id, "recognise")
    assert done.state == "partial" and done.decision is not None and done.decision.trail == ["cn-non-formal-cap"]
    third = bank.deposit(home, p["bo"], INSTITUTION, {**COURSE, "credits": 2, "code": "A3"})
    with pytest.raises(bank.CreditBankError):
        bank.decide(home, p["rev"], third.id, "recognise")  # the cap leaves nothing
    refused = bank.decide(home, p["rev"], third.id, "refuse", reason="超出非学历上限")
    assert refused.state == "refused" and refused.credential is None
    assert refused.decision is not None and refused.decision.reason == "超出非学历上限"
    with pytest.raises(bank.CreditBankError):
        bank.decide(home, p["rev"], third.id, "recognise")  # decided already


def test_revocation_sets_the_bit_in_the_published_list_and_stops_the_credits(bank_city: Bank) -> None:
    p, home = bank_city.principals, bank_city.home
    made = bank.deposit(home, p["ann"], INSTITUTION, COURSE)
    cred = bank.decide(home, p["rev"], made.id, "recognise").credential
    assert cred is not None
    with pytest.raises(bank.CreditBankNotFound):
        bank.revoke(home, p["rev2"], cred.id, "wrong institution")
    revoked = bank.revoke(home, p["rev"], cred.id, "证书造假")
    assert revoked.revoked_at is not None
    document = bank.credential_document(home, p["ann"], cred.id)
    published = status_list_credential(home, cred.status_list_id)
    assert published is not None and entry_is_set(document["credentialStatus"], published)
    result = verify(document, status_lists={document["credentialStatus"]["statusListCredential"]: published})
    assert not result.valid
    assert bank.get_deposit(home, p["ann"], made.id).state == "revoked"
    progress = bank.progress(home, p["ann"])
    assert progress is not None and progress["total"] == 0.0


def test_every_step_is_audited_and_k12_link_is_a_pseudonym(bank_city: Bank) -> None:
    p, home = bank_city.principals, bank_city.home
    made = bank.deposit(home, p["ann"], INSTITUTION, COURSE)
    bank.decide(home, p["rev"], made.id, "recognise")
    with session_scope(home.engine) as session:
        steps = [
            e.detail.get("step") for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "credit_bank"))
        ]
        learner = session.get(CreditBankLearner, bank_city.accounts["ann"])
        assert learner is not None and learner.k12_pseudonym is not None
        assert learner.k12_pseudonym.startswith("P") and "G110108" not in learner.k12_pseudonym
        stored = session.scalar(select(CreditBankDecision))
        assert stored is not None and stored.engine_decision["decision"] == "accepted"
    assert {"open_account", "deposit", "recognise"} <= set(steps)
    assert bank.my_account(home, p["bo"]) is not None and not bank.my_account(home, p["bo"]).linked_to_k12  # type: ignore[union-attr]
    assert OTHER_INSTITUTION != INSTITUTION


def test_a_new_deposit_never_takes_credits_from_a_recognised_one(bank_city: Bank) -> None:
    p, home = bank_city.principals, bank_city.home
    first = bank.deposit(home, p["bo"], INSTITUTION, {**COURSE, "credits": 28, "code": "B1"})
    bank.decide(home, p["rev"], first.id, "recognise")
    bigger = bank.deposit(home, p["bo"], INSTITUTION, {**COURSE, "credits": 10, "code": "B2"})
    seen = bank.preview(home, p["rev"], bigger.id)  # largest first would keep it and cut B1: the deposit is cut
    assert seen["granted"] == 2.0 and seen["decision"] == "reduced" and seen["rule_id"] == "cn-non-formal-cap"
    bank.decide(home, p["rev"], bigger.id, "recognise")
    progress = bank.progress(home, p["bo"])
    assert progress is not None and progress["total"] == 30.0
