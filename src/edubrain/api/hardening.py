"""Security headers on every response: a strict Content-Security-Policy, no framing, no sniffing, no caching.

Every page, API answer and export may carry a child's personal data, so every
response except the static files (``/static/...``: code, styles, maps) is
``Cache-Control: no-store``. The policy allows scripts, styles, images, fonts
and fetches from the app's own origin only; the templates have no inline
script or event handler (page data travels in ``<script type="application/json">``
blocks, which are never executed). ``style-src-attr 'unsafe-inline'`` allows
the ``style="..."`` attributes in the tooltip HTML that ECharts generates (a
style attribute cannot run code); no ``<style>`` element or inline script is allowed.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
STATIC_PREFIX = "/static/"
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(path: str, hsts: bool = False) -> dict[str, str]:
    """The headers a response to ``path`` must carry (``hsts``: in production, behind TLS)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not path.startswith(STATIC_PREFIX):
        headers["Cache-Control"] = "no-store"
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeadersMiddleware:
    """ASGI middleware that sets :func:`security_headers` on every HTTP response (replacing the app's own)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers when the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(str(scope.get("path", "")), self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
