"""``multipart/mixed`` bodies of the Statement resource: reading a request, writing a response.

xAPI 1.0.3 Communication §1.5.2 (IEEE 9274.1.1 §4.1.5.2): the first part holds the statements (``application/json``);
every further part holds the raw data of one attachment, with an ``X-Experience-API-Hash`` header (its SHA-2) and
``Content-Transfer-Encoding: binary``. Parsing is done by the streaming parser of ``python-multipart`` (RFC 2046
boundaries, preamble and epilogue); this module only gathers the parts, enforces the size limits while the body
arrives (so an oversized request is refused before it is held in memory) and checks the part headers the
specification makes mandatory. Matching parts to attachments is :mod:`edubrain.lrs.attachments`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from edubrain.errors import EduBrainError
from edubrain.lrs.errors import StatementInvalid

MAX_STATEMENTS_PART = 8 * 1024 * 1024
"""The largest statements part (and ``application/json`` body), in bytes."""
MAX_ATTACHMENT = 20 * 1024 * 1024
"""The largest attachment part, in bytes (xAPI Communication §1.5.2: an LRS MAY reject larger batches)."""
MAX_REQUEST = 50 * 1024 * 1024
"""The largest ``multipart/mixed`` request, all parts together, in bytes."""
HASH_HEADER = "x-experience-api-hash"


class PayloadTooLarge(EduBrainError):
    """A request, statements part or attachment is larger than this LRS accepts (413); nothing was stored."""

    code = "payload_too_large"


@dataclass
class Part:
    """One part of a ``multipart/mixed`` body: its headers (names lower case) and its raw data."""

    headers: dict[str, str] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


@dataclass(frozen=True)
class MixedBody:
    """A parsed request: the statements part's bytes and the attachment parts, in the order received."""

    statements: bytes
    attachments: list[Part]


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


class MixedReader:
    """Read a ``multipart/mixed`` request chunk by chunk (:meth:`feed`), then :meth:`finish`.

    Raises (from :meth:`feed` and :meth:`finish`):
        StatementInvalid: no boundary, a malformed or incomplete body, a part header missing (400).
        PayloadTooLarge: a part or the whole request exceeds its limit (413).
    """

    def __init__(self, content_type: str) -> None:
        _, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if not boundary:
            raise StatementInvalid(
                "multipart/mixed 请求缺少 boundary 参数（RFC 2046）",
                "The multipart/mixed Content-Type has no boundary parameter (RFC 2046)",
            )
        self.parts: list[Part] = []
        self.size = 0
        self.ended = False
        self._field = bytearray()
        self._value = bytearray()
        callbacks = {
            "on_part_begin": lambda: self.parts.append(Part()),
            "on_header_field": lambda d, s, e: self._field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_part_data": self._data,
            "on_end": self._end,
        }
        self._parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]

    def _header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self.parts[-1].headers[name] = self._value.decode("latin-1").strip()
        self._field.clear()
        self._value.clear()

    def _data(self, data: bytes, start: int, end: int) -> None:
        part = self.parts[-1]
        part.data.extend(data[start:end])
        first = len(self.parts) == 1
        limit = MAX_STATEMENTS_PART if first else MAX_ATTACHMENT
        if len(part.data) > limit:
            what_zh, what_en = ("语句部分", "The statements part") if first else (f"第 {len(self.parts) - 1} 个附件", f"Attachment part {len(self.parts) - 1}")  # fmt: skip
            raise PayloadTooLarge(
                f"{what_zh}超过 {_mb(limit)}：请缩小或改用 fileUrl",
                f"{what_en} exceeds {_mb(limit)}: make it smaller or give a fileUrl instead",
                limit=limit,
            )

    def _end(self) -> None:
        self.ended = True

    def feed(self, chunk: bytes) -> None:
        """Parse the next chunk of the body."""
        self.size += len(chunk)
        if self.size > MAX_REQUEST:
            raise PayloadTooLarge(
                f"multipart/mixed 请求超过 {_mb(MAX_REQUEST)}：请分批提交",
                f"The multipart/mixed request exceeds {_mb(MAX_REQUEST)}: send the statements in several batches",
                limit=MAX_REQUEST,
            )
        try:
            self._parser.write(chunk)
        except EduBrainError:
            raise
        except Exception as exc:  # the parser's MultipartParseError and kin
            raise StatementInvalid(
                f"multipart/mixed 请求体格式错误：{exc}", f"The multipart/mixed body is malformed: {exc}"
            ) from None

    def finish(self) -> MixedBody:
        """The parts, checked: a complete body, an ``application/json`` first part, hash and encoding headers."""
        self._parser.finalize()
        if not self.ended or not self.parts:
            raise StatementInvalid(
                "multipart/mixed 请求体不完整（缺少结束边界）",
                "The multipart/mixed body is incomplete (no closing boundary)",
            )
        first, *rest = self.parts
        if first.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise StatementInvalid(
                "multipart/mixed 的第一部分必须是语句，Content-Type 为 application/json",
                "The first part of a multipart/mixed request must hold the statements, with Content-Type application/json (xAPI Communication 1.5.2)",  # fmt: skip
            )
        for i, part in enumerate(rest, start=1):
            if not part.headers.get(HASH_HEADER):
                raise StatementInvalid(
                    f"第 {i} 个附件部分缺少 X-Experience-API-Hash 头",
                    f"Attachment part {i} has no X-Experience-API-Hash header (xAPI Communication 1.5.2)",
                    part=i,
                )
            if part.headers.get("content-transfer-encoding", "").lower() != "binary":
                raise StatementInvalid(
                    f"第 {i} 个附件部分须带 Content-Transfer-Encoding: binary",
                    f"Attachment part {i} must have Content-Transfer-Encoding: binary (xAPI Communication 1.5.2)",
                    part=i,
                )
        return MixedBody(bytes(first.data), rest)


@dataclass(frozen=True)
class OutPart:
    """An attachment part of a response: its SHA-2 (hex), content type and data."""

    sha2: str
    content_type: str
    data: bytes


def mixed_body(statements_json: bytes, parts: list[OutPart]) -> tuple[bytes, str]:
    """A ``multipart/mixed`` response body and its boundary: the JSON part first, then one part per attachment."""
    boundary = secrets.token_hex(16)
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), statements_json]
    for part in parts:
        head = (
            f"\r\n--{boundary}\r\nContent-Type: {part.content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {part.sha2}\r\nContent-Length: {len(part.data)}\r\n\r\n"
        )
        chunks += [head.encode("latin-1"), part.data]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), boundary
