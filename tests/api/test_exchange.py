"""/api/v1/exchange: node push, and pull of changes since version N inside the node's scope.

The invariant: a copy kept up to date by incremental pulls equals a fresh full pull.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from edubrain.exchange.nodes import HubClient, HubError, Mirror, pull
from edubrain.governance import tokens
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import OTHER_SCHOOL, SCHOOL, student_rows, write_csv

CHANGES = "/api/v1/exchange/students/changes"


def _key(city: ApiCity, org: str) -> str:
    with session_scope(city.home.engine) as session:
        return tokens.create_api_key(session, f"node-{org}", org)[1]


def _hub(city: ApiCity, key: str) -> HubClient:
    return HubClient("http://testserver", key, client=city.client)


def _submit(city: ApiCity, user: str, rows: list[list[object]], folder: Path, mode: str = "upsert") -> dict:
    path = write_csv(folder / "roster.csv", rows)
    response = city.client.post(
        "/api/v1/submissions",
        data={"dataset": "students", "mode": mode},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        headers=city.auth(user),
    )
    report = response.json()["report"]
    assert report["status"] == "committed", response.text
    return report


def _same(copy: pl.DataFrame, full: pl.DataFrame) -> None:
    columns = sorted(c for c in full.columns if c != "_op")
    assert copy.select(columns).sort("_key").to_dicts() == full.drop("_op").select(columns).sort("_key").to_dicts()


def test_exchange_incremental_pulls_equal_a_full_pull(fresh: ApiCity, tmp_path: Path) -> None:
    node_home = tmp_path / "node"
    with _hub(fresh, fresh.node_key) as hub:
        first = pull(node_home, hub, "students")
        assert (first.since, first.version, first.upserts, first.rows) == (None, 1, 7, 7)
        roster = student_rows(4) + student_rows(1, start=90)[1:]
        roster[1][10] = "02"  # the first student's status changes
        _submit(fresh, "school1", roster, tmp_path)
        second = pull(node_home, hub, "students")
        assert (second.since, second.version, second.upserts, second.retired, second.rows) == (1, 2, 2, 0, 8)
        _submit(fresh, "school1", roster[:-2], tmp_path, mode="replace-scope")
        third = pull(node_home, hub, "students")
        assert (third.since, third.version, third.upserts, third.retired, third.rows) == (2, 3, 0, 2, 6)
        unchanged = pull(node_home, hub, "students")
        assert (unchanged.upserts, unchanged.retired, unchanged.version) == (0, 0, 3)
        _same(Mirror(node_home, hub.hub_url, "students").read(), hub.changes("students", None).rows)


def test_exchange_a_row_moving_out_of_a_node_scope_is_retired_there(fresh: ApiCity, tmp_path: Path) -> None:
    school_key, other_key = _key(fresh, SCHOOL), _key(fresh, OTHER_SCHOOL)
    with _hub(fresh, school_key) as hub, _hub(fresh, other_key) as other:
        assert pull(tmp_path / "a", hub, "students").rows == 4
        assert pull(tmp_path / "b", other, "students").rows == 3
        moving = student_rows(1)  # the first student of SCHOOL moves to OTHER_SCHOOL
        moving[1][6], moving[1][7] = OTHER_SCHOOL, "C2025B"
        _submit(fresh, "haidian", moving, tmp_path)
        left = pull(tmp_path / "a", hub, "students")
        arrived = pull(tmp_path / "b", other, "students")
    assert (left.upserts, left.retired, left.rows) == (0, 1, 3)
    assert (arrived.upserts, arrived.retired, arrived.rows) == (1, 0, 4)


def test_exchange_pulled_rows_are_masked_and_keyed_by_pseudonym(fresh: ApiCity) -> None:
    response = fresh.client.get(CHANGES, params={"format": "jsonl"}, headers=fresh.auth("node"))
    assert response.status_code == 200 and response.headers["x-edubrain-version"] == "1"
    assert response.headers["x-edubrain-since"] == "none"
    rows = pl.read_ndjson(io.BytesIO(response.content))
    assert rows.height == 7 and set(rows.get_column("_op")) == {"upsert"}
    assert all("*" in v for v in rows.get_column("student_id")) and all("*" in v for v in rows.get_column("name"))
    assert rows.get_column("_key").n_unique() == 7 and all(k.startswith("K") for k in rows.get_column("_key"))


def test_exchange_another_district_node_pulls_nothing(fresh: ApiCity, tmp_path: Path) -> None:
    with _hub(fresh, _key(fresh, "110105")) as hub:
        result = pull(tmp_path / "c", hub, "students")
    assert (result.version, result.rows) == (1, 0)


def test_exchange_push_submits_as_the_key_organisation(fresh: ApiCity, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", student_rows(2, start=100))
    with _hub(fresh, fresh.node_key) as hub:
        body = hub.push(path, "students")
    assert body["report"]["status"] == "committed" and body["report"]["org"] == "110108"
    bad = write_csv(tmp_path / "bad.csv", student_rows(1, "1101059999", "C2025A", 110))
    with _hub(fresh, fresh.node_key) as hub:
        assert hub.push(bad, "students")["report"]["status"] == "rejected"


def test_exchange_refusals_have_the_error_shape(fresh: ApiCity, tmp_path: Path) -> None:
    assert_error(fresh.client.get(CHANGES), 401, "auth_error")
    assert_error(fresh.client.get(CHANGES, headers=fresh.auth("city")), 403, "access_denied")
    assert_error(fresh.client.get(CHANGES, params={"since": 5}, headers=fresh.auth("node")), 404, "lake_error")
    assert_error(fresh.client.get(CHANGES, params={"since": -1}, headers=fresh.auth("node")), 422, "invalid_request")
    assert_error(fresh.client.get(CHANGES, params={"format": "csv"}, headers=fresh.auth("node")), 422)
    assert_error(fresh.client.get("/api/v1/exchange/nope/changes", headers=fresh.auth("node")), 404, "unknown_dataset")
    files = {"file": ("s.csv", b"a,b\n1,2\n", "text/csv")}
    assert_error(fresh.client.post("/api/v1/exchange/students/batches", files=files), 401)
    response = fresh.client.post("/api/v1/exchange/students/batches", files=files, headers=fresh.auth("school1"))
    assert_error(response, 403, "access_denied")
    with _hub(fresh, fresh.node_key) as hub, pytest.raises(HubError) as raised:
        hub.changes("students", 9)
    assert raised.value.details["hub_code"] == "lake_error" and "9" in raised.value.zh
