"""Public credential verification, shared by ``POST /api/v1/credentials/verify`` and the ``/verify`` page.

- The body is read under a cap (:data:`edubrain.credentials.submitted.MAX_BYTES`) before anything is parsed.
- Status lists are resolved offline: a ``statusListCredential`` URL of this platform
  (``EDUBRAIN_PUBLIC_URL`` + ``/credentials/status/<list>``) is answered by the credit bank's
  ``status_list_credential(home, list_id)``, imported on first use; any other URL is reported as
  "cannot be checked offline" (never as a pass). Tests and deployments may put their own resolver in
  ``app.state.credential_status_resolver`` (``(home, url) -> dict | None``).
- Each client address may verify :data:`RATE_LIMIT` credentials per :data:`RATE_WINDOW_S` seconds
  (``app.state.credential_rate_limiter``); more get 429 in both languages. The app has no general
  rate-limiting layer (``api/hardening.py`` sets headers only), so this endpoint, which anyone may call and
  which costs a JSON-LD canonicalisation, keeps its own.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from edubrain.api.errors import ApiError
from edubrain.credentials.errors import StatusListError
from edubrain.credentials.report import VerificationReport, verification_report
from edubrain.credentials.submitted import MAX_BYTES, parse_submitted, too_large
from edubrain.home import Home

STATUS_PATH = "/credentials/status/"
RATE_LIMIT = 30
RATE_WINDOW_S = 60.0
_LIST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
Resolver = Callable[[Home, str], dict[str, Any] | None]


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key (a sliding window, in memory, thread-safe).

    Args:
        limit: Events allowed in one window.
        window: The window in seconds.
        max_keys: Keys remembered at most; past it the table is emptied (bounded memory under many addresses).
    """

    def __init__(self, limit: int = RATE_LIMIT, window: float = RATE_WINDOW_S, max_keys: int = 10_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Record an event for ``key``; False when it is over the limit (the event is then not counted)."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            if len(self._seen) >= self.max_keys and key not in self._seen:
                self._seen.clear()
            times = self._seen.setdefault(key, deque())
            while times and times[0] <= moment - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(moment)
            return True


def rate_limited(request: Request) -> None:
    """Count this request against its client address.

    Raises:
        ApiError: 429 when the address is over :data:`RATE_LIMIT` per :data:`RATE_WINDOW_S` seconds.
    """
    state = request.app.state
    limiter = getattr(state, "credential_rate_limiter", None)
    if limiter is None:
        limiter = state.credential_rate_limiter = RateLimiter()
    client = request.client.host if request.client else "unknown"
    if not limiter.allow(client):
        raise ApiError(
            429,
            "rate_limited",
            f"验证请求过于频繁：每个地址每 {int(limiter.window)} 秒最多 {limiter.limit} 次，请稍后再试。",
            f"Too many verifications: at most {limiter.limit} per {int(limiter.window)} seconds from one address; "
            "try again later.",
            limit=limiter.limit,
            window_s=limiter.window,
        )


async def capped_body(request: Request, limit: int = MAX_BYTES) -> bytes:
    """The request body, refused with 413 as soon as it is over ``limit`` bytes (nothing more is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int) -> ApiError:
    error = too_large(size)
    return ApiError(413, error.code, error.zh, error.en, **error.details)


def platform_status_list(home: Home, url: str) -> dict[str, Any] | None:
    """The status list credential at ``url`` if it is one of this platform's, else None (not resolvable offline).

    Raises:
        StatusListError: a URL of this platform naming a list that does not exist (or the credit bank is absent).
    """
    prefix = home.settings.public_url.rstrip("/") + STATUS_PATH
    if not url.startswith(prefix):
        return None
    list_id = url[len(prefix) :]
    from edubrain.credit_bank.status import status_list_credential  # on first use: the page needs no credit bank

    found = status_list_credential(home, list_id) if _LIST_ID.fullmatch(list_id) else None
    if found is None:
        raise StatusListError(
            f"本平台没有状态列表 {list_id[:64]}：凭证的状态无法确认（允许的列表标识：1–64 位字母、数字、_ 或 -）。",
            f"This platform has no status list {list_id[:64]}: the credential's status cannot be confirmed "
            "(a list id is 1–64 letters, digits, _ or -).",
            url=url[:200],
        )
    return found


async def check_submitted(request: Request, home: Home, raw: bytes | str) -> VerificationReport:
    """Parse ``raw`` and verify it off the event loop, with this app's status resolver.

    Raises:
        CredentialInputError: ``raw`` is not a credential (see :func:`parse_submitted`).
    """
    credential = parse_submitted(raw)
    resolver: Resolver = getattr(request.app.state, "credential_status_resolver", None) or platform_status_list
    return await run_in_threadpool(verification_report, credential, resolve_status=lambda url: resolver(home, url))
