"""Attachments of statements: matching the received parts to the Attachment objects, and which data to return.

Rules (xAPI 1.0.3 Communication §1.5.2 and Data §2.4.11, §2.6; IEEE 9274.1.1 keeps them):

- a part is matched to an attachment by its SHA-2 only: the part's ``X-Experience-API-Hash`` must be the SHA-2 of
  its data (SHA-224/256/384/512, told apart by length) and equal an attachment's ``sha2`` (case-insensitive);
- every attachment without a ``fileUrl`` needs a matching part, else the batch is refused (400); a part that no
  attachment of the batch names is refused too (400), as is a part whose data contradicts its attachment
  (``length``, ``contentType``'s media type, a part ``Content-Length`` header);
- a signature attachment (:data:`~edubrain.lrs.validation.SIGNATURE_USAGE`) must come as data and its JWS must
  verify (:func:`edubrain.lrs.signatures.verify`);
- attachments of a SubStatement are treated like the statement's own.

Nothing here touches files or the database: storing the bytes is :mod:`edubrain.lrs.attachment_files`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from edubrain.lrs.errors import StatementInvalid, invalid
from edubrain.lrs.multipart import HASH_HEADER, Part
from edubrain.lrs.signatures import verify
from edubrain.lrs.validation import SIGNATURE_USAGE

DIGESTS = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}
"""The SHA-2 functions by the length of their hexadecimal digest."""


@dataclass(frozen=True)
class AttachmentData:
    """The raw data of one attachment, under its SHA-2 (lower-case hexadecimal)."""

    sha2: str
    data: bytes


def media_type(value: str) -> str:
    """The ``type/subtype`` of a media type, lower case, without parameters."""
    return value.split(";")[0].strip().lower()


def attachments_of(statement: dict[str, Any], where: str = "statement") -> Iterator[tuple[str, dict[str, Any]]]:
    """Each Attachment object of ``statement`` and of its SubStatement, with where it is."""
    for i, attachment in enumerate(statement.get("attachments", [])):
        yield f"{where}.attachments[{i}]", attachment
    target = statement.get("object", {})
    if target.get("objectType") == "SubStatement":
        for i, attachment in enumerate(target.get("attachments", [])):
            yield f"{where}.object.attachments[{i}]", attachment


def _received(parts: list[Part]) -> dict[str, Part]:
    """The parts by their checked hash (two parts with one hash carry the same data: one is kept)."""
    found: dict[str, Part] = {}
    for i, part in enumerate(parts, start=1):
        declared = part.headers[HASH_HEADER].strip().lower()
        algorithm = DIGESTS.get(len(declared))
        if algorithm is None or hashlib.new(algorithm, bytes(part.data)).hexdigest() != declared:
            raise StatementInvalid(
                f"第 {i} 个附件部分的 X-Experience-API-Hash 与其数据的 SHA-2 不符",
                f"The X-Experience-API-Hash of attachment part {i} is not the SHA-2 of its data (xAPI Communication 1.5.2)",  # fmt: skip
                part=i,
            )
        length = part.headers.get("content-length")
        if length is not None and length.strip() != str(len(part.data)):
            raise StatementInvalid(
                f"第 {i} 个附件部分的 Content-Length 与数据长度不符",
                f"The Content-Length of attachment part {i} differs from its data's length (xAPI Communication 1.5.2)",
                part=i,
            )
        found.setdefault(declared, part)
    return found


def matched(statements: list[dict[str, Any]], parts: list[Part]) -> list[AttachmentData]:
    """The attachment data of a batch, checked against its statements (see the module's rules).

    Raises:
        StatementInvalid: a rule is broken; nothing may be stored.
    """
    received = _received(parts)
    used: set[str] = set()
    for i, statement in enumerate(statements):
        prefix = f"statement[{i}]" if len(statements) > 1 else "statement"
        for where, attachment in attachments_of(statement, prefix):
            sha2 = str(attachment["sha2"]).lower()
            part = received.get(sha2)
            signature = attachment["usageType"] == SIGNATURE_USAGE
            if part is None:
                if signature:
                    raise invalid(where, "签名附件必须随请求以 multipart/mixed 部分提交（LRS 须校验签名）", "a signature attachment must be sent as a multipart/mixed part: the LRS must verify it (xAPI Data 2.6)")  # fmt: skip
                if "fileUrl" not in attachment:
                    raise invalid(f"{where}.fileUrl", "附件既无 fileUrl，也没有 SHA-2 相同的 multipart/mixed 部分", "the attachment has neither a fileUrl nor a multipart/mixed part with its SHA-2 (xAPI Communication 1.5.2)")  # fmt: skip
                continue
            used.add(sha2)
            if len(part.data) != attachment["length"]:
                raise invalid(f"{where}.length", f"与附件数据长度 {len(part.data)} 不符", f"differs from the attachment data's length, {len(part.data)} octets (xAPI Data 2.4.11)")  # fmt: skip
            declared = part.headers.get("content-type")
            if declared and media_type(declared) != media_type(attachment["contentType"]):
                raise invalid(f"{where}.contentType", f"与附件部分的 Content-Type {declared} 不符", f"differs from the part's Content-Type {declared} (xAPI Communication 1.5.2)")  # fmt: skip
            if signature:
                verify(statement, bytes(part.data), where)
    unused = sorted(set(received) - used)
    if unused:
        raise StatementInvalid(
            f"附件部分 {unused[0]} 不对应批次中任何语句的附件",
            f"The attachment part {unused[0]} matches no attachment of the batch's statements (xAPI Communication 1.5.2)",  # fmt: skip
            sha2=unused[0],
        )
    return [AttachmentData(sha2, bytes(received[sha2].data)) for sha2 in sorted(used)]
