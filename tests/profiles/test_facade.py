"""The governed profile facade: student, teacher and school profiles, evidence, pickers, summaries."""

from __future__ import annotations

import pytest

from edubrain.governance.audit import list_events
from edubrain.governance.scope import AccessDenied
from edubrain.profiles import (
    district_summary,
    evidence,
    school_profile,
    student_choices,
    student_profile,
    teacher_profile,
)
from edubrain.profiles._common import ProfileError
from edubrain.store.db import session_scope
from tests.api.conftest import OTHER_CLASS
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL
from tests.profiles.conftest import TEACHER, YEAR, ProfileCity, principal

ADMIN = principal("school_admin", SCHOOL, "school")
TEACHER_P = principal("teacher", SCHOOL, "school", (CLASS,))


def _events(city: ProfileCity, actor: str) -> list[dict[str, object]]:
    with session_scope(city.home.engine) as session:
        return [e.to_dict() for e in list_events(session, actor=actor, action="profile_read", limit=1000)]


def test_a_school_admin_with_a_purpose_reads_a_pupils_profile_with_sources(pcity: ProfileCity) -> None:
    sid = pcity.ids[0]
    profile = student_profile(pcity.home, ADMIN, pcity.p(sid), purpose="teaching")
    assert profile.pseudonym == pcity.p(sid)
    year = profile.year(YEAR)
    assert year is not None and year.school_code == SCHOOL and year.class_id == CLASS
    assert [d.code for d in year.domains] == ["1", "2", "3", "4", "5"]
    assert year.domains[0].score == 88.0 and year.domains[0].title_zh == "思想品德"
    arts = next(i for i in year.indicators if i.column == "arts_hours")
    assert arts.value == 5.5 and not arts.masked
    assert arts.source.dataset == "student_activities"
    assert arts.source.version == pcity.versions["student_activities"]
    assert arts.source.profile_version == pcity.versions["student_profiles"]
    # identity: the name for the school's purpose, birth date and 学籍号 masked, never the 身份证号
    assert profile.identity.name == "测试0"
    assert profile.identity.student_number is not None and "********" in profile.identity.student_number
    assert profile.identity.birth_date is not None and profile.identity.birth_date.endswith("-**-**")
    assert sid not in repr(profile)
    assert "id_number" not in {f.name for f in profile.identity.__dataclass_fields__.values()}


def test_the_timeline_links_status_changes_and_years_to_their_rows(pcity: ProfileCity) -> None:
    profile = student_profile(pcity.home, ADMIN, pcity.p(pcity.ids[0]), purpose="teaching")
    kinds = [(e.kind, e.school_year) for e in profile.timeline]
    assert ("status_change", YEAR) in kinds and ("year", YEAR) in kinds
    change = next(e for e in profile.timeline if e.kind == "status_change")
    assert change.change_type == "22" and change.from_school_code == OTHER_SCHOOL and change.to_school_code == SCHOOL
    assert change.evidence is not None and change.evidence.dataset == "student_status_changes"
    assert change.evidence.row_key is not None and change.evidence.row_key.startswith("K")
    assert change.evidence.batch_id
    year = next(e for e in profile.timeline if e.kind == "year")
    assert year.evidence is not None and year.evidence.dataset == "student_profiles"


def test_evidence_lists_the_rows_of_the_value_at_the_lineage_version(pcity: ProfileCity) -> None:
    found = evidence(pcity.home, ADMIN, "student", pcity.p(pcity.ids[0]), "arts_hours", YEAR, purpose="teaching")
    assert found.dataset == "student_activities" and found.version == pcity.versions["student_activities"]
    assert found.value == 5.5
    assert sorted(r.values["record_id"] for r in found.rows) == ["A1", "A2"]  # arts (11) only, not volunteer (22)
    assert sum(float(r.values["hours"]) for r in found.rows) == found.value  # type: ignore[arg-type]
    row = found.rows[0]
    assert row.batch_id and row.org == SCHOOL and row.version == pcity.versions["student_activities"]
    assert row.committed_at is not None and row.committed_at.startswith("20")
    assert found.indicator.method_zh and found.indicator.method_en
    assert found.filters["student_id"] == 1  # the number of ids, not the ids


def test_evidence_of_an_unknown_indicator_is_not_found(pcity: ProfileCity) -> None:
    with pytest.raises(ProfileError):
        evidence(pcity.home, ADMIN, "student", pcity.p(pcity.ids[0]), "no_such_thing", YEAR, purpose="teaching")


def test_staff_need_a_purpose_students_and_parents_do_not(pcity: ProfileCity) -> None:
    with pytest.raises(AccessDenied) as denied:
        student_profile(pcity.home, ADMIN, pcity.p(pcity.ids[0]))
    assert denied.value.details.get("purpose_required") is True
    sid = pcity.ids[1]
    for who in (principal("student", SCHOOL, "school", (sid,)), principal("parent", SCHOOL, "school", (sid,))):
        mine = student_profile(pcity.home, who, pcity.p(sid))
        assert mine.identity.student_number == sid  # their own, in full
        assert mine.year(YEAR) is not None


def test_city_and_district_staff_cannot_open_a_pupil(pcity: ProfileCity) -> None:
    for who in (principal("district_admin", "110108", "district"), principal("city_admin", "110000", "city")):
        with pytest.raises(AccessDenied) as denied:
            student_profile(pcity.home, who, pcity.p(pcity.ids[0]), purpose="teaching")
        assert "市、区级" in denied.value.zh


def test_unknown_and_foreign_pseudonyms_give_the_same_error(pcity: ProfileCity) -> None:
    foreign = pcity.p(pcity.other_ids[0])
    unknown = "P" + "A" * 20
    messages = set()
    for p in (foreign, unknown, "not-a-pseudonym"):
        with pytest.raises(AccessDenied) as denied:
            student_profile(pcity.home, ADMIN, p, purpose="teaching")
        messages.add(denied.value.en.replace(p, "<p>"))
    assert len(messages) == 1


def test_a_teacher_sees_its_class_only(pcity: ProfileCity) -> None:
    assert student_profile(pcity.home, TEACHER_P, pcity.p(pcity.ids[2]), purpose="teaching").year(YEAR)
    other_teacher = principal("teacher", OTHER_SCHOOL, "school", (OTHER_CLASS,))
    with pytest.raises(AccessDenied):
        student_profile(pcity.home, other_teacher, pcity.p(pcity.ids[2]), purpose="teaching")


def test_every_read_is_audited_with_its_purpose(pcity: ProfileCity) -> None:
    who = principal("school_admin", SCHOOL, "school", pid="audited-admin")
    student_profile(pcity.home, who, pcity.p(pcity.ids[0]), purpose="teaching")
    evidence(pcity.home, who, "student", pcity.p(pcity.ids[0]), "arts_hours", YEAR, purpose="enrollment_management")
    events = _events(pcity, "audited-admin")
    assert [(e["detail"]["kind"], e["purpose"]) for e in events] == [  # type: ignore[index]
        ("student", "teaching"),
        ("evidence", "enrollment_management"),
    ]
    assert all(e["detail"]["subject"] == pcity.p(pcity.ids[0]) for e in events)  # type: ignore[index]
    parent = principal("parent", SCHOOL, "school", (pcity.ids[1],), pid="audited-parent")
    student_profile(pcity.home, parent, pcity.p(pcity.ids[1]))
    assert [e["purpose"] for e in _events(pcity, "audited-parent")] == ["self_access"]


def test_choices_list_pseudonyms_and_masked_names(pcity: ProfileCity) -> None:
    page = student_choices(pcity.home, ADMIN, purpose="teaching", limit=2)
    assert page.total == 4 and len(page.items) == 2
    assert {c.pseudonym for c in page.items} <= set(pcity.pseudonyms.values())
    assert all(c.name is not None and c.name.endswith("*") for c in page.items)
    everyone = student_choices(pcity.home, ADMIN, purpose="teaching", limit=50)
    assert {c.pseudonym for c in everyone.items} == {pcity.p(i) for i in pcity.ids}


def test_teacher_and_school_profiles_for_district_staff(pcity: ProfileCity) -> None:
    district = principal("district_admin", "110108", "district")
    teacher = teacher_profile(pcity.home, district, TEACHER)
    assert teacher.school_code == SCHOOL and teacher.years[0].school_year == YEAR
    hours = next(i for i in teacher.years[0].indicators if i.column == "training_hours")
    assert hours.value == 80.0
    school = school_profile(pcity.home, district, SCHOOL)
    assert school.name == "海淀示例一小" and school.years[0].school_year == YEAR
    other_district = principal("district_admin", "110105", "district")
    for call in (lambda: teacher_profile(pcity.home, other_district, TEACHER),
                 lambda: school_profile(pcity.home, other_district, SCHOOL)):  # fmt: skip
        with pytest.raises(AccessDenied):
            call()
    with pytest.raises(AccessDenied) as absent:
        school_profile(pcity.home, district, "1101089999")
    with pytest.raises(AccessDenied) as foreign:
        school_profile(pcity.home, other_district, SCHOOL)
    assert absent.value.en.replace("1101089999", "X") == foreign.value.en.replace(SCHOOL, "X")


def test_district_summary_suppresses_small_schools(pcity: ProfileCity) -> None:
    district = principal("district_admin", "110108", "district")
    summary = district_summary(pcity.home, district, "110108")
    assert summary.school_year == YEAR and {s.school_code for s in summary.schools} == {SCHOOL, OTHER_SCHOOL}
    assert all(s.suppressed == "small_cell" and s.students is None for s in summary.schools)  # 4 and 3 pupils < 10
    assert all(d.mean is None for s in summary.schools for d in s.domains)
    with pytest.raises(AccessDenied):
        district_summary(pcity.home, principal("district_admin", "110105", "district"), "110108")
    with pytest.raises(AccessDenied):
        district_summary(pcity.home, principal("parent", SCHOOL, "school", (pcity.ids[0],)))


def test_evidence_masks_the_student_number_for_staff_not_for_the_family(pcity: ProfileCity) -> None:
    sid = pcity.ids[0]
    staff = evidence(pcity.home, ADMIN, "student", pcity.p(sid), "arts_hours", YEAR, purpose="teaching")
    assert all(r.values["student_id"] != sid and "********" in str(r.values["student_id"]) for r in staff.rows)
    assert "student_id" in staff.masked
    parent = principal("parent", SCHOOL, "school", (sid,))
    family = evidence(pcity.home, parent, "student", pcity.p(sid), "arts_hours", YEAR)
    assert {r.values["student_id"] for r in family.rows} == {sid}


def test_score_distributions_summarise_without_rows_of_persons(pcity: ProfileCity) -> None:
    from edubrain.governance.profile_access import score_distributions

    district = principal("district_admin", "110108", "district")
    found = score_distributions(
        pcity.home, district, "student_profiles", ["domain_moral"], ["school_code"], {"school_year": YEAR}, min_count=1
    ).table
    first = found.filter(found["school_code"] == SCHOOL).to_dicts()[0]
    assert first["rows"] == 4 and first["domain_moral__mean"] == 89.5 and first["domain_moral__median"] == 89.5
    assert "student_pseudonym" not in found.columns
    with pytest.raises(AccessDenied):  # grouping by a person's pseudonym would hand out rows of persons
        score_distributions(pcity.home, district, "student_profiles", ["domain_moral"], ["student_pseudonym"])


def test_evidence_reads_one_page_of_rows_and_counts_them_all(pcity: ProfileCity) -> None:
    def page(offset: int) -> list[object]:
        found = evidence(
            pcity.home, ADMIN, "student", pcity.p(pcity.ids[0]), "arts_hours", YEAR, purpose="teaching",
            limit=1, offset=offset,
        )  # fmt: skip
        assert found.total == 2 and found.value == 5.5
        return [r.values["record_id"] for r in found.rows]

    assert page(0) == ["A1"] and page(1) == ["A2"] and page(2) == []  # in key order, as the unpaged read
    whole = evidence(pcity.home, ADMIN, "student", pcity.p(pcity.ids[0]), "arts_hours", YEAR, purpose="teaching")
    assert [r.values["record_id"] for r in whole.rows] == ["A1", "A2"] and whole.total == 2


def test_a_profile_opened_again_is_served_from_the_kept_page_and_audited_again(pcity: ProfileCity) -> None:
    from edubrain.store.snapshots import snapshots

    who = principal("school_admin", SCHOOL, "school", pid="kept-admin")
    first = student_profile(pcity.home, who, pcity.p(pcity.ids[0]), purpose="teaching")
    hits = snapshots(pcity.home.lake).hits
    again = student_profile(pcity.home, who, pcity.p(pcity.ids[0]), purpose="teaching")
    assert again == first
    assert snapshots(pcity.home.lake).hits >= hits + 2  # the profile rows and the status changes: no lake query
    assert [e["detail"]["kind"] for e in _events(pcity, "kept-admin")] == ["student", "student"]  # type: ignore[index]
    with session_scope(pcity.home.engine) as session:  # every read of the pupil's rows is audited, kept or not
        reads = [e.dataset for e in list_events(session, actor="kept-admin", action="read_unmasked")]
    assert reads.count("student_profiles") == 2 and reads.count("student_status_changes") == 2


def test_a_merged_pupil_resolves_to_its_whole_group_by_either_pseudonym(pcity: ProfileCity) -> None:
    from edubrain.governance import identity_links
    from edubrain.governance.models import IdentityMerge
    from edubrain.profiles._common import resolve_student

    old, canonical = pcity.ids[3], pcity.ids[2]
    with session_scope(pcity.home.engine) as session:
        session.add(IdentityMerge(student_id=old, canonical_id=canonical, merged_by="test", reason="重复注册"))
    try:
        for asked, first in ((old, old), (canonical, canonical)):
            found = resolve_student(pcity.home, ADMIN, pcity.p(asked), "teaching")
            assert found.student_id == first
            assert (
                list(found.ids)
                == identity_links.linked_ids(pcity.home, first)
                == [first, *({old, canonical} - {first})]
            )
            assert list(found.pseudonyms) == [pcity.p(i) for i in found.ids]
            assert set(found.roster.get_column("student_id").to_list()) == {old, canonical}
    finally:
        with session_scope(pcity.home.engine) as session:
            row = session.query(IdentityMerge).filter(IdentityMerge.student_id == old).one()
            row.undone_at, row.undone_by = row.merged_at, "test"
    assert resolve_student(pcity.home, ADMIN, pcity.p(old), "teaching").ids == (old,)
