"""The evidence of a school's submission values: the batches behind ``batches``, ``accepted_row_share`` and
``up_to_date_share``, on the facade, REST and the web pages, with the real profiles job.

The API city (two Haidian schools) gets, besides the batches of its own submissions (this school year),
batches of the 2024 and 2023 school years written into the operational database; :func:`run_profiles` computes
the profiles. Each value must be recomputable from the evidence rows shown; a reader outside the school's scope
gets the refusal an unknown school gets, on the facade, REST and the web.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange import derive
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity, tokens
from edubrain.governance.audit import list_events
from edubrain.governance.identity import Principal
from edubrain.governance.scope import AccessDenied
from edubrain.governance.submission_evidence import school_batches
from edubrain.home import Home
from edubrain.jobs.profiles import run_profiles
from edubrain.profiles import Evidence, evidence, school_profile
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch
from tests.api.conftest import OTHER_CLASS, PASSWORD, ApiCity, assert_error, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CLASS, OTHER_SCHOOL, SCHOOL, write_csv
from tests.profiles.conftest import principal, student_ids

INDICATORS = ("school_batches", "school_accepted_row_share", "school_up_to_date_share")
UNKNOWN = "1101089999"
PREFIX = "/api/v1/profiles/schools"
PAST = 2024
"""The school year of the batches written by hand (the city's own submissions are of this school year)."""


def this_year() -> int:
    today = dt.datetime.now(dt.UTC).date()
    return today.year if today.month >= 9 else today.year - 1


def add_batch(
    home: Home, batch_id: str, org: str, dataset: str, status: str, read: int, accepted: int, created: dt.datetime
) -> None:
    """A submission batch in the operational database, finished now (a pending one: not finished)."""
    now = dt.datetime.now(dt.UTC)
    with session_scope(home.engine) as session:
        session.add(
            SubmissionBatch(
                id=batch_id, dataset=dataset, org_code=org, mode="upsert", source_name=f"{batch_id}.csv",
                source_sha256=batch_id.ljust(64, "0"), status=status, lake_version=None, rows_read=read,
                rows_accepted=accepted, rows_rejected=read - accepted, created_at=created.replace(tzinfo=dt.UTC),
                finished_at=None if status == "pending" else now,
            )
        )  # fmt: skip


PAST_BATCHES = [
    ("b2024exam", SCHOOL, "exam_scores", "committed", 10, 10, dt.datetime(2024, 10, 1, 9)),
    ("b2024roster", SCHOOL, "students", "rejected", 5, 0, dt.datetime(2025, 3, 1, 9)),
    ("b2024pending", SCHOOL, "students", "pending", 99, 99, dt.datetime(2025, 3, 2, 9)),
    ("b2024assign", SCHOOL, "teacher_assignments", "unchanged", 6, 6, dt.datetime(2025, 6, 1, 9)),
    ("b2023exam", SCHOOL, "exam_scores", "committed", 10, 8, dt.datetime(2023, 10, 1, 9)),
    ("b2024other", OTHER_SCHOOL, "exam_scores", "committed", 7, 3, dt.datetime(2024, 11, 1, 9)),
]

YEAR_BATCHES = ["b2024exam", "b2024roster", "b2024assign"]
"""The school's batches of the 2024 school year that are counted (not pending), oldest first."""


def build(home: Home, folder: Path) -> ApiCity:
    """The API city with the batches of :data:`PAST_BATCHES`, a parent and a student, and the real profiles."""
    points = derive._points
    with pytest.MonkeyPatch.context() as patch:  # the job is run below, once, not after every submission
        patch.setattr(derive, "_points", lambda: [p for p in points() if p.name != "profiles"])
        city = populate(home, folder)
    for batch in PAST_BATCHES:
        add_batch(home, *batch)
    child = student_ids()[0][0]
    with session_scope(home.engine) as session:
        for username, role in (("parent1", "parent"), ("pupil1", "student")):
            identity.add_user(session, username, PASSWORD, SCHOOL)
            identity.grant(session, username, role, SCHOOL, [child])
            user = identity.principal_of(session, identity.get_user(session, username))
            city.tokens[username] = tokens.issue_tokens(session, home.settings, user).access_token
    run_profiles(home)
    return city


@pytest.fixture(scope="module", params=BACKENDS)
def bcity(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCity]:
    folder = tmp_path_factory.mktemp("batch-evidence")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    city = build(home, folder / "files")
    with city.client:
        yield city
    home.engine.dispose()
    drop_schema(schema)


ADMIN = principal("school_admin", SCHOOL, "school", pid="batch-evidence-admin")
DISTRICT = principal("district_admin", "110108", "district")
OUTSIDERS = {
    "another district": principal("district_admin", "110105", "district"),
    "another school": principal("school_admin", OTHER_SCHOOL, "school"),
    "a teacher (class grant)": principal("teacher", SCHOOL, "school", (CLASS,)),
    "another school's teacher": principal("teacher", OTHER_SCHOOL, "school", (OTHER_CLASS,)),
    "a parent": principal("parent", SCHOOL, "school", (student_ids()[0][0],)),
    "a student": principal("student", SCHOOL, "school", (student_ids()[0][0],)),
}


def value_of(home: Home, reader: Principal, school: str, year: int, indicator: str) -> object:
    """The value of ``indicator`` in the school profile as ``reader`` reads it."""
    profile = school_profile(home, reader, school)
    row = next(y for y in profile.years if y.school_year == year)
    return next(v.value for v in row.indicators if v.id == indicator)


def recompute(found: Evidence) -> object:
    """The indicator's value computed from the evidence rows shown, by its method."""
    column = found.indicator.column
    if column == "up_to_date_share":
        assert found.dataset == "submission_timeliness"
        fresh = [bool(r.values["up_to_date"]) for r in found.rows]
        return sum(fresh) / len(fresh) if fresh else None
    assert found.dataset == "submission_batches"
    if column == "batches":
        return len(found.rows)
    read = sum(int(r.values["rows_read"]) for r in found.rows)  # type: ignore[arg-type]
    accepted = sum(int(r.values["rows_accepted"]) for r in found.rows)  # type: ignore[arg-type]
    return accepted / read if read else None


def same(a: object, b: object) -> bool:
    return a == b if a is None or b is None else a == pytest.approx(b)


def test_each_submission_value_is_recomputed_from_the_batches_shown(bcity: ApiCity) -> None:
    home = bcity.home
    for reader in (ADMIN, DISTRICT):
        for year in (PAST, this_year()):
            for indicator in INDICATORS:
                found = evidence(home, reader, "school", SCHOOL, indicator, year)
                value = value_of(home, reader, SCHOOL, year, indicator)
                assert found.value == value and found.store == "operational", (indicator, year)
                assert same(recompute(found), value), (indicator, year, recompute(found), value)
    # the past year by hand: three batches (the pending one is not counted), 16 of 21 rows accepted
    batches = evidence(home, ADMIN, "school", SCHOOL, "school_batches", PAST)
    assert batches.value == 3 and [r.batch_id for r in batches.rows] == YEAR_BATCHES
    first = batches.rows[0]
    assert first.values == {"batch_id": "b2024exam", "dataset": "exam_scores", "status": "committed",
                            "rows_read": 10, "rows_accepted": 10, "created_at": "2024-10-01T09:00:00+00:00"}  # fmt: skip
    assert first.org == SCHOOL and first.committed_at is not None and batches.rows[1].committed_at is None
    assert batches.rows[2].values["status"] == "unchanged" and batches.rows[2].committed_at is not None
    assert batches.columns == ("batch_id", "dataset", "status", "rows_read", "rows_accepted", "created_at")
    assert batches.computed_at is not None and batches.filters["school_year"] == PAST
    share = evidence(home, ADMIN, "school", SCHOOL, "school_accepted_row_share", PAST)
    assert share.value == pytest.approx(16 / 21) and share.total == 3
    # timeliness on 31 August 2025: exam_scores last committed 2024-10-01 (334 days, termly: late),
    # teacher_assignments 2025-06-01 (91 days: on time); students never committed
    fresh = evidence(home, ADMIN, "school", SCHOOL, "school_up_to_date_share", PAST)
    rows = {r.values["dataset"]: r.values for r in fresh.rows}
    assert set(rows) == {"exam_scores", "teacher_assignments"} and fresh.value == 0.5
    assert rows["exam_scores"]["last_batch_id"] == "b2024exam" and rows["exam_scores"]["days_since"] == 334
    assert rows["exam_scores"]["up_to_date"] is False and rows["exam_scores"]["as_of"] == "2025-08-31"
    assert rows["teacher_assignments"]["up_to_date"] is True and rows["teacher_assignments"]["max_days"] == 183
    assert [s.dataset for s in fresh.more] == ["submission_batches"] and fresh.more[0].total == 3


def test_a_withheld_value_shows_no_batches(bcity: ApiCity) -> None:
    from edubrain.profiles._common import indicator
    from edubrain.profiles.batch_evidence import batch_evidence

    shown = evidence(bcity.home, ADMIN, "school", SCHOOL, "school_up_to_date_share", PAST)
    definition = indicator("school", "school_up_to_date_share")
    withheld = batch_evidence(bcity.home, ADMIN, definition, shown.indicator, SCHOOL, PAST, None, True, None)
    assert withheld.rows == () and withheld.total == 0 and withheld.more == ()
    assert set(withheld.masked) == set(withheld.columns) and withheld.value is None
    assert shown.rows and shown.more


def test_the_evidence_read_is_audited(bcity: ApiCity) -> None:
    evidence(bcity.home, ADMIN, "school", SCHOOL, "school_up_to_date_share", PAST)
    with session_scope(bcity.home.engine) as session:
        events = [e.to_dict() for e in list_events(session, actor=ADMIN.id, action="profile_read", limit=100)]
    found = [e for e in events if e["detail"].get("indicator") == "school_up_to_date_share"]  # type: ignore[union-attr]
    assert found, events
    event = found[-1]
    assert event["detail"]["kind"] == "evidence" and event["detail"]["subject"] == SCHOOL  # type: ignore[index]
    assert event["dataset"] == "submission_timeliness" and event["detail"]["school_year"] == PAST  # type: ignore[index]


def test_governance_reads_a_schools_batches_inside_the_record_scope_up_to_a_time(bcity: ApiCity) -> None:
    home, now = bcity.home, dt.datetime.now(dt.UTC)
    found = school_batches(home, DISTRICT, SCHOOL, now)["batch_id"].to_list()
    assert set(YEAR_BATCHES) | {"b2023exam"} <= set(found) and "b2024pending" not in found
    assert "b2024other" not in found
    # every batch here finished after 2025: a profile computed then counted none of them
    assert school_batches(home, DISTRICT, SCHOOL, dt.datetime(2025, 12, 31, tzinfo=dt.UTC)).is_empty()
    for reader in OUTSIDERS.values():
        with pytest.raises(AccessDenied):
            school_batches(home, reader, SCHOOL, now)


def _refusal(home: Home, reader: Principal, school: str, indicator: str) -> str:
    with pytest.raises(AccessDenied) as denied:
        evidence(home, reader, "school", school, indicator, PAST)
    return denied.value.en.replace(school, "<school>")


@pytest.mark.parametrize("who", sorted(OUTSIDERS))
def test_a_reader_outside_the_school_gets_the_refusal_of_an_unknown_school(bcity: ApiCity, who: str) -> None:
    reader = OUTSIDERS[who]
    for indicator in INDICATORS:
        assert _refusal(bcity.home, reader, SCHOOL, indicator) == _refusal(bcity.home, reader, UNKNOWN, indicator)
    # and the other school's own staff do read their own
    mine = evidence(bcity.home, OUTSIDERS["another school"], "school", OTHER_SCHOOL, "school_batches", PAST)
    assert [r.batch_id for r in mine.rows] == ["b2024other"]


def test_rest_serves_the_evidence_in_scope_and_refuses_outside_it(bcity: ApiCity) -> None:
    client = bcity.client
    for user in ("school1", "haidian", "city"):
        body = client.get(
            f"{PREFIX}/{SCHOOL}/evidence/school_accepted_row_share?school_year={PAST}", headers=bcity.auth(user)
        ).json()
        assert body["store"] == "operational" and body["dataset"] == "submission_batches", body
        assert [r["batch_id"] for r in body["rows"]] == YEAR_BATCHES
        assert body["value"] == pytest.approx(16 / 21)
    fresh = client.get(
        f"{PREFIX}/{SCHOOL}/evidence/school_up_to_date_share?school_year={PAST}", headers=bcity.auth("school1")
    ).json()
    assert fresh["value"] == 0.5 and len(fresh["rows"]) == 2 and fresh["more"][0]["total"] == 3
    for user in ("chaoyang", "school2", "teacher", "citizen", "parent1", "pupil1"):
        for indicator in INDICATORS:
            refused = assert_error(
                client.get(f"{PREFIX}/{SCHOOL}/evidence/{indicator}?school_year={PAST}", headers=bcity.auth(user)),
                403,
            )
            unknown = assert_error(
                client.get(f"{PREFIX}/{UNKNOWN}/evidence/{indicator}?school_year={PAST}", headers=bcity.auth(user)),
                403,
            )
            assert refused["message_en"].replace(SCHOOL, "X") == unknown["message_en"].replace(UNKNOWN, "X"), user
            assert refused["message_zh"].replace(SCHOOL, "X") == unknown["message_zh"].replace(UNKNOWN, "X"), user


def _login(city: ApiCity, username: str) -> TestClient:
    client = TestClient(city.client.app, follow_redirects=False)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text
    return client


def test_the_school_page_links_each_submission_value_to_its_batches(bcity: ApiCity) -> None:
    client = _login(bcity, "haidian")
    page = client.get(f"/profiles/schools/{SCHOOL}?lang=zh")
    assert page.status_code == 200
    links = {html.unescape(h) for h in re.findall(r'<a href="([^"]+)" data-evidence="', page.text)}
    for indicator in INDICATORS:
        for year in (PAST, this_year()):
            assert f"/profiles/schools/{SCHOOL}/evidence/{indicator}?year={year}" in links, (indicator, year)
    for indicator in INDICATORS:
        shown = client.get(f"/profiles/schools/{SCHOOL}/evidence/{indicator}?year={PAST}&lang=zh")
        assert shown.status_code == 200, shown.text[:500]
        value = html.unescape(re.search(r'id="evidence-value" data-value="([^"]*)"', shown.text).group(1))  # type: ignore[union-attr]
        expected = value_of(bcity.home, DISTRICT, SCHOOL, PAST, indicator)
        assert value == str(expected), indicator
        assert "报送批次" in shown.text and 'id="evidence-computed"' in shown.text
        batches = re.findall(r'<tr data-batch="([^"]+)"', shown.text)
        assert sorted(set(batches)) == sorted(YEAR_BATCHES), indicator
        assert 'href="/submit/batches/b2024exam"' in shown.text
    fresh = client.get(f"/profiles/schools/{SCHOOL}/evidence/school_up_to_date_share?year={PAST}").text
    assert re.findall(r'<tr data-dataset="([^"]+)" data-up-to-date="([01])"', fresh) == [
        ("exam_scores", "0"),
        ("teacher_assignments", "1"),
    ]
    english = client.get(f"/profiles/schools/{SCHOOL}/evidence/school_batches?year={PAST}&lang=en").text
    assert "Submission batches" in english and "报送批次" not in english and "Rows accepted" in english


def test_the_web_refuses_readers_outside_the_school(bcity: ApiCity) -> None:
    for user in ("chaoyang", "school2", "teacher", "parent1", "pupil1"):
        client = _login(bcity, user)
        for indicator in INDICATORS:
            response = client.get(f"/profiles/schools/{SCHOOL}/evidence/{indicator}?year={PAST}")
            assert response.status_code == 403, (user, indicator)
            assert "b2024exam" not in response.text
            unknown = client.get(f"/profiles/schools/{UNKNOWN}/evidence/{indicator}?year={PAST}")
            assert unknown.status_code == 403
            assert _message(response.text).replace(SCHOOL, "X") == _message(unknown.text).replace(UNKNOWN, "X")


def _message(page: str) -> str:
    found = re.search(r"<main[^>]*>(.*?)</main>", page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1) if found else page))


@pytest.fixture(params=BACKENDS)
def fresh_city(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ApiCity]:
    url, schema = backend_url(request.param, tmp_path)
    home = Home(Settings(home=tmp_path / "home", database_url=url), get_catalog())
    points = derive._points
    with pytest.MonkeyPatch.context() as patch:  # the job runs when the test says so
        patch.setattr(derive, "_points", lambda: [p for p in points() if p.name != "profiles"])
        city = populate(home, tmp_path / "files")
        run_profiles(home)
        with city.client:
            yield city
    home.engine.dispose()
    drop_schema(schema)


def _state(home: Home, school: str) -> dict[str, tuple[object, list[str | None]]]:
    year = this_year()
    out = {}
    for indicator in INDICATORS:
        found = evidence(home, DISTRICT, "school", school, indicator, year)
        assert same(recompute(found), found.value), indicator
        batches = found.more[0].rows if found.more else found.rows
        out[indicator] = (found.value, sorted(r.batch_id for r in batches))
    return out


@pytest.mark.slow
def test_a_batch_changes_the_value_and_evidence_of_its_school_only(fresh_city: ApiCity, tmp_path: Path) -> None:
    home = fresh_city.home
    mine, theirs = _state(home, SCHOOL), _state(home, OTHER_SCHOOL)
    rows = [["班级编号", "学校标识码", "学年", "年级", "班级名称"], ["C2025Z", OTHER_SCHOOL, 2025, "11", "一年级9班"]]
    assert ingest_file(home, write_csv(tmp_path / "o.csv", rows), "classes", OTHER_SCHOOL).report.status == "committed"
    run_profiles(home)
    assert _state(home, SCHOOL) == mine  # another school's batch: nothing changes here
    after_theirs = _state(home, OTHER_SCHOOL)
    assert after_theirs["school_batches"][0] == theirs["school_batches"][0] + 1  # type: ignore[operator]
    rows = [rows[0], ["C2025Y", SCHOOL, 2025, "11", "一年级8班"], ["C2025X", SCHOOL, 2025, "11", "9班"]]
    report = ingest_file(home, write_csv(tmp_path / "m.csv", rows), "classes", SCHOOL).report
    assert report.status == "committed"
    assert _state(home, SCHOOL) == mine  # not in the value until the profiles are computed again: nor in the evidence
    run_profiles(home)
    now = _state(home, SCHOOL)
    assert now["school_batches"][0] == mine["school_batches"][0] + 1  # type: ignore[operator]
    assert set(now["school_batches"][1]) - set(mine["school_batches"][1]) == {report.batch_id}
    assert now["school_accepted_row_share"][1] == now["school_batches"][1]
    assert _state(home, OTHER_SCHOOL) == after_theirs
