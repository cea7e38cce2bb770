"""Property: whatever batches the hub commits, a node's incrementally pulled copy equals a fresh full pull.

Random sequences of upserts (changing a student's status, adding students,
moving students between the two schools) and full rosters that retire
students are committed at the hub (a school's roster naming a pupil the
other school holds is refused: key ownership); after each, three nodes (the district and
each school) pull and their copies are compared with a full pull.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.exchange.nodes import HubClient, Mirror, pull
from edubrain.governance import tokens
from edubrain.store.db import session_scope
from tests.api.conftest import OTHER_CLASS, ApiCity
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, student_rows, write_csv

CLASS_OF = {SCHOOL: CLASS, OTHER_SCHOOL: OTHER_CLASS}
USER_OF = {SCHOOL: "school1", OTHER_SCHOOL: "school2"}
POOL = range(20, 32)

batches = st.lists(
    st.tuples(
        st.sampled_from(["upsert", "replace-scope"]),
        st.sampled_from([SCHOOL, OTHER_SCHOOL]),
        st.lists(st.sampled_from(list(POOL)), min_size=1, max_size=5, unique=True),
        st.sampled_from(["01", "02"]),
    ),
    min_size=1,
    max_size=3,
)


def _commit(
    city: ApiCity, folder: Path, mode: str, school: str, students: list[int], status: str, owner: dict[int, str]
) -> None:
    """Commit one batch; a school's full roster naming a pupil the other school now holds must be refused.

    ``owner`` tracks which school holds each pupil of the pool (the district's upserts move them).
    """
    rows = [student_rows(1, school, CLASS_OF[school], i)[1] for i in students]
    for row in rows:
        row[10] = status
    path = write_csv(folder / "batch.csv", [student_rows(0)[0], *rows])
    user = "haidian" if mode == "upsert" else USER_OF[school]  # the district moves students between its schools
    response = city.client.post(
        "/api/v1/submissions",
        data={"dataset": "students", "mode": mode},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        headers=city.auth(user),
    )
    report = response.json()["report"]
    taken = mode == "replace-scope" and any(owner.get(i, school) != school for i in students)
    if taken:  # a takeover of the other school's pupil: refused, nothing stored (key ownership)
        assert report["status"] == "rejected" and {g["rule"] for g in report["groups"]} == {"key_owner"}, report
        return
    assert report["status"] in ("committed", "unchanged"), response.text
    if mode == "replace-scope":
        for i in [i for i, held in owner.items() if held == school and i not in students]:
            del owner[i]  # retired
    owner.update(dict.fromkeys(students, school))


def _owners(city: ApiCity) -> dict[int, str]:
    """The school now holding each pupil of the pool."""
    index = {str(student_rows(1, SCHOOL, CLASS, i)[1][0]): i for i in POOL}
    stored = city.home.lake.read(city.home.catalog.dataset("students"), columns=["student_id", "school_code"])
    return {index[r["student_id"]]: r["school_code"] for r in stored.to_pylist() if r["student_id"] in index}


def _rows(frame: pl.DataFrame) -> list[dict[str, object]]:
    columns = sorted(c for c in frame.columns if c != "_op")
    return frame.select(columns).sort("_key").to_dicts()


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(sequence=batches)
def test_exchange_incremental_copy_equals_a_full_pull(fresh: ApiCity, tmp_path: Path, sequence: list) -> None:
    with session_scope(fresh.home.engine) as session:
        keys = {org: tokens.create_api_key(session, "n", org)[1] for org in ("110108", SCHOOL, OTHER_SCHOOL)}
    nodes = {org: HubClient("http://testserver", key, client=fresh.client) for org, key in keys.items()}
    owner = _owners(fresh)  # the city is shared by the examples: start from what is stored
    for mode, school, students, status in sequence:
        _commit(fresh, tmp_path, mode, school, students, status, owner)
        for org, hub in nodes.items():
            pull(tmp_path / org, hub, "students")
            copy = Mirror(tmp_path / org, hub.hub_url, "students").read()
            assert _rows(copy) == _rows(hub.changes("students", None).rows), (org, mode, school, students)
