"""The governed training-coverage facade: shares per organisation, the action list with names, scope and audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from edubrain.catalog import Catalog
from edubrain.config import Settings
from edubrain.governance.audit import AuditEvent
from edubrain.governance.readpath import AccessDenied
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.db import session_scope
from edubrain.store.orgs import seed_organisations
from edubrain.training import action_list, coverage_summary, may_read_training
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.training.conftest import (
    CHAOYANG,
    CITY_ADMIN,
    CITY_ANALYST,
    HAIDIAN,
    OTHER_ADMIN,
    PARENT,
    SCHOOL_ADMIN,
    TEACHER,
    submit_training_city,
)


@pytest.fixture(scope="module")
def training_home(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Home]:
    folder = tmp_path_factory.mktemp("training-facade")
    home = Home(Settings(home=folder / "home"), catalog)
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, catalog)
    submit_training_city(home, folder)
    yield home
    home.engine.dispose()


def _ids(found: object) -> list[str | None]:
    return [p.teacher_id for p in found.people]  # type: ignore[attr-defined]


def test_training_district_list_is_its_schools_behind_with_names(training_home: Home) -> None:
    found = action_list(training_home, HAIDIAN)
    assert (found.year, found.as_of) == (2025, "2025-10-15")
    assert _ids(found) == ["T110800001", "T110800004"]  # its two schools; Chaoyang's principal is not there
    head = found.people[0]
    assert (head.name, head.role, head.status, head.school_code) == ("张校长", "principal", "at_risk", SCHOOL)
    assert (head.hours, head.hours_needed, head.target_hours) == (4.0, 28.0, 32.0)
    assert found.people[1].hours_needed == 67.0 and found.masked == ()
    last_year = action_list(training_home, HAIDIAN, year=2024)
    assert [(p.teacher_id, p.status, p.hours) for p in last_year.people] == [("T110800003", "missed", 10.0)]


def test_training_district_summary_adds_up_its_schools(training_home: Home) -> None:
    found = coverage_summary(training_home, HAIDIAN)
    assert found.years == (2024, 2025) and found.year == 2025
    assert {r.level for r in found.rows} == {"district", "school"}
    district = next(r for r in found.rows if r.level == "district" and r.role == "all")
    assert (district.org_code, district.people, district.behind, district.met) == ("110108", 4, 2, 2)
    principals = next(r for r in found.rows if r.level == "district" and r.role == "principal")
    assert (principals.people, principals.at_risk, principals.met_share) == (2, 1, 0.5)
    assert {r.org_code for r in found.rows if r.level == "school"} == {SCHOOL, OTHER_SCHOOL}
    assert next(r for r in found.rows if r.org_code == SCHOOL).name_zh == "海淀示例一小"
    assert found.targets[0].value == 32 and "三年实现全覆盖" in found.targets[0].quote


def test_training_city_sees_every_district_and_the_city(training_home: Home) -> None:
    found = coverage_summary(training_home, CITY_ANALYST)
    city = next(r for r in found.rows if r.level == "city" and r.role == "all")
    assert (city.people, city.behind) == (6, 3)
    assert {r.org_code for r in found.rows if r.level == "district"} == {"110108", "110105"}
    assert _ids(action_list(training_home, CITY_ADMIN)) == ["T110500001", "T110800001", "T110800004"]
    narrowed = coverage_summary(training_home, CITY_ADMIN, district="110105")
    assert {r.org_code for r in narrowed.rows} == {"110105", CHAOYANG_SCHOOL}


def test_training_an_analyst_gets_the_list_without_who(training_home: Home) -> None:
    found = action_list(training_home, CITY_ANALYST)
    assert found.count == 3 and _ids(found) == [None, None, None]  # teacher ids are L3: withheld below it
    assert all(p.name is None for p in found.people) and "teacher_id" in found.masked
    assert sorted(p.hours for p in found.people) == [2.0, 4.0, 5.0]


def test_training_a_school_sees_its_own_staff_only(training_home: Home) -> None:
    assert _ids(action_list(training_home, SCHOOL_ADMIN)) == ["T110800001"]
    assert _ids(action_list(training_home, OTHER_ADMIN)) == ["T110800004"]
    summary = coverage_summary(training_home, SCHOOL_ADMIN)
    assert {(r.level, r.org_code) for r in summary.rows} == {("school", SCHOOL)}


@pytest.mark.parametrize(
    ("who", "ask"),
    [
        (CHAOYANG, {"district": "110108"}),  # another district's user
        (CHAOYANG, {"school": SCHOOL}),
        (OTHER_ADMIN, {"school": SCHOOL}),  # another school's user
        (SCHOOL_ADMIN, {"district": "110108"}),  # a school reads its own school, not its district
        (HAIDIAN, {"school": CHAOYANG_SCHOOL}),
        (HAIDIAN, {"school": "1101089999"}),  # unknown: the same answer as out of scope
    ],
)
def test_training_an_organisation_outside_the_scope_is_refused(
    training_home: Home, who: object, ask: dict[str, str]
) -> None:
    for read in (action_list, coverage_summary):
        with pytest.raises(AccessDenied) as caught:
            read(training_home, who, **ask)  # type: ignore[arg-type]
        assert "不存在或不在您的权限范围内" in caught.value.zh


@pytest.mark.parametrize("who", [TEACHER, PARENT])
def test_training_teachers_and_parents_read_nothing(training_home: Home, who: object) -> None:
    assert not may_read_training(training_home, who)  # type: ignore[arg-type]
    for read in (action_list, coverage_summary):
        with pytest.raises(AccessDenied):
            read(training_home, who)  # type: ignore[arg-type]


def _events(home: Home, action: str) -> list[AuditEvent]:
    with session_scope(home.engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_training_names_read_and_a_download_are_audited(home: Home, tmp_path: Path) -> None:
    submit_training_city(home, tmp_path)
    before = len(_events(home, "read_unmasked"))
    found = action_list(home, HAIDIAN)
    unmasked = _events(home, "read_unmasked")[before:]
    assert {e.dataset for e in unmasked} == {"training_coverage", "teachers"}
    assert all(e.purpose == "routine_duty" and e.actor == HAIDIAN.id for e in unmasked)
    assert "name" in next(e for e in unmasked if e.dataset == "teachers").fields
    action_list(home, HAIDIAN, export_format="xlsx")
    export = _events(home, "export")[-1]
    assert (export.dataset, export.row_count, export.detail["format"]) == ("training_coverage", found.count, "xlsx")
    assert "teachers.name" in export.fields and export.detail["year"] == 2025
