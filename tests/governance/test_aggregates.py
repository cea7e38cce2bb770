"""Counts through the governance door: row scope, refused fields, small-cell suppression, kept per lake state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select

from edubrain.catalog import Catalog
from edubrain.exchange.ingest import ingest_file
from edubrain.governance.aggregates import count_rows
from edubrain.governance.audit import AuditEvent
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.readpath import AccessDenied
from edubrain.home import Home
from edubrain.store.db import session_scope
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL, home_with_schools, student_rows, write_csv


def _principal(role: str, org: str, level: str) -> Principal:
    return Principal(id=f"t-{role}", name=role, grants=(Grant(role, org, level),))


CITY = _principal("city_admin", "110000", "city")
ANALYST = _principal("city_analyst", "110000", "city")
HAIDIAN = _principal("district_admin", "110108", "district")
SCHOOL_ADMIN = _principal("school_admin", SCHOOL, "school")


@pytest.fixture(scope="module")
def counted_city(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Home]:
    """Students: 4 at SCHOOL, 2 at OTHER_SCHOOL (Haidian), 3 at a Chaoyang school."""
    folder = tmp_path_factory.mktemp("aggregates")
    home = home_with_schools(folder, catalog)
    chaoyang = [
        ["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
        [CHAOYANG_SCHOOL, "朝阳小学", "110105", "211", "是"],
    ]
    assert ingest_file(home, write_csv(folder / "cy.csv", chaoyang), "schools", "110105").report.status == "committed"
    rows = (
        student_rows(4) + student_rows(2, OTHER_SCHOOL, "C2", 10)[1:] + student_rows(3, CHAOYANG_SCHOOL, "C3", 20)[1:]
    )
    header = ["班级编号", "学校标识码", "学年", "年级", "班级名称"]
    classes = [header, ["C2", OTHER_SCHOOL, 2025, "11", "C2"], ["C3", CHAOYANG_SCHOOL, 2025, "11", "C3"]]
    assert ingest_file(home, write_csv(folder / "c.csv", classes), "classes", "110000").report.status == "committed"
    assert ingest_file(home, write_csv(folder / "st.csv", rows), "students", "110000").report.status == "committed"
    yield home
    home.engine.dispose()


def _per_school(frame: pl.DataFrame) -> dict[str, int]:
    return dict(zip(frame.get_column("school_code"), frame.get_column("rows"), strict=True))


def test_counts_cover_only_the_principals_scope(counted_city: Home) -> None:
    everyone = {SCHOOL: 4, OTHER_SCHOOL: 2, CHAOYANG_SCHOOL: 3}
    assert _per_school(count_rows(counted_city, CITY, "students", ["school_code"])) == everyone
    assert _per_school(count_rows(counted_city, HAIDIAN, "students", ["school_code"])) == {SCHOOL: 4, OTHER_SCHOOL: 2}
    assert _per_school(count_rows(counted_city, SCHOOL_ADMIN, "students", ["school_code"])) == {SCHOOL: 4}
    assert count_rows(counted_city, SCHOOL_ADMIN, "students").get_column("rows").to_list() == [4]


def test_counts_match_the_rows_grouped_by_hand(counted_city: Home) -> None:
    raw = pl.from_arrow(counted_city.lake.read(counted_city.catalog.dataset("students")))
    assert isinstance(raw, pl.DataFrame)
    by = ["school_code", "school_year", "status", "sex"]
    expected = raw.group_by(by).agg(pl.len().cast(pl.Int64).alias("rows")).sort(by)
    assert count_rows(counted_city, CITY, "students", by).equals(expected)


def test_filters_narrow_the_count(counted_city: Home) -> None:
    counts = count_rows(counted_city, CITY, "students", ["school_code"], {"sex": "1", "school_code": [SCHOOL]})
    assert _per_school(counts) == {SCHOOL: 2}


@pytest.mark.parametrize(
    ("principal", "by", "filters"),
    [
        (CITY, ["name"], None),  # identifies a person
        (CITY, ["student_id"], None),  # identifies a person
        (CITY, ["ethnicity"], None),  # sensitive (L4), though no identifier
        (CITY, [], {"id_number": "x"}),  # a filter is a group with one cell shown
        (ANALYST, ["status"], None),  # L3, above the analyst's L2
        (ANALYST, ["school_code"], {"status": "01"}),
        (CITY, ["no_such_field"], None),
    ],
)
def test_identifying_sensitive_and_uncleared_fields_are_refused(
    counted_city: Home, principal: Principal, by: list[str], filters: dict[str, str] | None
) -> None:
    with pytest.raises(AccessDenied):
        count_rows(counted_city, principal, "students", by, filters)


def test_a_principal_that_may_not_read_the_dataset_may_not_count_it(counted_city: Home) -> None:
    with pytest.raises(AccessDenied):
        count_rows(counted_city, _principal("public", "110000", "city"), "students")


def test_small_cells_are_suppressed_on_request(counted_city: Home) -> None:
    counts = count_rows(counted_city, CITY, "students", ["school_code"], min_count=3)
    assert _per_school(counts) == {SCHOOL: 4, OTHER_SCHOOL: None, CHAOYANG_SCHOOL: 3}


def test_counts_are_not_audited(counted_city: Home) -> None:
    def events() -> int:
        with session_scope(counted_city.engine) as session:
            return int(session.execute(select(func.count(AuditEvent.seq))).scalar_one())

    before = events()
    count_rows(counted_city, SCHOOL_ADMIN, "students", ["school_year", "status"])
    assert events() == before


def test_counts_follow_a_new_lake_version(tmp_path: Path, catalog: Catalog) -> None:
    home = home_with_schools(tmp_path, catalog)
    try:
        assert count_rows(home, CITY, "students").get_column("rows").to_list() == [0]
        ingest_file(home, write_csv(tmp_path / "a.csv", student_rows(3)), "students", SCHOOL)
        assert count_rows(home, CITY, "students").get_column("rows").to_list() == [3]
        ingest_file(home, write_csv(tmp_path / "b.csv", student_rows(2, start=10)), "students", SCHOOL)
        assert count_rows(home, CITY, "students").get_column("rows").to_list() == [5]
        assert count_rows(home, CITY, "students", version=0).get_column("rows").to_list() == [3]
    finally:
        home.engine.dispose()
