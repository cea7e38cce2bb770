"""The 体质健康 page under concurrent load: no request may fail because a DuckDB result was left open.

Governed reads run on one in-memory DuckDB connection per worker thread
(:mod:`edubrain.governance.duck`). A read whose page was full counted the
rows in scope with ``execute(...).fetchone()``, which left the count's
result unfinished on the thread's connection; the next read on that thread
that registered an Arrow table (a dataset version with no rows, such as the
demo's empty ``fitness_warnings``) failed with "connection has an unfinished
result" and the page answered 500, about once in a hundred loads, whenever a
worker thread had served a full page (数据浏览, a district's rows) just before.

The city here is the demo's kind: no data-quality warnings, so
``fitness_warnings`` is a version without rows, read for every year. Every
round opens a fresh :class:`~edubrain.home.Home` (cold caches) and drives the
real app from several threads at once, each user interleaving full pages of
the data viewer with 体质健康 for each school year.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.governance import identity
from edubrain.governance.duck import connection
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.readpath import read_dataset
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import resolve_organisation, seed_organisations
from edubrain.synth.config import FormatMix, SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.web.conftest import PASSWORD, make_app

SCHOOL = "1101080001"
USERS = {
    "haidian": ("110108", "district_admin"),
    "chaoyang": ("110105", "district_analyst"),
    "school": (SCHOOL, "school_admin"),
    "city": ("110000", "city_analyst"),
}
VIEWER = ("students", "classes", "fitness_tests", "fitness_scores")
"""Datasets whose first page is full for a district or a school (their count runs)."""
ROUNDS = 3


@pytest.fixture(scope="module")
def quiet_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-year synthetic city with no data-quality warnings; returns its ``EDUBRAIN_HOME``."""
    root = tmp_path_factory.mktemp("quiet-city")
    config = SynthConfig(
        scale=0.003, seed=7, years=2, out=root / "city", formats=FormatMix(gbk_csv=0, utf8_chinese=0, xlsx=0)
    )
    manifest = generate(config, workers=1)
    keep = {"districts", "schools", "classes", "students", "fitness_tests"}
    manifest.filter(pl.col("dataset").is_in(list(keep))).write_csv(config.out / "manifest.csv")
    home = Home(Settings(home=root / "home"), get_catalog())
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    assert load_city(home, config.out, "bulk").rejected == []
    with db.session_scope(home.engine) as session, home.key_index() as index:
        resolve_organisation(session, index, SCHOOL)
        for name, (org, role) in USERS.items():
            identity.add_user(session, name, PASSWORD, org)
            identity.grant(session, name, role, org)
    assert home.lake.version("fitness_warnings") is not None and not home.lake.files("fitness_warnings")
    home.engine.dispose()
    return root / "home"


def _years(home: Home) -> list[int]:
    table = pl.from_arrow(home.lake.read(home.catalog.dataset("fitness_indicators")))
    assert isinstance(table, pl.DataFrame)
    return sorted(table.get_column("school_year").unique().to_list())


def _browse(client: TestClient, years: list[int]) -> list[tuple[str, int]]:
    """One user's session: a full page of each viewer dataset, each followed by 体质健康 of a year."""
    seen = []
    for dataset, year in zip(VIEWER, itertools.cycle(years), strict=False):
        for path in (f"/data/{dataset}", f"/fitness?year={year}"):
            seen.append((path, client.get(path).status_code))
    return seen


def _client(app: FastAPI, username: str) -> TestClient:
    """A client logged in as ``username`` that reports a server error as its 500 answer (not by raising)."""
    client = TestClient(app, follow_redirects=False, raise_server_exceptions=False)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text
    return client


def test_fitness_page_never_fails_under_concurrent_load(quiet_city: Path) -> None:
    failed: list[tuple[int, str, str, int]] = []
    for round_ in range(ROUNDS):
        home = Home(Settings(home=quiet_city), get_catalog())  # a new lake object: every cache is cold
        app = make_app(home)
        years = _years(home)
        with ExitStack() as stack, ThreadPoolExecutor(len(USERS)) as pool:
            # one event loop and worker-thread pool per client for the round, as in a server
            clients = {name: stack.enter_context(_client(app, name)) for name in USERS}
            sessions = dict(zip(clients, pool.map(_browse, clients.values(), [years] * len(clients)), strict=True))
        failed += [(round_, name, path, code) for name, seen in sessions.items() for path, code in seen if code >= 500]
        home.engine.dispose()
    assert failed == []


def test_full_page_read_leaves_the_thread_connection_clean(quiet_city: Path) -> None:
    """A read whose page is full (so it counts the rows in scope) leaves no unfinished result behind."""
    home = Home(Settings(home=quiet_city), get_catalog())
    district = Principal(id="t", name="t", grants=(Grant("district_admin", "110108", "district"),))
    result = read_dataset(home, district, "students", limit=5)
    assert result.table.num_rows == 5 and result.total > 5
    con = connection()
    con.register("probe", pl.DataFrame({"a": [1]}).to_arrow())  # refused while a result is unfinished
    assert con.sql("select count(*) from probe").fetchall() == [(1,)]
    changes = read_dataset(home, district, "students", limit=5, changed_since=0)  # counts, then reads retired keys
    assert changes.table.num_rows == 5
    home.engine.dispose()
