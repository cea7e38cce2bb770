"""The audit trail as auditors read it: search, verify and the report, each use recorded, nobody else let in."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from edubrain.governance import identity
from edubrain.governance.audit import AuditError, list_events, record_event
from edubrain.governance.audit_access import (
    TrailQuery,
    may_read_trail,
    parse_day,
    report_archive,
    search_trail,
    trail_years,
    verify_trail,
)
from edubrain.governance.audit_report import BEIJING
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.governance.test_audit import tamper

AUDITOR = Principal("aud1", "审计员甲", (Grant("auditor", "110000", "city"),))
CITY_ADMIN = Principal("adm1", "管理员", (Grant("city_admin", "110000", "city"),))
SCHOOL_ADMIN = Principal("sch1", "校管理员", (Grant("school_admin", "1101080001", "school"),))


@pytest.fixture
def clerk_id(home: Home) -> str:
    """A user ``clerk`` with two exports and a login on the trail, plus a failed login typed as ``clerk``."""
    with session_scope(home.engine) as session:
        user = identity.add_user(session, "clerk", "clerk-password-1", "110108")
        record_event(session, actor=user.id, action="login")
        for rows in (3, 4):
            record_event(session, actor=user.id, action="export", dataset="students", row_count=rows, minors=True)
        record_event(session, actor="clerk", action="login_failed")
        record_event(session, actor="other", action="export", dataset="schools", row_count=1)
        return user.id


def _last(home: Home) -> dict:
    with session_scope(home.engine) as session:
        return list_events(session, limit=1)[0].to_dict()


def test_audit_access_only_auditors_may_read_the_trail(home: Home) -> None:
    assert may_read_trail(AUDITOR) and not may_read_trail(CITY_ADMIN) and not may_read_trail(None)
    for who in (CITY_ADMIN, SCHOOL_ADMIN):
        with pytest.raises(AccessDenied):
            search_trail(home, who, TrailQuery())
        with pytest.raises(AccessDenied):
            verify_trail(home, who)
        with pytest.raises(AccessDenied):
            report_archive(home, who, 2026)


def test_audit_access_search_by_action_is_newest_first_and_paged(home: Home, clerk_id: str) -> None:
    found = search_trail(home, AUDITOR, TrailQuery(action="export"), page_size=2)
    assert found.total == 3 and found.pages == 2 and found.page == 1
    assert [e.action for e in found.events] == ["export", "export"]
    assert found.events[0].seq > found.events[1].seq
    last = search_trail(home, AUDITOR, TrailQuery(action="export", page=10**20), page_size=2)
    assert last.page == 2 and len(last.events) == 1  # a page past the end shows the last


def test_audit_access_actor_is_found_by_username_with_the_failed_logins_typed_as_it(home: Home, clerk_id: str) -> None:
    found = search_trail(home, AUDITOR, TrailQuery(actor="clerk"))
    assert sorted(e.action for e in found.events) == ["export", "export", "login", "login_failed"]
    assert found.usernames == {clerk_id: "clerk"}
    by_dataset = search_trail(home, AUDITOR, TrailQuery(actor=clerk_id, dataset="students"))
    assert by_dataset.total == 2


def test_audit_access_date_range_is_in_beijing_days_inclusive(home: Home, clerk_id: str) -> None:
    today = dt.datetime.now(BEIJING).date()
    yesterday = today - dt.timedelta(days=1)
    assert search_trail(home, AUDITOR, TrailQuery(action="export", since=today, until=today)).total == 3
    assert search_trail(home, AUDITOR, TrailQuery(action="export", until=yesterday)).total == 0
    assert search_trail(home, AUDITOR, TrailQuery(action="export", since=today + dt.timedelta(days=1))).total == 0


def test_audit_access_bad_queries_are_refused_in_both_languages(home: Home) -> None:
    with pytest.raises(AuditError) as bad_action:
        search_trail(home, AUDITOR, TrailQuery(action="drop_table"))
    with pytest.raises(AuditError) as bad_range:
        search_trail(home, AUDITOR, TrailQuery(since=dt.date(2026, 3, 2), until=dt.date(2026, 3, 1)))
    with pytest.raises(AuditError) as bad_day:
        parse_day("2026-13-45")
    for exc in (bad_action, bad_range, bad_day):
        assert exc.value.zh and exc.value.en and exc.value.zh != exc.value.en
    assert parse_day("") is None and parse_day(" 2026-03-01 ") == dt.date(2026, 3, 1)


def test_audit_access_each_use_is_recorded_and_the_chain_stays_intact(home: Home, clerk_id: str) -> None:
    search_trail(home, AUDITOR, TrailQuery(action="export", actor="clerk"))
    searched = _last(home)
    assert (searched["action"], searched["actor"], searched["actor_role"]) == ("audit_read", "aud1", "auditor")
    assert searched["detail"] == {"search": {"action": "export", "actor": "clerk", "page": 1}, "matched": 2}
    assert verify_trail(home, AUDITOR).ok
    assert _last(home)["detail"] == {"verify": {"ok": True, "first_bad_seq": None}}
    name, content = report_archive(home, AUDITOR, dt.datetime.now(BEIJING).year)
    assert _last(home)["detail"]["report"]["chain_ok"] is True
    assert name.endswith(".zip") and content.startswith(b"PK")
    assert verify_trail(home, AUDITOR).ok


def test_audit_access_verify_names_the_tampered_event_and_still_records_the_check(home: Home, clerk_id: str) -> None:
    tamper(home, "UPDATE audit_events SET row_count = 99 WHERE seq = 2")
    result = verify_trail(home, AUDITOR)
    assert not result.ok and result.first_bad_seq == 2
    assert _last(home)["detail"] == {"verify": {"ok": False, "first_bad_seq": 2}}


def test_audit_access_report_zip_holds_the_html_and_every_csv(home: Home, clerk_id: str) -> None:
    year = dt.datetime.now(BEIJING).year
    assert trail_years(home, AUDITOR)[0] == year
    name, content = report_archive(home, AUDITOR, year)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert name == f"minors_report_{year}.zip"
    assert names[0] == f"minors_report_{year}.html" and f"minors_report_{year}_access_by_actor.csv" in names
    assert len(names) == 11
    html = zipfile.ZipFile(io.BytesIO(content)).read(names[0]).decode()
    assert "未成年人" in html and clerk_id in html
    with pytest.raises(AuditError):
        report_archive(home, AUDITOR, 1066)
