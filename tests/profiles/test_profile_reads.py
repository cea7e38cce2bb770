"""What one profile request reads and commits: the pupil's roster rows only, and one audit commit for all its events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from edubrain.governance.audit import AuditEvent, verify_chain
from edubrain.governance.scope import AccessDenied
from edubrain.profiles import _common, evidence, school_profile, student_profile
from edubrain.store.db import session_scope
from tests.conftest import SCHOOL
from tests.governance.test_audit_unit import audit_commits
from tests.profiles.conftest import YEAR, ProfileCity, principal

ADMIN = principal("school_admin", SCHOOL, "school", pid="t-reads-admin")
UNKNOWN = "P" + "A" * 20


def _new_events(city: ProfileCity, after: int) -> list[AuditEvent]:
    with session_scope(city.home.engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq)))


def _head(city: ProfileCity) -> int:
    with session_scope(city.home.engine) as session:
        return int(session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) or 0)


def test_a_pupils_page_reads_the_pupils_roster_rows_not_the_schools(
    pcity: ProfileCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[tuple[str, dict[str, Any], int]] = []
    real = _common.read_dataset

    def counted(home: Any, who: Any, dataset_id: str, **kwargs: Any) -> Any:
        result = real(home, who, dataset_id, **kwargs)
        reads.append((dataset_id, dict(kwargs.get("filters") or {}), result.table.num_rows))
        return result

    monkeypatch.setattr(_common, "read_dataset", counted)
    before = _head(pcity)
    profile = student_profile(pcity.home, ADMIN, pcity.p(pcity.ids[0]), purpose="teaching")
    assert profile.identity.name == "测试0"
    roster = [r for r in reads if r[0] == "students"]
    assert roster and all("student_id" in filters for _, filters, _ in roster)
    assert sum(n for _, _, n in roster) == 1  # the school has 4 pupils
    unmasked = [e for e in _new_events(pcity, before) if e.action == "read_unmasked" and e.dataset == "students"]
    assert [e.row_count for e in unmasked] == [1] and unmasked[0].purpose == "teaching"


def test_a_pupil_of_another_school_is_refused_like_an_unknown_pseudonym(pcity: ProfileCity) -> None:
    with pytest.raises(AccessDenied) as outside:
        student_profile(pcity.home, ADMIN, pcity.p(pcity.other_ids[0]), purpose="teaching")
    with pytest.raises(AccessDenied) as unknown:
        student_profile(pcity.home, ADMIN, UNKNOWN, purpose="teaching")
    assert outside.value.en.replace(pcity.p(pcity.other_ids[0]), "X") == unknown.value.en.replace(UNKNOWN, "X")
    with pytest.raises(AccessDenied):
        evidence(pcity.home, ADMIN, "student", pcity.p(pcity.other_ids[0]), "arts_hours", YEAR, purpose="teaching")


PAGES: dict[str, Callable[[ProfileCity], object]] = {
    "student": lambda c: student_profile(c.home, ADMIN, c.p(c.ids[0]), purpose="teaching"),
    "evidence": lambda c: evidence(c.home, ADMIN, "student", c.p(c.ids[0]), "arts_hours", YEAR, purpose="teaching"),
    "school": lambda c: school_profile(c.home, ADMIN, SCHOOL),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_one_profile_request_commits_all_its_audit_events_at_once(pcity: ProfileCity, page: str) -> None:
    before = _head(pcity)
    with audit_commits(pcity.home.engine) as commits:
        PAGES[page](pcity)
    events = _new_events(pcity, before)
    assert events[-1].action == "profile_read" and [e.seq for e in events] == list(
        range(before + 1, before + 1 + len(events))
    )
    assert commits == [len(events)]
    if page != "school":  # a pupil's reads unmask personal information, each audited as before
        assert {e.dataset for e in events if e.action == "read_unmasked"} >= {"students", "student_profiles"}
    with session_scope(pcity.home.engine) as session:
        assert verify_chain(session).ok
