"""Cross-site request forgery: the web app's forms are refused unless they come from its own pages.

Two checks, on every POST, PUT, PATCH and DELETE outside the API (``/api/``
is authenticated by bearer tokens and API keys only, never by the session
cookie, so a browser cannot be tricked into using it):

1. :class:`CrossSiteRequestGuard` (ASGI middleware) refuses a request whose
   ``Sec-Fetch-Site`` is ``cross-site`` or ``same-site``, whose ``Origin`` is
   ``null`` or another host than the request's ``Host``, or, without an
   ``Origin``, whose ``Referer`` is another host's. It answers before the body
   is read: a forged upload is never stored.
2. :func:`require_csrf_token` (a dependency of every page route) wants the
   session's token (double-submit: the ``edubrain_csrf`` cookie, httponly and
   ``__Host-`` prefixed in production) back in the form field ``csrf_token`` or
   the ``X-CSRF-Token`` header that HTMX sends (``hx-headers`` on ``<body>``),
   from any request a browser sent (one with ``Origin``, ``Referer`` or
   ``Sec-Fetch-Site``; browsers send them on every POST). A program that
   sends none of them (curl, a test client) carries no victim's cookies.

A refused request gets a 403 HTML page in both languages.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from edubrain.errors import EduBrainError

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIX = "/api/"
BROWSER_HEADERS = ("origin", "referer", "sec-fetch-site")
DEFAULT_PORTS = {"http": "80", "https": "443"}


class CsrfRefused(EduBrainError):
    """A state-changing request that did not come from the app's own pages."""

    code = "csrf_refused"


def cross_site_error() -> CsrfRefused:
    """The error of a request sent by another site."""
    return CsrfRefused(
        "跨站请求被拒绝：表单只能从本站页面提交",
        "Cross-site request refused: forms may only be submitted from this site's own pages",
    )


def token_error() -> CsrfRefused:
    """The error of a browser's request without the session's token."""
    return CsrfRefused(
        "表单安全令牌缺失或无效，请刷新页面后重试",
        "The form's security token is missing or invalid; reload the page and try again",
    )


def cookie_name(secure: bool) -> str:
    """The token's cookie: ``__Host-`` prefixed when secure, so no sibling subdomain can set it."""
    return "__Host-edubrain_csrf" if secure else "edubrain_csrf"


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def _host(netloc: str, scheme: str | None = None) -> str:
    host = netloc.strip().lower()
    for name, port in DEFAULT_PORTS.items():
        if (scheme in (None, name)) and host.endswith(f":{port}"):
            return host[: -len(port) - 1]
    return host


def _foreign(url: str, host: str) -> bool:
    parts = urlsplit(url)
    return not parts.netloc or _host(parts.netloc, parts.scheme) != _host(host)


def is_cross_site(headers: Headers) -> bool:
    """Whether a request was sent by a page of another origin (Fetch Metadata, then Origin, then Referer)."""
    if headers.get("sec-fetch-site", "").lower() in ("cross-site", "same-site"):
        return True
    host = headers.get("host", "")
    origin = headers.get("origin")
    if origin is not None:
        return origin.strip().lower() == "null" or _foreign(origin, host)
    referer = headers.get("referer")
    return referer is not None and _foreign(referer, host)


def is_browser_request(headers: Headers) -> bool:
    """Whether a browser sent the request (it adds Origin, Referer or Sec-Fetch-Site to every POST)."""
    return any(name in headers for name in BROWSER_HEADERS)


class CrossSiteRequestGuard:
    """ASGI middleware refusing state-changing requests of other sites to the web app (403 HTML)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a cross-site unsafe request before its body is read."""
        if (
            scope["type"] == "http"
            and str(scope.get("method", "GET")).upper() not in SAFE_METHODS
            and not str(scope.get("path", "")).startswith(API_PREFIX)
            and is_cross_site(Headers(scope=scope))
        ):
            response = refusal_page(Request(scope), cross_site_error())
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def require_csrf_token(request: Request) -> None:
    """Refuse a browser's state-changing request without the session's token (a dependency of every page).

    Raises:
        CsrfRefused: no token cookie, or no or another token in the form field or header.
    """
    if request.method.upper() in SAFE_METHODS or not is_browser_request(request.headers):
        return
    from edubrain.web.render import app_home

    expected = request.cookies.get(cookie_name(app_home(request).settings.env == "production"))
    given = request.headers.get(CSRF_HEADER)
    if given is None and expected and request.headers.get("content-type", "").startswith("multipart/"):
        # An upload: its body is read only once the visitor is known, under the size cap; the one upload
        # path (edubrain.api.uploads.received_upload) checks the form's token then, before using anything.
        request.state.csrf_deferred = expected
        return
    if given is None:
        field = (await request.form()).get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise token_error()


def refusal_page(request: Request, exc: EduBrainError) -> Response:
    """The 403 page of a refused request, in the visitor's language (both languages are on it)."""
    from edubrain.web.render import error_page

    return error_page(request, exc, 403)


async def csrf_refused(request: Request, exc: Exception) -> Response:
    """Exception handler: a :class:`CsrfRefused` raised by :func:`require_csrf_token` as the 403 page."""
    assert isinstance(exc, CsrfRefused)
    return refusal_page(request, exc)
