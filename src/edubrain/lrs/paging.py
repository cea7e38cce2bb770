"""The ``more`` link of a statement list: an opaque, signed cursor bound to its caller.

The cursor carries the list's query parameters and the key of the last statement shown, signed with HMAC-SHA256
(RFC 2104) under the platform's token signing key and bound to the principal that asked; it lives for
:data:`LIFETIME`. Every page is scoped afresh: a cursor only says where to continue, never what may be seen.
xAPI 1.0.3 Data §2.5 (StatementResult ``more``: a relative IRL, empty when there is nothing more).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from edubrain.lrs.errors import StatementInvalid

LIFETIME = dt.timedelta(hours=24)
_DOMAIN = b"edubrain-lrs-more|"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), _DOMAIN + payload, hashlib.sha256).digest()


def make_cursor(
    secret: str, principal_id: str, params: dict[str, str], after: tuple[dt.datetime, int], now: dt.datetime
) -> str:
    """The signed cursor continuing a list after ``after`` (stored time, row) for ``principal_id``."""
    body = {"p": principal_id, "q": params, "s": after[0].isoformat(), "k": after[1], "t": int(now.timestamp())}
    payload = json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return f"{_b64(payload)}.{_b64(_mac(secret, payload))}"


def read_cursor(
    secret: str, principal_id: str, cursor: str, now: dt.datetime
) -> tuple[dict[str, str], tuple[dt.datetime, int]]:
    """The query parameters and the key to continue after, of a cursor made for ``principal_id``.

    Raises:
        StatementInvalid: the cursor is malformed, altered, expired or another principal's.
    """
    refused = StatementInvalid(
        "more 游标无效、已过期或不属于当前调用者",
        "The 'more' cursor is invalid, expired or not the caller's",
        parameter="more",
    )
    try:
        encoded, signature = cursor.split(".")
        payload = _unb64(encoded)
        if not hmac.compare_digest(_unb64(signature), _mac(secret, payload)):
            raise refused
        body: dict[str, Any] = json.loads(payload)
        issued = dt.datetime.fromtimestamp(int(body["t"]), dt.UTC)
        after = (dt.datetime.fromisoformat(str(body["s"])), int(body["k"]))
        params = {str(k): str(v) for k, v in dict(body["q"]).items()}
    except (ValueError, KeyError, TypeError):
        raise refused from None
    if body.get("p") != principal_id or now - issued > LIFETIME:
        raise refused
    return params, after
