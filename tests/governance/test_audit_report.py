"""The annual minors' information report: counts from events (pure), HTML and CSV, and from a database."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from edubrain.governance.audit import AuditEvent, VerifyResult, record_event
from edubrain.governance.audit_report import (
    BEIJING,
    build_minors_report,
    minors_report,
    render_html,
    report_tables,
    write_report,
    year_bounds,
)
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.governance.test_audit import fill, tamper

GOOD = VerifyResult(True, 99, None, "审计链完整", "intact", head_seq=99, head_hash="ab" * 32)
BAD = VerifyResult(False, 3, 4, "事件 #4 的内容与其哈希不符", "event #4 does not match its hash", head_seq=3)
NOW = dt.datetime(2027, 1, 5, 2, 0, tzinfo=dt.UTC)


def event(seq: int, at: str, action: str, actor: str = "u1", **values: Any) -> AuditEvent:
    """An unsaved event at Beijing time ``at`` (``2026-03-01 08:00``)."""
    when = dt.datetime.fromisoformat(at).replace(tzinfo=BEIJING).astimezone(dt.UTC)
    defaults: dict[str, Any] = {"fields": [], "minors": False, "detail": {}, "prev_hash": "", "hash": str(seq)}
    return AuditEvent(seq=seq, at=when, action=action, actor=actor, **(defaults | values))


def read(seq: int, at: str, actor: str = "u1", **values: Any) -> AuditEvent:
    base = {"actor_role": "school_admin", "org_code": "1101080001", "dataset": "students", "minors": True}
    base |= {"purpose": "financial_aid_review", "fields": ["name", "national_id"], "row_count": 10}
    return event(seq, at, "read_unmasked", actor, **(base | values))


EVENTS = [
    event(1, "2025-12-31 23:59", "read_unmasked", actor_role="city_admin", purpose="x", minors=True, row_count=99),
    read(2, "2026-01-01 00:00"),  # the first minute of 2026 in Beijing (still 2025 in UTC)
    read(3, "2026-01-15 10:00", row_count=5, purpose="health_follow_up", fields=["health_notes"]),
    read(4, "2026-03-02 09:00", actor="u2", actor_role="district_admin", org_code="110108"),
    read(5, "2026-03-03 09:00", minors=False),  # adults' data: not an access to minors' information
    event(
        6,
        "2026-03-04 09:00",
        "read_masked",
        "u3",
        actor_role="teacher",
        dataset="exam_scores",
        minors=True,
        row_count=30,
    ),
    event(
        7,
        "2026-04-01 12:00",
        "export",
        "u2",
        dataset="students",
        minors=True,
        row_count=200,
        purpose="enrollment_management",
    ),
    event(8, "2026-04-02 12:00", "export", "u3", dataset="schools", row_count=1800),
    event(9, "2026-05-01 03:00", "login_failed", "mallory"),
    event(10, "2026-05-01 03:01", "login_failed", "mallory"),
    event(11, "2026-06-01 08:00", "incident", "system", detail={"summary": "<script>alert(1)</script>"}),
    event(12, "2026-07-01 08:00", "role_change", "u_admin", detail={"user": "u3", "granted": "teacher"}),
    event(13, "2026-08-01 08:00", "login", "u1"),
    read(14, "2027-01-01 00:00"),  # next year
]


@pytest.fixture
def report() -> Any:
    return build_minors_report(EVENTS, year=2026, verify=GOOD, generated_at=NOW, org_names={"110108": "海淀区"})


def test_report_year_is_the_calendar_year_in_beijing_time() -> None:
    start, end = year_bounds(2026)
    assert start == dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC) and end == dt.datetime(2026, 12, 31, 16, tzinfo=dt.UTC)


def test_report_counts_accesses_to_minors_information_only(report: Any) -> None:
    assert report.events == 12
    total = report.total_access()
    assert (total.events, total.unmasked_reads, total.masked_reads, total.exports) == (5, 3, 1, 1)
    assert total.rows == 10 + 5 + 10 + 30 + 200 and total.actors == {"u1", "u2", "u3"}


def test_report_groups_by_actor_purpose_role_dataset_and_month(report: Any) -> None:
    u1 = report.by_actor["u1"]
    assert (u1.events, u1.rows, u1.purposes) == (2, 15, {"financial_aid_review", "health_follow_up"})
    assert u1.fields == {"name", "national_id", "health_notes"} and u1.orgs == {"1101080001"}
    assert {k: c.events for k, c in report.by_purpose.items()} == {
        "financial_aid_review": 2,
        "health_follow_up": 1,
        "": 1,
        "enrollment_management": 1,
    }
    assert {k: c.events for k, c in report.by_role.items()} == {
        "school_admin": 2,
        "district_admin": 1,
        "teacher": 1,
        "": 1,
    }
    assert {k: c.events for k, c in report.by_dataset.items()} == {"students": 4, "exam_scores": 1}
    assert [c.events for c in report.by_month.values()] == [2, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert report.month_other["2026-05"]["failed_logins"] == 2 and report.month_other["2026-04"]["exports"] == 2


def test_report_lists_exports_incidents_failed_logins_and_rights_changes(report: Any) -> None:
    assert [e.seq for e in report.exports] == [7, 8]
    assert [e.seq for e in report.incidents] == [11]
    assert report.failed_logins["mallory"].events == 2
    assert [e.seq for e in report.rights_changes] == [12]


def test_report_tables_have_one_header_width_per_row(report: Any) -> None:
    tables = report_tables(report)
    assert [t.name for t in tables][:2] == ["summary", "access_by_actor"]
    for table in tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table.name
        assert all("/" in column for column in table.columns), table.name
    by_actor = next(t for t in tables if t.name == "access_by_actor")
    assert by_actor.rows[0][0] == "u1" and "学校管理员" in str(by_actor.rows[0][1])
    assert any("110108 海淀区" in str(row[2]) for row in by_actor.rows)


def test_report_html_is_self_contained_chinese_first_printable_and_escaped(report: Any) -> None:
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "2026 年度未成年人个人信息处理合规审计报告" in page and "第三十七条" in page
    assert "@media print" in page and "审计链校验通过" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert not re.search(r"(src|href)\s*=|https?://|@import|url\(", page)
    assert page.index("谁访问了未成年人个人信息") < page.index("Who accessed minors")


def test_report_html_shows_a_failed_verification(report: Any) -> None:
    page = render_html(build_minors_report(EVENTS, year=2026, verify=BAD, generated_at=NOW))
    assert "审计链校验未通过" in page and "事件 #4 的内容与其哈希不符" in page and 'class="status bad"' in page


def test_report_writes_html_and_one_csv_per_table_with_bom(report: Any, tmp_path: Path) -> None:
    written = write_report(report, tmp_path / "out")
    assert written[0].name == "minors_report_2026.html" and len(written) == 1 + len(report_tables(report))
    exports = tmp_path / "out" / "minors_report_2026_exports.csv"
    assert exports.read_bytes().startswith(b"\xef\xbb\xbf")
    with exports.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "序号/seq" and [r[0] for r in rows[1:]] == ["7", "8"]
    assert rows[1][9] == "是" and rows[2][9] == "否"


def test_report_from_the_database_includes_verification(home: Home, tmp_path: Path) -> None:
    fill(home, 10)
    year = dt.datetime.now(BEIJING).year
    with session_scope(home.engine) as session:
        record_event(session, actor="u9", action="incident", detail={"summary": "lost laptop"})
        made = minors_report(session, year)
    assert made.verify.ok and made.verify.checked == 11 and made.events == 11
    assert made.total_access().events == 4 and len(made.incidents) == 1
    assert made.org_names["110108"] == "海淀区"
    tamper(home, "UPDATE audit_events SET actor = 'x' WHERE seq = 2")
    with session_scope(home.engine) as session:
        broken = minors_report(session, year)
    assert not broken.verify.ok and broken.verify.first_bad_seq == 2


def test_report_counts_learning_record_reads_of_minors() -> None:
    """An ``lrs_read`` (xAPI statements returned) that touched a pupil's statements is an access to minors' data."""
    lrs = [
        event(1, "2026-09-01 10:00", "lrs_read", "t1", actor_role="teacher", minors=True, row_count=12),
        event(2, "2026-09-01 11:00", "lrs_read", "t1", actor_role="teacher", minors=False, row_count=3),
    ]
    built = build_minors_report(lrs, year=2026, verify=GOOD, generated_at=NOW, org_names={})
    total = built.total_access()
    assert (total.events, total.rows, total.actors) == (1, 12, {"t1"})
