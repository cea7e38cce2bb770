"""Red team on the profiles: every route, attacked by principals outside the row's scope.

A principal outside a pupil's scope (another school, another class, another parent, a district administrator for
an individual, the public) must neither read the profile, its evidence or its PDF record nor learn that it exists:
an absent pseudonym and a foreign one get byte-for-byte the same error (but for the pseudonym quoted). Masked
fields stay masked in every body, and every read is audited with its purpose.
"""

from __future__ import annotations

import pytest

from edubrain.governance import identity, tokens
from edubrain.governance.audit import list_events
from edubrain.store.db import session_scope
from tests.api.conftest import OTHER_CLASS, PASSWORD, assert_error
from tests.conftest import OTHER_SCHOOL, SCHOOL
from tests.profiles.conftest import TEACHER, YEAR, ProfileCity, pcity  # noqa: F401  (the fixture)

ABSENT = "P" + "QRSTUVWXYZ234567ABCD"
PREFIX = "/api/v1/profiles"


def _token(city: ProfileCity, username: str, role: str, org: str, refs: list[str]) -> dict[str, str]:
    """A user of its own (made once per city) and its Authorization header."""
    with session_scope(city.home.engine) as session:
        try:
            user = identity.get_user(session, username)
        except identity.AccountError:
            identity.add_user(session, username, PASSWORD, org)
            identity.grant(session, username, role, org, refs)
            user = identity.get_user(session, username)
        token = tokens.issue_tokens(session, city.home.settings, identity.principal_of(session, user)).access_token
    return {"Authorization": f"Bearer {token}"}


def _student_routes(p: str) -> list[str]:
    return [
        f"{PREFIX}/students/{p}?purpose=teaching",
        f"{PREFIX}/students/{p}/evidence/arts_hours?school_year={YEAR}&purpose=teaching",
        f"{PREFIX}/students/{p}/record.pdf?purpose=teaching",
    ]


def _same_error(city: ProfileCity, headers: dict[str, str], foreign: str) -> None:
    """Each student route: the foreign pseudonym and an absent one give the same 403 (no existence oracle)."""
    for route_foreign, route_absent in zip(_student_routes(foreign), _student_routes(ABSENT), strict=True):
        a = assert_error(city.api.client.get(route_foreign, headers=headers), 403, "access_denied")
        b = assert_error(city.api.client.get(route_absent, headers=headers), 403, "access_denied")
        assert {k: str(v).replace(foreign, "<p>") for k, v in a.items()} == {
            k: str(v).replace(ABSENT, "<p>") for k, v in b.items()
        }, route_foreign


@pytest.mark.parametrize(
    ("who", "role", "org", "refs"),
    [
        ("other_school", "school_admin", OTHER_SCHOOL, []),
        ("other_class", "teacher", OTHER_SCHOOL, [OTHER_CLASS]),
        ("other_parent", "parent", SCHOOL, ["child:1"]),
        ("district", "district_admin", "110108", []),
        ("city", "city_admin", "110000", []),
        ("public", "public", "110000", []),
    ],
)
def test_outsiders_cannot_read_or_detect_a_pupil(
    pcity: ProfileCity,  # noqa: F811
    who: str,
    role: str,
    org: str,
    refs: list[str],
) -> None:
    refs = [pcity.ids[1] if r == "child:1" else r for r in refs]
    headers = _token(pcity, f"atk-{who}", role, org, refs)
    _same_error(pcity, headers, pcity.p(pcity.ids[0]))
    listed = pcity.api.client.get(f"{PREFIX}/students?purpose=teaching&limit=500", headers=headers)
    if listed.status_code == 200:  # the picker lists the reader's own pupils (a parent's: its child) only
        assert pcity.p(pcity.ids[0]) not in listed.text
        if role == "parent":
            assert {c["pseudonym"] for c in listed.json()["items"]} == {pcity.p(r) for r in refs}
    else:
        assert_error(listed, 403, "access_denied")


def test_without_a_token_nothing_is_served(pcity: ProfileCity) -> None:  # noqa: F811
    for route in [
        *_student_routes(pcity.p(pcity.ids[0])),
        f"{PREFIX}/teachers/{TEACHER}",
        f"{PREFIX}/schools/{SCHOOL}",
    ]:
        assert_error(pcity.api.client.get(route), 401, "auth_error")


def test_teacher_and_school_profiles_are_closed_to_other_districts_and_the_public(pcity: ProfileCity) -> None:  # noqa: F811
    for user in ("chaoyang", "citizen"):
        headers = pcity.api.auth(user)
        foreign = assert_error(pcity.api.client.get(f"{PREFIX}/teachers/{TEACHER}", headers=headers), 403)
        absent = assert_error(pcity.api.client.get(f"{PREFIX}/teachers/T999999999", headers=headers), 403)
        assert foreign["message_en"].replace(TEACHER, "x") == absent["message_en"].replace("T999999999", "x")
        foreign = assert_error(pcity.api.client.get(f"{PREFIX}/schools/{SCHOOL}", headers=headers), 403)
        absent = assert_error(pcity.api.client.get(f"{PREFIX}/schools/1101089999", headers=headers), 403)
        assert foreign["message_en"].replace(SCHOOL, "x") == absent["message_en"].replace("1101089999", "x")
    assert pcity.api.client.get(f"{PREFIX}/teachers/{TEACHER}", headers=pcity.api.auth("haidian")).status_code == 200


def test_masked_fields_stay_masked_and_every_read_is_audited(pcity: ProfileCity) -> None:  # noqa: F811
    sid, p = pcity.ids[0], pcity.p(pcity.ids[0])
    headers = pcity.api.auth("school1")
    with session_scope(pcity.home.engine) as session:
        before = len(list_events(session, action="profile_read", limit=100000))
    bodies = []
    for route in _student_routes(p)[:2] + [f"{PREFIX}/students?purpose=teaching"]:
        response = pcity.api.client.get(route, headers=headers)
        assert response.status_code == 200, response.text
        bodies.append(response.text)
    assert all(sid not in body and sid[1:] not in body for body in bodies)  # no 学籍号, no 身份证号
    assert pcity.api.client.get(_student_routes(p)[2], headers=headers).status_code == 200
    profile = pcity.api.client.get(_student_routes(p)[0], headers=headers).json()
    assert "********" in profile["identity"]["student_number"] and "id_number" not in profile["identity"]
    choices = pcity.api.client.get(f"{PREFIX}/students?purpose=teaching", headers=headers).json()
    assert all(c["name"].endswith("*") for c in choices["items"])
    with session_scope(pcity.home.engine) as session:
        events = list_events(session, action="profile_read", limit=100000)[before:]
    kinds = [e.detail["kind"] for e in events]
    assert kinds == ["student", "evidence", "choices", "student", "record_pdf", "student", "choices"]
    assert all(e.purpose == "teaching" for e in events)
    assert all(e.detail["subject"] == p for e in events if e.detail["kind"] in ("student", "evidence", "record_pdf"))


def test_staff_without_a_purpose_are_refused_the_same_way_for_every_pupil(pcity: ProfileCity) -> None:  # noqa: F811
    headers = pcity.api.auth("school1")
    mine = assert_error(pcity.api.client.get(f"{PREFIX}/students/{pcity.p(pcity.ids[0])}", headers=headers), 403)
    absent = assert_error(pcity.api.client.get(f"{PREFIX}/students/{ABSENT}", headers=headers), 403)
    assert mine == absent and mine["details"]["purpose_required"] is True
