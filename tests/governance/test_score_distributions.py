"""Score distributions of a pseudonymised dataset: kept per table version and scope, never stale or widened."""

from __future__ import annotations

from edubrain.governance.identity import Grant, Principal
from edubrain.governance.profile_access import score_distributions
from edubrain.home import Home
from edubrain.jobs.derived import write_derived
from tests.conftest import CLASS, SCHOOL
from tests.profiles.conftest import student_profile_rows

IDS = [f"G11010820190{i:03d}000{i % 10}" for i in range(6)]


def _who(role: str, org: str, level: str) -> Principal:
    return Principal(f"d-{org}", role, (Grant(role, org, level),))


def _means(home: Home, principal: Principal) -> dict[str, float]:
    found = score_distributions(home, principal, "student_profiles", ["domain_moral"], ["school_code"], min_count=1)
    return {r["school_code"]: r["domain_moral__mean"] for r in found.table.to_dicts()}


def test_distributions_follow_a_new_version_and_each_readers_scope(home: Home) -> None:
    write_derived(home, "student_profiles", student_profile_rows(home, IDS, SCHOOL, CLASS, {}), job="t", inputs={})
    city, chaoyang = _who("city_analyst", "110000", "city"), _who("district_analyst", "110105", "district")
    assert _means(home, city) == {SCHOOL: 88.0 + 2.5}  # 88 … 93
    assert _means(home, city) == {SCHOOL: 90.5}  # asked again: the same
    assert _means(home, chaoyang) == {}  # another scope: its own (empty) statistics, not the city's
    write_derived(home, "student_profiles", student_profile_rows(home, IDS[:2], SCHOOL, CLASS, {}), job="t", inputs={})
    assert _means(home, city) == {SCHOOL: 88.5}  # the new version's rows
