"""Red team: operational records (batches, reports, versions) and uploads through the one Scope."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.readers import read_source
from edubrain.governance import submissions
from edubrain.governance.audit import AuditEvent
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.scope import AccessDenied, Scope
from edubrain.home import Home
from edubrain.store.db import session_scope
from edubrain.store.models import SubmissionBatch
from tests.api.conftest import OTHER_CLASS, ApiCity, assert_error, populate
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, student_rows, write_csv

URL = "/api/v1/submissions"


def _upload(city: ApiCity, user: str, rows: list[list[object]]) -> dict:
    data = "\n".join(",".join(str(c) for c in r) for r in rows).encode("utf-8")
    files = {"file": ("s.csv", io.BytesIO(data), "text/csv")}
    response = city.client.post(URL, data={"dataset": "students"}, files=files, headers=city.auth(user))
    assert response.status_code == 201, response.text
    return response.json()


def _bad_pupil() -> tuple[list[list[object]], str]:
    """A roster row whose 身份证号 has a wrong check digit (so the problem quotes it), and that number."""
    rows = student_rows(1, SCHOOL, CLASS, start=40)
    nid = str(rows[1][4])
    wrong = nid[:-1] + ("0" if nid[-1] != "0" else "1")
    rows[1][4], rows[1][0] = wrong, "G" + wrong
    return rows, wrong


def test_security_reports_never_store_or_show_a_raw_national_id(fresh: ApiCity) -> None:
    rows, wrong = _bad_pupil()
    body = _upload(fresh, "school1", rows)
    assert body["report"]["status"] == "rejected"
    assert wrong not in str(body)  # the submitter's own report: L4 above a school admin's clearance
    assert any(p["field"] in ("id_number", "student_id") and p["value"] for p in body["problems"])
    with session_scope(fresh.home.engine) as session:
        stored = session.scalars(select(SubmissionBatch.report)).all()
    assert stored and not any(wrong in str(r) for r in stored)  # never kept in the operational database
    detail = fresh.client.get(f"{URL}/{body['report']['batch_id']}", headers=fresh.auth("haidian")).json()
    assert wrong not in str(detail) and detail["report"]["groups"]
    with session_scope(fresh.home.engine) as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "report_read")).all()
    assert len(reads) == 1 and reads[0].minors


def test_security_an_analyst_sees_a_report_masked_to_its_clearance(fresh: ApiCity) -> None:
    rows = student_rows(1, SCHOOL, CLASS, start=41)
    rows[1][3] = "2031-02-30"  # not a date: the problem quotes the pupil's birth date
    batch = _upload(fresh, "school1", rows)["report"]["batch_id"]
    detail = fresh.client.get(f"{URL}/{batch}", headers=fresh.auth("analyst")).json()
    assert "2031-02-30" not in str(detail)


@pytest.mark.parametrize(("user", "sees_school1"), [("school2", False), ("chaoyang", False), ("teacher", False),
                                                    ("citizen", False), ("haidian", True), ("city", True)])  # fmt: skip
def test_security_batches_and_reports_stay_inside_the_scope(shared: ApiCity, user: str, sees_school1: bool) -> None:
    listed = shared.client.get(URL, headers=shared.auth(user)).json()["data"]
    assert (SCHOOL in {b["org_code"] for b in listed}) is sees_school1
    school1 = shared.client.get(URL, headers=shared.auth("school1")).json()["data"]
    one = school1[0]["batch_id"]
    response = shared.client.get(f"{URL}/{one}", headers=shared.auth(user))
    if sees_school1:
        assert response.status_code == 200
    else:
        assert_error(response, 404, "not_found")  # absent and out of scope read the same
    filtered = shared.client.get(URL, params={"org": SCHOOL}, headers=shared.auth(user)).json()
    assert (filtered["count"] > 0) is sees_school1


@pytest.mark.parametrize("user", ["school2", "chaoyang", "teacher", "citizen"])
def test_security_versions_do_not_show_batches_of_others(shared: ApiCity, user: str) -> None:
    response = shared.client.get("/api/v1/datasets/students/versions", headers=shared.auth(user))
    if response.status_code == 200:
        assert SCHOOL not in {e["org"] for e in response.json()}
    else:
        assert_error(response, 403, "access_denied")


# The property: whatever a principal uploads, no stored row outside its scope changes.

PRINCIPALS = {
    "school1": Principal("p1", "school1", (Grant("school_admin", SCHOOL, "school"),)),
    "school2": Principal("p2", "school2", (Grant("school_admin", OTHER_SCHOOL, "school"),)),
    "haidian": Principal("p3", "haidian", (Grant("district_admin", "110108", "district"),)),
    "chaoyang": Principal("p4", "chaoyang", (Grant("district_admin", "110105", "district"),)),
    "node": Principal("p5", "node", (Grant("node", "110105", "district"),), kind="node"),
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Home, Path]]:
    folder = tmp_path_factory.mktemp("scope-lab")
    home = Home(Settings(home=folder / "home", database_url=f"sqlite:///{folder / 'e.db'}"), get_catalog())
    with populate(home, folder).client:
        yield home, folder
    home.engine.dispose()


def _owners(home: Home) -> dict[str, tuple[str, str]]:
    table = pl.from_arrow(
        home.lake.read(home.catalog.dataset("students"), columns=["student_id", "school_code", "name"])
    )
    assert isinstance(table, pl.DataFrame)
    return {r[0]: (r[1], r[2]) for r in table.iter_rows()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    who=st.sampled_from(sorted(PRINCIPALS)),
    pupil=st.integers(0, 14),
    target=st.sampled_from([(SCHOOL, CLASS), (OTHER_SCHOOL, OTHER_CLASS)]),
    rename=st.booleans(),
)
def test_security_no_upload_changes_a_row_outside_the_scope(
    lab: tuple[Home, Path], who: str, pupil: int, target: tuple[str, str], rename: bool
) -> None:
    home, folder = lab
    principal = PRINCIPALS[who]
    rows = student_rows(1, target[0], target[1], start=pupil)
    if rename:
        rows[1][1] = f"改{pupil}"
    source = read_source(write_csv(folder / "up.csv", rows))
    before = _owners(home)
    scope = Scope.of(home, principal)
    mine = scope.org_codes() or set()
    try:
        submissions.submit_source(home, principal, source, "students", accept_valid=True)
    except AccessDenied:
        pass
    after = _owners(home)
    for key, was in before.items():
        if after.get(key) != was:  # changed, moved or retired: it was the principal's and stays inside its scope
            assert was[0] in mine and after.get(key, was)[0] in mine, (who, key, was, after.get(key))
