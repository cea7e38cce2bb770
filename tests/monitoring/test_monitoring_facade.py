"""The governed monitoring facade: scope, the tree and the detail for each level, and a city with no data yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.governance.identity import Grant, Principal
from edubrain.governance.scope import AccessDenied
from edubrain.home import Home
from edubrain.monitoring import detail, tree
from tests.api.conftest import ApiCity
from tests.conftest import CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL
from tests.web.conftest import PASSWORD as WEB_PASSWORD
from tests.web.conftest import build_city, login, make_app

CITY = Principal("c", "city", (Grant("city_analyst", "110000", "city"),))
HAIDIAN = Principal("h", "haidian", (Grant("district_analyst", "110108", "district"),))
SCHOOL1 = Principal("s", "school1", (Grant("school_admin", SCHOOL, "school"),))
PUBLIC = Principal("p", "citizen", (Grant("public", "110000", "city"),))


def test_the_tree_of_each_level_is_its_own_organisation(mcity: ApiCity) -> None:
    home = mcity.home
    assert (tree(home, CITY).org_code, tree(home, HAIDIAN).org_code, tree(home, SCHOOL1).org_code) == (
        "110000", "110108", SCHOOL,
    )  # fmt: skip
    mine = tree(home, SCHOOL1)
    assert (mine.org_level, mine.name_zh, mine.school_year, mine.years) == (
        "school",
        "海淀示例一小",
        2025,
        (2024, 2025),
    )
    infrastructure = mine.goals[0]
    assert [v.value for v in infrastructure.values if v] == [100.0, 100.0, 100.0, 100.0]
    assert (infrastructure.met, infrastructure.with_target) == (4, 4)
    earlier = tree(home, SCHOOL1, school_year=2024).goals[0]
    assert (earlier.met, earlier.with_target) == (0, 3)  # no classes stored for 2024: no 班级百兆接入率 that year
    assert earlier.values[1] is not None and earlier.values[1].value is None
    assert tree(home, SCHOOL1, school_year=1999).school_year == 2025  # a year without values falls back


def test_the_detail_goes_one_level_down_inside_the_scope(mcity: ApiCity) -> None:
    home = mcity.home
    city = detail(home, CITY, "wireless_coverage")
    assert [c.org_code for c in city.children] == ["110105", "110108"]
    assert {c.org_code: c.value for c in city.children} == {"110105": 80.0, "110108": (100 + 95.5) / 2}
    district = detail(home, HAIDIAN, "wireless_coverage", "110108", 2025)
    assert [c.org_code for c in district.children] == [SCHOOL, OTHER_SCHOOL]
    assert [c[0] for c in district.chain] == ["110108"]
    school = detail(home, CITY, "wireless_coverage", SCHOOL)
    assert school.children == () and [c[0] for c in school.chain] == ["110000", "110108", SCHOOL]
    assert [(v.school_year, v.value) for v in school.trend] == [(2024, 90.0), (2025, 100.0)]
    assert school.indicator.target == 100.0 and "无线网络覆盖率" in school.indicator.formula_zh


def test_red_team_the_facade_refuses_organisations_outside_the_scope(mcity: ApiCity) -> None:
    home = mcity.home
    for org in (OTHER_SCHOOL, CHAOYANG_SCHOOL, "110108", "110000", "0000000000"):
        with pytest.raises(AccessDenied) as caught:
            tree(home, SCHOOL1, org)
        assert org in caught.value.zh and org in caught.value.en
        with pytest.raises(AccessDenied):
            detail(home, SCHOOL1, "school_gigabit_access", org)
    with pytest.raises(AccessDenied):
        detail(home, HAIDIAN, "school_gigabit_access", "110105")
    with pytest.raises(AccessDenied):
        tree(home, PUBLIC)


def test_a_city_with_no_monitoring_data_yet_shows_empty_values(tmp_path: Path, catalog: Catalog) -> None:
    home: Home = build_city(tmp_path, catalog)  # schools and pupils, no infrastructure report
    empty = tree(home, SCHOOL1)
    assert empty.years == () and empty.school_year is None and all(v is None for g in empty.goals for v in g.values)
    assert detail(home, CITY, "school_gigabit_access").trend == ()
    client = login(make_app(home), "school", WEB_PASSWORD)
    page = client.get("/monitoring")
    assert page.status_code == 200 and 'id="monitoring-missing"' in page.text
    assert client.get("/monitoring/indicators/school_gigabit_access").status_code == 200
    home.engine.dispose()
