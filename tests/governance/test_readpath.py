"""The one read path: row scope, masking by clearance, purpose-bound unmasking, audit.

The property test draws random principals and reads and checks, against the
raw lake, that no row outside the principal's scope and no field above its
clearance is ever returned unmasked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import policy
from edubrain.governance.audit import list_events
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.masking import mask_column
from edubrain.governance.readpath import AccessDenied, read_dataset
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.db import session_scope
from edubrain.store.orgs import seed_organisations
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, schools_rows, student_rows, write_csv

CHAOYANG = "1101050001"
CLASSES = {CLASS: SCHOOL, "C2": OTHER_SCHOOL, "C3": CHAOYANG}
LEVELS = {"L1": 1, "L2": 2, "L3": 3, "L4": 4, "important": 5}


def _build_city(root: Path) -> Home:
    settings = Settings(home=root / "home")
    home = Home(settings, get_catalog())
    db.upgrade(settings.resolved_database_url)
    with session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    ingest_file(home, write_csv(root / "s.csv", schools_rows()), "schools", "110108")
    chaoyang = [schools_rows()[0], [CHAOYANG, "朝阳示例小学", "110105", "211", "是", 800]]
    ingest_file(home, write_csv(root / "s2.csv", chaoyang), "schools", "110105")
    header = ["班级编号", "学校标识码", "学年", "年级", "班级名称"]
    classes = [header] + [[c, s, 2025, "11", c] for c, s in CLASSES.items()]
    ingest_file(home, write_csv(root / "c.csv", classes), "classes", "110000")
    rows = student_rows(4) + student_rows(3, OTHER_SCHOOL, "C2", 10)[1:] + student_rows(3, CHAOYANG, "C3", 20)[1:]
    assert ingest_file(home, write_csv(root / "st.csv", rows), "students", "110000").report.status == "committed"
    return home


@pytest.fixture(scope="module")
def city3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    home = _build_city(tmp_path_factory.mktemp("readpath"))
    yield home
    home.engine.dispose()


def _raw(home: Home, dataset: str) -> pl.DataFrame:
    frame = pl.from_arrow(home.lake.read(home.catalog.dataset(dataset)))
    assert isinstance(frame, pl.DataFrame)
    return frame


def _students(home: Home) -> list[str]:
    return _raw(home, "students").get_column("student_id").to_list()


def _principal(role: str, org: str, level: str, refs: tuple[str, ...] = ()) -> Principal:
    return Principal(id=f"test-{role}", name=role, grants=(Grant(role, org, level, refs),))


def test_a_school_admin_sees_only_its_school_with_identities_masked(city3: Home) -> None:
    result = read_dataset(city3, _principal("school_admin", SCHOOL, "school"), "students")
    frame = pl.from_arrow(result.table)
    assert set(frame.get_column("school_code")) == {SCHOOL}
    assert all("*" in n for n in frame.get_column("name"))
    assert all("********" in i for i in frame.get_column("id_number"))
    assert "name" in result.masked and "name" not in result.unmasked_personal


def test_a_purpose_unmasks_sensitive_fields_and_the_read_is_audited(city3: Home) -> None:
    principal = _principal("school_admin", SCHOOL, "school")
    result = read_dataset(city3, principal, "students", purpose="学籍管理")
    frame = pl.from_arrow(result.table)
    assert not any("*" in n for n in frame.get_column("name"))
    assert {"name", "id_number"} <= set(result.unmasked_personal)
    with session_scope(city3.engine) as session:
        events = list_events(session, actor=principal.id, action="read_unmasked")
    assert events and events[-1].purpose == "enrollment_management" and events[-1].row_count == frame.height
    assert events[-1].minors is True


def test_an_unknown_purpose_is_refused(city3: Home) -> None:
    with pytest.raises(policy.PolicyError):
        read_dataset(city3, _principal("school_admin", SCHOOL, "school"), "students", purpose="好奇")


def test_an_analyst_cannot_unmask_even_with_a_purpose(city3: Home) -> None:
    with pytest.raises(AccessDenied):
        read_dataset(city3, _principal("city_analyst", "110000", "city"), "students", purpose="学籍管理")


def test_a_district_sees_its_schools_only(city3: Home) -> None:
    frame = pl.from_arrow(read_dataset(city3, _principal("district_admin", "110108", "district"), "students").table)
    assert set(frame.get_column("school_code")) == {SCHOOL, OTHER_SCHOOL}


def test_a_student_sees_only_itself_unmasked(city3: Home) -> None:
    me = _students(city3)[0]
    frame = pl.from_arrow(read_dataset(city3, _principal("student", SCHOOL, "school", (me,)), "students").table)
    assert frame.get_column("student_id").to_list() == [me]


def test_the_public_sees_only_unconditionally_shared_data_and_only_public_fields(city3: Home) -> None:
    public = _principal("public", "110000", "city")
    with pytest.raises(AccessDenied):
        read_dataset(city3, public, "students")
    schools = pl.from_arrow(read_dataset(city3, public, "schools").table)
    assert "planned_places_primary" not in schools.columns and "school_code" in schools.columns


def test_paging_and_filters_apply_inside_the_scope(city3: Home) -> None:
    principal = _principal("city_admin", "110000", "city")
    page = read_dataset(city3, principal, "students", limit=3, offset=0)
    assert page.total == 10 and page.table.num_rows == 3
    only = read_dataset(city3, principal, "students", filters={"school_code": CHAOYANG})
    assert only.total == 3


ROLES = {
    "city_admin": [("110000", "city")],
    "city_analyst": [("110000", "city")],
    "auditor": [("110000", "city")],
    "district_admin": [("110108", "district"), ("110105", "district")],
    "district_analyst": [("110108", "district"), ("110105", "district")],
    "school_admin": [(SCHOOL, "school"), (OTHER_SCHOOL, "school"), (CHAOYANG, "school")],
    "teacher": [(SCHOOL, "school"), (CHAOYANG, "school")],
    "student": [(SCHOOL, "school")],
    "parent": [(SCHOOL, "school")],
    "public": [("110000", "city")],
}


@st.composite
def principals(draw: st.DrawFn, students: list[str]) -> Principal:
    role = draw(st.sampled_from(sorted(ROLES)))
    org, level = draw(st.sampled_from(ROLES[role]))
    refs: tuple[str, ...] = ()
    if role == "teacher":
        refs = tuple(draw(st.lists(st.sampled_from(sorted(CLASSES)), min_size=1, max_size=2, unique=True)))
    if role in ("student", "parent"):
        refs = tuple(draw(st.lists(st.sampled_from(students), min_size=1, max_size=2, unique=True)))
    return _principal(role, org, level, refs)


def _in_scope(principal: Principal, row: dict, dataset: str, schools: dict[str, str], home: Home) -> bool:
    grant = principal.grants[0]
    scope = policy.role(grant.role).scope
    if home.catalog.dataset(dataset).sharing == "unconditional" or scope == "city":
        return True
    school = row.get("school_code")
    if scope == "district":
        return schools.get(school) == grant.org_code
    if scope == "school":
        return school == grant.org_code
    if scope == "class":
        return row.get("class_id") in grant.refs
    if scope in ("self", "children"):
        return row.get("student_id") in grant.refs
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_row_outside_scope_and_no_field_above_clearance_is_returned_unmasked(
    city3: Home, data: st.DataObject
) -> None:
    principal = data.draw(principals(_students(city3)))
    dataset_id = data.draw(st.sampled_from(["students", "classes", "schools"]))
    purpose = data.draw(st.sampled_from([None, "学籍管理"]))
    try:
        result = read_dataset(city3, principal, dataset_id, purpose=purpose, audit=False)
    except (AccessDenied, policy.PolicyError):
        return
    dataset = city3.catalog.dataset(dataset_id)
    raw = _raw(city3, dataset_id)
    schools = dict(_raw(city3, "schools").select("school_code", "district_code").iter_rows())
    role = policy.role(principal.grants[0].role)
    clearance = LEVELS[policy.SENSITIVE_LEVEL if purpose and role.purpose_unmask else role.clearance]
    returned = pl.from_arrow(result.table)
    assert isinstance(returned, pl.DataFrame)
    # Rows: match each returned row to its raw row through fields the principal can see, then check scope.
    visible_keys = [
        f.name for f in dataset.fields if LEVELS[f.classification] <= clearance and f.name in returned.columns
    ]
    assert visible_keys, "every dataset keeps some identifying column visible"
    for row in returned.iter_rows(named=True):
        matches = raw.filter(
            pl.all_horizontal(pl.col(k) == row[k] if row[k] is not None else pl.col(k).is_null() for k in visible_keys)
        )
        assert matches.height >= 1
        assert any(_in_scope(principal, m, dataset_id, schools, city3) for m in matches.iter_rows(named=True))
    # Fields: nothing above the clearance comes back as it is stored.
    for spec in dataset.fields:
        if LEVELS[spec.classification] <= clearance or spec.name not in returned.columns:
            continue
        shown = returned.get_column(spec.name).cast(pl.String).to_list()
        stored = set(raw.get_column(spec.name).cast(pl.String).drop_nulls().to_list())
        masked_forms = (
            set(raw.select(mask_column(pl.col(spec.name).cast(pl.String), spec.pii)).to_series().drop_nulls().to_list())
            if spec.pii
            else set()
        )
        for value in shown:
            assert value is None or value in masked_forms or value not in stored, f"{spec.name} leaked to {role.id}"
