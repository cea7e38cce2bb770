"""School names are taken once per cockpit snapshot and language, and again as soon as a school is renamed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from edubrain.web.cockpit import IndicatorCache
from edubrain.web.labels import school_names
from tests.conftest import SCHOOL, home_with_schools, schools_rows, write_csv


@pytest.fixture
def school_home(tmp_path: Path, catalog: Catalog) -> Iterator[Home]:
    home = home_with_schools(tmp_path, catalog)
    yield home
    home.engine.dispose()


def test_school_names_are_kept_per_snapshot_and_follow_a_rename(school_home: Home, tmp_path: Path) -> None:
    cache = IndicatorCache(recheck_seconds=0)  # the lake is checked on every call
    names = school_names(cache, school_home, "zh")
    assert names[SCHOOL] == "海淀示例一小"
    assert school_names(cache, school_home, "zh") is names  # the same snapshot: not taken again
    assert school_names(cache, school_home, "en")[SCHOOL]  # another language: its own names
    renamed = [row[:] for row in schools_rows()]
    renamed[1][1] = "海淀示例一小（新校名）"
    report = ingest_file(school_home, write_csv(tmp_path / "renamed.csv", renamed), "schools", "110108").report
    assert report.status == "committed"
    after = school_names(cache, school_home, "zh")
    assert after is not names and after[SCHOOL] == "海淀示例一小（新校名）"


def test_school_names_of_two_caches_are_apart(school_home: Home) -> None:
    first, second = IndicatorCache(recheck_seconds=0), IndicatorCache(recheck_seconds=0)
    assert school_names(first, school_home, "zh") == school_names(second, school_home, "zh")
    assert school_names(first, school_home, "zh") is not school_names(second, school_home, "zh")
