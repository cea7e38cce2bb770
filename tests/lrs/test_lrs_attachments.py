"""Attachments sent and fetched as ``multipart/mixed`` (xAPI 1.0.3 Communication §1.5.2, §2.1.3; Data §2.4.11)."""

from __future__ import annotations

import hashlib

import pytest

from edubrain.lrs import multipart
from tests.api.conftest import assert_error
from tests.lrs.conftest import PUPILS, V2, Lrs, new_id, pupil, statement
from tests.lrs.multipart_helpers import RawPart, attachment, mixed, post_mixed, put_mixed, read_mixed, sha256

BINARY = bytes(range(256)) + b"\r\n--not-a-boundary\r\n\r\r\n\n" + "作文：我的学校".encode() + b"\r"
"""Data with every byte value, line endings of every kind and a boundary-like line: must come back unchanged."""


def test_a_multipart_post_stores_the_attachment_and_get_returns_it_unchanged(lrs: Lrs) -> None:
    """Communication 1.5.2.s3.b4: an LRS MUST accept multipart/mixed batches with attachments; 2.1.3.s2.b6 and
    1.5.2.s3.b1: with ``attachments=true`` the answer MUST be multipart with each attachment's raw data."""
    sent = statement(attachments=[attachment(BINARY, "application/octet-stream")])
    response = post_mixed(lrs, "app1", sent, [RawPart(BINARY, "application/octet-stream")])
    assert response.status_code == 200, response.text
    [statement_id] = response.json()
    got, parts = read_mixed(lrs.get("app1", statementId=statement_id, attachments="true"))
    assert got["attachments"] == sent["attachments"]
    assert parts == {sha256(BINARY): ("application/octet-stream", BINARY)}
    plain = lrs.get("app1", statementId=statement_id)
    assert plain.headers["content-type"].startswith("application/json") and BINARY not in plain.content


def test_a_multipart_put_stores_one_statement_with_its_attachment(lrs: Lrs) -> None:
    """Communication 2.1.1 with 1.5.2.s2.b2.b2: attachment parts may be sent with PUT as with POST (204)."""
    data = "第二单元读书笔记".encode()
    statement_id = new_id()
    response = put_mixed(lrs, "app1", statement_id, statement(attachments=[attachment(data)]), [RawPart(data)])
    assert response.status_code == 204, response.text
    _, parts = read_mixed(lrs.get("app1", statementId=statement_id, attachments="true"))
    assert parts[sha256(data)][1] == data


def test_a_version_2_request_stores_attachments_too(lrs: Lrs) -> None:
    """IEEE 9274.1.1 keeps the multipart/mixed exchange of attachments (§4.1.5.2 there)."""
    data = b"xAPI 2.0 attachment"
    response = post_mixed(lrs, "app1", [statement(attachments=[attachment(data)])], [RawPart(data)], version=V2)
    assert response.status_code == 200, response.text
    got, parts = read_mixed(lrs.get("app1", V2, statementId=response.json()[0], attachments="true"))
    assert got["version"] == "2.0.0" and sha256(data) in parts


def test_an_attachment_with_neither_file_url_nor_part_is_refused(lrs: Lrs) -> None:
    """Communication 1.5.2.s3.b5: a multipart batch MUST be rejected if an attachment has no fileUrl and no part."""
    fresh = new_id()
    error = assert_error(post_mixed(lrs, "app1", statement(id=fresh, attachments=[attachment(b"missing")]), []), 400, "xapi_invalid")  # fmt: skip
    assert error["details"]["where"] == "statement.attachments[0].fileUrl"
    assert_error(lrs.get("app1", statementId=fresh), 404)


def test_a_part_matching_no_attachment_is_refused(lrs: Lrs) -> None:
    """Communication 1.5.2.s1.b4: parts belong to attachments by SHA-2; a part no attachment names is refused."""
    data = b"named"
    body = statement(attachments=[attachment(data)])
    error = assert_error(post_mixed(lrs, "app1", body, [RawPart(data), RawPart(b"stray")]), 400, "xapi_invalid")
    assert sha256(b"stray") in error["message_en"]


def test_a_part_whose_hash_header_is_not_the_hash_of_its_data_is_refused(lrs: Lrs) -> None:
    """Communication 1.5.2.s1.b4: the raw data is matched by comparing its SHA-2 with the declared hash."""
    data = b"the real data"
    body = statement(attachments=[attachment(data)])
    forged = RawPart(b"other bytes", sha2=sha256(data))
    assert "X-Experience-API-Hash" in assert_error(post_mixed(lrs, "app1", body, [forged]), 400)["message_en"]


@pytest.mark.parametrize(("field", "part"), [
    ("X-Experience-API-Hash", RawPart(b"no hash", sha2="")),
    ("Content-Transfer-Encoding", RawPart(b"no encoding", encoding=None)),
    ("Content-Transfer-Encoding", RawPart(b"base64 encoding", encoding="base64")),
])  # fmt: skip
def test_attachment_parts_need_a_hash_header_and_binary_encoding(lrs: Lrs, field: str, part: RawPart) -> None:
    """Communication 1.5.2.s2.b2.b3 and .b4: each part after the first MUST carry X-Experience-API-Hash and
    Content-Transfer-Encoding: binary."""
    body = statement(attachments=[attachment(part.data)])
    assert field in assert_error(post_mixed(lrs, "app1", body, [part]), 400, "xapi_invalid")["message_en"]


def test_the_first_part_must_be_the_statements_as_json(lrs: Lrs) -> None:
    """Communication 1.5.2.s2.b2.b1: the first part MUST contain the statements, with type application/json."""
    response = post_mixed(lrs, "app1", statement(), [], first_type="text/plain")
    assert "application/json" in assert_error(response, 400, "xapi_invalid")["message_en"]


def test_an_incomplete_or_boundaryless_body_is_a_400(lrs: Lrs) -> None:
    """RFC 2046 via Communication 1.5.2.s2.b2: a body that is not multipart/mixed is refused, never a 500."""
    headers = {**lrs.auth("app1"), "Content-Type": "multipart/mixed"}
    assert_error(lrs.client.post("/xAPI/statements", content=b"--x\r\n\r\n{}", headers=headers), 400, "xapi_invalid")
    headers["Content-Type"] = "multipart/mixed; boundary=x"
    truncated = b"--x\r\nContent-Type: application/json\r\n\r\n{}"
    assert_error(lrs.client.post("/xAPI/statements", content=truncated, headers=headers), 400, "xapi_invalid")


@pytest.mark.parametrize(("change", "where"), [
    ({"length": 3}, "length"),
    ({"contentType": "image/png"}, "contentType"),
])  # fmt: skip
def test_attachment_properties_must_agree_with_the_part(lrs: Lrs, change: dict, where: str) -> None:
    """Communication 1.5.2.s2.b2.b7: where a part header and an attachment property correspond, they MUST match."""
    data = b"agreeing data"
    body = statement(attachments=[attachment(data) | change])
    error = assert_error(post_mixed(lrs, "app1", body, [RawPart(data, "text/plain")]), 400, "xapi_invalid")
    assert error["details"]["where"] == f"statement.attachments[0].{where}"


@pytest.mark.parametrize(("change", "where"), [
    ({"sha2": "not-a-hash"}, "sha2"),
    ({"sha2": "ab" * 20}, "sha2"),
    ({"contentType": "plain text"}, "contentType"),
    ({"contentType": "text/plain\r\nX-Injected: 1"}, "contentType"),
    ({"length": -1}, "length"),
    ({"usageType": "essay"}, "usageType"),
])  # fmt: skip
def test_attachment_metadata_is_validated(lrs: Lrs, change: dict, where: str) -> None:
    """Data 2.4.11: usageType an IRI, contentType an Internet Media Type, length a non-negative integer, sha2 the
    SHA-2 of the data (hexadecimal)."""
    body = statement(attachments=[attachment(b"x", fileUrl="https://files.example/x") | change])
    assert assert_error(lrs.post("app1", body), 400)["details"]["where"] == f"statement.attachments[0].{where}"


def test_multipart_batches_without_attachment_data_are_accepted(lrs: Lrs) -> None:
    """Communication 1.5.2.s3.b8 and .b9: multipart batches with no attachments, or only fileUrl ones, are accepted;
    1.5.1.s1.b2: so are JSON batches whose attachments all have a fileUrl."""
    linked = statement(attachments=[attachment(b"elsewhere", fileUrl="https://files.example/essay.txt")])
    assert post_mixed(lrs, "app1", [statement(), linked], []).status_code == 200
    [statement_id] = lrs.post("app1", linked).json()
    _, parts = read_mixed(lrs.get("app1", statementId=statement_id, attachments="true"))
    assert parts == {}


def test_one_part_serves_every_statement_naming_its_hash_and_is_returned_once(lrs: Lrs) -> None:
    """Communication 1.5.2.s2.b2.b5: one copy of data used by several statements; the answer holds it once."""
    data = b"shared worksheet"
    registration = new_id()
    batch = [statement(context={"registration": registration}, attachments=[attachment(data)]) for _ in range(2)]
    assert post_mixed(lrs, "app1", batch, [RawPart(data)]).status_code == 200
    answer, parts = read_mixed(lrs.get("app1", registration=registration, attachments="true"))
    assert len(answer["statements"]) == 2 and list(parts) == [sha256(data)]


def test_a_sha512_attachment_is_matched_by_its_sha512(lrs: Lrs) -> None:
    """Communication 1.5.2.s4.b4: SHA-256, SHA-384 or SHA-512 populate sha2; the LRS matches by the declared one."""
    data = b"sha-512 data"
    digest = hashlib.sha512(data).hexdigest()
    body = statement(attachments=[attachment(data, sha2=digest)])
    response = post_mixed(lrs, "app1", body, [RawPart(data, sha2=digest)])
    assert response.status_code == 200, response.text
    _, parts = read_mixed(lrs.get("app1", statementId=response.json()[0], attachments="true"))
    assert parts[digest][1] == data


def test_an_oversized_attachment_is_a_bilingual_413_and_nothing_is_stored(lrs: Lrs, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Communication 1.5.2.s3.b7: the LRS MAY reject batches larger than it allows; it says so in both languages."""
    monkeypatch.setattr(multipart, "MAX_ATTACHMENT", 16)
    data = b"seventeen bytes!!"
    fresh = new_id()
    response = post_mixed(lrs, "app1", statement(id=fresh, attachments=[attachment(data)]), [RawPart(data)])
    error = assert_error(response, 413, "payload_too_large")
    assert "附件" in error["message_zh"] and "fileUrl" in error["message_en"]
    assert_error(lrs.get("app1", statementId=fresh), 404)


def test_a_part_content_length_header_must_be_the_datas_length(lrs: Lrs) -> None:
    """Communication 1.5.2.s2.b2.b7: a part's Content-Length corresponds to ``length`` and MUST match the data."""
    data = b"measured data"
    body, content_type = mixed(statement(attachments=[attachment(data)]), [RawPart(data)])
    body = body.replace(b"Content-Transfer-Encoding:binary\r\n", b"Content-Transfer-Encoding:binary\r\nContent-Length: 99\r\n")  # fmt: skip
    response = lrs.client.post("/xAPI/statements", content=body, headers={**lrs.auth("app1"), "Content-Type": content_type})  # fmt: skip
    assert "Content-Length" in assert_error(response, 400, "xapi_invalid")["message_en"]


def test_a_substatements_attachment_needs_its_data_too_and_is_returned(lrs: Lrs) -> None:
    """Data 2.4.11 (attachments of a SubStatement) with Communication 1.5.2.s3.b5: the same rules apply to them."""
    data = b"substatement evidence"
    sub = {"objectType": "SubStatement", "actor": pupil(PUPILS[0]), "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"}, "object": {"id": "https://edubrain.example/q/1"}, "attachments": [attachment(data)]}  # fmt: skip
    error = assert_error(post_mixed(lrs, "app1", statement(object=sub), []), 400, "xapi_invalid")
    assert error["details"]["where"] == "statement.object.attachments[0].fileUrl"
    response = post_mixed(lrs, "app1", statement(object=sub), [RawPart(data)])
    assert response.status_code == 200, response.text
    _, parts = read_mixed(lrs.get("app1", statementId=response.json()[0], attachments="true"))
    assert parts[sha256(data)][1] == data
