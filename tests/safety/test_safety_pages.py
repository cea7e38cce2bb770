"""The 校园安全 pages: the school officer's incidents, the district's suppressed rates, outsiders refused."""

from __future__ import annotations

import re

from tests.api.conftest import PASSWORD, ApiCity
from tests.conftest import OTHER_SCHOOL, SCHOOL
from tests.web.conftest import login, make_app


def test_safety_pages_school_officer_sees_own_incidents(city: ApiCity) -> None:
    client = login(make_app(city.home), "school1", PASSWORD)
    assert len(re.findall(r'<tr data-incident="', client.get("/safety").text)) == 14
    page = client.get("/safety/school")
    assert page.status_code == 200 and len(re.findall(r'<tr data-incident="', page.text)) == 14
    assert "style=" not in page.text


def test_safety_pages_district_shows_no_detail_below_threshold(city: ApiCity) -> None:
    page = login(make_app(city.home), "haidian", PASSWORD).get("/safety")
    assert page.status_code == 200
    assert set(re.findall(r'<tr data-org="([^"]+)"', page.text)) == {SCHOOL, OTHER_SCHOOL}
    assert "学生甲" not in page.text and "data-incident" not in page.text  # no incident row, no description
    row = re.search(rf'<tr data-org="{OTHER_SCHOOL}">(.*?)</tr>', page.text, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[1:4] == ["3", "&lt;10", "–"]  # 3 pupils; its 3 incidents hidden, and so the rate
    assert "3" not in cells[4:]


def test_safety_pages_outsiders_refused(city: ApiCity) -> None:
    for user in ("teacher", "citizen"):
        assert login(make_app(city.home), user, PASSWORD).get("/safety").status_code == 403
