"""Building ``multipart/mixed`` statement requests and reading multipart answers, independently of the LRS's code.

Requests are assembled byte by byte as xAPI Communication §1.5.2 shows; answers are read with the standard
library's ``email`` parser (not the parser the LRS uses), so a test checks the wire format, not itself.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import httpx

from tests.lrs.conftest import V1, Lrs

BOUNDARY = "abcABC0123'()+_,-./:=?"
"""The boundary of the specification's example: every character class a boundary may hold."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def attachment(data: bytes, content_type: str = "text/plain", **extra: Any) -> dict[str, Any]:
    """The Attachment object of ``data``."""
    return {
        "usageType": "https://edubrain.example/attachment-usage/essay",
        "display": {"zh-CN": "作文", "en-US": "Essay"},
        "contentType": content_type,
        "length": len(data),
        "sha2": sha256(data),
    } | extra


@dataclass
class RawPart:
    """One attachment part: data and headers (None drops a header)."""

    data: bytes
    content_type: str | None = "text/plain"
    sha2: str | None = None
    encoding: str | None = "binary"


def mixed(statements: Any, parts: list[RawPart], first_type: str = "application/json") -> tuple[bytes, str]:
    """A ``multipart/mixed`` body (with a preamble line, as in the specification's example) and its Content-Type."""
    chunks = [f"\r\n--{BOUNDARY}\r\nContent-Type:{first_type}\r\n\r\n".encode(), json.dumps(statements, ensure_ascii=False).encode()]  # fmt: skip
    for part in parts:
        head = f"\r\n--{BOUNDARY}\r\n"
        if part.content_type:
            head += f"Content-Type:{part.content_type}\r\n"
        if part.encoding:
            head += f"Content-Transfer-Encoding:{part.encoding}\r\n"
        head += f"X-Experience-API-Hash:{part.sha2 or sha256(part.data)}\r\n" if part.sha2 != "" else ""
        chunks += [(head + "\r\n").encode(), part.data]
    chunks.append(f"\r\n--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{BOUNDARY}"'


def post_mixed(
    lrs: Lrs,
    who: str,
    statements: Any,
    parts: list[RawPart],
    version: dict[str, str] = V1,
    first_type: str = "application/json",
) -> httpx.Response:
    body, content_type = mixed(statements, parts, first_type)
    headers = {**lrs.auth(who, version), "Content-Type": content_type}
    return lrs.client.post("/xAPI/statements", content=body, headers=headers)


def put_mixed(lrs: Lrs, who: str, statement_id: str, statement: Any, parts: list[RawPart]) -> httpx.Response:
    body, content_type = mixed(statement, parts)
    headers = {**lrs.auth(who), "Content-Type": content_type}
    return lrs.client.put("/xAPI/statements", params={"statementId": statement_id}, content=body, headers=headers)


def read_mixed(response: httpx.Response) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """The JSON part and the attachment parts (hash -> (content type, data)) of a multipart answer."""
    assert response.status_code == 200, response.text
    head = f"Content-Type: {response.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + response.content)
    first, *rest = list(message.iter_parts())  # type: ignore[attr-defined]
    assert first.get_content_type() == "application/json"
    parts = {}
    for part in rest:
        assert part["Content-Transfer-Encoding"] == "binary"
        parts[part["X-Experience-API-Hash"]] = (part.get_content_type(), part.get_payload(decode=True))
    return json.loads(first.get_payload(decode=True)), parts
