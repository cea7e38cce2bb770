"""End to end with the real job: submit evidence, run_profiles, read the profile and its evidence; change it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange import derive
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.pseudonyms import pseudonym, pseudonym_key
from edubrain.home import Home
from edubrain.jobs.profiles import run_profiles
from edubrain.profiles import evidence, student_profile
from tests.api.conftest import populate
from tests.conftest import SCHOOL, write_csv
from tests.profiles.conftest import YEAR, activities, principal, student_ids


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    points = derive._points  # the job is run explicitly below, not after every submission
    monkeypatch.setattr(derive, "_points", lambda: [p for p in points() if p.name != "profiles"])
    h = Home(Settings(home=tmp_path / "home"), get_catalog())
    populate(h, tmp_path / "files")
    yield h
    h.engine.dispose()


def _arts(home: Home, pseudonym: str) -> tuple[object, int | None]:
    admin = principal("school_admin", SCHOOL, "school")
    year = student_profile(home, admin, pseudonym, purpose="teaching").year(YEAR)
    assert year is not None
    value = next(i for i in year.indicators if i.column == "arts_hours")
    return value.value, value.source.version


@pytest.mark.slow
def test_a_value_follows_its_evidence_and_nothing_else(home: Home, tmp_path: Path) -> None:
    ids, _ = student_ids()
    key = pseudonym_key(home.settings)
    first, second = (pseudonym(i, "student", key) for i in ids[:2])
    result = ingest_file(home, write_csv(tmp_path / "a.csv", activities(ids)), "student_activities", SCHOOL)
    assert result.report.status == "committed"
    run_profiles(home)
    value, version = _arts(home, first)
    assert value == 5.5 and version == home.lake.version("student_activities")
    admin = principal("school_admin", SCHOOL, "school")
    found = evidence(home, admin, "student", first, "arts_hours", YEAR, purpose="teaching")
    assert sorted(r.values["record_id"] for r in found.rows) == ["A1", "A2"]
    assert sum(float(r.values["hours"]) for r in found.rows) == value  # type: ignore[arg-type]
    before_second = _arts(home, second)[0]
    # one evidence row changes: the first student's value and its evidence follow, the second's does not
    changed = activities(ids, hours=6.0)
    assert ingest_file(home, write_csv(tmp_path / "b.csv", changed), "student_activities", SCHOOL).report.status == (
        "committed"
    )
    run_profiles(home)
    value2, version2 = _arts(home, first)
    assert value2 == 8.5 and version2 == home.lake.version("student_activities") and version2 != version
    again = evidence(home, admin, "student", first, "arts_hours", YEAR, purpose="teaching")
    assert again.version == version2 and sum(float(r.values["hours"]) for r in again.rows) == 8.5  # type: ignore[arg-type]
    assert _arts(home, second)[0] == before_second == 1.5
