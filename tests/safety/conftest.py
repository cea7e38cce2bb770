"""A city with campus safety incidents at two Haidian schools and one Chaoyang school (k = 10, the default).

=============  =======  ==================================================  ==========================
school         pupils   incidents (2025 autumn term, 2025-1)                what a district page shows
=============  =======  ==================================================  ==========================
SCHOOL         4        12 意外伤害 (21) weekly from 1 Sep, 2 欺凌 (41)       total 14; both cells hidden
OTHER_SCHOOL   3        3 食品安全 (31)                                      total hidden (< 10)
CHAOYANG       0        1 in January 2025, then 6 欺凌 (41) in one October week  (not Haidian's to see)
=============  =======  ==================================================  ==========================

Every file is submitted through the exchange by its school, so the counts and warnings are written by the
post-commit derivation. The first incident (6 January 2025) starts the weekly series, so 26 quiet weeks are the
baseline and both the weekly injuries at SCHOOL and Chaoyang's bullying week raise warnings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from edubrain.catalog import get_catalog
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.home import Home
from tests.api.conftest import ApiCity, backend_url, drop_schema, populate
from tests.conftest import BACKENDS, CHAOYANG_SCHOOL, OTHER_SCHOOL, SCHOOL, schools_rows, write_csv

HEADER = [
    "事件编号",
    "学校标识码",
    "发生日期",
    "发生时段",
    "发生场所",
    "事件类别",
    "事件等级",
    "受伤人数",
    "是否按时上报",
    "事件说明",
]


def _rows(school: str, items: list[tuple[dt.date, str]]) -> list[list[object]]:
    return [[f"E{school}{i:03d}", school, d.isoformat(), "3", "2", kind, "5", 1, "是", "合成：学生甲摔倒"]
            for i, (d, kind) in enumerate(items)]  # fmt: skip


INCIDENTS = {
    SCHOOL: [(dt.date(2025, 9, 1) + dt.timedelta(weeks=w), "21") for w in range(12)]
    + [(dt.date(2025, 10, 8), "41"), (dt.date(2025, 11, 5), "41")],
    OTHER_SCHOOL: [(dt.date(2025, 9, 10), "31"), (dt.date(2025, 9, 11), "31"), (dt.date(2025, 9, 12), "31")],
    CHAOYANG_SCHOOL: [(dt.date(2025, 1, 6), "99")] + [(dt.date(2025, 10, 13), "41")] * 6,
}


def submit_incidents(home: Home, folder: Path) -> None:
    """Store the Chaoyang school, then each school's incidents."""
    chaoyang = [schools_rows()[0], [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是", 800]]
    assert ingest_file(home, write_csv(folder / "cy.csv", chaoyang), "schools", "110105").report.status == "committed"
    for school, items in INCIDENTS.items():
        path = write_csv(folder / f"inc-{school}.csv", [HEADER, *_rows(school, items)])
        report = ingest_file(home, path, "campus_safety_incidents", school).report
        assert report.status == "committed", report


@pytest.fixture(scope="module", params=BACKENDS)
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCity]:
    """The API city (users per role) with the incidents submitted."""
    folder = tmp_path_factory.mktemp("safety")
    url, schema = backend_url(request.param, folder)
    home = Home(Settings(home=folder / "home", database_url=url), get_catalog())
    api = populate(home, folder)
    submit_incidents(home, folder)
    with api.client:
        yield api
    home.engine.dispose()
    drop_schema(schema)
