"""Optimistic concurrency of the Document resources: ETags, ``If-Match`` and ``If-None-Match``.

xAPI 1.0.3 Communication §3.1 and IEEE 9274.1.1 §4.1.4, with RFC 7232 for the header semantics:

- the ETag of a document is the lowercase hexadecimal SHA-1 of its bytes, sent in quotes (§3.1.s4.b1–b4);
- ``If-Match`` (a list of ETags, or ``*``) and ``If-None-Match`` (``*`` or a list) are evaluated on PUT, POST and
  DELETE of one document (1.0.3 §3.1.s4.b5–b8; 9274.1.1 §4.1.4: PUT, POST and DELETE); a failed precondition is
  412 and changes nothing (§3.1.s4.b9–b12). ``If-Match`` fails when there is no document; a weak ETag (``W/"…"``)
  never matches ``If-Match`` (strong comparison, RFC 7232 §2.3.2);
- a PUT without either header over an existing document is 409 and changes nothing (§3.1.s4.b13–b15). In 1.0.3
  this holds for the Agent and Activity Profile resources: "The State Resource will permit PUT, POST and DELETE
  requests without concurrency headers" (§3.1.s3). IEEE 9274.1.1 §4.1.4 drops that exception, so a 2.0 request
  gets 409 on the State resource too.

Every check runs against the writer's own school's documents only: another school's document is never looked at,
so neither the status nor the timing of an answer tells whether it exists.
"""

from __future__ import annotations

import hashlib

from edubrain.errors import EduBrainError
from edubrain.lrs.document_params import Kind, Method

ANY = "*"


class PreconditionFailed(EduBrainError):
    """``If-Match`` or ``If-None-Match`` does not hold (412 Precondition Failed); nothing was changed."""

    code = "xapi_precondition_failed"


class DocumentConflict(EduBrainError):
    """A PUT without ``If-Match``/``If-None-Match`` over an existing document (409 Conflict); nothing was changed."""

    code = "xapi_conflict"


def etag_of(content: bytes) -> str:
    """The ETag of a document: the lowercase hexadecimal SHA-1 of its bytes (Communication §3.1.s4.b2), unquoted."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def quoted(etag: str) -> str:
    """The ETag as the header carries it, in quotes (§3.1.s4.b4)."""
    return f'"{etag}"'


def _tags(header: str, *, weak_match: bool) -> set[str] | None:
    """The opaque tags of a header (``None`` for ``*``); weak tags are kept only when ``weak_match``."""
    if header.strip() == ANY:
        return None
    found: set[str] = set()
    for part in header.split(","):
        tag = part.strip()
        weak = tag.startswith("W/")
        if weak and not weak_match:
            continue
        found.add(tag.removeprefix("W/").strip('"').lower())
    return found


def check(
    *,
    method: Method,
    kind: Kind,
    version: str,
    current: str | None,
    if_match: str | None,
    if_none_match: str | None,
) -> None:
    """Evaluate the preconditions of a write against the current ETag (``None``: no such document).

    Raises:
        PreconditionFailed: a header's condition is false (412).
        DocumentConflict: a PUT without either header over an existing document, where the version requires one.
    """
    if if_match is not None:
        tags = _tags(if_match, weak_match=False)
        if current is None or (tags is not None and current not in tags):
            raise PreconditionFailed(
                "If-Match 条件不成立：文档不存在或已被修改（ETag 不同），未做任何更改",
                "If-Match does not hold: the document does not exist or was changed (another ETag); nothing was changed (xAPI Communication 3.1)",  # fmt: skip
                header="If-Match",
            )
    if if_none_match is not None:
        tags = _tags(if_none_match, weak_match=True)
        if current is not None and (tags is None or current in tags):
            raise PreconditionFailed(
                "If-None-Match 条件不成立：文档已存在，未做任何更改",
                "If-None-Match does not hold: the document exists; nothing was changed (xAPI Communication 3.1)",
                header="If-None-Match",
            )
    headerless = if_match is None and if_none_match is None
    if headerless and method == "PUT" and current is not None and (kind != "state" or version.startswith("2.")):
        raise DocumentConflict(
            "文档已存在，PUT 需带 If-Match（当前 ETag）或 If-None-Match：请先读取文档，再以其 ETag 作 If-Match 重试",
            "The document exists, so a PUT needs If-Match (its current ETag) or If-None-Match: fetch the document, "
            "check its current state, and send If-Match with its ETag (xAPI Communication 3.1, IEEE 9274.1.1 4.1.4)",
        )
