"""A case from the public form to the rating: routing, sealing, steps, audit, citizens' lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from edubrain import public_service as ps
from edubrain.errors import ValidationFailed
from edubrain.governance.public_service import sla_due
from edubrain.governance.public_service_models import PublicServiceCase
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity
from tests.public_service.conftest import HAIDIAN_TEXT, principal


def test_public_service_case_is_routed_sealed_and_answered(pcity: ApiCity) -> None:
    home = pcity.home
    receipt = ps.file_case(home, text=HAIDIAN_TEXT, district="110108", name="张三", phone="13812345678")
    assert receipt.category == "canteen" and receipt.office == "health_arts"
    with session_scope(home.engine) as session:
        row = session.scalar(select(PublicServiceCase).where(PublicServiceCase.code == receipt.code))
        assert row is not None
        stored = " ".join(str(v) for v in (row.sealed, row.text_masked, row.check_hash))
    assert "13812345678" not in stored and "张三" not in stored and receipt.check_code not in stored
    assert "138****5678" in row.text_masked
    haidian = principal(home, "haidian")
    [line] = ps.list_cases(home, haidian)
    assert line.code == receipt.code and "13812345678" not in line.text_masked
    detail = ps.case_detail(home, haidian, line.id)
    assert detail.unmasked and detail.phone == "13812345678" and detail.name == "张三"
    assert detail.actions == ["reroute", "respond"]
    ps.act(home, haidian, line.id, "respond", response="已责成学校整改食堂卫生，并由卫生监督所复查。")
    done = ps.act(home, haidian, line.id, "close")
    assert done.line.status == "closed" and [e.action for e in done.events] == ["intake", "respond", "close"]
    seen = ps.lookup(home, receipt.code, receipt.check_code.lower())
    assert seen.status == "closed" and seen.response and "13812345678" not in seen.text_masked
    assert ps.rate(home, receipt.code, receipt.check_code, 4).satisfaction == 4
    with pytest.raises(ps.CaseRefused):
        ps.rate(home, receipt.code, receipt.check_code, 5)
    with session_scope(home.engine) as session:
        steps = session.execute(text("select detail from audit_events where action = 'public_service'")).all()
        reads = session.execute(text("select count(*) from audit_events where action = 'public_service_read'")).scalar()
    assert len(steps) == 4 and reads >= 1


def test_public_service_low_confidence_goes_to_triage_and_is_routed_by_hand(pcity: ApiCity) -> None:
    home = pcity.home
    receipt = ps.file_case(home, text="请问一下你们单位的办公地址在哪里，谢谢。", district="110108")
    assert receipt.category is None and receipt.office == "general_office"
    city = principal(home, "city")
    [line] = ps.list_cases(home, city, status="triage")
    with pytest.raises(ValidationFailed):
        ps.act(home, city, line.id, "route", category="weather")
    routed = ps.act(home, city, line.id, "route", category="facilities")
    assert routed.line.office == "planning" and routed.line.status == "routed"
    with pytest.raises(ValidationFailed):
        ps.act(home, city, line.id, "reroute", category="fees")  # a reroute needs a reason
    moved = ps.act(home, city, line.id, "reroute", category="fees", note="涉及收费")
    assert moved.line.office == "finance"
    with pytest.raises(ps.CaseRefused):
        ps.act(home, city, line.id, "close")  # not answered yet


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"text": "太短"}, "text"),
        ({"district": "120101"}, "district"),
        ({"phone": "call me maybe"}, "phone"),
        ({"school": "12345"}, "school"),
    ],
)
def test_public_service_form_errors_name_the_field_in_both_languages(pcity: ApiCity, fields: dict, column: str) -> None:
    values = {"text": HAIDIAN_TEXT, "district": "110108", **fields}
    with pytest.raises(ValidationFailed) as caught:
        ps.file_case(pcity.home, **values)
    assert column in caught.value.zh and column in caught.value.en and caught.value.zh != caught.value.en


def test_public_service_intake_is_rate_limited_per_client(pcity: ApiCity) -> None:
    for _ in range(ps.INTAKE_PER_HOUR):
        ps.file_case(pcity.home, text=HAIDIAN_TEXT, district="110108", client="203.0.113.9")
    with pytest.raises(ps.RateLimited):
        ps.file_case(pcity.home, text=HAIDIAN_TEXT, district="110108", client="203.0.113.9")
    ps.file_case(pcity.home, text=HAIDIAN_TEXT, district="110108", client="203.0.113.10")


def test_public_service_deadline_counts_working_days() -> None:
    friday = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    assert sla_due(friday, 2) == dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)  # Mon, Tue
    saturday = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    assert sla_due(saturday, 1).date() == dt.date(2026, 12, 8)  # rolls to Monday, then one day
