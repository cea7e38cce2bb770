"""The 12345-hotline import: columns by Chinese or English name, errors with row and column, all or nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from edubrain import public_service as ps
from tests.api.conftest import ApiCity, assert_error
from tests.public_service.conftest import principal

HEADER = "工单编号,受理时间,所在区,诉求内容,诉求人,联系电话"
GOOD = [
    "H001,2026-11-02 09:15,110108,孩子就读的学校强制购买教辅资料，还收取赞助费，希望教委尽快处理。,李四,13900001111",
    "H002,2026-11-02 10:40:00,海淀区,学校门口接送拥堵，校门口违章停车很多，上学路上车辆太多很危险。,,",
]


def _csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    return "\n".join([HEADER, *lines]).encode(encoding)


def test_public_service_import_stores_every_row_once(pcity: ApiCity) -> None:
    haidian = principal(pcity.home, "haidian")
    result = ps.import_cases(pcity.home, haidian, "hotline.csv", _csv(GOOD, "gb18030"))
    assert result.imported == 2
    lines = {x.code: x for x in ps.list_cases(pcity.home, haidian)}
    assert {x.channel for x in lines.values()} == {"hotline"}
    assert {x.category for x in lines.values()} == {"fees", "traffic"}
    first = min(lines.values(), key=lambda x: x.received_at)
    assert first.received_at.isoformat() == "2026-11-02T01:15:00+00:00"  # 09:15 Beijing time
    with pytest.raises(ps.ImportRejected) as again:
        ps.import_cases(pcity.home, haidian, "hotline.csv", _csv(GOOD))
    assert again.value.details["problems"][0] == {
        "row": 2,
        "column": "工单编号",
        "allowed": "已导入过 / already imported",
    }
    assert len(ps.list_cases(pcity.home, haidian)) == 2


def test_public_service_import_reports_row_and_column_and_stores_nothing(pcity: ApiCity) -> None:
    haidian = principal(pcity.home, "haidian")
    bad = [
        *GOOD,
        "H003,2026-13-40 25:00,110108,太短,,",
        "H004,2026-11-03 08:00,110105,朝阳区学校收取择校费，要求家长缴纳借读费。,,",
    ]
    with pytest.raises(ps.ImportRejected) as caught:
        ps.import_cases(pcity.home, haidian, "hotline.csv", _csv(bad))
    problems = {(p["row"], p["column"]) for p in caught.value.details["problems"]}
    assert problems == {(4, "受理时间"), (4, "诉求内容"), (5, "所在区")}
    assert "第 4 行" in caught.value.zh and "row 4" in caught.value.en
    assert ps.list_cases(pcity.home, principal(pcity.home, "city")) == []


def test_public_service_import_needs_the_columns_and_an_administrator(pcity: ApiCity) -> None:
    with pytest.raises(ps.ImportRejected) as caught:
        ps.import_cases(pcity.home, principal(pcity.home, "city"), "x.csv", b"record_id,text\nA,hello")
    assert "受理时间" in caught.value.zh and "received_at" in caught.value.en
    with pytest.raises(ps.ImportRejected):
        ps.import_cases(pcity.home, principal(pcity.home, "hdanalyst"), "hotline.csv", _csv(GOOD))


def test_public_service_import_reads_xlsx_through_the_api(pcity: ApiCity) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["record_id", "received_at", "district", "text"])
    sheet.append(["X9", "2026-11-05 14:00", "110105", "朝阳区一所中学食堂饭菜发馊有异味，学生吃完午饭腹泻。"])
    data = io.BytesIO()
    book.save(data)
    files = {"file": ("hotline.xlsx", data.getvalue(), "application/octet-stream")}
    r = pcity.client.post("/api/v1/public-service/import", files=files, headers=pcity.auth("chaoyang"))
    assert r.status_code == 201, r.text
    assert r.json()["imported"] == 1
    refused = pcity.client.post("/api/v1/public-service/import", files=files, headers=pcity.auth("haidian"))
    error = assert_error(refused, 422, "validation_failed")
    assert error["details"]["problems"][0]["column"] == "所在区"  # a Chaoyang row is outside Haidian's districts
