"""A tiny city for the training-coverage facade: three schools in two districts, two staff each, two years.

Everything is submitted through the exchange (each school its own files), so ``training_coverage`` is written by
the post-commit derivation, as in production. Staff and hours (the latest training ends 2025-10-15):

=============  ==========  =========  ======  =======================
school         id          role       2024    2025 (by 15 October)
=============  ==========  =========  ======  =======================
SCHOOL         T110800001  principal  40 h    4 h    -> at risk
SCHOOL         T110800002  teacher    80 h    80 h
OTHER_SCHOOL   T110800003  principal  10 h    40 h   (2024 missed)
OTHER_SCHOOL   T110800004  teacher    80 h    5 h    -> at risk
CHAOYANG       T110500001  principal  40 h    2 h    -> at risk
CHAOYANG       T110500002  teacher    80 h    80 h
=============  ==========  =========  ======  =======================
"""

from __future__ import annotations

from pathlib import Path

from edubrain.exchange.ingest import ingest_file
from edubrain.governance.identity import Grant, Principal
from edubrain.home import Home
from tests.conftest import CHAOYANG_SCHOOL, CLASS, OTHER_SCHOOL, SCHOOL, schools_rows, write_csv

STAFF = {
    SCHOOL: [("T110800001", "张校长", True), ("T110800002", "李老师", False)],
    OTHER_SCHOOL: [("T110800003", "王校长", True), ("T110800004", "赵老师", False)],
    CHAOYANG_SCHOOL: [("T110500001", "刘校长", True), ("T110500002", "陈老师", False)],
}
HOURS = {  # id: (2024 hours, 2025 hours)
    "T110800001": (40, 4),
    "T110800002": (80, 80),
    "T110800003": (10, 40),
    "T110800004": (80, 5),
    "T110500001": (40, 2),
    "T110500002": (80, 80),
}
DISTRICT = {SCHOOL: "110108", OTHER_SCHOOL: "110108", CHAOYANG_SCHOOL: "110105"}


def principal(role: str, org: str, level: str, refs: tuple[str, ...] = ()) -> Principal:
    """A principal with one grant."""
    return Principal(id=f"t-{role}-{org}", name=f"{role}@{org}", grants=(Grant(role, org, level, refs),))


CITY_ADMIN = principal("city_admin", "110000", "city")
CITY_ANALYST = principal("city_analyst", "110000", "city")
HAIDIAN = principal("district_admin", "110108", "district")
CHAOYANG = principal("district_admin", "110105", "district")
SCHOOL_ADMIN = principal("school_admin", SCHOOL, "school")
OTHER_ADMIN = principal("school_admin", OTHER_SCHOOL, "school")
TEACHER = principal("teacher", SCHOOL, "school", (CLASS,))
PARENT = principal("parent", SCHOOL, "school", ("G110108201801010011",))


def submit_training_city(home: Home, folder: Path) -> None:
    """Submit the schools, each school's register and its training records (see the module docstring)."""
    schools = [*schools_rows(), [CHAOYANG_SCHOOL, "朝阳示例小学", "110105", "211", "是", 800]]
    for district in ("110108", "110105"):
        mine = [schools[0], *[r for r in schools[1:] if r[2] == district]]
        path = write_csv(folder / f"schools-{district}.csv", mine)
        assert ingest_file(home, path, "schools", district).report.status in ("committed", "unchanged")
    for school, staff in STAFF.items():
        header = ["教师工号", "姓名", "性别", "出生日期", "学校标识码", "是否校长"]
        rows = [[tid, name, "1", "1980-05-01", school, "是" if head else "否"] for tid, name, head in staff]
        path = write_csv(folder / f"teachers-{school}.csv", [header, *rows])
        assert ingest_file(home, path, "teachers", school).report.status == "committed"
        header = [
            "记录编号",
            "教师工号",
            "学校标识码",
            "培训年度",
            "培训类别",
            "培训项目名称",
            "开始日期",
            "结束日期",
            "学时",
        ]
        records = []
        for tid, _, _ in staff:
            for year, hours in zip((2024, 2025), HOURS[tid], strict=True):
                end = "2025-10-15" if (tid, year) == ("T110800002", 2025) else f"{year}-03-10"
                records.append([f"R{tid}{year}", tid, school, year, "60", "校本研修", f"{year}-03-01", end, hours])
        path = write_csv(folder / f"training-{school}.csv", [header, *records])
        assert ingest_file(home, path, "training_records", school).report.status == "committed"
