"""Red team, uploads: zip bombs and wide files, bodies read before authentication, NUL bytes committed.

Each test plays the attacker: a small XLSX that inflates to gigabytes, a
100,000-column CSV, a 50 MB body sent without a token (or over the limit
with one) to the API, the node exchange and the web form, and NUL bytes in
text cells. The bodies are streamed by httpx's ASGI transport one chunk at a
time, so the tests can count how much of a body the server pulled.
"""

from __future__ import annotations

import asyncio
import io
import re
import resource
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import openpyxl
import polars as pl
import pytest
from fastapi.testclient import TestClient

from edubrain.config import Settings
from edubrain.errors import InputFileError
from edubrain.exchange.ingest import ingest_file
from edubrain.exchange.readers import ReadLimits, read_source
from edubrain.web.session import ACCESS_COOKIE
from tests.api.conftest import ApiCity, assert_error
from tests.conftest import SCHOOL, student_rows, write_csv

SUBMISSIONS = "/api/v1/submissions"
PUSH = "/api/v1/exchange/students/batches"
WEB = "/submit"
MB = 1 << 20
BOUNDARY = "redteamboundary"
SHEET = "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------------------------------------- helpers


def _template(rows: list[list[object]]) -> bytes:
    """A real XLSX written by openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(path: Path, inflated_mb: int, *, rows_per_block: int = 2000) -> Path:
    """An XLSX whose first sheet is ``inflated_mb`` MB of identical rows: a few MB on disk, gigabytes in openpyxl."""
    original = zipfile.ZipFile(io.BytesIO(_template([["学籍号", "姓名"]])))
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    head += b'spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>'
    block = b'<row><c t="inlineStr"><is><t>G1</t></is></c><c t="inlineStr"><is><t>a</t></is></c></row>' * rows_per_block
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            if item.filename != SHEET:
                out.writestr(item, original.read(item))
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as sheet:
            sheet.write(head)
            written = 0
            while written < inflated_mb * MB:
                sheet.write(block)
                written += len(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make openpyxl's workbook loader record any call (and refuse it)."""
    calls: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append("load_workbook")
        raise AssertionError("openpyxl was asked to parse the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", refuse)
    return calls


class Body:
    """A streamed request body of ``total`` bytes that counts how much of it the server pulled."""

    def __init__(self, total: int, prefix: bytes = b"", chunk: int = MB) -> None:
        self.total, self.prefix, self.chunk, self.pulled = total, prefix, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        while sent < self.total:
            data = (self.prefix if sent == 0 else b"") + b"a" * self.chunk
            data = data[: self.total - sent]
            sent += len(data)
            self.pulled = sent
            yield data


def _multipart_head(name: str = "upload.csv") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="dataset"\r\n\r\nstudents\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="org"\r\n\r\n{SCHOOL}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n学籍号,姓名\r\n"
    ).encode()


def _send(city: ApiCity, url: str, body: Body, headers: dict[str, str]) -> httpx.Response:
    """POST ``body`` streamed through the ASGI app, one chunk per ``receive``."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=city.client.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            content_type = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
            return await client.post(url, content=body, headers={**content_type, **headers})

    return asyncio.run(go())


def _door_auth(city: ApiCity, door: str) -> dict[str, str]:
    if door == PUSH:
        return city.auth("node")
    if door == WEB:
        return {"Cookie": f"{ACCESS_COOKIE}={city.tokens['school1']}"}
    return city.auth("school1")


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder every upload would be written to, empty."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# ---------------------------------------------------------------------------------------------- 1. bombs


def test_uploads_xlsx_zip_bomb_is_refused_before_openpyxl_parses(tmp_path: Path, monkeypatch) -> None:
    bomb = _bomb(tmp_path / "名册.xlsx", inflated_mb=300)
    assert bomb.stat().st_size < 8 * MB  # a few hundred KB that inflate to 300 MB
    calls = _no_openpyxl(monkeypatch)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(InputFileError) as caught:
        read_source(bomb, limits=ReadLimits.of(Settings()))
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB: under 100 MB more
    assert calls == []
    error = caught.value
    assert error.code == "payload_too_large" and "名册.xlsx" in error.zh and "名册.xlsx" in error.en
    assert "EDUBRAIN_MAX_UNCOMPRESSED_MB" in error.en and error.details["file"].endswith("名册.xlsx")


def test_uploads_xlsx_bomb_under_the_size_cap_is_refused_by_its_compression_ratio(tmp_path: Path, monkeypatch) -> None:
    bomb = _bomb(tmp_path / "b.xlsx", inflated_mb=60)
    calls = _no_openpyxl(monkeypatch)
    with pytest.raises(InputFileError) as caught:
        read_source(bomb, limits=ReadLimits.of(Settings()))
    assert calls == [] and caught.value.code == "payload_too_large"
    assert "EDUBRAIN_MAX_COMPRESSION_RATIO" in caught.value.en and "b.xlsx" in caught.value.en


def test_uploads_xlsx_with_more_rows_than_allowed_is_refused_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_bytes(_template([["学籍号", "姓名"], *([f"G{i}", "甲"] for i in range(1200))]))
    with pytest.raises(InputFileError) as caught:
        read_source(path, limits=ReadLimits.of(Settings(max_rows=1000)))
    assert caught.value.code == "input_file_error" and "EDUBRAIN_MAX_ROWS" in caught.value.en
    assert "rows.xlsx" in caught.value.zh and caught.value.details["limit"] == 1000
    assert read_source(path, limits=ReadLimits.of(Settings(max_rows=1200))).frame.height == 1200


def test_uploads_csv_with_100000_columns_is_refused_before_a_frame_is_built(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"h{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n")
    monkeypatch.setattr(pl, "read_csv", lambda *a, **k: pytest.fail("the frame was built"))
    with pytest.raises(InputFileError) as caught:
        read_source(path, limits=ReadLimits.of(Settings()))
    assert "EDUBRAIN_MAX_COLUMNS" in caught.value.en and "wide.csv" in caught.value.en
    assert caught.value.details["columns"] == 100_000


def test_uploads_csv_with_more_rows_than_allowed_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", student_rows(30))
    with pytest.raises(InputFileError) as caught:
        read_source(path, limits=ReadLimits.of(Settings(max_rows=20)))
    assert "EDUBRAIN_MAX_ROWS" in caught.value.en
    assert read_source(path, limits=ReadLimits.of(Settings(max_rows=30))).frame.height == 30


def test_uploads_bomb_through_the_api_is_413_and_a_wide_csv_is_422(fresh: ApiCity, tmp_path: Path, monkeypatch) -> None:
    bomb = _bomb(tmp_path / "b.xlsx", inflated_mb=300).read_bytes()
    calls = _no_openpyxl(monkeypatch)
    files = {"file": ("b.xlsx", bomb, "application/octet-stream")}
    response = fresh.client.post(SUBMISSIONS, data={"dataset": "students"}, files=files, headers=fresh.auth("school1"))
    error = assert_error(response, 413, "payload_too_large")
    assert calls == [] and "b.xlsx" in error["message_en"]
    wide = ",".join(f"h{i}" for i in range(100_000)).encode()
    files = {"file": ("wide.csv", wide, "text/csv")}
    response = fresh.client.post(SUBMISSIONS, data={"dataset": "students"}, files=files, headers=fresh.auth("school1"))
    assert "EDUBRAIN_MAX_COLUMNS" in assert_error(response, 422, "input_file_error")["message_en"]


def test_uploads_bomb_through_ingest_file_is_an_input_file_error_and_nothing_is_stored(
    fresh: ApiCity, tmp_path: Path, monkeypatch
) -> None:
    bomb = _bomb(tmp_path / "b.xlsx", inflated_mb=300)
    _no_openpyxl(monkeypatch)
    before = fresh.client.get(SUBMISSIONS, headers=fresh.auth("school1")).json()["count"]
    with pytest.raises(InputFileError):
        ingest_file(fresh.home, bomb, "students", SCHOOL)
    assert fresh.client.get(SUBMISSIONS, headers=fresh.auth("school1")).json()["count"] == before


# ---------------------------------------------------------------------------------------------- 2. bodies


@pytest.mark.parametrize("door", [SUBMISSIONS, PUSH, WEB])
def test_uploads_unauthenticated_50_mb_body_is_refused_before_it_is_read(fresh: ApiCity, spool: Path, door) -> None:
    fresh.home.settings.max_upload_mb = 1
    body = Body(50 * MB, _multipart_head())
    response = _send(fresh, door, body, {})
    if door == WEB:
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    else:
        assert_error(response, 401, "auth_error")
    assert body.pulled <= MB + 1024, f"{body.pulled} bytes of the body were read before authentication"
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize("door", [SUBMISSIONS, PUSH, WEB])
def test_uploads_oversize_chunked_body_is_413_as_it_arrives(fresh: ApiCity, spool: Path, door) -> None:
    fresh.home.settings.max_upload_mb = 1
    body = Body(50 * MB, _multipart_head())
    response = _send(fresh, door, body, _door_auth(fresh, door))
    assert response.status_code == 413, response.text
    if door != WEB:
        assert "EDUBRAIN_MAX_UPLOAD_MB" in assert_error(response, 413, "payload_too_large")["message_en"]
    else:
        assert "EDUBRAIN_MAX_UPLOAD_MB" in response.text
    assert body.pulled <= 3 * MB, f"{body.pulled} bytes were read of a body over the 1 MB limit"
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize("door", [SUBMISSIONS, PUSH, WEB])
def test_uploads_declared_oversize_body_is_413_without_reading_it(fresh: ApiCity, spool: Path, door) -> None:
    fresh.home.settings.max_upload_mb = 1
    body = Body(50 * MB, _multipart_head())
    headers = {**_door_auth(fresh, door), "Content-Length": str(50 * MB)}
    response = _send(fresh, door, body, headers)
    assert response.status_code == 413, response.text
    assert body.pulled == 0


def test_uploads_a_file_within_the_limit_still_goes_through_both_doors(fresh: ApiCity, tmp_path: Path) -> None:
    fresh.home.settings.max_upload_mb = 1
    data = write_csv(tmp_path / "s.csv", student_rows(2, start=60)).read_bytes()
    api = fresh.client.post(
        SUBMISSIONS, data={"dataset": "students"}, files={"file": ("s.csv", data)}, headers=fresh.auth("school1")
    )
    assert api.status_code == 201 and api.json()["report"]["status"] == "committed", api.text
    fresh.client.cookies.set(ACCESS_COOKIE, fresh.tokens["school1"])
    try:
        web = fresh.client.post(WEB, data={"dataset": "students", "org": SCHOOL}, files={"file": ("s.csv", data)})
    finally:
        fresh.client.cookies.clear()
    assert web.status_code == 200 and 'data-status="unchanged"' in web.text


def test_uploads_plain_browser_form_has_its_csrf_token_checked_from_the_streamed_body(
    fresh: ApiCity, tmp_path: Path
) -> None:
    client = TestClient(fresh.client.app, follow_redirects=False)
    client.cookies.set(ACCESS_COOKIE, fresh.tokens["school1"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(WEB).text)
    assert token, "the submit page has no CSRF token field"
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}  # a browser, without HTMX's header
    data = write_csv(tmp_path / "s.csv", student_rows(2, start=70)).read_bytes()
    fields = {"dataset": "students", "org": SCHOOL}
    forged = client.post(
        WEB, data={**fields, "csrf_token": token.group(1)[::-1]}, files={"file": ("s.csv", data)}, headers=same
    )
    assert forged.status_code == 403 and "token" in forged.text
    assert _stored(fresh) == 7
    good = client.post(
        WEB, data={**fields, "csrf_token": token.group(1)}, files={"file": ("s.csv", data)}, headers=same
    )
    assert good.status_code == 200 and 'data-status="committed"' in good.text, good.text[:500]
    assert _stored(fresh) == 9


def test_uploads_missing_file_part_is_the_one_422_shape(fresh: ApiCity) -> None:
    response = fresh.client.post(SUBMISSIONS, data={"dataset": "students"}, headers=fresh.auth("school1"))
    error = assert_error(response, 422, "invalid_request")
    assert ["body", "file"] in [p["loc"] for p in error["details"]["problems"]]


# ---------------------------------------------------------------------------------------------- 3. NUL


def _stored(city: ApiCity) -> int:
    rows = city.client.get("/api/v1/datasets/students/rows", headers=city.auth("city"), params={"limit": 1})
    return int(rows.json()["count"])


def _nul_roster(folder: Path) -> Path:
    rows = student_rows(3, start=80)
    rows[2][1] = "测\x00试"  # 姓名 of file row 3
    return write_csv(folder / "nul.csv", rows)


def test_uploads_nul_in_a_text_cell_is_a_problem_naming_row_and_column_through_the_api(
    fresh: ApiCity, tmp_path: Path
) -> None:
    data = _nul_roster(tmp_path).read_bytes()
    response = fresh.client.post(
        SUBMISSIONS, data={"dataset": "students"}, files={"file": ("nul.csv", data)}, headers=fresh.auth("school1")
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["report"]["status"] == "rejected"
    problem = next(p for p in body["problems"] if p["rule"] == "nul_character")
    assert problem["row"] == 3 and problem["column"] == "姓名" and "\x00" not in problem["value"]
    assert "\x00" not in response.text
    assert _stored(fresh) == 7  # the 4 + 3 pupils the city started with: nothing of the file was stored


def test_uploads_nul_through_ingest_file_stores_nothing_even_with_accept_valid(fresh: ApiCity, tmp_path: Path) -> None:
    path = _nul_roster(tmp_path)
    result = ingest_file(fresh.home, path, "students", SCHOOL)
    assert result.report.status == "rejected"
    problem = result.problems.filter(pl.col("rule") == "nul_character").row(0, named=True)
    assert (problem["row"], problem["column"]) == (3, "姓名")
    assert _stored(fresh) == 7
    partial = ingest_file(fresh.home, path, "students", SCHOOL, accept_valid=True)
    assert partial.report.rows_accepted == 2 and partial.report.rows_rejected == 1
    assert _stored(fresh) == 9
    rows = fresh.client.get("/api/v1/datasets/students/rows", headers=fresh.auth("city"), params={"limit": 1000})
    assert "\x00" not in rows.text
